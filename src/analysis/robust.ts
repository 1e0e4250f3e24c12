/**
 * Outlier-robust summaries of order values. All functions take values sorted ascending
 * (sort once, reuse everywhere) and return plain numbers in the values' own units.
 */

/** Sorts a copy ascending (typed-array sort is numeric, unlike Array#sort). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return sortInPlace(Float64Array.from(values));
}

/** From this length, whole-number values are sorted by radix (sortInPlace). */
const RADIX_FROM = 4096;

/**
 * The smallest and largest of `a` when sortInPlace sorts it by radix (long enough, whole
 * numbers, no -0, a span under 2^32, every value a safe integer); else null.
 */
export function radixRange(a: Float64Array): { min: number; max: number } | null {
  if (a.length < RADIX_FROM) return null;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isInteger(v) || (v === 0 && 1 / v < 0)) return null;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min < 4294967296 && -min <= Number.MAX_SAFE_INTEGER && max <= Number.MAX_SAFE_INTEGER ? { min, max } : null;
}

/**
 * Sorts `a` ascending in place and returns it, with exactly the result of `a.sort()`. Order
 * values are whole minor units: when every value is a whole number (and none is -0, which
 * `sort` puts before 0) within 2^32 of the smallest, two 16-bit radix passes over their offsets
 * from the smallest sort them. Two equal whole numbers are the same bits, so nothing is
 * reordered that `sort` could tell apart. At 4M orders that is 0.2 s against 0.5-0.6 s for the
 * typed-array sort (two sorts of every order and of each month in a warm analyze at 10M lines).
 * Anything else (fractions, NaN, infinities, short arrays) goes to `a.sort()`.
 *
 * @example sortInPlace(Float64Array.of(5, -2, 5, 1)) // Float64Array [-2, 1, 5, 5]
 */
export function sortInPlace(a: Float64Array): Float64Array {
  const range = radixRange(a);
  if (!range) return a.sort();
  const n = a.length;
  const { min } = range;
  const keys = new Uint32Array(n);
  const low = new Int32Array(65537);
  const high = new Int32Array(65537);
  for (let i = 0; i < n; i++) {
    const k = a[i] - min;
    keys[i] = k;
    low[(k & 0xffff) + 1]++;
    high[(k >>> 16) + 1]++;
  }
  for (let d = 0; d < 65536; d++) {
    low[d + 1] += low[d];
    high[d + 1] += high[d];
  }
  // Stable passes: by the low 16 bits, then by the high 16 bits.
  const byLow = new Uint32Array(n);
  for (let i = 0; i < n; i++) byLow[low[keys[i] & 0xffff]++] = keys[i];
  for (let i = 0; i < n; i++) {
    const k = byLow[i];
    a[high[k >>> 16]++] = k + min;
  }
  return a;
}

const sortedOnceCache = new WeakMap<Float64Array, Float64Array>();

/**
 * sortedCopy of an order table's column, made once per column (keyed by the array: a loaded
 * column is never modified; a window or a subset is a new array), so the summary and the
 * outliers sort 4 million orders once, not twice. The result is shared: read it, never change it.
 */
export function sortedOnce(values: Float64Array): Float64Array {
  let sorted = sortedOnceCache.get(values);
  if (!sorted) sortedOnceCache.set(values, (sorted = sortedCopy(values)));
  return sorted;
}

const sortedRangeCache = new WeakMap<Float64Array, Map<string, Float64Array>>();

/**
 * The sorted copy of values[start .. end), made once per column and range (as sortedOnce): the
 * summary's monthly series and the trend's months are the same runs of a table sorted by time,
 * so each month is sorted once, not twice. Shared: read it, never change it.
 */
export function sortedRange(values: Float64Array, start: number, end: number): Float64Array {
  let ranges = sortedRangeCache.get(values);
  if (!ranges) sortedRangeCache.set(values, (ranges = new Map()));
  const key = `${start}:${end}`;
  let sorted = ranges.get(key);
  if (!sorted) ranges.set(key, (sorted = sortInPlace(values.slice(start, end))));
  return sorted;
}

/**
 * Mean and median of a column of counts (items or units per order), as mean() and
 * medianSorted() of the sorted column give them, without sorting: when every value is a
 * whole number in a narrow range (and every sum of them exact, so the order of summation
 * does not matter), a histogram finds the two middle values; otherwise the column is sorted.
 * @example meanAndMedianOfCounts(Int32Array.of(3, 1, 2, 2)) // { mean: 2, median: 2 }
 */
