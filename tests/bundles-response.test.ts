/**
 * The bundle response model (src/analysis/bundleResponse.ts): each statistic against an
 * independent computation (simple-statistics' probit, numerical integration, a dense grid).
 */
import { probit } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { offerEconomics } from '../src/analysis/bundleOffers.js';
import {
  breakEvenElasticity, expectedCapped, lognormalCdf, lognormalFromRange, lognormalMean, lognormalQuantile, probabilityAbove, responseMean,
  responseQuantile, responseValue, type CappedResponse,
} from '../src/analysis/bundleResponse.js';

// (Simpson's rule on a function with kinks: agreement to 1e-6, far below a cent.)
const { mu, sigma } = lognormalFromRange(0.6, 2.6);

/** Quantiles of the lognormal at N evenly spaced probabilities, by simple-statistics' probit (not normalQuantile). */
function grid(n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.exp(mu + sigma * probit((i + 0.5) / n)));
}

/** E[g(X)] for X lognormal(mu, sigma) by Simpson's rule over z in [-9, 9] with the normal density. */
function integrate(g: (x: number) => number): number {
  const steps = 20_000;
  const h = 18 / steps;
  let sum = 0;
  for (let k = 0; k <= steps; k++) {
    const z = -9 + k * h;
    const weight = k === 0 || k === steps ? 1 : k % 2 ? 4 : 2;
    sum += weight * g(Math.exp(mu + sigma * z)) * Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
  }
  return (sum * h) / 3;
}

describe('bundle response: the elasticity prior', () => {
  it('puts the 5% and 95% points of the lognormal at the range ends', () => {
    expect(lognormalQuantile(0.05, mu, sigma)).toBeCloseTo(0.6, 12);
    expect(lognormalQuantile(0.95, mu, sigma)).toBeCloseTo(2.6, 12);
    expect(Math.exp(mu + sigma * probit(0.95))).toBeCloseTo(2.6, 2); // probit reads a table: 2 decimals
    expect(lognormalCdf(2.6, mu, sigma)).toBeCloseTo(0.95, 12);
    expect(lognormalMean(mu, sigma)).toBeCloseTo(integrate((x) => x), 8);
  });

  it('gives the capped mean E[min(1, aX)] of numerical integration', () => {
    for (const a of [0.01, 0.2, 0.5, 1, 3]) expect(expectedCapped(a, mu, sigma)).toBeCloseTo(integrate((x) => Math.min(1, a * x)), 6);
    expect(expectedCapped(0, mu, sigma)).toBe(0);
  });
});

describe('bundle response: a net that is piecewise linear in the elasticity', () => {
  // A term that adds margin and caps at e = 1.25, one that loses and caps at e = 2.5: net rises, then falls.
  const f: CappedResponse = { constant: -300, terms: [{ weight: 1000, slope: 0.8 }, { weight: -500, slope: 0.4 }] };
  const values = grid(200_000).map((e) => responseValue(f, e)).sort((a, b) => a - b);

  it('evaluates the net at a point by hand', () => {
    // e = 1: 1000 x 0.8 - 500 x 0.4 - 300 = 300; e = 2: 1000 - 400 - 300 = 300; e = 3: 1000 - 500 - 300 = 200.
    expect([1, 2, 3].map((e) => responseValue(f, e))).toEqual([300, 300, 200]);
  });

  it('gives P(net > y) and the net\'s quantiles of a dense grid of the prior, though the net is not monotone', () => {
    for (const y of [-200, 0, 150, 250, 299]) {
      const share = values.filter((v) => v > y).length / values.length;
      expect(Math.abs(probabilityAbove(f, y, mu, sigma) - share)).toBeLessThan(2e-4);
    }
    for (const p of [0.05, 0.5, 0.95]) expect(responseQuantile(f, p, mu, sigma)).toBeCloseTo(values[Math.floor(p * values.length)], 0);
  });

  it('gives the mean of numerical integration', () => {
    expect(responseMean(f, mu, sigma)).toBeCloseTo(integrate((e) => responseValue(f, e)), 4);
  });

  it('finds the elasticity at which a net that rises with it turns positive', () => {
    // 1000 x 0.2 e - 300 > 0 from e = 1.5 (no cap below e = 5).
    expect(breakEvenElasticity({ constant: -300, terms: [{ weight: 1000, slope: 0.2 }] })).toBeCloseTo(1.5, 9);
    expect(breakEvenElasticity({ constant: -300, terms: [{ weight: 100, slope: 0.2 }] })).toBeNull();
  });
});

describe('bundle response: an offer\'s economics', () => {
  it('lets a part basket complete 2 x its price cut x the odds of buying both more often (the @example, by hand)', () => {
    // A (10.00, cost 4.00) + B (5.00, cost 2.00) at 13.50; one basket with both, one with A only.
    const baskets = { offsets: Int32Array.of(0, 2, 3), items: Int32Array.of(0, 1, 0), itemLabels: ['A', 'B'] };
    const e = offerEconomics([0, 1], baskets, Float64Array.of(1000, 500), Float64Array.of(400, 200), 1350, { model: 'elasticity', elasticity: { kind: 'known', value: 2 } });
    // Cut on B: 150 / 500 = 0.3; odds 1 / 1; uplift min(1, 2 x 0.3) = 0.6; gain 1350 - 1000 - 200 = 150; given 150.
    expect(e.expectedUplift).toBeCloseTo(0.6, 12);
    expect(e.expectedNetMinor).toBeCloseTo(0.6 * 150 - 150, 9);
    // At elasticity 4 the uplift would be 1.2: capped at every part basket.
    const capped = offerEconomics([0, 1], baskets, Float64Array.of(1000, 500), Float64Array.of(400, 200), 1350, { model: 'elasticity', elasticity: { kind: 'known', value: 4 } });
    expect(capped.expectedUplift).toBe(1);
    expect(capped.expectedNetMinor).toBe(0);
  });
});
