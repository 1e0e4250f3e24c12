/**
 * Frequent itemsets with exact counts (Agrawal & Srikant 1994; Zaki 2000 "Scalable
 * algorithms for association mining", IEEE TKDE 12(3)).
 *
 * Why this shape: pairs are counted by one scan over the baskets into a triangular typed
 * array (or a typed hash for many items), which costs sum(basket size^2) and no per-pair
 * objects, so tens of millions of lines fit. Larger itemsets use Eclat: depth-first over
 * sorted transaction-id lists, starting only from frequent pairs. Eclat beats FP-growth
 * here because after dropping infrequent items the tid-lists are short and intersections
 * of sorted Int32Arrays are cache-friendly; FP-growth's tree pays off on very dense data,
 * which order baskets are not.
 */
import type { BasketTable } from './types.js';

export interface FrequentItemset {
  /** Item numbers (indices into BasketTable.itemLabels), ascending. */
  items: number[];
  supportCount: number;
}

export interface MiningResult {
  baskets: number;
  minSupportCount: number;
  /** Size -> number of frequent itemsets of that size. */
  itemsetCounts: Record<string, number>;
  /** All frequent itemsets, by size then items. */
  itemsets: FrequentItemset[];
  /** Support count of every item (also the infrequent ones). */
  itemSupport: Int32Array;
  /** Baskets with more than maxBasket distinct items, left out of pairs and larger itemsets. */
  skippedLargeBaskets: number;
  /** The basket size limit applied (Infinity: none). */
  maxBasket: number;
}

export interface MiningOptions {
  minSupportCount: number;
  maxSize: number;
  /**
   * Baskets with more distinct items are left out of pairs and larger itemsets. 'auto'
   * (the default) skips none unless the pair scan would exceed `pairBudget` increments,
   * then skips the largest baskets until it fits: exact counts whenever they are affordable.
   */
  maxBasket?: number | 'auto';
  pairBudget?: number;
}

/** The largest basket size that keeps sum over baskets of C(frequent items, 2) within the budget. */
export function autoMaxBasket(sizes: Int32Array, budget: number): number {
  let total = 0;
  let largest = 0;
  for (const s of sizes) {
    total += (s * (s - 1)) / 2;
    if (s > largest) largest = s;
  }
  if (total <= budget) return Infinity;
  // Histogram of sizes, then drop from the top until the rest fits.
  const histogram = new Float64Array(largest + 1);
  for (const s of sizes) histogram[s]++;
  for (let size = largest; size > 1; size--) {
    total -= (histogram[size] * size * (size - 1)) / 2;
    if (total <= budget) return size - 1;
  }
  return 1;
}

/** Intersection of two ascending Int32Arrays into `out`; returns the length. */
function intersect(a: Int32Array, b: Int32Array, out: Int32Array): number {
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return k;
}

/**
 * Mines all itemsets with support count >= minSupportCount up to maxSize items.
 * @example mineFrequentItemsets({ offsets: Int32Array.of(0, 2, 4), items: Int32Array.of(0, 1, 0, 1), itemLabels: ['a', 'b'] }, { minSupportCount: 2, maxSize: 2 }).itemsetCounts // { '1': 2, '2': 1 }
 */
