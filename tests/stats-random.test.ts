import { describe, expect, it } from 'vitest';
import { createRng, poisson, poissonUniforms, randomInt } from '../src/analysis/random.js';

/**
 * Mulberry32 re-implemented with BigInt arithmetic modulo 2^32, straight from the
 * published C (Tommy Ettinger's gist): an independent check of the Math.imul / >>> version.
 */
function mulberry32BigInt(seed: number, count: number): number[] {
  const mask = (1n << 32n) - 1n;
  let state = BigInt(seed >>> 0);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5n) & mask;
    let z = state;
    z = ((z ^ (z >> 15n)) * (z | 1n)) & mask;
    z = (z ^ (z + (((z ^ (z >> 7n)) * (z | 61n)) & mask))) & mask;
    z = (z ^ (z >> 14n)) & mask;
    out.push(Number(z) / 2 ** 32);
  }
  return out;
}

describe('createRng', () => {
  it('matches an independent BigInt implementation of mulberry32', () => {
    for (const seed of [0, 1, 42, 123456789, 4294967295, -7]) {
      const rng = createRng(seed);
      const expected = mulberry32BigInt(seed, 1000);
      for (const value of expected) expect(rng()).toBe(value);
    }
  });

  it('skip(k) leaves the stream where k draws would, by the BigInt implementation', () => {
    for (const seed of [0, 1, 42, 4294967295, -7]) {
      for (const k of [0, 1, 2, 3, 999, 2 ** 31 + 5]) {
        const rng = createRng(seed);
        rng.skip(k);
        // The state after k Weyl steps is seed + k x the constant mod 2^32: the BigInt stream's (k+1)th value.
        const mask = (1n << 32n) - 1n;
        const start = Number((BigInt(seed >>> 0) + BigInt(k) * 0x6d2b79f5n) & mask);
        expect(rng()).toBe(mulberry32BigInt(start, 1)[0]);
      }
      // And against the draws themselves: skip(2) then a draw is the third draw.
      const drawn = createRng(seed);
      drawn();
      drawn();
      const skipped = createRng(seed);
      skipped.skip(2);
      expect(skipped()).toBe(drawn());
    }
  });

  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createRng(2024);
    const b = createRng(2024);
    const c = createRng(2025);
    const streamA = Array.from({ length: 50 }, () => a());
    expect(Array.from({ length: 50 }, () => b())).toEqual(streamA);
    expect(Array.from({ length: 50 }, () => c())).not.toEqual(streamA);
  });

  it('stays in [0, 1) and is uniform by a chi-square test over 10 bins', () => {
    const rng = createRng(7);
    const bins = new Array(10).fill(0);
    const draws = 100_000;
    let outside = 0;
    for (let i = 0; i < draws; i++) {
      const u = rng();
      if (!(u >= 0 && u < 1)) outside++;
      else bins[Math.floor(u * 10)]++;
    }
    expect(outside).toBe(0);
    const expected = draws / 10;
    const chiSquare = bins.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 27.88 is the 0.999 quantile of chi-square with 9 degrees of freedom (standard tables).
    expect(chiSquare).toBeLessThan(27.88);
  });

  it('has no visible lag-1 correlation', () => {
    const rng = createRng(99);
    const n = 50_000;
    const u = Array.from({ length: n }, () => rng() - 0.5);
    let product = 0;
    for (let i = 1; i < n; i++) product += u[i] * u[i - 1];
    // Correlation of independent uniforms: sd 1/sqrt(n) = 0.0045; 5 sd is 0.022.
    const correlation = product / (n - 1) / (1 / 12);
    expect(Math.abs(correlation)).toBeLessThan(0.022);
  });
});

describe('randomInt', () => {
  it('draws every integer in [0, n) and nothing else, about equally often', () => {
    const rng = createRng(3);
    const counts = new Array(6).fill(0);
    let invalid = 0;
    for (let i = 0; i < 60_000; i++) {
      const k = randomInt(rng, 6);
      if (!(Number.isInteger(k) && k >= 0 && k < 6)) invalid++;
      else counts[k]++;
    }
    expect(invalid).toBe(0);
    // Binomial(60000, 1/6): mean 10000, sd 91; 5 sd either side.
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(460);
  });
});

describe('poissonUniforms', () => {
  it('counts the uniforms a Poisson draw takes where the count is fixed, and says null where it is not', () => {
    for (const mean of [31, 160, 5000]) {
      // A draw, then the next uniform: it must be the one after poissonUniforms(mean) of them.
      const rng = createRng(11);
      poisson(rng, mean);
      const after = rng();
      const skipped = createRng(11);
      skipped.skip(poissonUniforms(mean)!);
      expect(skipped()).toBe(after);
    }
    expect(poissonUniforms(0)).toBe(0);
    expect(poissonUniforms(-1)).toBe(0);
    // The multiplication method takes one uniform per step: a random count.
    expect(poissonUniforms(30)).toBeNull();
    expect(poissonUniforms(0.5)).toBeNull();
  });
});
