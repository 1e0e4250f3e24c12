import { describe, expect, it } from 'vitest';
import { madSorted, meanAndMedianOfCounts, medianDeviationSorted, medianSorted, quantileSorted, radixRange, sortInPlace, sortedCopy, trimmedMeanSorted, winsorizedMeanSorted } from '../src/analysis/robust.js';
import { createRng } from '../src/analysis/random.js';

const sorted = (...values: number[]) => Float64Array.from(values).sort();

describe('robust statistics', () => {
  it('sorts exactly as the typed-array sort does, by radix for whole numbers and by sort for the rest', () => {
    const rng = createRng(11);
    const same = (values: Float64Array, radix = false) => {
      expect(radixRange(values) !== null).toBe(radix);
      const expected = Float64Array.from(values).sort();
      const got = sortInPlace(Float64Array.from(values));
      expect(got.length).toBe(expected.length);
      // Bit for bit (Object.is tells -0 from 0 and NaN from NaN).
      for (let i = 0; i < got.length; i++) if (!Object.is(got[i], expected[i])) expect([i, got[i]]).toEqual([i, expected[i]]);
      expect(Array.from(sortedCopy(values))).toEqual(Array.from(expected));
    };
    const n = 20_000;
    const of = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
    // Order values in minor units, many ties; negatives; a span over 2^16 (both passes matter).
    same(of(() => Math.round(Math.exp(rng() * 9 + 5))), true);
    same(of(() => Math.floor(rng() * 50) - 25), true);
    same(of(() => Math.floor(rng() * 2 ** 31) - 2 ** 30), true);
    same(of((i) => (i % 3 === 0 ? 2 ** 32 - 1 : i % 3)), true);
    // Falls back: a span of 2^32 or more, fractions, -0, NaN and infinities, huge values, short arrays.
    same(of((i) => (i % 2 ? 2 ** 32 : 0)));
    same(of(() => rng() * 1000));
    same(of((i) => (i % 5 === 0 ? -0 : i % 7)));
    same(of((i) => (i % 11 === 0 ? NaN : i % 13 === 0 ? -Infinity : i)));
    same(of((i) => 2 ** 60 + i * 2 ** 10));
    same(Float64Array.of(5, -2, 5, 1));
  });

  it('gives the mean and median of counts that sorting them gives, with or without the histogram', () => {
    // The reference: sort a copy, average it, take the middle (the two middle values for an even count).
    const reference = (values: number[]) => {
      const s = sorted(...values);
      return { mean: s.reduce((a, b) => a + b, 0) / s.length, median: medianSorted(s) };
    };
    const cases = [[3, 1, 2, 2], [1], [5, 5, 5, 6], [0, -2, 7, 7, 1], [1.5, 2, 4], [2 ** 30, 1, 3], Array.from({ length: 1001 }, (_, i) => (i * 7919) % 13)];
    for (const values of cases) expect(meanAndMedianOfCounts(Float64Array.from(values))).toEqual(reference(values));
    expect(meanAndMedianOfCounts(Int32Array.of(3, 1, 2, 2))).toEqual({ mean: 2, median: 2 });
    const empty = meanAndMedianOfCounts(new Float64Array(0));
    expect(Number.isNaN(empty.mean) && Number.isNaN(empty.median)).toBe(true);
  });

  it('interpolates quantiles between ranks like NumPy and pandas (type 7)', () => {
    // numpy.quantile([1,2,3,4], 0.25) = 1 + 0.75 * (2 - 1) = 1.75
    expect(quantileSorted(sorted(1, 2, 3, 4), 0.25)).toBeCloseTo(1.75, 12);
    expect(medianSorted(sorted(4, 1, 3, 2))).toBe(2.5);
    expect(medianSorted(sorted(5, 1, 3))).toBe(3);
    expect(Number.isNaN(medianSorted(sorted()))).toBe(true);
  });

  it('trims and winsorizes floor(share x n) values at each end', () => {
    // n = 10, share 0.1 -> 1 value each end. Values 1..9 and 100.
    const values = sorted(1, 2, 3, 4, 5, 6, 7, 8, 9, 100);
    // trimmed: mean(2..9) = 44 / 8 = 5.5
    expect(trimmedMeanSorted(values, 0.1)).toBe(5.5);
    // winsorized: 1 -> 2 and 100 -> 9: (2+2+3+...+9+9)/10 = (44 + 2 + 9) / 10 = 5.5
    expect(winsorizedMeanSorted(values, 0.1)).toBe(5.5);
    // share 0.05 of 10 cuts nothing: the plain mean 145 / 10
    expect(trimmedMeanSorted(values, 0.05)).toBe(14.5);
  });

  it('computes the median absolute deviation around the median', () => {
    // Wikipedia's example: {1,1,2,2,4,6,9}, median 2, deviations {1,1,0,0,2,4,7} -> MAD 1
    expect(madSorted(sorted(1, 1, 2, 2, 4, 6, 9))).toBe(1);
  });

  it('finds the median deviation by a merge walk, equal to sorting the deviations (ties, even and odd sizes, any center)', () => {
    // The brute force: every |x - c|, sorted, middle element(s).
    const brute = (values: Float64Array, center: number) => medianSorted(Float64Array.from(values, (x) => Math.abs(x - center)).sort());
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 3000; trial++) {
      const n = 1 + Math.floor(next() * 30);
      const spread = trial % 3 === 0 ? 3 : 1000;
      const values = Float64Array.from({ length: n }, () => Math.floor(next() * spread)).sort();
      const center = trial % 2 ? medianSorted(values) : Math.floor(next() * spread * 1.5) - spread / 4;
      expect(medianDeviationSorted(values, center), `${Array.from(values)} around ${center}`).toBe(brute(values, center));
    }
    expect(Number.isNaN(medianDeviationSorted(sorted(), 0))).toBe(true);
  });
});
