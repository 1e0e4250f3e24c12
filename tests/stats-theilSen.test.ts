import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../src/analysis/normal.js';
import { createRng } from '../src/analysis/random.js';
import { roundHalfToEven, theilSen } from '../src/analysis/theilSen.js';

/**
 * Brute-force Theil-Sen written from Sen (1968) and scipy.stats.theilslopes, independent
 * of the module: plain arrays, comparator sort, tie groups from a Map, numpy-style
 * rounding spelled out with Math.round.
 */
function bruteTheilSen(x: number[], y: number[], confidence: number) {
  const n = x.length;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (x[j] > x[i]) slopes.push((y[j] - y[i]) / (x[j] - x[i]));
  slopes.sort((a, b) => a - b);
  const median = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const slope = median(slopes);
  const intercept = median(y.map((value, i) => value - slope * x[i]));
  const ties = (values: number[]) => {
    const groups = new Map<number, number>();
    for (const value of values) groups.set(value, (groups.get(value) ?? 0) + 1);
    let total = 0;
    for (const t of groups.values()) total += t * (t - 1) * (2 * t + 5);
    return total;
  };
  const sigma = Math.sqrt((n * (n - 1) * (2 * n + 5) - ties(x) - ties(y)) / 18);
  const c = normalQuantile(1 - (1 - confidence) / 2) * sigma;
  const npRound = (v: number) => (Math.abs(v - Math.trunc(v)) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
  const nt = slopes.length;
  const upper = Math.min(npRound((nt + c) / 2), nt - 1);
  const lower = Math.max(npRound((nt - c) / 2) - 1, 0);
  return { slope, intercept, low: slopes[lower], high: slopes[upper] };
}

describe('theilSen', () => {
  it('matches a hand-computed fit of four points', () => {
    // x 0 1 2 3, y 10 12 13 17. Slopes: 2, 1.5, 7/3, 1, 2.5, 4 -> sorted 1 1.5 2 7/3 2.5 4,
    // median (2 + 7/3)/2 = 13/6. Residual levels y - 13/6 x: 10, 9.833, 8.667, 10.5 ->
    // median (9.833 + 10)/2 = 9.9167. Interval: Var(S) = 4*3*13/18 = 8.667,
    // C = 1.96*2.944 = 5.770, N = 6: lower index round(0.115) - 1 -> 0 (slope 1),
    // upper round(5.885) = 6 -> capped at 5 (slope 4). scipy.stats.theilslopes(method='joint')
    // returns the same (2.1667, 9.9167, 1.0, 4.0).
    const result = theilSen([0, 1, 2, 3], [10, 12, 13, 17])!;
    expect(result.n).toBe(4);
    expect(result.slope).toBeCloseTo(13 / 6, 12);
    expect(result.intercept).toBeCloseTo((59 / 6 + 10) / 2, 12);
    expect(result.low).toBe(1);
    expect(result.high).toBe(4);
  });

  it('recovers an exact line with a zero-width interval', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const result = theilSen(x, x.map((value) => 3 + 2 * value))!;
    expect(result).toMatchObject({ slope: 2, intercept: 3, low: 2, high: 2 });
  });

  it('skips pairs with tied x and removes x ties from the variance', () => {
    // x 0 0 1 2, y 1 3 2 5. Pairs with distinct x: (0,1) 1, (0,2) 2, (0,1) -1, (0,2) 1,
    // (1,2) 3 -> sorted -1 1 1 2 3, median 1. Levels y - x: 1 3 1 3 -> median 2.
    // Var(S) = (156 - 2*1*9)/18 = 7.667, C = 1.96*2.769 = 5.427, N = 5:
    // lower round(-0.21) - 1 -> 0 (slope -1); upper round(5.21) = 5 -> capped at 4 (slope 3).
    // scipy.stats.theilslopes(method='joint') gives (1.0, 2.0, -1.0, 3.0).
    const result = theilSen([0, 0, 1, 2], [1, 3, 2, 5])!;
    expect(result).toMatchObject({ n: 4, slope: 1, intercept: 2, low: -1, high: 3 });
  });

  it('shrugs off one wild point that would drag a least-squares line', () => {
    const x = Array.from({ length: 12 }, (_, i) => i);
    const y = x.map((value) => 1000 + 10 * value);
    y[11] = 50_000;
    // 55 of the 66 pairwise slopes are exactly 10; the 11 with the wild point are larger.
    expect(theilSen(x, y)!.slope).toBe(10);
  });

  it('returns null without two distinct x, and skips NaN points', () => {
    expect(theilSen([], [])).toBeNull();
    expect(theilSen([1], [5])).toBeNull();
    expect(theilSen([2, 2, 2], [1, 2, 3])).toBeNull();
    expect(theilSen([0, 1, 2], [NaN, 1, 2])).toMatchObject({ n: 2, slope: 1 });
  });

  it('agrees with a brute-force implementation on seeded random data with ties', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 60; trial++) {
      const n = 2 + Math.floor(rng() * 40);
      // Integer x with gaps and repeats, integer-valued y so both sides have ties.
      const x = Array.from({ length: n }, () => Math.floor(rng() * 25));
      const y = x.map((value) => 500 + 3 * value + Math.floor(rng() * 40) - 20);
      if (new Set(x).size < 2) continue;
      const confidence = trial % 2 ? 0.95 : 0.9;
      const expected = bruteTheilSen(x, y, confidence);
      const result = theilSen(x, y, confidence)!;
      expect(result.slope).toBeCloseTo(expected.slope, 12);
      expect(result.intercept).toBeCloseTo(expected.intercept, 9);
      expect(result.low).toBeCloseTo(expected.low, 12);
      expect(result.high).toBeCloseTo(expected.high, 12);
      expect(result.low).toBeLessThanOrEqual(result.slope);
      expect(result.high).toBeGreaterThanOrEqual(result.slope);
    }
  });
});

describe('roundHalfToEven', () => {
  it('rounds halves to the even neighbour like numpy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map(roundHalfToEven)).toEqual([0, 2, 2, 0, -2, 2, 3]);
  });
});
