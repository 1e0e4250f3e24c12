/**
 * What a person reads, through the real bin/aov (#21 cosmetics): reasons in words, not the
 * JSON keys; no "-0%"; a percentage above the anchor measured from that anchor; the report's
 * net margin saying the period it covers. (80 columns: columns.test.ts.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runAov, tempDir } from './helpers.js';

const sample = fixture('sample-orders.csv');
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('human labels in terminal, Markdown and HTML output', () => {
  // shopify_multiline.csv: #1003 voided, #1004 cancelled, #1005 Subtotal 0.00 (import-fixtures.test.ts).
  const file = fixture('shopify_multiline.csv');

  it('aov analyze names the exclusion reasons in words', () => {
    const r = runAov(['analyze', file]);
    expect(r.code).toBe(0);
    expect(flat(r.stderr)).toContain('3 excluded (cancelled 1, voided 1, zero-value orders 1)');
    expect(r.stdout + r.stderr).not.toMatch(/zeroValue/);
  });

  it('aov report and aov init use the same words; report.json keeps the keys', () => {
    const dir = tempDir('aov-cosmetics-');
    expect(runAov(['report', file, '--out', dir, '--quiet']).code).toBe(0);
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(md).toContain('· zero-value orders');
    expect(html).toContain('· zero-value orders');
    expect(md + html).not.toMatch(/zeroValue/);
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).input.excluded).toEqual({ voided: 1, cancelled: 1, zeroValue: 1 });
    const init = runAov(['init', file, '--yes', '--out', path.join(dir, 'aov.config.json')]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain('would exclude 1 rows: zero-value orders');
  });

  it('an error counting the rows names the reasons in words', () => {
    const file = path.join(tempDir('aov-cosmetics-'), 'zero.csv');
    // Two lines worth nothing: each order's value is 0 (a price of 0 is excluded, not an order).
    const text = 'Order ID,Order Date,SKU,Quantity,Unit Price,Currency\nA,2024-01-01,X,1,0,EUR\nB,2024-01-02,Y,1,0,EUR\n';
    writeFileSync(file, text);
    const r = runAov(['analyze', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no usable orders in 2 row\(s\) \(price 0 or less 2\)/);
  });
});

describe('percentages', () => {
  it('a threshold at the mean is "0% above the mean", never "-0%"', () => {
    // --range 0-1 --round none: the first candidate is the mean itself (27.93 EUR, README),
    // a hair below it in cents; a 0.01 gift makes it the recommendation.
    const r = runAov(['suggest-threshold', sample, '--gift-cost', '0.01', '--range', '0-1', '--round', 'none']);
    expect(r.code).toBe(0);
    expect(flat(r.stdout)).toContain('above 27.93 EUR (0% above the mean order of 27.93 EUR)');
    expect(r.stdout).not.toMatch(/-0%/);
  });

  it('with --anchor median the percentage is measured from the median', () => {
    // The sample's median order is 18.00 EUR (README); 20.00 is 11% above it (2 / 18 = 0.111),
    // and 28% below the mean (27.93), which the sentence said before.
    const r = runAov(['suggest-threshold', sample, '--gift-cost', '0.01', '--anchor', 'median', '--range', '10-20']);
    expect(r.code).toBe(0);
    expect(flat(r.stdout)).toContain('above 20.00 EUR (11% above the median order of 18.00 EUR)');
  });
});

describe("the report's net margin says its period", () => {
  it('per 12 months over a year of data, per 6 months with --since half-way', () => {
    for (const [since, period] of [[[], 'per 12 months'], [['--since', '2024-07-01'], 'per 6 months']] as const) {
      const dir = tempDir('aov-cosmetics-');
      expect(runAov(['report', sample, '--out', dir, '--gift-cost', '0.25', '--quiet', ...since]).code).toBe(0);
      const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
      const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
      expect(md).toContain(`| Expected net margin ${period} |`);
      expect(html).toContain(`Expected net margin ${period}</th>`);
      // The chart's axis and each candidate's tooltip too.
      expect(html).toContain(`net margin ${period} (EUR)`);
      expect(html).toMatch(new RegExp(`expected net margin ${period} [\\d.,-]+ EUR`));
      expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).currencies[0].threshold.windowMonths).toBeCloseTo(since.length ? 6 : 12, 0);
    }
  });
});
