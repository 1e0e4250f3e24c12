import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, meanAndMedian, runAov, sampleOrderValues, tempDir } from './helpers.js';

const ESC = '\u001b[';

describe('the aov command line', () => {
  it('starts --help with examples and lists analyze', () => {
    const result = runAov(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('Examples:')).toBe(true);
    expect(result.stdout).toContain('analyze');
  });

  it('prints plain text without colour codes when piped, and with NO_COLOR', () => {
    const piped = runAov(['analyze', fixture('two_currencies.csv')]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toContain(ESC);
    const forced = runAov(['analyze', fixture('two_currencies.csv')], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(ESC);
    const noColor = runAov(['analyze', fixture('two_currencies.csv')], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(noColor.stdout).not.toContain(ESC);
  });

  it('keeps the terminal report within 80 columns', () => {
    const result = runAov(['analyze', fixture('shopify_multiline.csv')]);
    const widest = Math.max(...result.stdout.split('\n').map((line) => [...line].length));
    expect(widest).toBeLessThanOrEqual(80);
  });

  it('exits 2 on an unknown option and suggests the closest', () => {
    const result = runAov(['analyze', fixture('bom.csv'), '--jsn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("aov: error: unknown option '--jsn' (did you mean --json?).\n  hint: aov analyze --help lists the options, with examples.\n");
  });

  it('gives a missing required option aov\'s own error line and hint (#21)', () => {
    const result = runAov(['report', fixture('bom.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('aov: error: --out is required: the folder for the report files.\n  hint: Example: aov report orders.csv --out report/\n        or in aov.config.json: { "report": { "out": "report/" } }\n');
    const gift = runAov(['suggest-second-order', fixture('bom.csv')]);
    expect(gift.code).toBe(2);
    expect(gift.stderr).toMatch(/^aov: error: --gift-cost is required: what the gift costs you \(shop currency\)\.\n  hint: Example: aov suggest-second-order orders\.csv --gift-cost 3\n/);
  });

  it('marks required options in --help: --out of report, --gift-cost of suggest-second-order, and of suggest-threshold in gift mode (#21)', () => {
    const line = (command: string, flag: string) => {
      const help = runAov([command, '--help']).stdout;
      // The option's line and its wrapped continuation, as one line.
      const match = new RegExp(`^  ${flag} [^\\n]*(\\n {10,}[^\\n]*)*`, 'm').exec(help);
      return (match?.[0] ?? '').replace(/\s+/g, ' ');
    };
    expect(line('report', '--out')).toMatch(/\(required\)$/);
    expect(line('suggest-second-order', '--gift-cost')).toMatch(/\(required\)$/);
    expect(line('suggest-threshold', '--gift-cost')).toMatch(/\(required in gift mode\)$/);
    // Where it is optional it says nothing of the kind.
    expect(line('report', '--gift-cost')).not.toContain('required');
    expect(line('rules', '--out')).not.toContain('required');
  });

  it('takes a required option from aov.config.json (#21)', () => {
    const dir = tempDir('aov-required-');
    writeFileSync(path.join(dir, 'aov.config.json'), JSON.stringify({ giftCost: 1, report: { out: 'weekly' } }));
    const report = runAov(['report', fixture('sample-orders.csv'), '--quiet'], {}, dir);
    expect(report.code, report.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'weekly', 'report.md'))).toBe(true);
    const gift = runAov(['suggest-second-order', fixture('sample-orders.csv'), '--json'], {}, dir);
    expect(gift.code, gift.stderr).toBe(0);
  });

  it('prints a stable aov.analyze/v1 document with --json', () => {
    const first = runAov(['analyze', fixture('two_currencies.csv'), '--json']);
    const second = runAov(['analyze', fixture('two_currencies.csv'), '--json']);
    expect(first.stdout).toBe(second.stdout);
    const document = JSON.parse(first.stdout);
    expect(document.schema).toBe('aov.analyze/v1');
    expect(document.currencies.map((c: { currency: string; revenue: number }) => [c.currency, c.revenue])).toEqual([
      ['EUR', 50],
      ['JPY', 4500],
    ]);
  });
});

describe('aov analyze segments and customers', () => {
  it('summarises per segment with --by and pools small segments', () => {
    const result = runAov(['analyze', fixture('sample-orders.csv'), '--by', 'country', '--json']);
    expect(result.code).toBe(0);
    const eur = JSON.parse(result.stdout).currencies[0];
    expect(eur.segments.by).toBe('country');
    const orders = eur.segments.segments.reduce((a: number, g: { orders: number }) => a + g.orders, 0);
    expect(orders).toBe(eur.orders);
    // Sorted by revenue, largest first.
    const revenues = eur.segments.segments.map((g: { revenue: number }) => g.revenue);
    expect([...revenues].sort((a, b) => b - a)).toEqual(revenues);
    expect(eur.customers.note).toMatch(/first order seen in the data/);
  });

  it('refuses --by with a column the file does not have, naming the columns', () => {
    const result = runAov(['analyze', fixture('bom.csv'), '--by', 'Region']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--by Region: no such column');
    expect(result.stderr).toContain('Order ID');
  });
});

describe('aov analyze on the sample shop, against an independent count', () => {
  it('counts the orders and says what the mean hides in the sentence its figures call for', () => {
    const values = sampleOrderValues();
    const { orders: n, revenueMinor, meanMinor, medianMinor } = meanAndMedian(values);
    // The top 1% is ceil(n / 100) orders; AOV without them is the mean of the rest.
    const top = Math.ceil(n * 0.01);
    const restMinor = values.slice(0, n - top).reduce((a, v) => a + v, 0);
    const eur = (minor: number) => `${(Math.round(minor) / 100).toFixed(2)} EUR`;
    // README: a mean over 1.25 x the median is pulled up by a few large orders.
    expect(meanMinor / medianMinor).toBeGreaterThan(1.25);
    const sentence = `AOV ${eur(meanMinor)}, but the median order is ${eur(medianMinor)}: a few large orders pull the mean up (the top 1% of orders bring ${(((revenueMinor - restMinor) / revenueMinor) * 100).toFixed(1)}% of revenue; without them AOV is ${eur(restMinor / (n - top))}).`;
    const doc = JSON.parse(runAov(['analyze', fixture('sample-orders.csv'), '--json']).stdout);
    expect([doc.currencies[0].orders, Math.round(doc.currencies[0].revenue * 100)]).toEqual([n, revenueMinor]);
    expect(doc.currencies[0].verdict).toBe(sentence);
  });
});

describe('aov analyze trends', () => {
  it('reports the trend per week over every counted order, and prints it in the terminal', () => {
    const result = runAov(['analyze', fixture('sample-orders.csv'), '--period', 'week', '--json']);
    expect(result.code).toBe(0);
    const trend = JSON.parse(result.stdout).currencies[0].trend;
    expect(trend.period).toBe('week');
    expect(trend.series[0].period).toBe('2024-W01');
    const values = sampleOrderValues();
    expect(trend.series.reduce((a: number, p: { orders: number }) => a + p.orders, 0)).toBe(values.length);
    const text = runAov(['analyze', fixture('sample-orders.csv')]).stdout;
    expect(text).toMatch(/^Trend: /m);
  });

  it('converts timestamps with an offset to the --tz zone, and refuses an unknown zone', () => {
    // #1001 was placed 2024-01-05 09:58 +0100 = 08:58 UTC; all fixture orders stay in their month.
    const utc = JSON.parse(runAov(['analyze', fixture('shopify_multiline.csv'), '--tz', 'UTC', '--period', 'day', '--json']).stdout);
    expect(utc.currencies[0].from).toBe('2024-01-05');
    const la = JSON.parse(runAov(['analyze', fixture('shopify_multiline.csv'), '--tz', 'America/Los_Angeles', '--period', 'day', '--json']).stdout);
    // 2024-01-05 09:58 +0100 = 00:58 PST the same day; 2024-01-06 10:59 +0100 = 01:59 PST;
    // 2024-02-10 07:59 +0100 = 06:59 UTC = 22:59 PST on 2024-02-09: the day moves back.
    expect(la.currencies[0].trend.series.filter((p: { orders: number }) => p.orders > 0).map((p: { period: string }) => p.period)).toEqual(['2024-01-05', '2024-01-06', '2024-02-09']);
    const bad = runAov(['analyze', fixture('shopify_multiline.csv'), '--tz', 'Mars/Olympus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--tz must be an IANA time zone such as Europe/Berlin (found Mars/Olympus)');
  });
});

describe('80-column output for every command', () => {
  it('keeps each command within 80 characters', () => {
    const commands = [
      ['suggest-threshold', fixture('sample-orders.csv'), '--gift-cost', '0.25'],
      ['bundles', fixture('sample-orders.csv'), '--min-support', '20'],
      ['suggest-tier', fixture('sample-orders.csv')],
      ['suggest-second-order', fixture('sample-orders.csv'), '--gift-cost', '1'],
      ['formats'],
      ['analyze', fixture('sample-orders.csv'), '--by', 'country', '--nps', fixture('nps_survey.csv')],
    ];
    for (const args of commands) {
      const result = runAov(args);
      expect(result.code).toBe(0);
      const widest = Math.max(...result.stdout.split('\n').map((line) => [...line.trimEnd()].length));
      expect([args[0], widest <= 80]).toEqual([args[0], true]);
    }
  });
});
