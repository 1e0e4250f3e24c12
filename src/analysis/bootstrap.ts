import { quantileSorted, quickselect } from 'simple-statistics';
import { betaSample } from './beta.js';
import { createRng, randomInt, type Rng } from './random.js';
import { sortedCopy } from './robust.js';

/**
 * A statistic of one sample. The bootstrap hands it a scratch buffer that it may reorder
 * (median selects in place) but must not keep: the buffer is reused for the next
 * resample, so no resample allocates.
 *
 * A statistic may also offer `fromCounts`: the same statistic of a resample given as
 * counts over the sorted data (counts[j] copies of sortedValues[j], `size` values in
 * all). When every statistic of a call has it, the bootstrap never materialises the
 * resample: for a month of 80,000 orders that halves the time, since the median becomes
 * one cumulative scan instead of a selection.
 */
export interface Statistic {
  (sample: Float64Array): number;
  fromCounts?: (sortedValues: Float64Array, counts: Int32Array, size: number) => number;
}

/** A point estimate with a percentile bootstrap interval around it. */
export interface BootstrapInterval {
  /** The statistic on the observed data (for a difference: statistic(b) - statistic(a)). */
  estimate: number;
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** Number of bootstrap resamples; 2000 is plenty for a 95% percentile interval. */
  resamples?: number;
  /** PRNG seed: the same seed and data give the same interval. */
  seed: number;
  /** Coverage of the interval, in (0, 1). */
  confidence?: number;
}

/**
 * Arithmetic mean. NaN for an empty sample.
 *
 * @example
 * mean(Float64Array.of(1, 2, 6)); // 3
 */
export const mean: Statistic = Object.assign(
  function mean(sample: Float64Array): number {
    let total = 0;
    for (let i = 0; i < sample.length; i++) total += sample[i];
    return total / sample.length;
  },
  {
    fromCounts(sortedValues: Float64Array, counts: Int32Array, size: number): number {
      let total = 0;
      for (let j = 0; j < sortedValues.length; j++) total += counts[j] * sortedValues[j];
      return total / size;
    },
  },
);

/**
 * Median (average of the two middle values for an even count), by Floyd-Rivest
 * selection in O(n), reordering `sample` in place instead of sorting a copy.
 * https://en.wikipedia.org/wiki/Median
 *
 * @example
 * median(Float64Array.of(5, 1, 4, 2)); // 3
 */
export const median: Statistic = Object.assign(
  function median(sample: Float64Array): number {
    const length = sample.length;
    if (length === 0) return NaN;
    const upper = length >> 1;
    // simple-statistics' quickselect is typed for number[] but only indexes and swaps.
    quickselect(sample as unknown as number[], upper);
    if (length % 2 === 1) return sample[upper];
    // Even count: selection left every smaller value below `upper`, so the lower middle
    // value is the largest of them.
    let lowerMiddle = -Infinity;
    for (let i = 0; i < upper; i++) if (sample[i] > lowerMiddle) lowerMiddle = sample[i];
    return (lowerMiddle + sample[upper]) / 2;
  },
  {
    fromCounts(sortedValues: Float64Array, counts: Int32Array, size: number): number {
      if (size === 0) return NaN;
      // Walk the cumulative counts to the 0-based positions of the two middle values.
      const lowerPosition = (size - 1) >> 1;
      const upperPosition = size >> 1;
      let seen = 0;
      let j = 0;
      while (seen + counts[j] <= lowerPosition) seen += counts[j++];
      const lowerMiddle = sortedValues[j];
      while (seen + counts[j] <= upperPosition) seen += counts[j++];
      return (lowerMiddle + sortedValues[j]) / 2;
    },
  },
);

/** The share cut from each end by trimmedMean (robust.ts trimmedMeanSorted's default). */
const TRIM_SHARE = 0.05;

