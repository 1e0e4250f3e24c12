import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applicabilityWarnings } from '../src/analysis/warnings.js';
import { tooLargeAmount } from '../src/io/import/account.js';
import { thresholdWindow } from '../src/report/format.js';
import { runAov, tempDir } from './helpers.js';

const csv = (rows: string[]) => {
  const file = path.join(tempDir('aov-qa-'), 'orders.csv');
  writeFileSync(file, ['Order ID,Order Date,SKU,Quantity,Unit Price,Currency', ...rows].join('\n') + '\n');
  return file;
};

describe('findings of the new-user review (2026-12-02)', () => {
  it('an order too large to keep exact is named with its file and line', () => {
    const file = csv(['A-1,2024-06-01,X,1,10.00,EUR', 'A-2,2024-06-02,Y,1,5.00,EUR', 'A-3,2024-06-03,Z,2000,999999999999.00,EUR']);
    const r = runAov(['analyze', file, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:4: Order A-3 (EUR) is worth 2.000e+17 minor units, over the 10^15 aov keeps exact.`);
  });

  it('an amount too long for the typed columns is said to be too large, not "not an amount"', () => {
    expect([tooLargeAmount('99999999999999.99'), tooLargeAmount('1,000,000,000,000'), tooLargeAmount('12,50'), tooLargeAmount('abc'), tooLargeAmount('999999999999.99')]).toEqual([true, true, false, false, false]);
    const file = csv(['A-1,2024-06-01,X,1,10.00,EUR', 'A-2,2024-06-02,Y,1,99999999999999.99,EUR']);
    const r = runAov(['analyze', file, '--no-cache']);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain('"99999999999999.99" is over the 999,999,999,999.99 aov keeps exact in one amount');
  });

  it('the money rules of thumb speak only in dollar-sized currencies', () => {
    const base = { decimals: 0, ordersPerMonth: 500, meanMinor: 501, marginPerOrderMinor: 3 };
    expect(applicabilityWarnings({ ...base, currency: 'JPY' }).map((w) => w.code)).toEqual([]);
    expect(applicabilityWarnings({ ...base, currency: 'EUR', decimals: 2, meanMinor: 2500, marginPerOrderMinor: 300 }).map((w) => [w.code, w.message.match(/\d+\.\d+ EUR/)?.[0]])).toEqual([
      ['THIN_MARGIN', '3.00 EUR'], ['AOV_OUTSIDE_RANGE', '25.00 EUR'],
    ]);
  });

  it("a report's threshold section says its window", () => {
    expect(thresholdWindow({ windowMonths: 11.98 })).toBe(' over the last 12 months (the window thresholds are simulated on)');
    expect(thresholdWindow({})).toBe('');
  });
});
