import { describe, expect, it } from 'vitest';
import { betaFromRange } from '../src/analysis/beta.js';
import { bunching, placeboErrors } from '../src/analysis/bunching.js';
import { calibrateUptake } from '../src/analysis/calibration.js';
import { createRng } from '../src/analysis/random.js';
import { simulateThresholds, type ThresholdPrior } from '../src/analysis/threshold.js';
import { reachScales } from '../src/analysis/thresholdResponse.js';
import { generateShop, scoreCalibration, summariseCalibration, trueZoneShare } from '../src/analysis/thresholdSimulation.js';
import { lognormalOrders } from './helpers.js';

/** A shop where a threshold X ran: carts with gap g < reach top up with p0 (1 - g / reach), landing up to 3.00 above X. */
function withThreshold(base: Float64Array, X: number, reach: number, p0: number, seed: number): { values: Float64Array; moved: number } {
  const rng = createRng(seed);
  let moved = 0;
  const values = base.map((v) => {
    const gap = X - v;
    if (gap > 0 && gap < reach && rng() < p0 * (1 - gap / reach)) {
      moved++;
      return X + Math.round(rng() * 300);
    }
    return v;
  });
  return { values, moved };
}

describe('calibration from a past threshold (issue #16)', () => {
  it('widens the interval by the placebo thresholds, which measure the counterfactual\'s misfit where nothing happened', () => {
    const base = lognormalOrders(30000, 45, 0.55, 21);
    const { values } = withThreshold(base, 6000, 1000, 0.3, 5);
    const withPlacebos = bunching(values, 6000, { reachMinor: 1000, resamples: 200, seed: 2 });
    const bootstrapOnly = bunching(values, 6000, { reachMinor: 1000, resamples: 200, seed: 2, placebos: 0 });
    expect(withPlacebos.intervalSource).toBe('bootstrap and placebos');
    expect(bootstrapOnly.intervalSource).toBe('bootstrap');
    expect(withPlacebos.movedOrders).toBe(bootstrapOnly.movedOrders);
    expect(withPlacebos.movedOrdersLow).toBeLessThanOrEqual(bootstrapOnly.movedOrdersLow);
    expect(withPlacebos.movedOrdersHigh).toBeGreaterThanOrEqual(bootstrapOnly.movedOrdersHigh);
    // The placebos: none within two windows of X, and each is the same estimator at another amount.
    const sorted = Float64Array.from(values).sort();
    const { errors } = placeboErrors(sorted, 6000, { reachMinor: 1000 }, 60);
    expect(errors.length).toBe(withPlacebos.placebosUsed);
    expect(errors.length).toBeGreaterThanOrEqual(10);
    // On smooth lognormal orders the placebo errors are about standard normal (mean near 0, sd near 1 or a little more).
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    expect(Math.abs(mean)).toBeLessThan(1);
  });

  it('refuses a spike with no dip below it (a popular price, not a threshold) and says why', () => {
    const base = lognormalOrders(30000, 45, 0.55, 21);
    // 1,500 orders at exactly 61.00: single products at one price, nothing left from below.
    const values = Float64Array.from([...base, ...Array.from({ length: 1500 }, () => 6100)]);
    const c = calibrateUptake(values, 6000, 1500, reachScales(3), { seed: 1, resamples: 100 });
    expect(c.used).toBe(false);
    expect(c.bunching.consistent).toBe(false);
    expect(c.refusal).toMatch(/disagree .* the smooth counterfactual does not fit/);
    expect(c.uptakeByReach).toBeNull();
  });

  it('reads every reach the prior allows with its own windows, and leaves the stated prior where a reach cannot be read', () => {
    // A shop whose customers reach twice as far as the point reach (1,500) says: carts up to
    // 30.00 below X = 60.00 top up with 0.3 (1 - gap / 30.00), landing up to 10.00 above X.
    const base = lognormalOrders(40000, 45, 0.55, 21);
    const rng = createRng(5);
    let moved = 0;
    const values = base.map((v) => {
      const gap = 6000 - v;
      if (gap > 0 && gap < 3000 && rng() < 0.3 * (1 - gap / 3000)) {
        moved++;
        return 6000 + Math.round(rng() * 1000);
      }
      return v;
    });
    const scales = reachScales(3);
    const prior = betaFromRange(0.01, 0.02);
    const c = calibrateUptake(values, 6000, 1500, scales, { seed: 2, resamples: 200, priorUptake: prior });
    expect(c.used).toBe(true);
    const readings = c.byReach!;
    expect(readings.map((r) => r.scale)).toEqual(scales);
    // The point reach is the calibration's own bunching; every other reach is bunching at that
    // reach (same seed), computed here separately.
    const point = readings[scales.indexOf(1)];
    expect([point.movedOrders, point.priorBecause]).toEqual([c.bunching.movedOrders, null]);
    for (const r of readings) {
      const alone = bunching(values, 6000, { reachMinor: 1500 * r.scale, seed: 2, resamples: 200 });
      expect(r.movedOrders).toBe(alone.movedOrders);
      expect(r.priorBecause === null).toBe(Number.isFinite(alone.p0) && alone.consistent && alone.p0 <= 1);
    }
    // Read reaches: the Beta is centred on what that reading implies. Unread: the stated prior, as given.
    const means = c.uptakeByReach!.map((b) => b.alpha / (b.alpha + b.beta));
    readings.forEach((r, i) => {
      if (r.priorBecause === null) expect(Math.abs(means[i] - r.p0)).toBeLessThan(0.02);
      else expect(c.uptakeByReach![i]).toEqual(prior);
    });
    expect(readings.some((r) => r.priorBecause !== null)).toBe(true);
    // Wider windows see more of the moved orders (carts from further down, landings further up):
    // the read estimates rise with the reach, and the point's alone falls well short of the truth.
    const read = readings.filter((r) => r.priorBecause === null);
    expect(read.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < read.length; i++) expect(read[i].movedOrders).toBeGreaterThan(read[i - 1].movedOrders);
    expect(point.movedOrders).toBeLessThan(0.8 * moved);
    expect(read[read.length - 1].movedOrders).toBeGreaterThan(0.8 * moved);
  });

  it('the prior model with one uptake per reach averages the single-reach answers (expected net is linear in each)', () => {
    const orders = lognormalOrders(8000, 45, 0.5, 7);
    const base = { valueMinor: orders, margin: 0.4, rewardMinor: 200, candidates: [5400, 5800], p0: 0.2, reachMinor: 1500, overshootMinor: 300, resamples: 50, seed: 3, months: 12, skipNeeded: true };
    const scales = [0.5, 1, 2];
    const betas = [{ alpha: 8, beta: 12 }, { alpha: 4, beta: 16 }, { alpha: 2, beta: 18 }];
    const prior: ThresholdPrior = { uptake: betas[1], uptakeByReach: betas, reachScales: scales, overshootLowMinor: 200, overshootHighMinor: 400, returnLow: 0.05, returnHigh: 0.15 };
    const joint = simulateThresholds({ ...base, prior });
    const single = scales.map((s, r) => simulateThresholds({ ...base, prior: { ...prior, uptake: betas[r], uptakeByReach: undefined, reachScales: [s] } }));
    joint.candidates.forEach((c, k) => {
      const average = single.reduce((a, res) => a + res.candidates[k].expectedNetMarginMinor, 0) / scales.length;
      expect(c.expectedNetMarginMinor).toBeCloseTo(average, 6);
    });
  });

  it('scores the calibration on simulated shops with a past threshold: the truth is the share of carts in reach expected to top up', () => {
    const shop = generateShop(16, 3, { pastThreshold: true, populationSize: 500 });
    expect(shop.past!.moved).toBeGreaterThan(0);
    // The history holds the moved orders: as many orders, more revenue than without the threshold.
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    expect(shop.history.valueMinor.length).toBe(shop.past!.counterfactualMinor.length);
    expect(sum(shop.history.valueMinor)).toBeGreaterThan(sum(shop.past!.counterfactualMinor));
    // trueZoneShare recomputed by a plain loop.
    const { thresholdMinor, counterfactualMinor } = shop.past!;
    const reach = 2000;
    const zone = Array.from(counterfactualMinor).filter((v) => v >= thresholdMinor - reach && v < thresholdMinor);
    const expected = zone.reduce((a, v) => a + shop.truth.uptake * Math.exp(-(thresholdMinor - v) / shop.truth.decayScaleMinor), 0) / zone.length;
    expect(trueZoneShare(shop, reach)).toBeCloseTo(expected, 10);
    const scores = Array.from({ length: 12 }, (_, id) => scoreCalibration(generateShop(16, id, { pastThreshold: true, populationSize: 500 }), { resamples: 100 }));
    const summary = summariseCalibration(scores);
    expect(summary.shops).toBe(12);
    expect(summary.within30).toBe(scores.filter((s) => Math.abs(s.share / s.trueShare - 1) <= 0.3).length);
    // The used calibrations' 95% intervals hold the truth in most shops (bench/RESULTS.md: 200 shops).
    expect(summary.usedCovers / summary.used).toBeGreaterThanOrEqual(0.75);
  });
});
