import { describe, expect, it } from 'vitest';
import { customerMetrics } from '../src/analysis/customers.js';
import type { OrderTable } from '../src/analysis/types.js';

const day = (d: number) => Date.UTC(2024, 0, 1) + d * 86_400_000;

function table(rows: [customer: number, dayIndex: number, valueMinor: number][]): OrderTable {
  return {
    currency: 'EUR', decimals: 2,
    orderIds: rows.map((_, i) => `o${i}`),
    valueMinor: Float64Array.from(rows.map((r) => r[2])),
    placedAt: Float64Array.from(rows.map((r) => day(r[1]))),
    customer: Int32Array.from(rows.map((r) => r[0])),
    customerCount: 4,
    customerKeys: ['a', 'b', 'c', 'd'],
    itemCount: new Int32Array(rows.length).fill(1),
    units: new Float64Array(rows.length).fill(1),
  };
}

describe('customer metrics', () => {
  it('computes repeat and second-order rates, days to second order and revenue shares by hand', () => {
    // a: day 0 (10.00), day 10 (20.00), day 40 (30.00); b: day 5 (50.00), day 105 (10.00); c: day 20 (40.00); guest day 30 (5.00); d: day 200 (100.00)
    const m = customerMetrics(table([[0, 0, 1000], [1, 5, 5000], [0, 10, 2000], [2, 20, 4000], [-1, 30, 500], [0, 40, 3000], [1, 105, 1000], [3, 200, 10000]]));
    expect(m.customers).toBe(4);
    expect(m.ordersWithoutCustomer).toBe(1);
    // a and b came back: 2 of 4
    expect(m.repeatRate).toBe(0.5);
    // gaps: a 10 days, b 100 days -> median 55
    expect(m.medianDaysToSecondOrder).toBe(55);
    // repeat revenue: a's 20 + 30 and b's 10 = 60.00 of 260.00 with a customer
    expect(m.repeatRevenueShare).toBeCloseTo(6000 / 26000, 12);
    // spend per customer: a 60, b 60, c 40, d 100 -> mean 65, median 60; top decile = ceil(0.4) = 1 customer (d, 100 of 260)
    expect(m.valuePerCustomer.meanMinor).toBe(6500);
    expect(m.valuePerCustomer.medianMinor).toBe(6000);
    expect(m.valuePerCustomer.topDecileShare).toBeCloseTo(10000 / 26000, 12);
    // within 30 days, data end day 200: eligible = first orders on or before day 170: a, b, c -> a returned (10 days) -> 1/3
    expect(m.secondOrderWithin[0]).toEqual({ days: 30, rate: 1 / 3, eligible: 3 });
    // within 180 days: eligible first orders on or before day 20: a, b, c -> a and b returned -> 2/3
    expect(m.secondOrderWithin[3]).toEqual({ days: 180, rate: 2 / 3, eligible: 3 });
  });
});
