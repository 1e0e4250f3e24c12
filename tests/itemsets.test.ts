import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/analysis/random.js';
import { mineFrequentItemsets } from '../src/analysis/itemsets.js';
import type { BasketTable } from '../src/analysis/types.js';
import { loadBasketFiles } from '../src/io/baskets.js';
import { loadOrders } from '../src/io/load.js';
import { DATA, fixture } from './helpers.js';

function basketsOf(lists: number[][], items: number): BasketTable {
  const sets = lists.map((l) => [...new Set(l)].sort((a, b) => a - b));
  const offsets = new Int32Array(sets.length + 1);
  sets.forEach((l, i) => (offsets[i + 1] = offsets[i] + l.length));
  return { offsets, items: Int32Array.from(sets.flat()), itemLabels: Array.from({ length: items }, (_, i) => `i${i}`) };
}

/** Brute force: count every subset up to size 3 of every basket. */
function bruteForce(lists: number[][], minCount: number, maxSize: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const l of lists) {
    const s = [...new Set(l)].sort((a, b) => a - b);
    const visit = (start: number, chosen: number[]) => {
      if (chosen.length) counts.set(chosen.join(','), (counts.get(chosen.join(',')) ?? 0) + 1);
      if (chosen.length === maxSize) return;
      for (let i = start; i < s.length; i++) visit(i + 1, [...chosen, s[i]]);
    };
    visit(0, []);
  }
  return new Map([...counts].filter(([, c]) => c >= minCount));
}

describe('frequent itemset mining', () => {
  it('agrees exactly with brute-force counting on random baskets', () => {
    const rng = createRng(42);
    const lists = Array.from({ length: 400 }, () => Array.from({ length: 1 + Math.floor(rng() * 6) }, () => Math.floor(rng() * rng() * 15)));
    const mined = mineFrequentItemsets(basketsOf(lists, 15), { minSupportCount: 8, maxSize: 3 });
    const expected = bruteForce(lists, 8, 3);
    const got = new Map(mined.itemsets.map((s) => [s.items.join(','), s.supportCount]));
    expect(got).toEqual(expected);
  });

  it('skips baskets larger than maxBasket for pairs and says how many', () => {
    const mined = mineFrequentItemsets(basketsOf([[0, 1], [0, 1], [0, 1, 2, 3]], 4), { minSupportCount: 2, maxSize: 2, maxBasket: 3 });
    expect(mined.skippedLargeBaskets).toBe(1);
    expect(mined.itemsets.find((s) => s.items.length === 2)).toEqual({ items: [0, 1], supportCount: 2 });
  });

  it('finds 815 / 917 / 269 / 24 / 1 itemsets in Online Retail at support 0.01, as mlxtend does', async () => {
    // Reference: ../shared/data/README.md (basket = invoice under the order rules, item = StockCode, nothing excluded).
    const { baskets } = await loadOrders([path.join(DATA, 'online_retail.csv.gz')], { currency: 'GBP' }, { baskets: { excludeItems: 'none' } });
    expect(baskets!.orderIds).toHaveLength(19960);
    expect(baskets!.baskets.itemLabels).toHaveLength(3922);
    const mined = mineFrequentItemsets(baskets!.baskets, { minSupportCount: Math.ceil(0.01 * 19960), maxSize: 5 });
    expect(mined.itemsetCounts).toEqual({ '1': 815, '2': 917, '3': 269, '4': 24, '5': 1 });
  });

  it('builds the same baskets without order ids (aov bundles) as with them (suggest-threshold)', async () => {
    const withIds = (await loadOrders([fixture('sample-orders.csv')], {}, { baskets: {} })).baskets!;
    const without = (await loadOrders([fixture('sample-orders.csv')], {}, { baskets: { orderIds: false }, basketsOnly: true })).baskets!;
    expect(withIds.orderIds.length).toBe(withIds.baskets.offsets.length - 1);
    expect(withIds.addOnPriceMinor.length).toBeGreaterThan(0);
    expect(without.orderIds).toEqual([]);
    expect(without.addOnPriceMinor).toHaveLength(0);
    expect(without.baskets).toEqual(withIds.baskets);
  });

  it('finds the 333 frequent itemsets of Groceries at support 0.01, as arules eclat does', async () => {
    const { baskets } = await loadBasketFiles([path.join(DATA, 'groceries.csv')], {}, {});
    const mined = mineFrequentItemsets(baskets.baskets, { minSupportCount: Math.ceil(0.01 * 9835), maxSize: 10 });
    expect(mined.itemsets).toHaveLength(333);
  });
});
