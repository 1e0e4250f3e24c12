import { describe, expect, it } from 'vitest';
import { mannKendall, tieTerm } from '../src/analysis/mannKendall.js';
import { createRng } from '../src/analysis/random.js';

describe('mannKendall', () => {
  it('scores a strictly rising series of four as S = 6 with p = 0.0894', () => {
    // By hand: all 6 pairs rise, S = 6; Var(S) = 4*3*13/18 = 8.6667;
    // z = (6 - 1)/sqrt(8.6667) = 1.698416; p = 2(1 - Phi(1.698416)) = 0.089429 (normal table).
    const result = mannKendall([1, 2, 3, 4])!;
    expect(result.n).toBe(4);
    expect(result.s).toBe(6);
    expect(result.varS).toBeCloseTo(156 / 18, 12);
    expect(result.z).toBeCloseTo(1.6984155512168937, 12);
    expect(result.p).toBeCloseTo(0.089429, 6);
    expect(result.tau).toBe(1);
  });

  it('applies the tie correction to the variance', () => {
    // y = 1 2 2 3 5. Pairs from 1: +4; from the first 2: 0 (the other 2), +1, +1;
    // from the second 2: +2; from 3: +1. S = 9. One tie group of t = 2:
    // Var(S) = (5*4*15 - 2*1*9)/18 = 282/18 = 15.6667; z = 8/sqrt(15.6667) = 2.021165;
    // p = 2(1 - Phi(2.021165)) = 0.043263; tau = 9/10.
    const result = mannKendall([1, 2, 2, 3, 5])!;
    expect(result.s).toBe(9);
    expect(result.varS).toBeCloseTo(282 / 18, 12);
    expect(result.z).toBeCloseTo(2.0211646105596457, 12);
    expect(result.p).toBeCloseTo(0.043263, 6);
    expect(result.tau).toBeCloseTo(0.9, 12);
  });

  it('gives a negative S and z for a falling series', () => {
    // S = -10, Var(S) = 5*4*15/18 = 16.6667, z = (-10 + 1)/4.08248 = -2.204541, p = 0.027486.
    const result = mannKendall([5, 4, 3, 2, 1])!;
    expect(result.s).toBe(-10);
    expect(result.z).toBeCloseTo(-2.2045407685048604, 12);
    expect(result.p).toBeCloseTo(0.027486, 6);
    expect(result.tau).toBe(-1);
  });

  it('finds no trend in an alternating series with two tie groups', () => {
    // 1000 1100 1000 1100 1000 1100: the 1000s see 3 + 2 + 1 later 1100s (+6), the 1100s
    // see 2 + 1 later 1000s (-3): S = 3. Var(S) = (6*5*17 - 2*(3*2*11))/18 = 378/18 = 21.
    // z = 2/sqrt(21) = 0.436436, p = 0.662521.
    const result = mannKendall([1000, 1100, 1000, 1100, 1000, 1100])!;
    expect(result.s).toBe(3);
    expect(result.varS).toBe(21);
    expect(result.p).toBeCloseTo(0.662521, 6);
  });

  it('returns z = 0 and p = 1 when every value is tied', () => {
    // Var(S) = (4*3*13 - 4*3*13)/18 = 0 and S = 0: no evidence of anything.
    const result = mannKendall([7, 7, 7, 7])!;
    expect(result).toMatchObject({ s: 0, varS: 0, z: 0, p: 1, tau: 0 });
  });

  it('returns null for fewer than four values', () => {
    expect(mannKendall([])).toBeNull();
    expect(mannKendall([1, 2, 3])).toBeNull();
  });

  it('skips NaN entries and keeps the order of the rest', () => {
    expect(mannKendall([1, NaN, 2, 3])).toBeNull();
    expect(mannKendall([1, NaN, 2, NaN, 3, 4])).toEqual(mannKendall([1, 2, 3, 4]));
  });

  it('agrees with a brute-force implementation on random series with ties', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 4 + Math.floor(rng() * 30);
      // Small integer range so ties are common.
      const y = Array.from({ length: n }, () => Math.floor(rng() * 8));
      // Brute force: S over pairs; tie groups counted with a Map.
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += y[j] > y[i] ? 1 : y[j] < y[i] ? -1 : 0;
      const groups = new Map<number, number>();
      for (const value of y) groups.set(value, (groups.get(value) ?? 0) + 1);
      let ties = 0;
      for (const t of groups.values()) ties += t * (t - 1) * (2 * t + 5);
      const varS = (n * (n - 1) * (2 * n + 5) - ties) / 18;
      const result = mannKendall(y)!;
      expect(result.s).toBe(s);
      expect(result.varS).toBeCloseTo(varS, 9);
      expect(result.tau).toBeCloseTo(s / ((n * (n - 1)) / 2), 12);
    }
  });
});

describe('tieTerm', () => {
  it('sums t(t-1)(2t+5) over groups of equal values', () => {
    // Groups: {2, 2} -> 2*1*9 = 18, {3, 3, 3} -> 3*2*11 = 66; total 84.
    expect(tieTerm([3, 1, 2, 3, 2, 3])).toBe(84);
    expect(tieTerm([1, 2, 3])).toBe(0);
  });
});
