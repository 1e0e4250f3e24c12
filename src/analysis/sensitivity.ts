/**
 * Which unknown decides an answer: first-order sensitivity indices estimated from the
 * replicates a Monte Carlo run already made ("given data"), no extra model runs.
 */

export interface FirstOrderIndex {
  /**
   * S = Var(E[Y | X]) / Var(Y): the share of Y's variance that knowing X alone would remove
   * (0: X does not matter on its own; 1: X alone settles Y). Bias-corrected, clamped to [0, 1];
   * NaN when Y does not vary.
   */
  index: number;
  /** The groups of replicates by X (ascending X): X's range in each, and the mean of Y there. */
  groups: { low: number; high: number; count: number; meanY: number }[];
}

/**
 * The first-order (Sobol') sensitivity index of Y to X from paired draws, by the binning
 * ("given data") estimator: sort the replicates by X, cut them into groups of equal count
 * (or one group per distinct X when X takes few values, such as a reach scale), and take the
 * between-group variance of Y's group means over Y's variance:
 *   S = sum_g n_g (mean_g - mean)^2 / sum_i (y_i - mean)^2.
 * Under "X does not matter" the between-group sum is about (G - 1) x Var(Y) by chance, so that
 * is subtracted (a sum of squares' expectation under the null, as in one-way ANOVA) and the
 * result clamped to [0, 1].
 * Plischke, Borgonovo & Smith, "Global sensitivity measures from given data", European Journal
 * of Operational Research 226 (2013) 536-550; Saltelli et al., "Global Sensitivity Analysis:
 * The Primer" (2008) ch. 4. https://en.wikipedia.org/wiki/Variance-based_sensitivity_analysis
 *
 * Ties in X stay in one group (groups are cut only between distinct values), so a discrete X
 * is never split arbitrarily; the order of replicates with equal X does not matter.
 *
 * @example
 * // Y = X exactly: X settles Y.
 * firstOrderIndex(Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4), 4).index; // 1
 */
export function firstOrderIndex(x: ArrayLike<number>, y: ArrayLike<number>, groups = 10): FirstOrderIndex {
  const n = Math.min(x.length, y.length);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n || 1;
  let total = 0;
  for (let i = 0; i < n; i++) total += (y[i] - mean) ** 2;
  // Cut into about `groups` groups of equal count, never between equal values of X; when X
  // takes no more distinct values than that, one group per value.
  let distinct = n > 0 ? 1 : 0;
  for (let k = 1; k < n; k++) if (x[order[k]] !== x[order[k - 1]]) distinct++;
  const out: FirstOrderIndex['groups'] = [];
  const target = n / Math.max(1, groups);
  let start = 0;
  while (start < n) {
    let end = distinct <= groups ? start + 1 : Math.min(n, Math.max(start + 1, Math.round((out.length + 1) * target)));
    while (end < n && x[order[end]] === x[order[end - 1]]) end++;
    let sum = 0;
    for (let k = start; k < end; k++) sum += y[order[k]];
    out.push({ low: x[order[start]], high: x[order[end - 1]], count: end - start, meanY: sum / (end - start) });
    start = end;
  }
  if (!(total > 0)) return { index: NaN, groups: out };
  let between = 0;
  for (const g of out) between += g.count * (g.meanY - mean) ** 2;
  // E[between] under the null is (G - 1) x the variance of one draw, total / (n - 1).
  const chance = ((out.length - 1) * total) / Math.max(1, n - 1);
  return { index: Math.min(1, Math.max(0, (between - chance) / total)), groups: out };
}
