import { describe, expect, it } from 'vitest';
import { lognormalOrders } from './helpers.js';
import { bunching, detectThresholds } from '../src/analysis/bunching.js';
import { candidateThresholds, roundPricePoint } from '../src/analysis/priceRounding.js';
import { createRng } from '../src/analysis/random.js';
import { gapFillers } from '../src/analysis/gapFillers.js';
import { simulateThresholds } from '../src/analysis/threshold.js';
import { estimateOvershoot } from '../src/analysis/thresholdResponse.js';

/** Lognormal order values in minor units (Box-Muller on the seeded PRNG). */
describe('threshold simulation against a synthetic store with known behaviour', () => {
  it('recommends a threshold within 2% of the profit-maximising one found by brute-force simulation', () => {
    const orders = lognormalOrders(20000, 45, 0.5, 7);
    const p0 = 0.5;
    const reach = 2000; // 20.00
    const overshoot = 250; // 2.50
    const margin = 0.6;
    const gift = 80; // 0.80
    const candidates = Array.from({ length: 61 }, (_, k) => 5000 + k * 50); // 50.00 .. 80.00
    // Truth, independently: simulate customers 30 times per candidate with their own random
    // draws (linear response written out here) and keep the candidate with the best mean net.
    const rng = createRng(99);
    let truth = 0;
    let bestNet = -Infinity;
    for (const T of candidates) {
      let total = 0;
      for (let rep = 0; rep < 30; rep++) {
        for (const v of orders) {
          if (v >= T) {
            total -= gift;
            continue;
          }
          const gap = T - v;
          if (gap < reach && rng() < p0 * (1 - gap / reach)) total += (T + overshoot - v) * margin - gift;
        }
      }
      if (total / 30 > bestNet) {
        bestNet = total / 30;
        truth = T;
      }
    }
    const result = simulateThresholds({ valueMinor: orders, margin, rewardMinor: gift, candidates, p0, reachMinor: reach, overshootMinor: overshoot, resamples: 400, seed: 3, months: 12 });
    expect(result.recommendation).not.toBeNull();
    // The optimum is inside the range, not at its edge.
    expect(truth).toBeGreaterThan(candidates[0]);
    expect(truth).toBeLessThan(candidates[candidates.length - 1]);
    expect(Math.abs(result.recommendation!.threshold - truth) / truth).toBeLessThanOrEqual(0.02);
    expect(result.recommendation!.probabilityPositive).toBeGreaterThanOrEqual(0.9);
  });

  it('computes a candidate by hand on four orders', () => {
    // Orders 10, 40, 45, 60 (major). T = 50, reach 20, p0 0.5, overshoot 2, margin 0.5, gift 3.
    // 40: gap 10 -> p = 0.5 x 0.5 = 0.25, extra 12 -> margin 6 x 0.25 = 1.5; 45: gap 5 -> p = 0.375, extra 7 -> 3.5 x 0.375 = 1.3125.
    // 10 is out of reach. Reward: 60 is above (3) + top-ups 0.625 x 3 = 1.875 -> 4.875. Net = 2.8125 - 4.875 = -2.0625.
    const r = simulateThresholds({ valueMinor: Float64Array.of(1000, 4000, 4500, 6000), margin: 0.5, rewardMinor: 300, candidates: [5000], p0: 0.5, reachMinor: 2000, overshootMinor: 200, resamples: 50, months: 1 });
    const c = r.candidates[0];
    expect(c.ordersInReach).toBe(2);
    expect(c.shareAlreadyAbove).toBe(0.25);
    expect(c.expectedTopUps).toBeCloseTo(0.625, 12);
    expect(c.incrementalRevenueMinor).toBeCloseTo(0.25 * 1200 + 0.375 * 700, 9);
    expect(c.incrementalMarginMinor).toBeCloseTo(281.25, 9);
    expect(c.rewardCostMinor).toBeCloseTo(487.5, 9);
    expect(c.expectedNetMarginMinor).toBeCloseTo(-206.25, 9);
    expect(r.tooFewOrders).toBe(true);
  });

  it('says nothing pays when the margin is too thin, and what would have to be true', () => {
    const orders = lognormalOrders(5000, 45, 0.5, 11);
    const r = simulateThresholds({ valueMinor: orders, margin: 0.02, rewardMinor: 300, candidates: [5500, 6000], p0: 0.3, reachMinor: 2000, overshootMinor: 200, resamples: 200, months: 12 });
    expect(r.recommendation).toBeNull();
    expect(r.noRecommendation).toEqual({ kind: 'none pays' });
    expect(r.needed).not.toBeNull();
    // With a 2% margin even a free gift cannot beat... a free gift costs nothing: then it pays.
    expect(r.needed!.rewardCostNeededMinor).not.toBeNull();
    expect(r.needed!.rewardCostNeededMinor!).toBeLessThan(300);
  });

  it('returns no recommendation, not NaN, for no orders or an AOV of 0', () => {
    const empty = simulateThresholds({ valueMinor: new Float64Array(0), margin: 0.4, rewardMinor: 300, candidates: [5000], p0: 0.3, reachMinor: 2000, overshootMinor: 0, months: 1 });
    expect(empty.recommendation).toBeNull();
    expect(empty.noRecommendation).toEqual({ kind: 'no orders' });
    const zero = simulateThresholds({ valueMinor: new Float64Array(10), margin: 0.4, rewardMinor: 300, candidates: [5000], p0: 0.3, reachMinor: 2000, overshootMinor: 0, months: 1 });
    expect(zero.recommendation).toBeNull();
  });

  it('is reproducible for the same seed', () => {
    const orders = lognormalOrders(3000, 45, 0.5, 5);
    const args = { valueMinor: orders, margin: 0.4, rewardMinor: 200, candidates: [5200, 5600], p0: 0.3, reachMinor: 1500, overshootMinor: 200, resamples: 300, seed: 8, months: 12 };
    expect(simulateThresholds(args)).toEqual(simulateThresholds(args));
  });
});