/**
 * The 5% trimmed mean: the mean after dropping floor(0.05 n) values from each end, as
 * robust.ts trimmedMeanSorted defines it (the figure the report's trend shows). The buffer
 * is reordered in place (two selections); fromCounts skips the cut from the cumulative counts.
 * https://en.wikipedia.org/wiki/Truncated_mean
 *
 * @example
 * trimmedMean(Float64Array.from({ length: 20 }, (_, i) => (i === 19 ? 1000 : i))); // 9.5 (0 and 1000 cut)
 */
export const trimmedMean: Statistic = Object.assign(
  function trimmedMean(sample: Float64Array): number {
    const n = sample.length;
    if (n === 0) return NaN;
    const cut = Math.floor(TRIM_SHARE * n);
    if (cut > 0) {
      // Two selections instead of a sort (a resample of 10,000 values costs 2,000 x a sort
      // otherwise): the cut smallest go below position cut, then the cut largest above n - cut - 1,
      // so positions cut..n - cut - 1 hold the middle order statistics, in some order.
      const values = sample as unknown as number[];
      quickselect(values, cut);
      quickselect(values, n - cut - 1, cut, n - 1);
    }
    let total = 0;
    for (let i = cut; i < n - cut; i++) total += sample[i];
    return total / (n - 2 * cut);
  },
  {
    fromCounts(sortedValues: Float64Array, counts: Int32Array, size: number): number {
      if (size === 0) return NaN;
      const cut = Math.floor(TRIM_SHARE * size);
      const end = size - cut;
      // Positions [cut, end) of the resample in sorted order: each value's copies clipped to them.
      let seen = 0;
      let total = 0;
      for (let j = 0; j < sortedValues.length && seen < end; j++) {
        const from = Math.max(seen, cut);
        const to = Math.min(seen + counts[j], end);
        if (to > from) total += (to - from) * sortedValues[j];
        seen += counts[j];
      }
      return total / (size - 2 * cut);
    },
  },
);

/**
 * Percentile bootstrap interval of one statistic of one sample (Efron 1979): resample
 * the n values with replacement `resamples` times, and take the (1-confidence)/2 and
 * (1+confidence)/2 quantiles (numpy's linear rule) of the resampled statistics.
 * Efron & Tibshirani, "An Introduction to the Bootstrap" (1993) ch. 13;
 * https://en.wikipedia.org/wiki/Bootstrapping_(statistics)
 *
 * @example
 * bootstrapInterval([3, 5, 8, 13, 21], mean, { seed: 1 });
 * // { estimate: 10, low: 4.8, high: 16.2 }, identical on every run with seed 1
 */
export function bootstrapInterval(
  sample: ArrayLike<number>,
  statistic: Statistic,
  options: BootstrapOptions,
): BootstrapInterval {
  return bootstrapIntervals(sample, { value: statistic }, options).value;
}

/**
 * bootstrapInterval for several statistics at once. Each statistic's interval is the one it
 * gets alone: the library's mean and median each read their own stream of draws (see
 * OrderStatisticGroup), and any other statistics share one materialised resample drawn from a
 * third stream, so adding a statistic to a call never moves another's interval.
 *
 * @example
 * bootstrapIntervals([3, 5, 8, 13, 21], { mean, median }, { seed: 1 });
 * // { mean: { estimate: 10, ... }, median: { estimate: 8, ... } }
 */
export function bootstrapIntervals<K extends string>(
  sample: ArrayLike<number>,
  statistics: Record<K, Statistic>,
  options: BootstrapOptions,
): Record<K, BootstrapInterval> {
  const { resamples, confidence, seed } = normalise(options);
  const names = Object.keys(statistics) as K[];
  const result = {} as Record<K, BootstrapInterval>;
  if (sample.length === 0) {
    for (const name of names) result[name] = { estimate: NaN, low: NaN, high: NaN };
    return result;
  }
  const list = names.map((name) => statistics[name]);
  const group = new Group(sample, list);
  const streams = new Streams(seed);
  const draws = names.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r++) {
    group.draw(streams);
    names.forEach((_, k) => (draws[k][r] = group.statistic(k)));
  }
  names.forEach((name, k) => {
    result[name] = { estimate: group.observed(k), ...percentiles(draws[k], confidence) };
  });
  return result;
}

