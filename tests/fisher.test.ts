import { describe, expect, it } from 'vitest';
import { fisherGreater, logGamma } from '../src/analysis/fisher.js';
import { benjaminiHochberg } from '../src/analysis/multipleTesting.js';

function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** Exact hypergeometric upper tail with BigInt arithmetic. */
function exactTail(N: number, nA: number, nB: number, nAB: number): number {
  let num = 0n;
  for (let k = nAB; k <= Math.min(nA, nB); k++) num += choose(nA, k) * choose(N - nA, nB - k);
  const den = choose(N, nB);
  // Scale to keep 15 significant digits when converting the ratio.
  return Number((num * 10n ** 18n) / den) / 1e18;
}

describe('Fisher exact test (one-sided, greater)', () => {
  it('matches hand-computed hypergeometric tails', () => {
    // N = 10, nA = 5, nB = 5, nAB = 5: only the table with full overlap, 1 / C(10,5) = 1/252.
    expect(fisherGreater(10, 5, 5, 5)).toBeCloseTo(1 / 252, 13);
    // nAB = 4: (C(5,4) C(5,1) + 1) / 252 = 26 / 252.
    expect(fisherGreater(10, 5, 5, 4)).toBeCloseTo(26 / 252, 13);
    // nAB at its minimum: P = 1.
    expect(fisherGreater(10, 5, 5, 0)).toBe(1);
  });

  it('agrees with exact rational arithmetic on random small tables', () => {
    for (const [N, nA, nB, nAB] of [[50, 10, 12, 5], [200, 40, 30, 12], [100, 60, 70, 45], [1000, 30, 25, 4]]) {
      expect(fisherGreater(N, nA, nB, nAB)).toBeCloseTo(exactTail(N, nA, nB, nAB), 12);
    }
  });

  it('stays finite and tiny for strong associations in large samples', () => {
    const p = fisherGreater(2_000_000, 5000, 4000, 3000);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1e-300);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9); // ln(100!)
  });
});

describe('Benjamini-Hochberg q-values', () => {
  it('equals the definition q_i = min over j >= i of m p_(j) / j', () => {
    const p = [0.01, 0.04, 0.03, 0.5, 0.001, 0.04];
    const m = p.length;
    const sorted = [...p].map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const expected = new Array(m).fill(0);
    sorted.forEach(([, i], r) => {
      let best = Infinity;
      for (let j = r; j < m; j++) best = Math.min(best, (m * sorted[j][0]) / (j + 1));
      expected[i] = Math.min(1, best);
    });
    expect(Array.from(benjaminiHochberg(p))).toEqual(expected);
  });
});
