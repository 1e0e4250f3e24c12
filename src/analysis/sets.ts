/**
 * Sets apart from complements. Items almost always bought together (each in at least
 * `minConfidence` of the other's baskets, both ways: Online Retail's six HERB MARKER
 * products) are a set: a customer buys the series, and ten pairs of it say one thing ten
 * times. A set is shown once, offered once as a bundle of all its items, and its pairs leave
 * the pair ranking to the complements, items that go with each other without being one thing.
 *
 * Grouping is complete-linkage (every two members pass, a clique), built greedily from the
 * strongest pair down, so a chain a-b, b-c with a-c weak never makes one set.
 */
import { BUNDLE_DEFAULTS } from './bundleDefaults.js';
import type { PairRule } from './pairs.js';
import type { BasketTable } from './types.js';

export interface ItemSet {
  /** Items, ascending. */
  items: number[];
  /** Baskets holding every item of the set. */
  basketsWithAll: number;
  /** Baskets holding at least one of them. */
  basketsWithAny: number;
  /** The weakest confidence between two members (either direction). */
  minConfidence: number;
}

export interface SetSplit {
  sets: ItemSet[];
  /** The pairs that are not inside one set, in their order. */
  complements: PairRule[];
  /** Pairs inside a set, per set (same order as sets). */
  setPairs: PairRule[][];
}

/** Default: a member's baskets hold each other member at least 80% of the time, both ways (--set-share). */
export const SET_CONFIDENCE: number = BUNDLE_DEFAULTS.setShare;

/**
 * @example splitSets([{ a: 0, b: 1, confidence: [0.9, 0.9] } as PairRule, { a: 2, b: 3, confidence: [0.3, 0.4] } as PairRule], { offsets: Int32Array.of(0, 2), items: Int32Array.of(0, 1), itemLabels: ['a', 'b', 'c', 'd'] }).sets[0].items // [0, 1]
 */
export function splitSets(pairs: readonly PairRule[], baskets: BasketTable, minConfidence = SET_CONFIDENCE): SetSplit {
  // Step 1: the strong pairs (both confidences at least minConfidence), strongest first.
  const strength = (r: PairRule) => Math.min(r.confidence[0], r.confidence[1]);
  const strong = pairs.filter((r) => strength(r) >= minConfidence).sort((x, y) => strength(y) - strength(x) || y.supportCount - x.supportCount || x.a - y.a || x.b - y.b);
  const linked = new Set(strong.map((r) => `${r.a},${r.b}`));
  const isLinked = (x: number, y: number) => linked.has(x < y ? `${x},${y}` : `${y},${x}`);
  // Step 2: grow cliques greedily: join or merge only when every cross pair is strong.
  const setOf = new Map<number, number[]>();
  for (const r of strong) {
    const sa = setOf.get(r.a) ?? [r.a];
    const sb = setOf.get(r.b) ?? [r.b];
    if (sa === sb) continue;
    if (!sa.every((x) => sb.every((y) => isLinked(x, y)))) continue;
    const merged = [...sa, ...sb].sort((x, y) => x - y);
    for (const i of merged) setOf.set(i, merged);
  }
  const groups = [...new Set(setOf.values())];
  // Step 3: how often each set is bought whole, and at all.
  const sets = groups.map((items) => {
    const members = new Set(items);
    let all = 0;
    let any = 0;
    for (let b = 0; b + 1 < baskets.offsets.length; b++) {
      let found = 0;
      for (let k = baskets.offsets[b]; k < baskets.offsets[b + 1]; k++) if (members.has(baskets.items[k])) found++;
      if (found) any++;
      if (found === items.length) all++;
    }
    let weakest = 1;
    for (const r of pairs) if (members.has(r.a) && members.has(r.b)) weakest = Math.min(weakest, r.confidence[0], r.confidence[1]);
    return { items, basketsWithAll: all, basketsWithAny: any, minConfidence: weakest };
  });
  sets.sort((x, y) => y.basketsWithAll - x.basketsWithAll || y.items.length - x.items.length || x.items[0] - y.items[0]);
  // Step 4: pairs inside a set leave the ranking; the rest keep their order.
  const index = new Map<number, number>();
  sets.forEach((s, k) => s.items.forEach((i) => index.set(i, k)));
  const setPairs: PairRule[][] = sets.map(() => []);
  const complements: PairRule[] = [];
  for (const r of pairs) {
    const k = index.get(r.a);
    if (k !== undefined && k === index.get(r.b)) setPairs[k].push(r);
    else complements.push(r);
  }
  return { sets, complements, setPairs };
}