/**
 * Percentile bootstrap interval of statistic(b) - statistic(a) for two independent
 * groups (e.g. the orders of this month and of last month): each group is resampled
 * with replacement on its own, `resamples` times, and the interval is the
 * (1-confidence)/2 and (1+confidence)/2 quantiles of statistic(b*) - statistic(a*).
 * Efron & Tibshirani (1993) sec. 8.3 (two-sample problem); see bootstrapInterval.
 * NaN estimate and bounds when either group is empty.
 *
 * @example
 * bootstrapDifference([10, 12, 11, 13], [14, 15, 13, 16], mean, { seed: 1 });
 * // { estimate: 3, low: 1.5, high: 4.5 }, identical on every run with seed 1
 */
export function bootstrapDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  statistic: Statistic,
  options: BootstrapOptions,
): BootstrapInterval {
  return bootstrapDifferences(a, b, { value: statistic }, options).value;
}

/**
 * bootstrapDifference for several statistics in one call (each gets the interval it gets
 * alone, as in bootstrapIntervals).
 *
 * @example
 * bootstrapDifferences(lastMonthValues, thisMonthValues, { mean, median }, { seed: 1 });
 * // { mean: { estimate, low, high }, median: { estimate, low, high } }
 */
export function bootstrapDifferences<K extends string>(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  statistics: Record<K, Statistic>,
  options: BootstrapOptions,
): Record<K, BootstrapInterval> {
  const { resamples, confidence, seed } = normalise(options);
  const names = Object.keys(statistics) as K[];
  const result = {} as Record<K, BootstrapInterval>;
  if (a.length === 0 || b.length === 0) {
    for (const name of names) result[name] = { estimate: NaN, low: NaN, high: NaN };
    return result;
  }
  const list = names.map((name) => statistics[name]);
  const groupA = new Group(a, list);
  const groupB = new Group(b, list);
  const streams = new Streams(seed);
  const draws = names.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r++) {
    // Resample the groups independently: each keeps its own size, as in the data.
    groupA.draw(streams);
    groupB.draw(streams);
    names.forEach((_, k) => (draws[k][r] = groupB.statistic(k) - groupA.statistic(k)));
  }
  names.forEach((name, k) => {
    const estimate = groupB.observed(k) - groupA.observed(k);
    result[name] = { estimate, ...percentiles(draws[k], confidence) };
  });
  return result;
}

/**
 * Groups larger than this are resampled m-out-of-n: m = MAX_RESAMPLE_SIZE draws with
 * replacement, and each replicate's deviation from the estimate is scaled by sqrt(m / n)
 * (Bickel, Götze & van Zwet 1997, Statistica Sinica 7). For root-n statistics such as the
 * mean and the median this gives the same interval asymptotically, and it keeps a month
 * of 100,000 orders from costing 2,000 x 100,000 random draws.
 */
export const MAX_RESAMPLE_SIZE = 10_000;

/**
 * The random streams of one call, one per kind of statistic: the mean's draws, the median's,
 * and the materialised resamples of any other statistic. Derived from the seed, so the same
 * seed gives the same intervals; separate, so each statistic's draws are its own.
 */
class Streams {
  readonly mean: Rng;
  readonly median: Rng;
  readonly other: Rng;
  constructor(seed: number) {
    this.mean = createRng(seed);
    this.median = createRng(Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x243f6a88);
    this.other = createRng(Math.imul(seed >>> 0, 0x85ebca6b) ^ 0x13198a2e);
  }
}

