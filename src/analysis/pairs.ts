/**
 * Association measures for frequent pairs, both directions: support, confidence, lift
 * (Brin et al. 1997), leverage (Piatetsky-Shapiro 1991), conviction (Brin et al. 1997),
 * Jaccard, a one-sided Fisher p-value and its Benjamini-Hochberg q-value over all pairs.
 */
import { fisherGreater } from './fisher.js';
import type { FrequentItemset } from './itemsets.js';
import { benjaminiHochberg } from './multipleTesting.js';

export interface PairRule {
  a: number;
  b: number;
  supportCount: number;
  support: number;
  /** [a -> b, b -> a] */
  confidence: [number, number];
  lift: number;
  leverage: number;
  /** [a -> b, b -> a]; Infinity when the confidence is 1. */
  conviction: [number, number];
  jaccard: number;
  p: number;
  q: number;
}

export function pairRules(itemsets: readonly FrequentItemset[], itemSupport: Int32Array, baskets: number): PairRule[] {
  const N = baskets;
  const rules: PairRule[] = [];
  for (const set of itemsets) {
    if (set.items.length !== 2) continue;
    const [a, b] = set.items;
    const nA = itemSupport[a];
    const nB = itemSupport[b];
    const nAB = set.supportCount;
    const support = nAB / N;
    const confAB = nAB / nA;
    const confBA = nAB / nB;
    const sA = nA / N;
    const sB = nB / N;
    rules.push({
      a, b, supportCount: nAB, support,
      confidence: [confAB, confBA],
      lift: support / (sA * sB),
      leverage: support - sA * sB,
      conviction: [confAB === 1 ? Infinity : (1 - sB) / (1 - confAB), confBA === 1 ? Infinity : (1 - sA) / (1 - confBA)],
      jaccard: nAB / (nA + nB - nAB),
      p: fisherGreater(N, nA, nB, nAB),
      q: NaN,
    });
  }
  const q = benjaminiHochberg(rules.map((r) => r.p));
  rules.forEach((r, i) => (r.q = q[i]));
  return rules;
}

export type PairSort = 'lift' | 'support' | 'confidence' | 'margin';

export interface PairFilter {
  maxQ?: number;
  minConfidence?: number;
  minLift?: number;
}

/** Keeps pairs unlikely to be chance and above the thresholds (confidence in either direction). */
export function filterPairs(rules: readonly PairRule[], filter: PairFilter): PairRule[] {
  return rules.filter(
    (r) =>
      r.q <= (filter.maxQ ?? 0.05) &&
      Math.max(r.confidence[0], r.confidence[1]) >= (filter.minConfidence ?? 0) &&
      r.lift >= (filter.minLift ?? 0),
  );
}

/** Sorts by the key (descending), ties by support count then item labels, so output is stable. */
export function sortPairs(rules: PairRule[], by: PairSort, labels: readonly string[], marginOf?: (r: PairRule) => number): PairRule[] {
  const key = (r: PairRule) =>
    by === 'lift' ? r.lift : by === 'support' ? r.support : by === 'confidence' ? Math.max(...r.confidence) : (marginOf?.(r) ?? -Infinity);
  return rules.sort((x, y) => key(y) - key(x) || y.supportCount - x.supportCount || labels[x.a].localeCompare(labels[y.a]) || labels[x.b].localeCompare(labels[y.b]));
}

export interface Complement {
  item: number;
  supportCount: number;
  /** P(other | item) */
  confidence: number;
  lift: number;
  q: number;
}

/** What goes with `item`: its pairs ranked by confidence(item -> other), then lift, then count. */
export function complementsOf(item: number, rules: readonly PairRule[], labels: readonly string[]): Complement[] {
  const out: Complement[] = [];
  for (const r of rules) {
    if (r.a === item) out.push({ item: r.b, supportCount: r.supportCount, confidence: r.confidence[0], lift: r.lift, q: r.q });
    else if (r.b === item) out.push({ item: r.a, supportCount: r.supportCount, confidence: r.confidence[1], lift: r.lift, q: r.q });
  }
  return out.sort((x, y) => y.confidence - x.confidence || y.lift - x.lift || y.supportCount - x.supportCount || labels[x.item].localeCompare(labels[y.item]));
}
