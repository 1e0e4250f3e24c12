/**
 * Benjamini-Hochberg adjusted p-values (q-values) controlling the false discovery rate
 * (Benjamini & Hochberg 1995): with p sorted ascending, q_(i) = min_{j >= i} m p_(j) / j,
 * capped at 1. https://en.wikipedia.org/wiki/False_discovery_rate#Benjamini%E2%80%93Hochberg_procedure
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const m = p.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
  const q = new Float64Array(m);
  let running = 1;
  // Walk from the largest p down, keeping the running minimum of m p / rank.
  for (let r = m; r >= 1; r--) {
    const i = order[r - 1];
    running = Math.min(running, (m * p[i]) / r);
    q[i] = Math.min(1, running);
  }
  return q;
}
