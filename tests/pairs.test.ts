import { describe, expect, it } from 'vitest';
import { bundleOffer } from '../src/analysis/bundleOffers.js';
import { fisherGreater } from '../src/analysis/fisher.js';
import { complementsOf, filterPairs, pairRules } from '../src/analysis/pairs.js';

describe('pair rules', () => {
  it('computes support, confidence, lift, leverage, conviction and Jaccard by hand', () => {
    // N = 100 baskets; A in 20, B in 25, both in 10.
    const rules = pairRules([{ items: [0, 1], supportCount: 10 }], Int32Array.of(20, 25), 100);
    const r = rules[0];
    expect(r.support).toBe(0.1);
    expect(r.confidence).toEqual([0.5, 0.4]);
    // lift = 0.1 / (0.2 x 0.25) = 2; leverage = 0.1 - 0.05 = 0.05
    expect(r.lift).toBeCloseTo(2, 12);
    expect(r.leverage).toBeCloseTo(0.05, 12);
    // conviction A->B = (1 - 0.25) / (1 - 0.5) = 1.5; B->A = (1 - 0.2) / (1 - 0.4) = 4/3
    expect(r.conviction[0]).toBeCloseTo(1.5, 12);
    expect(r.conviction[1]).toBeCloseTo(4 / 3, 12);
    // Jaccard = 10 / (20 + 25 - 10) = 2/7
    expect(r.jaccard).toBeCloseTo(2 / 7, 12);
    expect(r.p).toBe(fisherGreater(100, 20, 25, 10));
    expect(r.q).toBe(r.p); // one test: q = p
  });

  it('filters by q, confidence and lift, and ranks complements by confidence', () => {
    const rules = pairRules(
      [{ items: [0, 1], supportCount: 30 }, { items: [0, 2], supportCount: 3 }, { items: [1, 2], supportCount: 10 }],
      Int32Array.of(40, 50, 20),
      200,
    );
    const kept = filterPairs(rules, { maxQ: 0.05 });
    expect(kept.map((r) => [r.a, r.b])).toEqual([[0, 1], [1, 2]]);
    const complements = complementsOf(1, rules, ['a', 'b', 'c']);
    // P(a|b) = 30/50 = 0.6, P(c|b) = 10/50 = 0.2
    expect(complements.map((c) => [c.item, c.confidence])).toEqual([[0, 0.6], [2, 0.2]]);
  });
});

describe('bundle offers', () => {
  it('takes the largest discount in 5-10% that keeps a 30% margin', () => {
    // List 15.00, cost 9.50: at 10% the price is 13.50, margin 4.00/13.50 = 29.6% < 30%;
    // at 9% 13.65, margin 4.15/13.65 = 30.4% -> 9%.
    const offer = bundleOffer([0, 1], 12, 0.06, Float64Array.of(1000, 500), Float64Array.of(600, 350));
    expect(offer.discount).toBe(0.09);
    expect(offer.bundlePriceMinor).toBe(1365);
    expect(offer.marginMinor).toBe(415);
    expect(offer.viable).toBe(true);
  });

  it('says margins are unknown without costs, and not viable when no discount keeps the floor', () => {
    const unknown = bundleOffer([0, 1], 12, 0.06, Float64Array.of(1000, 500), undefined);
    expect(unknown).toMatchObject({ marginKnown: false, marginMinor: null, discount: 0.05, bundlePriceMinor: 1425 });
    expect(unknown.note).toMatch(/costs unknown/);
    const thin = bundleOffer([0, 1], 12, 0.06, Float64Array.of(1000, 500), Float64Array.of(900, 450));
    expect(thin.viable).toBe(false);
    expect(thin.note).toMatch(/under the 30% floor/);
  });
});
