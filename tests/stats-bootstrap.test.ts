import { describe, expect, it } from 'vitest';
import {
  bootstrapDifference,
  bootstrapDifferences,
  bootstrapInterval,
  mean,
  median,
  trimmedMean,
} from '../src/analysis/bootstrap.js';
import { trimmedMeanSorted } from '../src/analysis/robust.js';
import { normalQuantile } from '../src/analysis/normal.js';
import { createRng, type Rng } from '../src/analysis/random.js';

/** Lognormal draws by inverse transform: exp(mu + sigma Phi^-1(u)). */
function lognormalSample(rng: Rng, n: number, mu: number, sigma: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let u = rng();
    while (u === 0) u = rng();
    out[i] = Math.exp(mu + sigma * normalQuantile(u));
  }
  return out;
}

function sortedMedian(values: ArrayLike<number>): number {
  const s = Array.from(values).sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

describe('mean and median statistics', () => {
  it('median agrees with sort-and-pick on odd, even, tied and large samples', () => {
    const rng = createRng(17);
    for (const n of [1, 2, 3, 4, 7, 10, 601, 1000, 5001]) {
      const values = Float64Array.from({ length: n }, () => Math.floor(rng() * 50));
      expect(median(values.slice())).toBe(sortedMedian(values));
    }
    expect(median(Float64Array.of(5, 1, 4, 2))).toBe(3);
    expect(median(new Float64Array(0))).toBeNaN();
  });

  it('mean is the plain average', () => {
    expect(mean(Float64Array.of(1, 2, 6))).toBe(3);
  });

  it('read a resample given as counts over sorted values the same as the expanded sample', () => {
    const rng = createRng(23);
    for (const size of [1, 2, 5, 8, 101]) {
      const sortedValues = Float64Array.from({ length: size }, () => Math.floor(rng() * 20)).sort();
      const counts = new Int32Array(size);
      for (let i = 0; i < size; i++) counts[Math.floor(rng() * size)]++;
      const expanded: number[] = [];
      counts.forEach((count, j) => {
        for (let c = 0; c < count; c++) expanded.push(sortedValues[j]);
      });
      expect(median.fromCounts!(sortedValues, counts, size)).toBe(sortedMedian(expanded));
      expect(mean.fromCounts!(sortedValues, counts, size)).toBeCloseTo(expanded.reduce((x, y) => x + y, 0) / size, 9);
    }
  });
});

describe('bootstrapDifference', () => {
  const a = lognormalSample(createRng(1), 250, Math.log(4000), 0.8);
  const b = lognormalSample(createRng(2), 300, Math.log(4400), 0.8);

  it('gives identical intervals for the same seed and different ones for another seed', () => {
    const first = bootstrapDifference(a, b, median, { seed: 42, resamples: 500 });
    const again = bootstrapDifference(a, b, median, { seed: 42, resamples: 500 });
    const other = bootstrapDifference(a, b, median, { seed: 43, resamples: 500 });
    expect(again).toEqual(first);
    expect(other.estimate).toBe(first.estimate);
    expect([other.low, other.high]).not.toEqual([first.low, first.high]);
  });

  it('reports statistic(b) - statistic(a) on the data as the estimate, inside the interval', () => {
    const result = bootstrapDifference(a, b, mean, { seed: 1, resamples: 500 });
    expect(result.estimate).toBeCloseTo(mean(b) - mean(a), 9);
    expect(result.low).toBeLessThan(result.estimate);
    expect(result.high).toBeGreaterThan(result.estimate);
  });

  it('leaves the caller arrays untouched even though median reorders its buffer', () => {
    const copyA = a.slice();
    bootstrapDifference(a, b, median, { seed: 3, resamples: 50 });
    expect(a).toEqual(copyA);
  });

  it('computes several statistics from one set of resamples, as the single-statistic call would', () => {
    // Same seed and same draw sequence: mean from the joint call equals mean alone.
    const joint = bootstrapDifferences(a, b, { mean, median }, { seed: 9, resamples: 300 });
    expect(joint.mean).toEqual(bootstrapDifference(a, b, mean, { seed: 9, resamples: 300 }));
    expect(joint.median).toEqual(bootstrapDifference(a, b, median, { seed: 9, resamples: 300 }));
  });

  it('gives a statistic the interval it gets alone, whatever rides along', () => {
    // Mean and median read their own streams, other statistics a third: adding one moves none.
    const plainMedian = (sample: Float64Array) => median(sample);
    const options = { seed: 21, resamples: 300 };
    const all = bootstrapDifferences(a, b, { mean, median, trimmedMean, plainMedian }, options);
    expect(all.mean).toEqual(bootstrapDifference(a, b, mean, options));
    expect(all.median).toEqual(bootstrapDifference(a, b, median, options));
    // The others share one resample: the same draws, read from counts alone and from the
    // drawn values together, so the same up to the rounding of the sums.
    for (const [k, statistic] of [['trimmedMean', trimmedMean], ['plainMedian', plainMedian]] as const) {
      const alone = bootstrapDifference(a, b, statistic, options);
      expect(all[k].low).toBeCloseTo(alone.low, 6);
      expect(all[k].high).toBeCloseTo(alone.high, 6);
    }
  });

  it('returns NaN when a group is empty', () => {
    const result = bootstrapDifference([], b, mean, { seed: 1 });
    expect(result.estimate).toBeNaN();
    expect(result.low).toBeNaN();
  });

  it('covers the true difference in means in at least 90 of 100 lognormal cases at 95%', () => {
    // Order values lognormal(mu, sigma = 0.8): true mean exp(mu + sigma^2/2), so the true
    // difference is known exactly. A 95% interval should miss about 5 times in 100;
    // fewer than 90 hits would mean the interval is too narrow or off-centre.
    const sigma = 0.8;
    const muA = Math.log(4000);
    const muB = Math.log(4300);
    const trueDifference = Math.exp(muB + sigma ** 2 / 2) - Math.exp(muA + sigma ** 2 / 2);
    const rng = createRng(20240601);
    let covered = 0;
    for (let trial = 0; trial < 100; trial++) {
      const groupA = lognormalSample(rng, 300, muA, sigma);
      const groupB = lognormalSample(rng, 300, muB, sigma);
      const interval = bootstrapDifference(groupA, groupB, mean, { seed: trial, resamples: 500 });
      if (interval.low <= trueDifference && trueDifference <= interval.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(90);
  });
});

describe('bootstrapInterval', () => {
  it('has the width the central limit theorem predicts for a mean', () => {
    // For the mean of n values the bootstrap distribution is close to normal with sd
    // s_n / sqrt(n) (s_n with divisor n), so a 95% interval spans about 2 * 1.96 * s_n / sqrt(n).
    const rng = createRng(8);
    const sample = Float64Array.from({ length: 400 }, () => normalQuantile(Math.max(rng(), 1e-12)) * 50 + 1000);
    const average = mean(sample);
    const sdPlugIn = Math.sqrt(sample.reduce((sum, v) => sum + (v - average) ** 2, 0) / sample.length);
    const expectedWidth = 2 * 1.959964 * (sdPlugIn / Math.sqrt(sample.length));
    const interval = bootstrapInterval(sample, mean, { seed: 5, resamples: 4000 });
    expect(interval.estimate).toBeCloseTo(average, 9);
    expect((interval.high - interval.low) / expectedWidth).toBeGreaterThan(0.92);
    expect((interval.high - interval.low) / expectedWidth).toBeLessThan(1.08);
    expect((interval.low + interval.high) / 2).toBeCloseTo(average, 0);
  });

  it('is reproducible for a seed', () => {
    const sample = [3, 5, 8, 13, 21];
    expect(bootstrapInterval(sample, median, { seed: 1 })).toEqual(bootstrapInterval(sample, median, { seed: 1 }));
  });

  it('rejects a confidence outside (0, 1) and a non-integer number of resamples', () => {
    expect(() => bootstrapInterval([1, 2], mean, { seed: 1, confidence: 95 })).toThrow(RangeError);
    expect(() => bootstrapInterval([1, 2], mean, { seed: 1, resamples: 10.5 })).toThrow(RangeError);
  });
});

describe('m-out-of-n bootstrap for large groups', () => {
  it('draws the median from its order statistics with the law of the drawn resample', () => {
    // Nine values 1..9 resampled 9 at a time: the median is the 5th smallest draw, and
    // P(median <= j) = P(Binomial(9, j / 9) >= 5) exactly. Each percentile interval of 100,000
    // draws must end on the values where that law crosses its levels (none is within 0.003
    // of a level, 6 standard errors at 100,000 draws).
    const values = Float64Array.from({ length: 9 }, (_, i) => i + 1);
    const choose = (n: number, k: number) => { let c = 1; for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i; return c; };
    const cdf = (j: number) => { let p = 0; for (let x = 5; x <= 9; x++) p += choose(9, x) * (j / 9) ** x * (1 - j / 9) ** (9 - x); return p; };
    const quantile = (level: number) => { let j = 1; while (cdf(j) < level) j++; return j; };
    for (const confidence of [0.5, 0.8, 0.95, 0.99]) {
      const tail = (1 - confidence) / 2;
      for (const level of [tail, 1 - tail]) for (let j = 1; j <= 9; j++) expect(Math.abs(cdf(j) - level)).toBeGreaterThan(0.003);
      const r = bootstrapInterval(values, median, { seed: 3, resamples: 100_000, confidence });
      expect([r.low, r.high]).toEqual([quantile(tail), quantile(1 - tail)]);
    }
  });

  it('gives the median and mean intervals of the materialised bootstrap, odd and even, small and m-out-of-n', () => {
    // The same law, so the same interval up to Monte Carlo noise (2,000 resamples: the
    // percentiles' own noise is a few percent of the width).
    const rng = createRng(17);
    const plainMedian = (sample: Float64Array) => median(sample);
    const plainMean = (sample: Float64Array) => mean(sample);
    for (const n of [300, 301, 36_000, 120_001]) {
      const [x, y] = [9, 9.05].map((mu) => Float64Array.from({ length: n }, () => Math.round(Math.exp(mu + 1.2 * rng()))));
      const options = { seed: 5, resamples: 2000 };
      const fast = bootstrapDifferences(x, y, { mean, median }, options);
      const plain = bootstrapDifferences(x, y, { mean: plainMean, median: plainMedian }, options);
      for (const k of ['mean', 'median'] as const) {
        const width = plain[k].high - plain[k].low;
        expect(fast[k].estimate).toBe(plain[k].estimate);
        expect(Math.abs(fast[k].low - plain[k].low) / width).toBeLessThan(0.1);
        expect(Math.abs(fast[k].high - plain[k].high) / width).toBeLessThan(0.1);
      }
    }
  });

  it('gives the interval width of the full bootstrap (about 2 x 1.96 s / sqrt(n)) for 60,000 values', async () => {
    const { MAX_RESAMPLE_SIZE, bootstrapInterval: interval, mean: meanStat } = await import('../src/analysis/bootstrap.js');
    const { createRng } = await import('../src/analysis/random.js');
    const rng = createRng(3);
    const n = 60_000;
    expect(n).toBeGreaterThan(MAX_RESAMPLE_SIZE);
    const values = Float64Array.from({ length: n }, () => Math.exp(0.5 * Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-300))) * Math.cos(2 * Math.PI * rng())));
    let m = 0;
    for (const v of values) m += v;
    m /= n;
    let ss = 0;
    for (const v of values) ss += (v - m) ** 2;
    const expected = (2 * 1.959964 * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
    const r = interval(values, meanStat, { seed: 4, resamples: 1000 });
    expect(r.estimate).toBeCloseTo(m, 10);
    expect(Math.abs(r.high - r.low - expected) / expected).toBeLessThan(0.12);
    expect(r.low).toBeLessThan(m);
    expect(r.high).toBeGreaterThan(m);
  });
});

describe('trimmedMean (the bootstrap statistic)', () => {
  it('is robust.ts trimmedMeanSorted on a sorted copy, and its fromCounts form gives the same value', () => {
    const rng = createRng(7);
    for (const n of [1, 19, 20, 57, 200]) {
      const values = Float64Array.from({ length: n }, () => Math.floor(rng() * 10_000));
      const sorted = Float64Array.from(values).sort();
      expect(trimmedMean(Float64Array.from(values))).toBeCloseTo(trimmedMeanSorted(sorted), 9);
      // A resample as counts over the sorted values: k copies of each, then the same resample spelled out.
      const counts = Int32Array.from({ length: n }, () => Math.floor(rng() * 3));
      const size = counts.reduce((a, b) => a + b, 0);
      if (size === 0) continue;
      const spelled = new Float64Array(size);
      let at = 0;
      counts.forEach((c, j) => { for (let i = 0; i < c; i++) spelled[at++] = sorted[j]; });
      expect(trimmedMean.fromCounts!(sorted, counts, size)).toBeCloseTo(trimmedMeanSorted(Float64Array.from(spelled).sort()), 9);
    }
  });

  it('cuts floor(5% n) from each end: 20 values 0..18 and 1000 give 9.5', () => {
    // n = 20, cut 1 each end: the mean of 1..18 = 9.5.
    expect(trimmedMean(Float64Array.from({ length: 20 }, (_, i) => (i === 19 ? 1000 : i)))).toBe(9.5);
  });
});
