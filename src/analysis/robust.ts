/**
 * Outlier-robust summaries of order values. All functions take values sorted ascending
 * (sort once, reuse everywhere) and return plain numbers in the values' own units.
 */

/** Sorts a copy ascending (typed-array sort is numeric, unlike Array#sort). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

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
