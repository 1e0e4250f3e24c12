import { describe, expect, it } from 'vitest';
import { newVsReturning, segmentSummaries } from '../src/analysis/segments.js';
import type { OrderTable } from '../src/analysis/types.js';

function table(values: number[], customers: number[]): OrderTable {
  return {
    currency: 'EUR', decimals: 2, orderIds: values.map((_, i) => `o${i}`),
    valueMinor: Float64Array.from(values), placedAt: Float64Array.from(values.map((_, i) => i)),
    customer: Int32Array.from(customers), customerCount: new Set(customers.filter((c) => c >= 0)).size, itemCount: new Int32Array(values.length), units: new Float64Array(values.length),
  };
}

describe('segments', () => {
  it('labels each order new, returning or without a customer key, in time order', () => {
    expect(newVsReturning(table([1, 2, 3, 4], [0, 1, 0, -1]))).toEqual(['new', 'new', 'returning', 'no customer key']);
  });

  it('sorts segments by revenue and pools small ones as "other"', () => {
    const values = [10, 20, 30, 100, 100, 5];
    const labels = ['DE', 'DE', 'DE', 'FR', 'FR', 'IT'];
    const s = segmentSummaries(table(values, values.map(() => -1)), labels, 2);
    // FR 200 over 2 orders, DE 60 over 3, IT (1 order < 2) pooled into other.
    expect(s.map((x) => [x.segment, x.orders, x.revenueMinor, x.medianMinor])).toEqual([
      ['FR', 2, 200, 100],
      ['DE', 3, 60, 20],
      ['other', 1, 5, 5],
    ]);
    expect(s[2].pooled).toBe(1);
    expect(s[0].shareOfRevenue).toBeCloseTo(200 / 265, 12);
  });
});
