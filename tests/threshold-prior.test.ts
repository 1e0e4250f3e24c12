import { describe, expect, it } from 'vitest';
import { betaCdf, betaFromRange, betaSample, gammaSample, logGamma } from '../src/analysis/beta.js';
import { createRng } from '../src/analysis/random.js';
import { simulateThresholds, type ThresholdPrior } from '../src/analysis/threshold.js';
import { estimateOvershootQuantile, reachScales } from '../src/analysis/thresholdResponse.js';

/** I_x(a, b) for integer a, b as a binomial tail (an identity independent of the continued fraction): P(Binomial(a + b - 1, x) >= a). */
function binomialTail(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let total = 0;
  let choose = 1;
  for (let j = 0; j <= n; j++) {
    if (j > 0) choose = (choose * (n - j + 1)) / j;
    if (j >= a) total += choose * x ** j * (1 - x) ** (n - j);
  }
  return total;
}

describe('the Beta prior', () => {
  it('fits a Beta to a 90% range by the method of moments', () => {
    // By hand: mean 0.2; sd = 0.15 / 1.644854 = 0.0911935; variance 0.00831626;
    // k = 0.2 x 0.8 / 0.00831626 - 1 = 18.2396; alpha = 3.6479, beta = 14.5917.
    const { alpha, beta } = betaFromRange(0.05, 0.35);
    expect(alpha).toBeCloseTo(3.6479, 3);
    expect(beta).toBeCloseTo(14.5917, 3);
    // Its moments are the range's (the textbook Beta mean and variance).
    expect(alpha / (alpha + beta)).toBeCloseTo(0.2, 12);
    expect(Math.sqrt((alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1)))).toBeCloseTo(0.15 / 1.644854, 5);
  });

  it('computes the Beta CDF: closed forms, the binomial identity and the symmetry', () => {
    expect(betaCdf(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(betaCdf(0.3, 2, 1)).toBeCloseTo(0.09, 12);
    expect(betaCdf(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    for (const [x, a, b] of [[0.1, 2, 8], [0.25, 3, 12], [0.6, 5, 2], [0.9, 1, 30], [0.02, 4, 40]]) {
      expect(betaCdf(x, a, b)).toBeCloseTo(binomialTail(x, a, b), 10);
      expect(betaCdf(x, a, b) + betaCdf(1 - x, b, a)).toBeCloseTo(1, 12);
    }
    // ln Gamma at integers is ln((n - 1)!).
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });

  it('draws Gamma and Beta variates with the textbook mean and variance', () => {
    const rng = createRng(11);
    const n = 40_000;
    for (const shape of [0.6, 3.6]) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const g = gammaSample(rng, shape);
        s += g;
        s2 += g * g;
      }
      // Gamma(k, 1): mean k, variance k; the mean's standard error is sqrt(k / n).
      expect(Math.abs(s / n - shape)).toBeLessThan(4 * Math.sqrt(shape / n));
      expect(s2 / n - (s / n) ** 2).toBeCloseTo(shape, 0);
    }
    let below = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = betaSample(rng, 3.65, 14.6);
      total += x;
      if (x < 0.1) below++;
    }
    expect(Math.abs(total / n - 3.65 / 18.25)).toBeLessThan(0.002);
    // The share below 0.1 matches the CDF (binomial standard error about 0.002).
    expect(Math.abs(below / n - betaCdf(0.1, 3.65, 14.6))).toBeLessThan(0.01);
  });
});

describe('the robust overshoot', () => {
  it('averages, over gaps uniform on (0, reach), the q-quantile of the add-on prices above each gap minus the gap', () => {
    const prices = Float64Array.of(200, 300, 400, 500, 800, 1200, 5000, 9000);
    const reach = 600;
    // Independent: a plain loop per gap, filter, sort, type-7 quantile.
    const grid = 200;
    let total = 0;
    let counted = 0;
    for (let i = 0; i < grid; i++) {
      const g = ((i + 0.5) / grid) * reach;
      const closing = [...prices].filter((p) => p >= g).sort((a, b) => a - b);
      if (closing.length === 0) continue;
      const h = (closing.length - 1) * 0.5;
      const lo = Math.floor(h);
      const value = closing[lo] + (h - lo) * ((closing[lo + 1] ?? closing[lo]) - closing[lo]);
      total += value - g;
      counted++;
    }
    expect(estimateOvershootQuantile(prices, reach, 0.5)).toBeCloseTo(total / counted, 9);
    // The heavy tail pulls the mean far above the median: that is why the median is used.
    expect(estimateOvershootQuantile(prices, reach, 0.25)).toBeLessThan(estimateOvershootQuantile(prices, reach, 0.75));
  });

  it('spaces the reach prior evenly in log', () => {
    const s = reachScales(3);
    expect(s[0]).toBeCloseTo(1 / 3, 12);
    expect(s[3]).toBe(1);
    expect(s[6]).toBeCloseTo(3, 12);
    expect(s[4] / s[3]).toBeCloseTo(s[3] / s[2], 12);
  });
});

