import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, runAov, tempDir } from './helpers.js';

describe('report alerts (#23)', () => {
  it('evaluates an NPS --fail-on on weekly reports: NPS is compared by its own months, not by week labels', () => {
    // The survey's last two complete months are 2024-11 and 2024-12 (the data ends 2024-12-31):
    // 8 promoters, 10 passives, 16 detractors (NPS (8 - 16) / 34 = -23.5), then 7, 6, 8
    // ((7 - 8) / 21 = -4.8). The rise of 18.7 points breaches nps:+10 whatever --period is, but
    // the adjusted Wald interval of the difference (Rocks 2016 per month, independent months:
    // -24.55 to +59.46 by hand in Python) holds 0 at 34 and 21 answers: a warning, exit 0.
    for (const period of ['week', 'month']) {
      const dir = path.join(tempDir('aov-alerts-'), 'r');
      const r = runAov(['report', fixture('sample-orders.csv'), '--out', dir, '--period', period, '--nps', fixture('nps_survey.csv'), '--fail-on', 'nps:+10', '--quiet']);
      expect(r.code, `--period ${period}: ${r.stderr}`).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/nps:\+10: no previous complete period/);
      const alert = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).alerts.find((a: { rule: string }) => a.rule === 'nps:+10');
      expect(alert.level).toBe('warning');
      expect(alert.message).toContain('(-23.5 -> -4.8; 95% -24.55 to +59.46, adjusted Wald)');
      expect(alert.noise).toBe('its 95% interval holds no change');
    }
  });
});

describe('report in a CI job (#21)', () => {
  it('refuses a --compare report that shares no currency (it would compare nothing and never alert)', async () => {
    const { DATA } = await import('./helpers.js');
    const base = tempDir('aov-compare-');
    const gbp = path.join(base, 'gbp');
    expect(runAov(['report', path.join(DATA, 'online_retail.csv.gz'), '--currency', 'GBP', '--out', gbp, '--quiet']).code).toBe(0);
    const out = path.join(base, 'eur');
    const r = runAov(['report', fixture('sample-orders.csv'), '--out', out, '--compare', path.join(gbp, 'report.json'), '--fail-on', 'aov.median:-10%', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`aov: error: ${path.join(gbp, 'report.json')} shares no currency with this run (it has GBP; this run EUR): there is nothing to compare.`);
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(out, 'report.md'))).toBe(false);
  });

  it('warns on stderr when the report has no threshold section (no --gift-cost)', () => {
    const r = runAov(['report', fixture('sample-orders.csv'), '--out', path.join(tempDir('aov-nothreshold-'), 'r'), '--quiet']);
    expect(r.code).toBe(0);
    // Wrapped to 80 columns: compared with its line breaks as spaces.
    expect(r.stderr.replace(/\s+/g, ' ')).toContain('aov: warning: No threshold section: give --gift-cost (and --margin when the export has no costs) to simulate one.');
  });
});

describe('--fail-on tells a change from noise', () => {
  /**
   * A shop of whole ISO weeks from Monday 2024-01-01: `perDay(day)` orders on each day, the k-th
   * of them at `price(day, k)` EUR, one line each.
   */
  function shop(days: number, perDay: (day: number) => number, price: (day: number, k: number) => number): string {
    const lines = ['Order ID,Order Date,Customer Email,SKU,Product,Quantity,Unit Price,Currency,Status'];
    let id = 0;
    for (let day = 0; day < days; day++) {
      const date = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
      for (let k = 0; k < perDay(day); k++) {
        lines.push(`O${++id},${date} 10:00,c${id}@example.com,SKU${k % 5},Item ${k % 5},1,${price(day, k).toFixed(2)},EUR,completed`);
      }
    }
    const file = path.join(tempDir('aov-shop-'), 'orders.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  it('fails the job when the weekly median halves over 280 orders a week (its interval excludes no change)', () => {
    // Three weeks of 40 orders a day, carts 40.00..59.00 (each twice a day); the third week at half that.
    const file = shop(21, () => 40, (day, k) => (40 + (k % 20)) / (day >= 14 ? 2 : 1));
    const dir = path.join(tempDir('aov-alerts-'), 'r');
    const r = runAov(['report', file, '--out', dir, '--period', 'week', '--fail-on', 'aov.median:-20%', '--quiet']);
    expect(r.code, r.stderr).toBe(1);
    const alert = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).alerts.find((a: { rule: string }) => a.rule === 'aov.median:-20%');
    // Week 2's median is 49.50 (the middle of 40.00..59.00), week 3's is 24.75: -50.0%.
    expect(alert.level).toBe('error');
    expect(alert.noise).toBeNull();
    expect(alert.message).toMatch(/^EUR aov\.median moved -50\.0% \(49\.5 -> 24\.75; 95% -5\d\.\d% to -4\d\.\d%, bootstrap\), breaching aov\.median:-20%$/);
  });

  it('warns, and exits 0, when weeks of 12 orders breach a rule: too few orders for a change to show', () => {
    // Two weeks with 6 orders on their first and last days (so both weeks are whole), the second
    // week's carts a third of the first's: far past the rule, but on 12 orders a week.
    const file = shop(14, (day) => (day % 7 === 0 || day % 7 === 6 ? 6 : 0), (day, k) => (30 + k) / (day >= 7 ? 3 : 1));
    const dir = path.join(tempDir('aov-alerts-'), 'r');
    const r = runAov(['report', file, '--out', dir, '--period', 'week', '--fail-on', 'aov.median:-10%', '--fail-on', 'orders:-0%', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const alerts = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).alerts.filter((a: { rule: string }) => a.rule.includes(':'));
    expect(alerts.map((a: { rule: string }) => a.rule)).toEqual(['aov.median:-10%', 'orders:-0%']);
    for (const a of alerts) {
      expect(a.level).toBe('warning');
      expect(a.noise).toBe('the periods have 12 and 12 orders, under the 20 a change needs');
    }
  });
});
