import { describe, expect, it } from 'vitest';
import { breakEvenLift, secondOrderBootstrap, secondOrderGift, suggestTier } from '../src/analysis/loyalty.js';
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
  it('computes the historic second-order rates, the scenarios and the break-even lift by hand (no burn-in)', () => {
    // Four customers, data from day 0 to day 400.
    // a: day 0 (40.00), day 20 (60.00); b: day 10 (20.00), day 200 (40.00); c: day 30 (30.00); d: day 400 (50.00)
    const r = secondOrderGift(table([[0, 0, 4000], [0, 20, 6000], [1, 10, 2000], [1, 200, 4000], [2, 30, 3000], [3, 400, 5000]]), {
      giftCostMinor: 500, margin: 0.5, lift: 0.2, validDays: 90, burnInDays: 0,
    });
    expect(r).toMatchObject({ customers: 4, newCustomers: 4, burnedIn: 0, oneOrderCustomers: 2, orders: 6, guestOrders: 0 });
    // eligible now: one order, first after day 400 - 90 = 310 -> only d (c's first order is too old for the offer)
    expect(r.eligibleNow).toBe(1);
    // within 90 days: eligible a, b, c (first orders at or before day 310) -> only a returned within 90 -> 1/3
    expect(r.baseRate).toBeCloseTo(1 / 3, 12);
    expect(r.rates.find((x) => x.days === 180)).toEqual({ days: 180, rate: 1 / 3, eligible: 3 });
    // second orders within 90 days of the first: only a's 60.00 (b's came after 190 days); all second orders: 60 and 40 -> 50.00
    expect(r.secondOrderAovMinor).toBe(6000);
    expect(r.secondOrdersWithinValidity).toBe(1);
    expect(r.allSecondOrderAovMinor).toBe(5000);
    expect(r.firstOrderAovMinor).toBe(3500);
    // gaps 20 and 190 days -> median 105
    expect(r.medianDaysToSecondOrder).toBe(105);
    // new customers per year: 4 over 400/365 years
    const perYear = 4 / (400 / 365);
    expect(r.newCustomersPerYear).toBeCloseTo(perYear, 9);
    const baseOrders = perYear / 3;
    // base lift 0.2: extra = 0.2 x base orders; margin 0.5 x 60.00 each; gift 5.00 on (1.2 x base orders)
    expect(r.scenarios.base.extraSecondOrders).toBeCloseTo(0.2 * baseOrders, 9);
    expect(r.scenarios.base.netMinor).toBeCloseTo(0.2 * baseOrders * 3000 - 1.2 * baseOrders * 500, 6);
    // break-even: G / (m AOV2 - G) = 500 / (3000 - 500) = 0.2
    expect(r.breakEvenLift).toBeCloseTo(0.2, 12);
    expect(r.scenarios.low.lift).toBe(0.1);
    expect(r.scenarios.high.lift).toBeCloseTo(0.3, 12);
  });

  it('does not count customers first seen in the burn-in as new, and uses second orders within the validity window', () => {
    // Data day 0 to 400, burn-in 90 days (the default: the validity window).
    // a: 0 (40), 20 (60); b: 10 (20), 200 (40)   -> first seen in the burn-in: not new
    // c: 100 (30), 150 (80); e: 120 (10), 300 (20); f: 350 (25); d: 400 (50) -> new
    // guests (customer -1): day 5 and day 250
    const r = secondOrderGift(
      table([[0, 0, 4000], [0, 20, 6000], [1, 10, 2000], [1, 200, 4000], [2, 100, 3000], [2, 150, 8000], [4, 120, 1000], [4, 300, 2000], [5, 350, 2500], [3, 400, 5000], [-1, 5, 900], [-1, 250, 900]]),
      { giftCostMinor: 500, margin: 0.5, lift: 0.2, validDays: 90 },
    );
    expect(r).toMatchObject({ burnInDays: 90, customers: 6, newCustomers: 4, burnedIn: 2, oneOrderCustomers: 2, orders: 12, guestOrders: 2 });
    expect(r.burnInEnd).toBe(t0 + 90 * DAY);
    // eligible now: one order, first after day 310: f (350) and d (400)
    expect(r.eligibleNow).toBe(2);
    // base rate: new customers with first order <= day 310: c (back after 50 days), e (after 180) -> 1/2
    expect(r.baseRate).toBe(0.5);
    expect(r.baseRateEligible).toBe(2);
    // AOV2 within 90 days among new customers: c's 80.00; every customer within 90 days: a 60, c 80 -> 70.00;
    // every second order: 60, 40, 80, 20 -> 50.00
    expect(r.secondOrderAovMinor).toBe(8000);
    expect(r.allCustomersSecondOrderAovWithinMinor).toBe(7000);
    expect(r.allSecondOrderAovMinor).toBe(5000);
    // first orders of new customers: 30, 10, 25, 50 -> 28.75
    expect(r.firstOrderAovMinor).toBe(2875);
    // 4 new customers over the (400 - 90) days after the burn-in
    expect(r.newCustomersPerYear).toBeCloseTo(4 / (310 / 365), 9);
    // break-even 500 / (0.5 x 8000 - 500) = 1/7
    expect(r.breakEvenLift).toBeCloseTo(1 / 7, 12);
  });

  it('gives a seeded bootstrap interval for the break-even lift close to the delta-method interval', () => {
    // 4,000 new customers, 40% with a second order of value 50..150 (uniform, from a generator written here).
    let state = 12345;
    const uniform = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    const cohort = Array.from({ length: 4000 }, () => ({ secondWithinMinor: uniform() < 0.4 ? 5000 + uniform() * 10000 : NaN, rateEligible: true }));
    const values = cohort.map((c) => c.secondWithinMinor).filter((v) => !Number.isNaN(v));
    // Delta method: L* = G / (m A - G), se(L*) = G m se(A) / (m A - G)^2, se(A) = sd / sqrt(k).
    const k = values.length;
    const a = values.reduce((x, y) => x + y, 0) / k;
    const sd = Math.sqrt(values.reduce((x, v) => x + (v - a) ** 2, 0) / (k - 1));
    const lStar = breakEvenLift(500, 0.4, a);
    expect(lStar).toBeCloseTo(500 / (0.4 * a - 500), 12);
    const seL = (500 * 0.4 * (sd / Math.sqrt(k))) / (0.4 * a - 500) ** 2;
    const u = secondOrderBootstrap(cohort, { giftCostMinor: 500, margin: 0.4, lift: 0.15, newCustomersPerYear: 4000, resamples: 2000, seed: 7 });
    expect(u.level).toBe(0.9);
    expect(u.breakEvenLiftLow).toBeCloseTo(lStar - 1.644854 * seL, 2);
    expect(u.breakEvenLiftHigh).toBeCloseTo(lStar + 1.644854 * seL, 2);
    expect(Math.abs(u.breakEvenLiftLow - (lStar - 1.644854 * seL))).toBeLessThan(0.25 * 1.644854 * seL);
    expect(Math.abs(u.breakEvenLiftHigh - (lStar + 1.644854 * seL))).toBeLessThan(0.25 * 1.644854 * seL);
    expect(u.breakEvenLiftLow).toBeLessThan(lStar);
    expect(u.breakEvenLiftHigh).toBeGreaterThan(lStar);
    // Seeded: the same seed gives the same interval, another seed a slightly different one.
    expect(secondOrderBootstrap(cohort, { giftCostMinor: 500, margin: 0.4, lift: 0.15, newCustomersPerYear: 4000, resamples: 2000, seed: 7 })).toEqual(u);
    // At an assumed lift equal to L* itself the gift pays in about half the resamples; at 15% (> L* + 5 se) in all.
    expect(u.probabilityPays).toBe(1);
    const atBreakEven = secondOrderBootstrap(cohort, { giftCostMinor: 500, margin: 0.4, lift: lStar, newCustomersPerYear: 4000, resamples: 2000, seed: 7 });
    expect(atBreakEven.probabilityPays).toBeGreaterThan(0.4);
    expect(atBreakEven.probabilityPays).toBeLessThan(0.6);
  });

  it('reports an infinite upper end when the gift can cost more than a second order earns', () => {
    // m A = 0.1 x 50.00 = 5.00 = G: half the resamples never pay.
    const cohort = [4000, 6000, NaN, NaN].map((v) => ({ secondWithinMinor: v, rateEligible: true }));
    const u = secondOrderBootstrap(cohort, { giftCostMinor: 500, margin: 0.1, lift: 0.15, newCustomersPerYear: 100, resamples: 500, seed: 1 });
    expect(u.breakEvenLiftHigh).toBe(Infinity);
    expect(breakEvenLift(500, 0.1, 5000)).toBe(Infinity);
  });

  it('counts guest-keyed customers (billing name + postal code) as guest orders, not as new customers', () => {
    // c0 an email customer, c1 a guest key: both first seen after the burn-in (days 100 and 110); one order without any key.
    const t = table([[0, 0, 1000], [1, 100, 2000], [1, 130, 3000], [0, 200, 4000], [-1, 150, 500], [2, 120, 1500], [2, 140, 2500]]);
    // c0 first at day 0 (burn-in), c1 guest, c2 new; data end day 200.
    const r = secondOrderGift({ ...t, customerKeys: ['a@x.com', 'guest:ann|N1', 'b@x.com'] }, { giftCostMinor: 100, margin: 0.5, lift: 0.1, validDays: 90, burnInDays: 90 });
    expect(r).toMatchObject({ customers: 3, guestOrders: 1, guestKeyOrders: 2, guestKeyCustomers: 1, newCustomers: 1, burnedIn: 1 });
    // Only c2's second order (25.00, 20 days after the first) is a new customer's.
    expect(r.secondOrderAovMinor).toBe(2500);
    // Without the keys the guest-keyed customer is an ordinary new one.
    expect(secondOrderGift(t, { giftCostMinor: 100, margin: 0.5, lift: 0.1, validDays: 90 })).toMatchObject({ guestKeyOrders: 0, newCustomers: 2 });
  });
});