/** One group's statistics: the library's mean and median by OrderStatisticGroup, the rest by Resampler. */
class Group {
  private readonly sorted: Float64Array;
  private readonly fast: OrderStatisticGroup;
  private readonly rest: Resampler | null;
  /** For statistic k: where it is read, and its index there. */
  private readonly route: { fast: boolean; index: number }[];

  constructor(values: ArrayLike<number>, statistics: readonly Statistic[]) {
    this.sorted = sortedCopy(values);
    const others = statistics.filter((s) => s !== mean && s !== median);
    this.fast = new OrderStatisticGroup(this.sorted, statistics.includes(mean), statistics.includes(median));
    this.rest = others.length ? new Resampler(this.sorted, others) : null;
    this.route = statistics.map((s) => (s === mean || s === median ? { fast: true, index: s === mean ? 0 : 1 } : { fast: false, index: others.indexOf(s) }));
  }

  draw(streams: Streams): void {
    this.fast.draw(streams);
    this.rest?.draw(streams.other);
  }

  statistic(k: number): number {
    const { fast, index } = this.route[k];
    return fast ? this.fast.statistic(index) : this.rest!.statistic(index);
  }

  observed(k: number): number {
    const { fast, index } = this.route[k];
    return fast ? this.fast.observed(index) : this.rest!.observed(index);
  }
}

/**
 * The mean and the median of a resample of m of the n sorted values, drawn without the
 * resample. The mean is the average of m uniform draws of the values (no counts, no buffer).
 * The median needs only the middle order statistics of the m drawn positions, and those have
 * a known law: the k-th smallest of m uniforms is Beta(k, m - k + 1), and above it the next
 * is the smallest of the m - k others, spread uniformly over what is left. A drawn position is
 * floor(n U), monotone in U, so the k-th smallest position is floor(n U_(k)): the bootstrap
 * median's exact law (up to the 32-bit grain of the uniforms, n / 2^32) from one Beta draw
 * and, for an even m, one uniform, instead of m draws and a selection.
 * David & Nagaraja, "Order Statistics" (3rd ed., 2003), sec. 2.2 and 2.5.
 * https://en.wikipedia.org/wiki/Order_statistic#Order_statistics_sampled_from_a_uniform_distribution
 * (At 10M lines a warm `aov analyze` spent 1.0-1.3 s in the draws of the two monthly
 * comparisons, and at 1M lines 1.1 of 1.7 s.)
 */
class OrderStatisticGroup {
  private readonly sorted: Float64Array;
  private readonly wantsMean: boolean;
  private readonly wantsMedian: boolean;
  private readonly m: number;
  private readonly scale: number;
  private readonly estimates: [number, number];
  private meanValue = NaN;
  private medianValue = NaN;

  constructor(sorted: Float64Array, wantsMean: boolean, wantsMedian: boolean) {
    this.sorted = sorted;
    this.wantsMean = wantsMean;
    this.wantsMedian = wantsMedian;
    this.m = Math.min(sorted.length, MAX_RESAMPLE_SIZE);
    this.scale = Math.sqrt(this.m / Math.max(sorted.length, 1));
    this.estimates = [this.observed(0), this.observed(1)];
  }

  draw(streams: Streams): void {
    const { sorted, m } = this;
    const n = sorted.length;
    if (this.wantsMean) {
      const rng = streams.mean;
      let total = 0;
      for (let i = 0; i < m; i++) total += sorted[randomInt(rng, n)];
      this.meanValue = total / m;
    }
    if (this.wantsMedian) {
      const rng = streams.median;
      const at = (u: number) => sorted[Math.min(n - 1, Math.floor(u * n))];
      // 1-based rank of the (lower) middle value: m odd, the middle; m even, the lower of two.
      const k = (m + 1) >> 1;
      const lower = m === 1 ? rng() : betaSample(rng, k, m - k + 1);
      if (m % 2 === 1) this.medianValue = at(lower);
      else {
        // The next order statistic: the smallest of the m - k uniforms above `lower`.
        const upper = lower + (1 - lower) * (1 - Math.pow(rng(), 1 / (m - k)));
        this.medianValue = (at(lower) + at(upper)) / 2;
      }
    }
  }

