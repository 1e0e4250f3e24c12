import { describe, expect, it } from 'vitest';
import { createRng } from '../src/analysis/random.js';
import { firstOrderIndex } from '../src/analysis/sensitivity.js';
import { simulateThresholds, type ThresholdPrior } from '../src/analysis/threshold.js';
import { lognormalOrders } from './helpers.js';

describe('first-order sensitivity index from given data', () => {
  const n = 40_000;
  const rng = createRng(5);
  const u1 = Float64Array.from({ length: n }, () => rng());
  const u2 = Float64Array.from({ length: n }, () => rng());

  it('matches the analytic index of Y = 1{U1 + U2 > 1}', () => {
    // By hand: E[Y | U1 = u] = u, so Var(E[Y | U1]) = Var(U) = 1/12 and Var(Y) = 1/4: S1 = 1/3.
    // Ten groups of U1 lose the within-group part, 1/12 x 1/100, so the binned index is 0.33.
    const y = u1.map((a, i) => (a + u2[i] > 1 ? 1 : 0));
    const s1 = firstOrderIndex(u1, y, 10).index;
    const s2 = firstOrderIndex(u2, y, 10).index;
    expect(s1).toBeGreaterThan(0.33 - 0.02);
    expect(s1).toBeLessThan(0.33 + 0.02);
    expect(s2).toBeGreaterThan(0.33 - 0.02);
    expect(s2).toBeLessThan(0.33 + 0.02);
  });

  it('is about 0 for an X that does not matter and 1 for one that settles Y', () => {
    const median = Float64Array.from(u1).sort()[n / 2 - 1];
    const y = u1.map((a) => (a > median ? 1 : 0));
    expect(firstOrderIndex(u2, y, 10).index).toBeLessThan(0.002);
    // Two groups cut at the median of U1 settle Y exactly: S = 1 - 1 / (n - 1) after the correction.
    expect(firstOrderIndex(u1, y, 2).index).toBeCloseTo(1 - 1 / (n - 1), 9);
  });

  it('keeps one group per value of a discrete X, and its group means', () => {
    const x = Float64Array.of(3, 1, 2, 1, 3, 2, 1);
    const y = Float64Array.of(1, 0, 1, 0, 1, 0, 0);
    const { groups, index } = firstOrderIndex(x, y, 7);
    expect(groups.map((g) => [g.low, g.high, g.count, g.meanY])).toEqual([[1, 1, 3, 0], [2, 2, 2, 0.5], [3, 3, 2, 1]]);
    // By hand: mean 3/7; between = 3 (3/7)^2 + 2 (1/2 - 3/7)^2 + 2 (4/7)^2 = 1.2143; total = 12/7;
    // chance = 2 x (12/7) / 6 = 4/7; S = (1.2143 - 0.5714) / 1.7143 = 0.375.
    expect(index).toBeCloseTo((3 * (3 / 7) ** 2 + 2 * (1 / 2 - 3 / 7) ** 2 + 2 * (4 / 7) ** 2 - 4 / 7) / (12 / 7), 12);
  });

  it('is NaN when Y does not vary', () => {
    expect(firstOrderIndex(u1.subarray(0, 100), new Float64Array(100), 5).index).toBeNaN();
  });
});

describe('which assumption decides a threshold', () => {
  const values = lognormalOrders(4000, 40, 0.6, 3);
  const base = { valueMinor: values, margin: 0.5, rewardMinor: 20, candidates: [5500], p0: 0.2, reachMinor: 1000, overshootMinor: 300, months: 12, resamples: 2000, seed: 9, skipNeeded: true };

  it('names the uptake when only the uptake is unknown', () => {
    const prior: ThresholdPrior = { uptake: { alpha: 2, beta: 8 }, reachScales: [1], overshootLowMinor: 300, overshootHighMinor: 300, returnLow: 0.1, returnHigh: 0.1 };
    const c = simulateThresholds({ ...base, prior }).candidates[0];
    expect(c.sensitivity.map((s) => s.unknown)).toEqual(['uptake']);
    expect(c.sensitivity[0].index).toBeGreaterThan(0.3);
    expect(c.sensitivity[0].high.probabilityPositive).toBeGreaterThan(c.sensitivity[0].low.probabilityPositive);
  });

  it('names the reach when the reach spans 9x and the uptake is nearly known', () => {
    const prior: ThresholdPrior = { uptake: { alpha: 400, beta: 1600 }, reachScales: [1 / 3, 1, 3], overshootLowMinor: 250, overshootHighMinor: 350, returnLow: 0.05, returnHigh: 0.15 };
    const c = simulateThresholds({ ...base, prior }).candidates[0];
    expect(c.sensitivity[0].unknown).toBe('reach');
    expect(c.sensitivity[0].low).toMatchObject({ from: 1000 / 3, to: 1000 / 3 });
    expect(c.sensitivity[0].high).toMatchObject({ from: 3000, to: 3000 });
    expect(c.sensitivity.map((s) => s.unknown).sort()).toEqual(['overshoot', 'reach', 'returns', 'uptake']);
    // Against the replicates' own split: P(net > 0) in the high-reach third exceeds the low's.
    expect(c.sensitivity[0].high.probabilityPositive).toBeGreaterThan(c.sensitivity[0].low.probabilityPositive + 0.3);
  });

  it('is empty without a prior', () => {
    const c = simulateThresholds(base).candidates[0];
    expect(c.sensitivity).toEqual([]);
    // Without a prior nothing but the orders is drawn: the two probabilities are one.
    expect(c.probabilityMeanPositive).toBe(c.probabilityPositive);
  });
});
