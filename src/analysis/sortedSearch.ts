/** Binary searches over ascending arrays. */

/**
 * First index with sorted[k] >= value (sorted.length when none).
 * @example lowerBound(Float64Array.of(1, 2, 2, 5), 2); // 1
 */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * First index with sorted[k] > value (sorted.length when none).
 * @example upperBound([1, 2, 2, 5], 2); // 3
 */
export function upperBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
