import { quantileSorted, quickselect } from 'simple-statistics';
import { createRng, randomInt, type Rng } from './random.js';

/**
 * A statistic of one sample. It receives a scratch buffer that it may reorder (median
 * uses quickselect in place) but must not keep: the bootstrap reuses the buffer for the
 * next resample, so no resample allocates.
 */
export type Statistic = (sample: Float64Array) => number;

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
export function mean(sample: Float64Array): number {
  let total = 0;
  for (let i = 0; i < sample.length; i++) total += sample[i];
  return total / sample.length;
}

/**
 * Median (average of the two middle values for an even count) by Floyd-Rivest
 * selection in O(n), reordering `sample` in place instead of sorting a copy.
 * https://en.wikipedia.org/wiki/Median
 *
 * @example
 * median(Float64Array.of(5, 1, 4, 2)); // 3
 */
export function median(sample: Float64Array): number {
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
}

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

/** bootstrapInterval for several statistics from the same resamples (one draw, k statistics). */
export function bootstrapIntervals<K extends string>(
  sample: ArrayLike<number>,
  statistics: Record<K, Statistic>,
  options: BootstrapOptions,
): Record<K, BootstrapInterval> {
  const { resamples, confidence, rng } = normalise(options);
  const names = Object.keys(statistics) as K[];
  const source = Float64Array.from(sample);
  const buffer = new Float64Array(source.length);
  const draws = names.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r++) {
    resampleInto(buffer, source, rng);
    // Statistics may reorder the buffer; the ones we ship (mean, median) do not care.
    names.forEach((name, k) => (draws[k][r] = statistics[name](buffer)));
  }
  const result = {} as Record<K, BootstrapInterval>;
  names.forEach((name, k) => {
    buffer.set(source);
    result[name] = { estimate: statistics[name](buffer), ...percentiles(draws[k], confidence) };
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
 * bootstrapDifference for several statistics from the same resamples, so mean and
 * median of a month-over-month change cost one set of draws instead of two.
 */
export function bootstrapDifferences<K extends string>(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  statistics: Record<K, Statistic>,
  options: BootstrapOptions,
): Record<K, BootstrapInterval> {
  const { resamples, confidence, rng } = normalise(options);
  const names = Object.keys(statistics) as K[];
  const result = {} as Record<K, BootstrapInterval>;
  if (a.length === 0 || b.length === 0) {
    for (const name of names) result[name] = { estimate: NaN, low: NaN, high: NaN };
    return result;
  }
  const sourceA = Float64Array.from(a);
  const sourceB = Float64Array.from(b);
  const bufferA = new Float64Array(sourceA.length);
  const bufferB = new Float64Array(sourceB.length);
  const draws = names.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r++) {
    // Resample the groups independently: each keeps its own size, as in the data.
    resampleInto(bufferA, sourceA, rng);
    resampleInto(bufferB, sourceB, rng);
    names.forEach((name, k) => (draws[k][r] = statistics[name](bufferB) - statistics[name](bufferA)));
  }
  names.forEach((name, k) => {
    bufferA.set(sourceA);
    bufferB.set(sourceB);
    const estimate = statistics[name](bufferB) - statistics[name](bufferA);
    result[name] = { estimate, ...percentiles(draws[k], confidence) };
  });
  return result;
}

function normalise(options: BootstrapOptions): { resamples: number; confidence: number; rng: Rng } {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError('bootstrap: resamples must be a positive integer');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('bootstrap: confidence must be in (0, 1)');
  if (!Number.isFinite(options.seed)) throw new RangeError('bootstrap: seed must be a finite number');
  return { resamples, confidence, rng: createRng(options.seed) };
}

/** Draw source.length values from source with replacement into buffer. */
function resampleInto(buffer: Float64Array, source: Float64Array, rng: Rng): void {
  const n = source.length;
  for (let i = 0; i < n; i++) buffer[i] = source[randomInt(rng, n)];
}

/** The two tail quantiles of the bootstrap distribution (linear interpolation, numpy's default). */
function percentiles(draws: Float64Array, confidence: number): { low: number; high: number } {
  const sorted = draws.sort() as unknown as number[];
  const tail = (1 - confidence) / 2;
  return { low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail) };
}