describe('calibration by bunching', () => {
  it('recovers the number of orders that topped up to an existing threshold, within its interval and 20%', () => {
    const X = 6000;
    const reach = 1500;
    const base = lognormalOrders(40000, 45, 0.55, 21);
    const rng = createRng(5);
    let moved = 0;
    const observed = base.map((v) => {
      const gap = X - v;
      if (gap > 0 && gap < reach && rng() < 0.35 * (1 - gap / reach)) {
        moved++;
        return X + Math.round(rng() * 300);
      }
      return v;
    });
    const r = bunching(observed, X, { reachMinor: reach, resamples: 300, seed: 2 });
    expect(Math.abs(r.movedOrders - moved) / moved).toBeLessThan(0.2);
    expect(r.movedOrdersLow).toBeLessThanOrEqual(moved);
    expect(r.movedOrdersHigh).toBeGreaterThanOrEqual(moved);
    expect(Math.abs(r.p0 - 0.35) / 0.35).toBeLessThan(0.25);
    // The detector finds it among round amounts; a store without a threshold shows none at 60.
    expect(detectThresholds(observed, 2, reach).map((d) => d.threshold)).toContain(X);
    expect(detectThresholds(base, 2, reach).map((d) => d.threshold)).not.toContain(X);
  });
});

describe('price points, overshoot and gap fillers', () => {
  it('rounds candidates to price points and removes duplicates', () => {
    expect(roundPricePoint(5437, 2, '5')).toBe(5500);
    expect(roundPricePoint(5437, 2, '1')).toBe(5400);
    expect(roundPricePoint(5437, 2, 'none')).toBe(5437);
    // AOV 40.00: 15%..20% -> 46, 46.4, 46.8, 47.2, 47.6, 48 -> whole units 46, 47, 48 (46.4 -> 46, 47.6 -> 48)
    expect(candidateThresholds(4000, 2, 0.15, 0.2, 0.01, '1')).toEqual([4600, 4700, 4800]);
  });

  it('estimates the overshoot as the mean add-on price minus the gap it closes', () => {
    // Every add-on costs 10.00 and gaps are uniform on (0, 10): overshoot = E[10 - g] = 5.00.
    expect(estimateOvershoot(Float64Array.of(1000, 1000, 1000), 1000)).toBeCloseTo(500, 6);
  });

  it('suggests items priced to close the gap quartiles, by attach rate', () => {
    const gaps = Float64Array.of(100, 200, 300, 400, 500);
    const items = [
      { item: 0, priceMinor: 250, marginMinor: 100, attachRate: 0.1 },
      { item: 1, priceMinor: 300, marginMinor: 50, attachRate: 0.3 },
      { item: 2, priceMinor: 1000, marginMinor: 500, attachRate: 0.9 },
    ];
    const s = gapFillers(gaps, items, 2);
    // q1 = 200: items priced 200..300 -> 1 (attach 0.3), then 0; median 300: item 1 only; q3 400: none.
    expect(s.map((x) => [x.closes, x.item])).toEqual([['q1', 1], ['q1', 0], ['median', 1]]);
  });
});
