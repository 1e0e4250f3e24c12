/**
 * What support would find pairs when none reaches the asked one: the pair counts at the
 * lowest support that means anything (two baskets), read off from the top.
 */
import { mineFrequentItemsets } from './itemsets.js';
import type { BasketTable } from './types.js';

export interface SupportHint {
  /** Baskets holding the most frequent pair (0: no two items ever share a basket). */
  strongestPairCount: number;
  /** A support count that finds about `wanted` pairs: the count of the wanted-th strongest pair. */
  suggestedCount: number;
  /** Frequent pairs at suggestedCount (ties can make it more than wanted). */
  pairsAtSuggested: number;
}

/**
 * @example supportHint({ offsets: Int32Array.of(0, 2, 4, 6), items: Int32Array.of(0, 1, 0, 1, 1, 2), itemLabels: ['a', 'b', 'c'] }, 10)
 * // { strongestPairCount: 2, suggestedCount: 2, pairsAtSuggested: 1 }: {c, b} is seen once only
 */
export function supportHint(baskets: BasketTable, wanted = 10, maxBasket?: number): SupportHint {
  // Step 1: every pair seen in two baskets or more (once is no pattern).
  const mining = mineFrequentItemsets(baskets, { minSupportCount: 2, maxSize: 2, maxBasket });
  const counts = mining.itemsets.filter((s) => s.items.length === 2).map((s) => s.supportCount).sort((a, b) => b - a);
  if (counts.length === 0) return { strongestPairCount: 0, suggestedCount: 0, pairsAtSuggested: 0 };
  // Step 2: the wanted-th count from the top is the support that keeps about that many.
  const suggestedCount = counts[Math.min(wanted, counts.length) - 1];
  let pairsAtSuggested = 0;
  while (pairsAtSuggested < counts.length && counts[pairsAtSuggested] >= suggestedCount) pairsAtSuggested++;
  return { strongestPairCount: counts[0], suggestedCount, pairsAtSuggested };
}