export function meanAndMedianOfCounts(values: ArrayLike<number>): { mean: number; median: number } {
  const n = values.length;
  let low = Infinity;
  let high = -Infinity;
  let whole = true;
  for (let i = 0; i < n && whole; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) whole = false;
    else {
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  const range = high - low + 1;
  if (n === 0 || !whole || range > COUNT_HISTOGRAM_MAX || Math.max(Math.abs(low), Math.abs(high)) * n >= Number.MAX_SAFE_INTEGER) {
    const sorted = sortedCopy(values);
    return { mean: mean(sorted), median: medianSorted(sorted) };
  }
  const histogram = new Float64Array(range);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += values[i];
    histogram[values[i] - low]++;
  }
  // The values at 0-based ranks (n - 1) >> 1 and n >> 1, as medianSorted reads them.
  const valueAtRank = (rank: number) => {
    let seen = 0;
    let k = 0;
    while (seen + histogram[k] <= rank) seen += histogram[k++];
    return low + k;
  };
  return { mean: total / n, median: (valueAtRank((n - 1) >> 1) + valueAtRank(n >> 1)) / 2 };
}

/** The widest range of whole numbers meanAndMedianOfCounts counts in a histogram. */
const COUNT_HISTOGRAM_MAX = 1 << 20;

/**
 * Quantile by linear interpolation between closest ranks (Hyndman & Fan type 7, the
 * default of R, NumPy and pandas), so our figures match a notebook's.
 * https://en.wikipedia.org/wiki/Quantile#Estimating_quantiles_from_a_sample
 * @example quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  // h = (n - 1) p: the fractional 0-based rank of the quantile.
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The median of sorted values: the middle one, or the mean of the two middle ones (the one
 * median of aov; equal to the type-7 quantile at 0.5, computed so that integer minor units
 * stay exact). NaN for no values.
 * https://en.wikipedia.org/wiki/Median
 * @example
 * medianSorted([1, 2, 4, 8]); // 3
 */
export function medianSorted(sorted: ArrayLike<number>): number {
  const length = sorted.length;
  if (length === 0) return NaN;
  return (sorted[(length - 1) >> 1] + sorted[length >> 1]) / 2;
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

export function mean(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : sum(values) / values.length;
}

/**
 * Trimmed mean: drop floor(share x n) values from each end, average the rest.
 * https://en.wikipedia.org/wiki/Truncated_mean
 * @example trimmedMeanSorted(Float64Array.of(1, 2, 3, 4, 100), 0.2) // 3
 */
export function trimmedMeanSorted(sorted: ArrayLike<number>, share = 0.05): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const cut = Math.floor(share * n);
  let total = 0;
  for (let i = cut; i < n - cut; i++) total += sorted[i];
  return total / (n - 2 * cut);
}

/**
 * Winsorized mean: values below the cut rank are raised to it, values above the top cut
 * lowered to it, then averaged. https://en.wikipedia.org/wiki/Winsorizing
 * @example winsorizedMeanSorted(Float64Array.of(1, 2, 3, 4, 100), 0.2) // (2+2+3+4+4)/5 = 3
 */
export function winsorizedMeanSorted(sorted: ArrayLike<number>, share = 0.05): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const cut = Math.floor(share * n);
  const low = sorted[cut];
  const high = sorted[n - 1 - cut];
  let total = cut * (low + high);
  for (let i = cut; i < n - cut; i++) total += sorted[i];
  return total / n;
}

/**
 * Median absolute deviation from the median, unscaled (multiply by 1.4826 for a
 * normal-consistent sigma). https://en.wikipedia.org/wiki/Median_absolute_deviation
 * @example madSorted(Float64Array.of(1, 1, 2, 2, 4, 6, 9)) // 1
 */
export function madSorted(sorted: ArrayLike<number>): number {
  if (sorted.length === 0) return NaN;
  return medianDeviationSorted(sorted, medianSorted(sorted));
}

/**
 * Median of |x - center| over sorted data, in O(n) without a second sort: the deviations
 * below and above the center are two sorted runs (walking outwards from the center), so the
 * middle of their merge is reached by a merge walk.
 */
export function medianDeviationSorted(sorted: ArrayLike<number>, center: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  // hi: the first index with a value >= center; lo walks down from hi - 1.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < center) lo = mid + 1;
    else hi = mid;
  }
  lo = hi - 1;
  const lowerRank = (n - 1) >> 1;
  const upperRank = n >> 1;
  let lower = NaN;
  for (let k = 0; k <= upperRank; k++) {
    let next: number;
    if (lo < 0) next = sorted[hi++] - center;
    else if (hi >= n) next = center - sorted[lo--];
    else if (center - sorted[lo] <= sorted[hi] - center) next = center - sorted[lo--];
    else next = sorted[hi++] - center;
    if (k === lowerRank) lower = next;
    if (k === upperRank) return (lower + next) / 2;
  }
  return NaN;
}
