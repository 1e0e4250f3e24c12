import { describe, expect, it } from 'vitest';
import { createRng } from '../src/analysis/random.js';
import { generateShop, reliability, runSimulation, trueExpectedNet, type ShopScore } from '../src/analysis/thresholdSimulation.js';

describe('threshold simulation harness (issue #16)', () => {
  it('generates the same shop for the same seed, within the stated ranges', () => {
    const a = generateShop(16, 3, { populationSize: 2000 });
    const b = generateShop(16, 3, { populationSize: 2000 });
    expect(a).toEqual(b);
    for (let id = 0; id < 40; id++) {
      const shop = generateShop(16, id, { populationSize: 500 });
      expect(shop.ordersPerYear).toBeGreaterThanOrEqual(300);
      expect(shop.ordersPerYear).toBeLessThanOrEqual(20_000);
      expect(shop.history.valueMinor.length).toBe(shop.ordersPerYear);
      expect(shop.truth.uptake).toBeGreaterThanOrEqual(0.05);
      expect(shop.truth.uptake).toBeLessThanOrEqual(0.3);
      expect(shop.truth.returnRate).toBeGreaterThanOrEqual(0.03);
      expect(shop.truth.returnRate).toBeLessThanOrEqual(0.18);
    }
  });

  it('computes the true expected net exactly: a brute-force simulation of customers agrees within its standard error', () => {
    // Independent computation: every population order below T decides with its own draw
    // whether to top up (u exp(-g / s)), picks an item priced >= g by its choice weight
    // (a linear scan, not the suffix sums), and returns it with probability rho.
    const shop = generateShop(16, 6, { populationSize: 4000 });
    const { uptake, decayScaleMinor, returnRate, itemPriceMinor, itemChoiceWeight, populationMinor } = shop.truth;
    let mean = 0;
    for (const v of shop.history.valueMinor) mean += v;
    const T = Math.round((mean / shop.ordersPerYear) * 1.2);
    const rng = createRng(77);
    const reps = 60;
    const perRep: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      let total = 0;
      for (const v of populationMinor) {
        if (v >= T) {
          total -= shop.giftCostMinor;
          continue;
        }
        const g = T - v;
        if (rng() >= uptake * Math.exp(-g / decayScaleMinor)) continue;
        let weight = 0;
        for (let k = 0; k < itemPriceMinor.length; k++) if (itemPriceMinor[k] >= g) weight += itemChoiceWeight[k];
        if (weight === 0) continue;
        let target = rng() * weight;
        let price = 0;
        for (let k = 0; k < itemPriceMinor.length; k++) {
          if (itemPriceMinor[k] < g) continue;
          target -= itemChoiceWeight[k];
          price = itemPriceMinor[k];
          if (target < 0) break;
        }
        total += (rng() < returnRate ? 0 : price * shop.margin) - shop.giftCostMinor;
      }
      perRep.push((total / populationMinor.length) * shop.ordersPerYear);
    }
    const average = perRep.reduce((a, b) => a + b, 0) / reps;
    const sd = Math.sqrt(perRep.reduce((a, b) => a + (b - average) ** 2, 0) / (reps - 1));
    const exact = trueExpectedNet(shop, T);
    expect(Math.abs(exact - average)).toBeLessThan(4 * (sd / Math.sqrt(reps)) + 1);
  });

  it('bins each shop once, at its best claimed candidate, for the reliability of P(net > 0)', () => {
    const shop = (claimedNets: number[], probabilities: number[], trueNets: number[]) => ({ claimedNets, probabilities, trueNets }) as unknown as ShopScore;
    const bins = reliability([
      shop([5, 9], [0.95, 0.2], [1, -1]), // best claimed is the second: P 0.2, loses
      shop([3], [0.92], [2]), // P 0.92, pays
      shop([1, 2], [0.1, 0.99], [-1, -3]), // P 0.99, loses
      shop([], [], []), // no candidates: not counted
    ], [0, 0.5, 1.0000001]);
    expect(bins.map((b) => [b.from, b.to, b.shops, b.trulyPositive])).toEqual([[0, 0.5, 1, 0], [0.5, 1, 2, 0.5]]);
    expect(bins[0].meanProbability).toBeCloseTo(0.2, 12);
    expect(bins[1].meanProbability).toBeCloseTo((0.92 + 0.99) / 2, 12);
  });

  it('scores 30 shops deterministically and counts what it summarises', () => {
    const run = () => runSimulation(16, 30, { model: 'legacy', resamples: 200, populationSize: 8000 });
    const first = run();
    expect(run().summary).toEqual(first.summary);
    const s = first.summary;
    expect(s.shops).toBe(30);
    expect(s.recommended).toBe(first.scores.filter((x) => x.recommended !== null).length);
    for (const score of first.scores) {
      if (score.recommended !== null) expect(score.probabilityPositive).toBeGreaterThanOrEqual(0.9);
      if (score.regret !== null) expect(score.regret).toBeGreaterThanOrEqual(0);
    }
  });

  it('the prior model\'s 90% intervals hold the true net far more often than the old model\'s, and it recommends no more often', () => {
    // The truth is the harness's own model (not aov's); the old model's intervals cover only the
    // orders' sampling noise, so they miss the true net for most candidates (issue #16: 1 of 33).
    const legacy = runSimulation(16, 30, { model: 'legacy', resamples: 200, populationSize: 8000 }).summary;
    const prior = runSimulation(16, 30, { model: 'prior', resamples: 200, populationSize: 8000 }).summary;
    expect(legacy.candidateCoverage).toBeLessThan(0.5);
    expect(prior.candidateCoverage).toBeGreaterThan(0.7);
    expect(prior.recommended).toBeLessThanOrEqual(legacy.recommended);
  });

  it('is calibrated where the truth is drawn from its stated prior (with another shape), and says less than the truth where customers reach farther', () => {
    // World 'prior': uptake, reach and returns from aov's own prior, the response exponential
    // (aov's is linear). A coherent P(net > 0) then matches how often shops truly pay: over 80
    // shops, each at its best claimed candidate, the mean P and the share that pays differ by a
    // few points (1,000 shops, seed 21, in bench/RESULTS.md: 12.9% against 15.0%). In the mixed
    // world, whose reach and overshoot run past the prior's, the same P falls short of the truth.
    const run = (world: 'prior' | 'mixed') => {
      const r = runSimulation(16, 80, { model: 'prior', world, resamples: 200, populationSize: 8000 });
      const [all] = reliability(r.scores, [0, 1.0000001]);
      return { gap: all.trulyPositive - all.meanProbability, coverage: r.summary.candidateCoverage };
    };
    const prior = run('prior');
    expect(Math.abs(prior.gap)).toBeLessThan(0.05);
    expect(prior.coverage).toBeGreaterThan(0.9);
    const mixed = run('mixed');
    expect(mixed.gap).toBeGreaterThan(0.05);
  }, 120_000);

  it('with a past threshold, reads each reach with its own windows: the calibrated intervals hold the true net far more often', () => {
    // The truth reaches farther than aov's point reach in many shops; reading the moved orders
    // only in the point reach's windows pinned them too low at every longer reach (issue #16):
    // on these 20 shops 59% of the calibrated 90% intervals held the true net; with each
    // reach's own windows 75% (the add-on overshoot) and 69% (the overshoot from the items
    // sold, this stop's default). Over 1,000 shops (seed 21) the two overshoots give 77.1% and
    // 77.3%: the 20-shop difference is these shops', so the bar sits between 59% and 69%.
    const r = runSimulation(5, 20, { model: 'calibrated', pastThreshold: true, resamples: 100, populationSize: 8000 });
    expect(r.summary.candidateCoverage).toBeGreaterThan(0.65);
    for (const score of r.scores) if (score.recommended !== null) expect(score.probabilityPositive).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
