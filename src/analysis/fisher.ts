/**
 * One-sided Fisher exact test for positive association in a 2x2 table (Fisher 1922):
 * with N baskets, nA holding A, nB holding B and nAB holding both, under independence the
 * overlap X is hypergeometric (population N, nA successes, nB draws), and
 *   p = P(X >= nAB) = sum_{k >= nAB} C(nA, k) C(N - nA, nB - k) / C(N, nB).
 * https://en.wikipedia.org/wiki/Fisher%27s_exact_test
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Gamma(x) for x > 0 by the Lanczos approximation (g = 7, n = 9), relative error ~1e-15.
 * https://en.wikipedia.org/wiki/Lanczos_approximation
 * @example logGamma(5) // ln(24) = 3.178053830347945
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln C(n, k). */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * P(X >= nAB) for the hypergeometric overlap; exact up to floating point for N up to 1e7.
 * @example fisherGreater(10, 5, 5, 5) // 1 / C(10, 5) = 1/252
 */
export function fisherGreater(N: number, nA: number, nB: number, nAB: number): number {
  const lo = Math.max(0, nA + nB - N);
  const hi = Math.min(nA, nB);
  if (nAB <= lo) return 1;
  if (nAB > hi) return 0;
  // ln P(X = k) for the first term, then the ratio recursion
  // P(k+1)/P(k) = (nA - k)(nB - k) / ((k + 1)(N - nA - nB + k + 1)), summed relative to P(nAB).
  const logFirst = logChoose(nA, nAB) + logChoose(N - nA, nB - nAB) - logChoose(N, nB);
  let term = 1;
  let total = 1;
  for (let k = nAB; k < hi; k++) {
    term *= ((nA - k) * (nB - k)) / ((k + 1) * (N - nA - nB + k + 1));
    total += term;
    if (term < total * 1e-17) break;
  }
  return Math.min(1, Math.exp(logFirst) * total);
}
