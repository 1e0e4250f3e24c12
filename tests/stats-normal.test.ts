import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalQuantile } from '../src/analysis/normal.js';

/** Phi(z) by composite Simpson integration of the density from 0: independent of erfc. */
function simpsonCdf(z: number): number {
  const steps = 2000;
  const h = z / steps;
  const density = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let sum = density(0) + density(z);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return 0.5 + (sum * h) / 3;
}

describe('normalCdf and erfc', () => {
  it('reproduces published values to 1e-15', () => {
    // Abramowitz & Stegun table 26.1 / 7.1 (more digits from a 40-digit mpmath evaluation).
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 15);
    expect(normalCdf(3)).toBeCloseTo(0.9986501019683699, 15);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 15);
    expect(erfc(0.5)).toBeCloseTo(1 - 0.5204998778130465, 15);
  });

  it('keeps relative accuracy deep in the lower tail', () => {
    // mpmath, 40 digits: Phi(-5) = 2.866515718791939e-7, Phi(-10) = 7.619853024160525e-24.
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 12);
    expect(normalCdf(-10) / 7.619853024160525e-24).toBeCloseTo(1, 12);
    expect(normalCdf(-40)).toBe(0);
  });

  it('agrees with numerical integration of the density in each of the three Cody ranges', () => {
    for (const z of [-3.7, -2.5, -1, -0.6, -0.2, 0.1, 0.4, 0.66, 1.3, 2.8, 5.9, 7.5]) {
      expect(normalCdf(z)).toBeCloseTo(simpsonCdf(z), 12);
    }
  });

  it('is symmetric: Phi(z) + Phi(-z) = 1', () => {
    for (let z = -6; z <= 6; z += 0.37) expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 15);
  });
});

describe('normalQuantile', () => {
  it('reproduces the textbook critical values', () => {
    // The usual z table: 1.959963984540054 (95% two-sided), 2.5758293035489004 (99%),
    // 1.6448536269514722 (90%); tail value from mpmath: Phi^-1(1e-10) = -6.361340902404056.
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489004, 14);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 13);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('inverts normalCdf across the whole range, including both tail regions', () => {
    for (const p of [1e-300, 1e-12, 1e-4, 0.0242, 0.0243, 0.2, 0.5, 0.77, 0.9757, 0.999, 1 - 1e-9]) {
      const z = normalQuantile(p);
      expect(normalCdf(z) / p).toBeCloseTo(1, 12);
    }
  });

  it('returns infinities at 0 and 1 and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
    expect(normalQuantile(NaN)).toBeNaN();
  });
});