  /** 0: the mean, 1: the median, of the current resample (rescaled when m < n). */
  statistic(index: number): number {
    const value = index === 0 ? this.meanValue : this.medianValue;
    if (this.scale === 1) return value;
    return this.estimates[index] + this.scale * (value - this.estimates[index]);
  }

  observed(index: number): number {
    return (index === 0 ? mean : median)(this.sorted.slice());
  }
}

/**
 * How a group's resamples of other statistics are kept: 'counts' (copies of each sorted
 * value) or 'buffer' (the drawn values).
 */
type ResampleForm = 'counts' | 'buffer';

/** Resamples materialised, for statistics other than the library's mean and median. */
class Resampler {
  private readonly sorted: Float64Array;
  private readonly statistics: readonly Statistic[];
  private readonly form: ResampleForm;
  private readonly counts: Int32Array;
  private readonly buffer: Float64Array;
  private readonly m: number;
  private readonly scale: number;
  private readonly estimates: number[];

  constructor(sorted: Float64Array, statistics: readonly Statistic[]) {
    this.sorted = sorted;
    this.statistics = statistics;
    this.m = Math.min(this.sorted.length, MAX_RESAMPLE_SIZE);
    // Counts cost O(n) per resample, a materialised resample O(m): counts only pay while m is
    // a fair share of n (at 400,000 orders and m = 10,000 they were 40x the work).
    const counts = statistics.every((statistic) => statistic.fromCounts !== undefined) && this.sorted.length <= 4 * this.m;
    this.form = counts ? 'counts' : 'buffer';
    this.scale = Math.sqrt(this.m / Math.max(this.sorted.length, 1));
    this.estimates = this.scale < 1 ? statistics.map((_, k) => this.observed(k)) : [];
    // Only the form in use is allocated at full size.
    this.counts = new Int32Array(this.form === 'counts' ? this.sorted.length : 0);
    this.buffer = new Float64Array(this.form === 'buffer' ? this.m : 0);
  }

  draw(rng: Rng): void {
    const n = this.sorted.length;
    if (this.form === 'counts') {
      const counts = this.counts;
      counts.fill(0);
      for (let i = 0; i < this.m; i++) counts[randomInt(rng, n)]++;
    } else {
      const { buffer, sorted } = this;
      for (let i = 0; i < this.m; i++) buffer[i] = sorted[randomInt(rng, n)];
    }
  }

  /** Statistic k of the current resample (rescaled when the group is resampled m-out-of-n). */
  statistic(k: number): number {
    const statistic = this.statistics[k];
    // A statistic may reorder the buffer; the others of the same resample do not mind
    // as long as they ignore order, which any statistic of an i.i.d. resample should.
    const value = this.form === 'counts' ? statistic.fromCounts!(this.sorted, this.counts, this.m) : statistic(this.buffer);
    if (this.scale === 1) return value;
    return this.estimates[k] + this.scale * (value - this.estimates[k]);
  }

  /** Statistic k of the data themselves (on a copy: a statistic may reorder its input). */
  observed(k: number): number {
    return this.statistics[k](this.sorted.slice());
  }
}

function normalise(options: BootstrapOptions): { resamples: number; confidence: number; seed: number } {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError('bootstrap: resamples must be a positive integer');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('bootstrap: confidence must be in (0, 1)');
  if (!Number.isFinite(options.seed)) throw new RangeError('bootstrap: seed must be a finite number');
  return { resamples, confidence, seed: options.seed };
}

/** The two tail quantiles of the bootstrap distribution (linear interpolation, numpy's default). */
function percentiles(draws: Float64Array, confidence: number): { low: number; high: number } {
  const sorted = draws.sort() as unknown as number[];
  const tail = (1 - confidence) / 2;
  return { low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail) };
}
