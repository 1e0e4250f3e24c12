import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runAov, tempDir } from './helpers.js';

describe('report alerts (#23)', () => {
  it('evaluates an NPS --fail-on on weekly reports: NPS is compared by its own months, not by week labels', () => {
    // The survey's last two complete months are 2024-11 and 2024-12 (the data ends 2024-12-31);
    // NPS rises between them, so a rule on a rise of 10 points must fire (exit 1) whatever --period is.
    for (const period of ['week', 'month']) {
      const dir = path.join(tempDir('aov-alerts-'), 'r');
      const r = runAov(['report', fixture('sample-orders.csv'), '--out', dir, '--period', period, '--nps', fixture('nps_survey.csv'), '--fail-on', 'nps:+10', '--quiet']);
      expect(r.code, `--period ${period}: ${r.stderr}`).toBe(1);
      expect(r.stdout + r.stderr).not.toMatch(/nps:\+10: no previous complete period/);
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