describe('the prior model on four orders, by hand', () => {
  // Orders 10, 40, 45, 60 (major). T = 50, reach 20 (one scale), overshoot 2, margin 0.5,
  // gift 1, returns 10%, uptake ~ Beta(2, 8) (mean 0.2).
  // 40: p = 0.5 p0, a kept top-up earns 0.9 x 12 x 0.5 = 5.4, minus the gift 1 -> 4.4 -> 2.2 p0.
  // 45: p = 0.75 p0, 0.9 x 7 x 0.5 - 1 = 2.15 -> 1.6125 p0. G = 3.8125 p0; the order at 60 costs 1.
  // Expected net = 0.2 x 3.8125 - 1 = -0.2375. Break-even p0 = 1 / 3.8125 = 0.262295; as a share of
  // the two carts within reach: 0.262295 x 1.25 / 2 = 0.163934; P(p0 >= it) = 1 - I(0.262295; 2, 8).
  const prior: ThresholdPrior = { uptake: { alpha: 2, beta: 8 }, reachScales: [1], overshootLowMinor: 200, overshootHighMinor: 200, returnLow: 0.1, returnHigh: 0.1 };
  const inputs = { valueMinor: Float64Array.of(1000, 4000, 4500, 6000), margin: 0.5, rewardMinor: 100, candidates: [5000], p0: 0.2, reachMinor: 2000, overshootMinor: 200, months: 1, prior, skipNeeded: true };

  it('gives the expected net, the break-even and its prior probability', () => {
    const c = simulateThresholds({ ...inputs, resamples: 50 }).candidates[0];
    expect(c.expectedNetMarginMinor).toBeCloseTo(-23.75, 9);
    expect(c.expectedTopUps).toBeCloseTo(0.25, 12);
    expect(c.breakEvenUptake!).toBeCloseTo(1 / 3.8125, 9);
    expect(c.breakEvenZoneShare!).toBeCloseTo(0.163934, 5);
    expect(c.priorProbabilityAboveBreakEven!).toBeCloseTo(1 - binomialTail(1 / 3.8125, 2, 8), 9);
  });

  it('gives P(net > 0) and the interval of an independent simulation of orders, top-ups and uptake', () => {
    const c = simulateThresholds({ ...inputs, resamples: 20_000, seed: 4 }).candidates[0];
    // Independent: each order weighs Poisson(1) (a bin of one order), p0 ~ Beta(2, 8) drawn as the
    // 2nd smallest of 9 uniforms (an order statistic, not the Gamma ratio), the top-ups of the
    // orders at 40 and 45 are Poisson(w p0 0.5) and Poisson(w p0 0.75), each worth 440 and 215, and the
    // order at 60 costs w x 100 (Knuth's Poisson written out here).
    const rng = createRng(99);
    const pois = (mean: number) => {
      let k = 0;
      let product = rng();
      while (product > Math.exp(-mean)) {
        k++;
        product *= rng();
      }
      return k;
    };
    const n = 20_000;
    const nets: number[] = [];
    const meanNets: number[] = [];
    for (let i = 0; i < n; i++) {
      const u = Array.from({ length: 9 }, () => rng()).sort((a, b) => a - b);
      const p0 = u[1];
      pois(1); // the order at 10, out of reach: its weight does not matter
      const w40 = pois(1);
      const w45 = pois(1);
      const w60 = pois(1);
      nets.push(pois(w40 * p0 * 0.5) * 440 + pois(w45 * p0 * 0.75) * 215 - w60 * 100);
      // The replicate's expected net over which orders top up: the Poisson means instead of draws.
      meanNets.push(w40 * p0 * 0.5 * 440 + w45 * p0 * 0.75 * 215 - w60 * 100);
    }
    const positive = nets.filter((x) => x > 0).length / n;
    // Two independent estimates of the same probability: within 4 binomial standard errors of each.
    expect(Math.abs(c.probabilityPositive - positive)).toBeLessThan(4 * Math.sqrt((2 * positive * (1 - positive)) / n));
    const meanPositive = meanNets.filter((x) => x > 0).length / n;
    expect(Math.abs(c.probabilityMeanPositive - meanPositive)).toBeLessThan(4 * Math.sqrt((2 * meanPositive * (1 - meanPositive)) / n));
    // (not the same probability: a window's top-up draws move the realised net away from its mean)
    expect(Math.abs(meanPositive - positive)).toBeGreaterThan(0.02);
    nets.sort((a, b) => a - b);
    expect(c.netLowMinor).toBe(nets[Math.floor(0.05 * (n - 1))]);
    const mean = nets.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - c.expectedNetMarginMinor)).toBeLessThan(5);
  });
});
