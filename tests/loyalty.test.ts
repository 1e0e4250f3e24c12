import { describe, expect, it } from 'vitest';
import { secondOrderGift, suggestTier } from '../src/analysis/loyalty.js';
import type { OrderTable } from '../src/analysis/types.js';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);

function table(rows: [customer: number, dayIndex: number, valueMinor: number][]): OrderTable {
  const sorted = [...rows].sort((a, b) => a[1] - b[1]);
  return {
    currency: 'EUR', decimals: 2, orderIds: sorted.map((_, i) => `o${i}`),
    valueMinor: Float64Array.from(sorted.map((r) => r[2])), placedAt: Float64Array.from(sorted.map((r) => t0 + r[1] * DAY)),
    customer: Int32Array.from(sorted.map((r) => r[0])), customerCount: new Set(sorted.map((r) => r[0]).filter((c) => c >= 0)).size, itemCount: new Int32Array(sorted.length), units: new Float64Array(sorted.length),
  };
}

describe('priority-support tier', () => {
  it('puts the top 10% of customers by spend in the tier and counts those just below the line', () => {
    // 20 customers spending 10, 20, ..., 200 (one order each, day = customer index); c19 also a second order of 50.
    const rows: [number, number, number][] = Array.from({ length: 20 }, (_, c) => [c, c, (c + 1) * 1000]);
    rows.push([19, 30, 5000]);
    const tier = suggestTier(table(rows), { topShare: 0.1 });
    // k = ceil(0.1 x 20) = 2: spends 250 (c19: 200 + 50) and 190 (c18) -> line at 190.00
    expect(tier.customers).toBe(20);
    expect(tier.minSpendMinor).toBe(19000);
    expect(tier.members).toBe(2);
    // total spend 10 + ... + 200 + 50 = 2100 + 50 = 2150; members 250 + 190 = 440
    expect(tier.memberRevenueShare).toBeCloseTo(44000 / 215000, 12);
    // member AOV: 440 over 3 orders; everyone: 2150 over 21 orders
    expect(tier.memberAovMinor).toBeCloseTo(44000 / 3, 9);
    expect(tier.everyoneAovMinor).toBeCloseTo(215000 / 21, 9);
    expect(tier.memberRepeatRate).toBe(0.5);
    // within 10% below 190: spend in [171, 190) -> c17 (180)
    expect(tier.nearLine).toBe(1);
  });

  it('counts only spend inside the window', () => {
    const tier = suggestTier(table([[0, 0, 100000], [1, 400, 1000], [2, 400, 2000]]), { topShare: 0.5, windowDays: 365 });
    // Customer 0's order (day 0) is more than 365 days before the last order (day 400).
    expect(tier.customers).toBe(2);
    expect(tier.minSpendMinor).toBe(2000);
  });
});

describe('second-order gift', () => {
  it('computes the historic second-order rates, the scenarios and the break-even lift by hand', () => {
    // Four customers, data from day 0 to day 400.
    // a: day 0 (40.00), day 20 (60.00); b: day 10 (20.00), day 200 (40.00); c: day 30 (30.00); d: day 400 (50.00)
    const r = secondOrderGift(table([[0, 0, 4000], [0, 20, 6000], [1, 10, 2000], [1, 200, 4000], [2, 30, 3000], [3, 400, 5000]]), {
      giftCostMinor: 500, margin: 0.5, lift: 0.2, validDays: 90,
    });
    expect(r.customers).toBe(4);
    expect(r.eligibleNow).toBe(2); // c and d have one order
    // within 90 days: eligible a, b, c (first orders at or before day 310) -> only a returned within 90 -> 1/3
    expect(r.baseRate).toBeCloseTo(1 / 3, 12);
    expect(r.rates.find((x) => x.days === 180)).toEqual({ days: 180, rate: 1 / 3, eligible: 3 });
    // second orders: a 60.00, b 40.00 -> AOV2 50.00; first orders 40, 20, 30, 50 -> 35.00
    expect(r.secondOrderAovMinor).toBe(5000);
    expect(r.firstOrderAovMinor).toBe(3500);
    // gaps 20 and 190 days -> median 105
    expect(r.medianDaysToSecondOrder).toBe(105);
    // new customers per year: 4 over 400/365 years
    const perYear = 4 / (400 / 365);
    expect(r.newCustomersPerYear).toBeCloseTo(perYear, 9);
    const baseOrders = perYear / 3;
    // base lift 0.2: extra = 0.2 x base orders; margin 0.5 x 50.00 each; gift 5.00 on (1.2 x base orders)
    expect(r.scenarios.base.extraSecondOrders).toBeCloseTo(0.2 * baseOrders, 9);
    expect(r.scenarios.base.netMinor).toBeCloseTo(0.2 * baseOrders * 2500 - 1.2 * baseOrders * 500, 6);
    // break-even: G / (m AOV2 - G) = 500 / (2500 - 500) = 0.25
    expect(r.breakEvenLift).toBe(0.25);
    expect(r.scenarios.low.lift).toBe(0.1);
    expect(r.scenarios.high.lift).toBeCloseTo(0.3, 12);
  });
});