export function mineFrequentItemsets(baskets: BasketTable, options: MiningOptions): MiningResult {
  const n = baskets.offsets.length - 1;
  const itemCount = baskets.itemLabels.length;
  const minCount = Math.max(1, options.minSupportCount);

  // Step 1: item supports over all baskets.
  const itemSupport = new Int32Array(itemCount);
  for (let k = 0; k < baskets.items.length; k++) itemSupport[baskets.items[k]]++;

  // Step 2: frequent items, renumbered 0..F-1 in item order (so renumbered sets stay sorted).
  const rank = new Int32Array(itemCount).fill(-1);
  const frequent: number[] = [];
  for (let i = 0; i < itemCount; i++) {
    if (itemSupport[i] >= minCount) {
      rank[i] = frequent.length;
      frequent.push(i);
    }
  }
  const F = frequent.length;
  const itemsets: FrequentItemset[] = frequent.map((i) => ({ items: [i], supportCount: itemSupport[i] }));
  const counts: Record<string, number> = {};
  if (F > 0) counts['1'] = F;
  let skippedLargeBaskets = 0;
  if (options.maxSize < 2 || F < 2) return { baskets: n, minSupportCount: minCount, itemsetCounts: counts, itemsets, itemSupport, skippedLargeBaskets, maxBasket: Infinity };

  // Step 3: each basket's frequent items (renumbered), and per-item tid-lists for Eclat.
  // An explicit --max-basket counts all distinct items; 'auto' counts frequent ones, since only
  // they cost pair increments.
  const auto = options.maxBasket === undefined || options.maxBasket === 'auto';
  const sizes = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    if (!auto) {
      sizes[b] = baskets.offsets[b + 1] - baskets.offsets[b];
      continue;
    }
    let size = 0;
    for (let k = baskets.offsets[b]; k < baskets.offsets[b + 1]; k++) if (rank[baskets.items[k]] >= 0) size++;
    sizes[b] = size;
  }
  const maxBasket = auto ? autoMaxBasket(sizes, options.pairBudget ?? 5e8) : (options.maxBasket as number);
  const tidLength = new Int32Array(F);
  const filteredOffsets = new Int32Array(n + 1);
  const filteredItems = new Int32Array(baskets.items.length);
  let at = 0;
  for (let b = 0; b < n; b++) {
    const start = baskets.offsets[b];
    const end = baskets.offsets[b + 1];
    if (sizes[b] > maxBasket) {
      skippedLargeBaskets++;
      filteredOffsets[b + 1] = at;
      continue;
    }
    for (let k = start; k < end; k++) {
      const r = rank[baskets.items[k]];
      if (r >= 0) {
        filteredItems[at++] = r;
        tidLength[r]++;
      }
    }
    filteredOffsets[b + 1] = at;
  }

  // Step 4: pair counts in one scan: a triangular array when it fits, else a typed open-addressing hash.
  const pairCount = countPairs(filteredOffsets, filteredItems, F, n);
  const frequentPairs: [number, number, number][] = [];
  pairCount.forEach((a, b, c) => {
    if (c >= minCount) frequentPairs.push([a, b, c]);
  });
  frequentPairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  for (const [a, b, c] of frequentPairs) itemsets.push({ items: [frequent[a], frequent[b]], supportCount: c });
  if (frequentPairs.length) counts['2'] = frequentPairs.length;

  if (options.maxSize >= 3 && frequentPairs.length) {
    // Step 5: tid-lists of the frequent items (basket numbers ascending).
    const tids: Int32Array[] = Array.from({ length: F }, (_, r) => new Int32Array(tidLength[r]));
    const fill = new Int32Array(F);
    for (let b = 0; b < n; b++) {
      for (let k = filteredOffsets[b]; k < filteredOffsets[b + 1]; k++) {
        const r = filteredItems[k];
        tids[r][fill[r]++] = b;
      }
    }
    // Step 6: Eclat. The class of prefix [a] holds each b > a with {a, b} frequent and the
    // tid-list of {a, b}; extending [a, b] by c needs {a, c} frequent, so the class of
    // [a, b] is built from the other members of [a]'s class.
    const deeper: FrequentItemset[] = [];
    let p = 0;
    while (p < frequentPairs.length) {
      const a = frequentPairs[p][0];
      const members: { item: number; tids: Int32Array }[] = [];
      for (; p < frequentPairs.length && frequentPairs[p][0] === a; p++) {
        const b = frequentPairs[p][1];
        const out = new Int32Array(Math.min(tids[a].length, tids[b].length));
        const len = intersect(tids[a], tids[b], out);
        members.push({ item: b, tids: out.subarray(0, len) });
      }
      extend([a], members, 3);
    }
    function extend(prefix: number[], members: { item: number; tids: Int32Array }[], size: number) {
      if (size > options.maxSize) return;
      for (let i = 0; i < members.length; i++) {
        const next: { item: number; tids: Int32Array }[] = [];
        for (let j = i + 1; j < members.length; j++) {
          const out = new Int32Array(Math.min(members[i].tids.length, members[j].tids.length));
          const len = intersect(members[i].tids, members[j].tids, out);
          if (len >= minCount) {
            next.push({ item: members[j].item, tids: out.subarray(0, len) });
            deeper.push({ items: [...prefix, members[i].item, members[j].item].map((r) => frequent[r]), supportCount: len });
          }
        }
        if (next.length) extend([...prefix, members[i].item], next, size + 1);
      }
    }
    deeper.sort((x, y) => x.items.length - y.items.length || compareItems(x.items, y.items));
    for (const set of deeper) {
      itemsets.push(set);
      counts[String(set.items.length)] = (counts[String(set.items.length)] ?? 0) + 1;
    }
  }
  return { baskets: n, minSupportCount: minCount, itemsetCounts: counts, itemsets, itemSupport, skippedLargeBaskets, maxBasket };
}

