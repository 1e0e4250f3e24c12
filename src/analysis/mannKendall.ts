import { erfc } from './normal.js';

/** The Mann-Kendall trend test on a series in time order. */
export interface MannKendallResult {
  /** Number of (non-NaN) values tested. */
  n: number;
  /** Kendall's S: concordant minus discordant pairs, sum over i < j of sign(y_j - y_i). */
  s: number;
  /** Variance of S under "no trend", with the correction for tied values. */
  varS: number;
  /** Normal score with continuity correction: (S - 1)/sqrt(varS), (S + 1)/sqrt(varS), or 0. */
  z: number;
  /** Kendall's tau as S / (n(n-1)/2) (tau-a, the pymannkendall convention): in [-1, 1]. */
  tau: number;
  /** Two-sided p-value of "no monotonic trend" from the normal approximation. */
  p: number;
}

/** Fewer values than this and the normal approximation (and any trend claim) is meaningless. */
export const MANN_KENDALL_MIN_N = 4;

/**
 * The Mann-Kendall test for a monotonic trend (Mann 1945, Kendall 1975): S counts, over
 * all pairs i < j, +1 when the later value is larger and -1 when smaller. Under "no
 * trend" S has mean 0 and, with ties (groups of t equal values),
 *   Var(S) = [n(n-1)(2n+5) - sum over groups of t(t-1)(2t+5)] / 18,
 * and z = (S - sign(S)) / sqrt(Var(S)) is close to standard normal (the +-1 is the
 * continuity correction); p = 2 (1 - Phi(|z|)).
 * Hipel & McLeod, "Time Series Modelling of Water Resources" (1994) ch. 23;
 * https://en.wikipedia.org/wiki/Kendall_rank_correlation_coefficient#Hypothesis_test
 * Same conventions as pymannkendall.original_test (tau = S / (n(n-1)/2), i.e. tau-a).
 *
 * NaN entries are skipped: the remaining values keep their order, so a gap in a series
 * (an empty month) simply drops out. Returns null when fewer than 4 values remain
 * ("too few periods").
 *
 * O(n^2) pairs, meant for a few hundred periods, not for orders.
 *
 * @example
 * mannKendall([1, 2, 3, 4]);
 * // S = 6, varS = 4*3*13/18 = 8.667, z = 5/2.944 = 1.698, p = 0.0894, tau = 1
 */
export function mannKendall(y: ArrayLike<number>): MannKendallResult | null {
  // Keep the non-NaN values in time order.
  const values: number[] = [];
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i])) values.push(y[i]);
  const n = values.length;
  if (n < MANN_KENDALL_MIN_N) return null;

  // S: every later value compared with every earlier one.
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(values[j] - values[i]);
  }

  // Ties shrink the variance: a pair of equal values can only score 0.
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm(values)) / 18;

  // Continuity correction moves S one step toward 0 (S moves in steps of 2 without ties,
  // of 1 with them; 1 is the usual choice). All values tied gives varS = 0 and S = 0.
  let z = 0;
  if (varS > 0) {
    if (s > 0) z = (s - 1) / Math.sqrt(varS);
    else if (s < 0) z = (s + 1) / Math.sqrt(varS);
  }
  // Two-sided tail without cancellation: 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2).
  const p = erfc(Math.abs(z) / Math.SQRT2);
  const tau = s / ((n * (n - 1)) / 2);
  return { n, s, varS, z, tau, p };
}

/**
 * Sum over groups of equal values of t(t-1)(2t+5), the tie term of Var(S) shared by
 * Mann-Kendall and Sen's slope interval.
 *
 * @example
 * tieTerm([1, 2, 2, 3, 3, 3]); // 2*1*9 + 3*2*11 = 84
 */
export function tieTerm(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  let start = 0;
  // Walk the sorted values; each run of equal values is one tie group of size t.
  for (let i = 1; i <= sorted.length; i++) {
    if (i === sorted.length || sorted[i] !== sorted[start]) {
      const t = i - start;
      if (t > 1) total += t * (t - 1) * (2 * t + 5);
      start = i;
    }
  }
  return total;
}
