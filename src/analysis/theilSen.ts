import { tieTerm } from './mannKendall.js';
import { normalQuantile } from './normal.js';

/** A Theil-Sen line y = intercept + slope x with Sen's confidence interval for the slope. */
export interface TheilSenResult {
  /** Points used (pairs with finite x and y). */
  n: number;
  /** Median of the pairwise slopes, in y units per x unit. */
  slope: number;
  /** Median of y - slope x. */
  intercept: number;
  /** Lower end of the confidence interval for the slope (NaN when Var(S) is not positive). */
  low: number;
  /** Upper end of the confidence interval for the slope (NaN when Var(S) is not positive). */
  high: number;
}

/**
 * The Theil-Sen estimator (Theil 1950, Sen 1968): the slope is the median of the slopes
 * (y_j - y_i)/(x_j - x_i) over all pairs with x_i != x_j, the intercept the median of
 * y - slope x. It ignores up to 29% of wild points, so one huge month does not tilt it.
 *
 * The interval is Sen's (1968, eq. 2.6), computed as scipy.stats.theilslopes does:
 * with N slopes sorted ascending, C = z_{1-alpha/2} sqrt(Var(S)), where
 *   Var(S) = [n(n-1)(2n+5) - sum_x t(t-1)(2t+5) - sum_y t(t-1)(2t+5)] / 18
 * (tie groups in x and in y), the bounds are the sorted slopes at 0-based positions
 *   max(round((N - C)/2) - 1, 0) and min(round((N + C)/2), N - 1),
 * with round = round half to even (numpy's np.round).
 * P. K. Sen, "Estimates of the regression coefficient based on Kendall's tau",
 * JASA 63 (1968) 1379-1389; https://en.wikipedia.org/wiki/Theil%E2%80%93Sen_estimator
 * Note: the intercept is scipy's method='joint' (median of y - slope x).
 *
 * Points with a non-finite x or y are skipped. Returns null when fewer than two distinct
 * x remain (no slope exists). O(n^2 log n), meant for periods, not orders.
 *
 * @example
 * theilSen([0, 1, 2, 3], [10, 12, 13, 17]);
 * // slopes 2, 1.5, 7/3, 1, 2.5, 4 -> slope = median = (2 + 7/3)/2 = 2.1667
 * // intercept = median(10, 9.83, 8.67, 10.5) = 9.9167; low = 1, high = 4
 */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>, confidence = 0.95): TheilSenResult | null {
  if (x.length !== y.length) throw new RangeError('theilSen: x and y must have the same length');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('theilSen: confidence must be in (0, 1)');

  // Keep the usable points.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  const n = xs.length;

  // Every pair with distinct x gives one slope; pairs with equal x say nothing about it.
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = xs[j] - xs[i];
      if (dx !== 0) slopes[count++] = (ys[j] - ys[i]) / dx;
    }
  }
  if (count === 0) return null;
  const sorted = slopes.subarray(0, count).sort();
  const slope = medianOfSorted(sorted);

  // Intercept: the median residual level once the slope is taken out.
  const levels = new Float64Array(n);
  for (let i = 0; i < n; i++) levels[i] = ys[i] - slope * xs[i];
  const intercept = medianOfSorted(levels.sort());

  // Sen's interval: how many slopes a +-z sigma swing of Kendall's S covers on each side.
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm(xs) - tieTerm(ys)) / 18;
  let low = NaN;
  let high = NaN;
  if (varS > 0) {
    const halfWidth = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(varS);
    const lowerIndex = Math.max(roundHalfToEven((count - halfWidth) / 2) - 1, 0);
    const upperIndex = Math.min(roundHalfToEven((count + halfWidth) / 2), count - 1);
    low = sorted[lowerIndex];
    high = sorted[upperIndex];
  }
  return { n, slope, intercept, low, high };
}

function medianOfSorted(sorted: Float64Array): number {
  const length = sorted.length;
  return (sorted[(length - 1) >> 1] + sorted[length >> 1]) / 2;
}

/**
 * Round to the nearest integer, ties to even, as numpy's np.round (so we match scipy).
 *
 * @example
 * [0.5, 1.5, 2.5].map(roundHalfToEven); // [0, 2, 2]
 */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