function compareItems(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

interface PairCounter {
  forEach(visit: (a: number, b: number, count: number) => void): void;
}

/** Counts co-occurrences of renumbered items (a < b) over the filtered baskets. */
function countPairs(offsets: Int32Array, items: Int32Array, F: number, n: number): PairCounter {
  const triangular = (F * (F - 1)) / 2;
  if (triangular <= 40_000_000) {
    // Row a starts at a*F - a(a+1)/2; entry (a, b) at row(a) + (b - a - 1).
    const counts = new Int32Array(triangular);
    const rowStart = new Float64Array(F);
    for (let a = 0; a < F; a++) rowStart[a] = a * F - (a * (a + 1)) / 2;
    for (let b = 0; b < n; b++) {
      const s = offsets[b];
      const e = offsets[b + 1];
      for (let i = s; i < e; i++) {
        const base = rowStart[items[i]] - items[i] - 1;
        for (let j = i + 1; j < e; j++) counts[base + items[j]]++;
      }
    }
    return {
      forEach(visit) {
        for (let a = 0; a < F; a++) {
          const base = rowStart[a] - a - 1;
          for (let b = a + 1; b < F; b++) {
            const c = counts[base + b];
            if (c) visit(a, b, c);
          }
        }
      },
    };
  }
  // Open addressing with linear probing on key a * F + b (as a float64: F can exceed 2^16).
  let capacity = 1 << 20;
  let keys = new Float64Array(capacity).fill(-1);
  let values = new Int32Array(capacity);
  let size = 0;
  const insert = (key: number, add: number) => {
    let h = (Math.imul((key % 2147483647) | 0, 0x9e3779b1) >>> 0) & (capacity - 1);
    while (keys[h] !== -1 && keys[h] !== key) h = (h + 1) & (capacity - 1);
    if (keys[h] === -1) {
      keys[h] = key;
      size++;
    }
    values[h] += add;
  };
  for (let b = 0; b < n; b++) {
    const s = offsets[b];
    const e = offsets[b + 1];
    for (let i = s; i < e; i++) {
      for (let j = i + 1; j < e; j++) {
        insert(items[i] * F + items[j], 1);
        if (size * 2 > capacity) {
          // Grow and rehash.
          const oldKeys = keys;
          const oldValues = values;
          capacity *= 2;
          keys = new Float64Array(capacity).fill(-1);
          values = new Int32Array(capacity);
          size = 0;
          for (let h = 0; h < oldKeys.length; h++) if (oldKeys[h] !== -1) insert(oldKeys[h], oldValues[h]);
        }
      }
    }
  }
  return {
    forEach(visit) {
      for (let h = 0; h < capacity; h++) {
        if (keys[h] !== -1) visit(Math.floor(keys[h] / F), keys[h] % F, values[h]);
      }
    },
  };
}
