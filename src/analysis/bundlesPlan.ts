/**
 * Which products to bundle and cross-sell, from baskets: frequent itemsets, pair rules with
 * significance, sets apart from complements, priced offers and what they give away.
 */
import { chooseOffer, pairHeldCounts, type BundleOffer, type OfferResponse, type UpliftAssumption } from './bundleOffers.js';
import { mineFrequentItemsets, type MiningResult } from './itemsets.js';
import { complementsOf, filterPairs, pairRules, sortPairs, type Complement, type PairRule, type PairSort } from './pairs.js';
import { groupProducts, productBaskets, resolveItem } from './products.js';
import { splitSets, type ItemSet } from './sets.js';
import { supportHint, type SupportHint } from './supportHint.js';
import type { BasketTable } from './types.js';
import { AovError, quoteValue } from '../errors.js';

export { BUNDLE_DEFAULTS } from './bundleDefaults.js';

/** The options of a bundles plan, parsed (src/commands/bundlesSettings.ts). */
export interface BundlesSettings {
  /** A share of baskets (below 1) or a count of baskets. */
  minSupport: { share: number } | { count: number };
  maxSize: number;
  maxBasket?: number;
  maxQ: number;
  minConfidence?: number;
  minLift?: number;
  sort: PairSort;
  /** How many complements to show (and offer, at most 10). */
  top: number;
  for?: string;
  item: 'sku' | 'product' | 'name';
  /** Bundle discount range, shares. */
  discount: [number, number];
  /** How part baskets respond to an offer: a flat uplift, or a price elasticity (the default). */
  response: OfferResponse;
  minBundleMargin: number;
  /** A set: each item in at least this share of every other's baskets, both ways (0.5 to 1). */
  setShare: number;
  /** Decimals of the price currency. */
  decimals: number;
}

/** The part of the loader's basket result a plan reads (src/io/baskets.ts BasketResult extends it). */
export interface BundleBaskets {
  baskets: BasketTable;
  /** Item label -> its most frequent name (most lines; ties: the name first in code-point order). */
  itemNames: string[];
  /** Lines of each item (rows of the export, not baskets). */
  itemLines: Float64Array;
  /** Every name an item was seen with and on how many lines: what `--for NAME` matches. */
  itemAliases: { item: number; name: string; lines: number }[];
  /** The export writes line names as "Product - Variant" (Shopify's Lineitem name). */
  variantNames: boolean;
  /**
   * Each item's parent product id as the export gives it (WooCommerce and PrestaShop
   * product_id beside a variation or combination), the one on most of its lines; null when
   * the export has none.
   */
  itemParents?: readonly (string | null)[];
  /** Lines whose SKU was empty and that used the product name instead. */
  nameFallbacks: number;
  /** Lines left out as non-products, and the pattern used. */
  excludedLines: number;
  excludedItems: string[];
  excludePattern: string | null;
  /** Of the excluded lines, those the export marks as shipping nothing (Lineitem requires shipping = false). */
  shipsNothingLines: number;
  /** The currency the item prices are in (the most common one when there are several). */
  priceCurrency: string;
}

export interface BundlesPlan {
  labels: readonly string[];
  names: readonly string[];
  currency: string;
  decimals: number;
  minSupport: number;
  mining: MiningResult;
  testedPairs: number;
  /** Pairs that pass the filters (q, confidence, lift); `pairs` is the top of them outside the sets. */
  keptPairs: number;
  /** What the pairs are sorted by, and the q they pass. */
  sort: string;
  maxQ: number;
  pairs: PairRule[];
  /** Items bought together almost always, and the pairs inside each (left out of `pairs`). */
  sets: ItemSet[];
  setPairs: PairRule[][];
  /** The set cut-off used (absent: views built before it was an option, 0.8). */
  setShare?: number;
  /** When no pair reaches the support: what support would find some. */
  supportHint: SupportHint | null;
  offers: BundleOffer[];
  /** The uplift the offers' nets assume, with the flat model (absent: the elasticity model, or views built before it existed). */
  uplift?: UpliftAssumption;
  /** The response model the offers' nets and discounts assume. */
  response?: OfferResponse;
  /** `matches`: every item the --for text matched, the chosen first. */
  complements: { item: number; list: Complement[]; matches?: string[] } | null;
  source: Record<string, unknown>;
  notes: string[];
  /** Every pair that passed the filters (for --csv). */
  allKept?: PairRule[];
}

/** "0.01" of 9,835 baskets is 99 (rounded up); a count stays a count. */
export function minSupportCountOf(minSupport: BundlesSettings['minSupport'], baskets: number): number {
  return 'share' in minSupport ? Math.ceil(minSupport.share * baskets - 1e-9) : Math.ceil(minSupport.count);
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Mining, significance, sets, offers and cross-sell on loaded baskets: what `aov bundles`,
 * `aov report` and `aov rules` show. Item costs, when known, are already on
 * result.baskets.itemCostMinor. Adds its notes to `notes`.
 */
export function planBundles(result: BundleBaskets, settings: BundlesSettings, notes: string[], source: Record<string, unknown>): BundlesPlan {
  const [minDiscount, maxDiscount] = settings.discount;
  if (result.nameFallbacks) notes.push(`${result.nameFallbacks} lines had no SKU and were named by product name.`);
  if (result.excludedLines) {
    const matched = result.excludedLines - result.shipsNothingLines;
    const why = [result.shipsNothingLines ? `${count(result.shipsNothingLines)} marked as shipping nothing` : '', matched ? `${count(matched)} matching ${result.excludePattern}` : ''].filter(Boolean).join(', ');
    notes.push(`${count(result.excludedLines)} lines that are not merchandise were left out of bundles (${result.excludedItems.slice(0, 8).join(', ')}${result.excludedItems.length > 8 ? ', ...' : ''}; ${why}; --exclude-items none keeps them).`);
  }

  const n = result.baskets.offsets.length - 1;
  if (n === 0) throw new AovError('E_NO_DATA', 'No baskets with items to mine.', { hint: 'Check the item column (--item, --map item=...) and --exclude-items.' });
  // Products, not variants: sizes and colours of one product are one item (--item product,
  // the default), or stay apart but are never offered as a bundle of each other (sku, name).
  const itemMode = settings.item;
  const grouping = groupProducts(result.baskets.itemLabels.map((label, i) => ({ label, name: result.itemNames[i] ?? '', lines: result.itemLines[i], parent: result.itemParents?.[i] })), { variantNames: result.variantNames });
  const byProduct = itemMode === 'product';
  const baskets = byProduct ? productBaskets(result.baskets, grouping.productOf, grouping.labels, grouping.representative) : result.baskets;
  const names = byProduct ? grouping.names : result.itemNames;
  const itemLines = byProduct ? grouping.lines : result.itemLines;
  const aliases = byProduct ? result.itemAliases.map((a) => ({ ...a, item: grouping.productOf[a.item] })) : result.itemAliases;
  const memberLabels = byProduct ? grouping.members.map((m) => m.map((i) => result.baskets.itemLabels[i])) : undefined;
  const productOf = byProduct ? Int32Array.from(grouping.labels, (_, p) => p) : grouping.productOf;
  const grouped = grouping.members.filter((m) => m.length > 1);
  if (byProduct && grouped.length) {
    const variants = grouped.reduce((sum, m) => sum + m.length, 0);
    const byParent = grouping.parentGrouped === grouped.length ? "the export's parent product id" : grouping.parentGrouped ? `the export's parent product id for ${count(grouping.parentGrouped)}` : '';
    const how = [byParent, result.variantNames ? '"Product - Variant" names' : '', grouping.parentGrouped < grouped.length ? 'SKUs differing in case or a size or letter suffix' : ''].filter(Boolean).join(', ');
    notes.push(`${count(variants)} SKUs are variants of ${count(grouped.length)} product${grouped.length === 1 ? '' : 's'} (${how}) and count as their product; --item sku mines each SKU.`);
  }
  const minSupportCount = minSupportCountOf(settings.minSupport, n);
  const mining = mineFrequentItemsets(baskets, { minSupportCount, maxSize: settings.maxSize, maxBasket: settings.maxBasket });
  if (mining.skippedLargeBaskets) {
    notes.push(`${mining.skippedLargeBaskets} baskets with more than ${mining.maxBasket} ${settings.maxBasket ? '' : 'frequent '}items were skipped for pairs and larger itemsets (${settings.maxBasket ? '--max-basket' : 'automatic, to bound the pair scan; --max-basket sets it'}).`);
  }


  const minedPairs = pairRules(mining.itemsets, mining.itemSupport, n);
  // Two variants of one product bought together are not a bundle (a second size, a swap).
  const allPairs = minedPairs.filter((r) => productOf[r.a] !== productOf[r.b]);
  if (allPairs.length < minedPairs.length) {
    notes.push(`${count(minedPairs.length - allPairs.length)} frequent pairs of two variants of one product are not shown as bundles (--item product, the default, counts them as one product).`);
  }
  const price = baskets.itemPriceMinor ?? new Float64Array(baskets.itemLabels.length).fill(NaN);
  const offerOptions = { minDiscount, maxDiscount, minBundleMargin: settings.minBundleMargin };
  // Each priced offer at the discount with the best expected net: the discount it gives the baskets
  // that already buy it all, against what it earns from the rest (chooseOffer).
  const response = settings.response;
  const offer = (items: number[], supportCount: number, held?: ReadonlyMap<number, number>) =>
    chooseOffer(items, supportCount, supportCount / n, baskets, price, baskets.itemCostMinor, offerOptions, response, held);
  // --sort margin ranks a pair by its offer as offered: the expected net at the discount chosen
  // (what the offers table shows), not the margin at the largest discount that keeps the floor.
  // A pair's basket counts come from the miner when it skipped no basket (exact then); else a scan.
  const pairOffers = new Map<string, BundleOffer>();
  const pairOffer = (r: PairRule) => {
    const key = `${r.a},${r.b}`;
    let made = pairOffers.get(key);
    if (!made) {
      const held = mining.skippedLargeBaskets === 0 ? pairHeldCounts(mining.itemSupport[r.a], mining.itemSupport[r.b], r.supportCount) : undefined;
      made = offer([r.a, r.b], r.supportCount, held);
      pairOffers.set(key, made);
    }
    return made;
  };
  const netOf = (r: PairRule) => pairOffer(r).economics?.expectedNetMinor ?? -Infinity;
  const kept = sortPairs(filterPairs(allPairs, { maxQ: settings.maxQ, minConfidence: settings.minConfidence, minLift: settings.minLift }), settings.sort, baskets.itemLabels, netOf);
  // Sets (bought together almost always) apart: shown once, offered once; the ranking is complements.
  const split = splitSets(kept, baskets, settings.setShare);
  const inSet = new Map<number, number>();
  split.sets.forEach((set, k) => set.items.forEach((i) => inSet.set(i, k)));
  const top = split.complements.slice(0, settings.top);
  // Offers: each set whole, the best complements, and the frequent triples whose pairs all passed (not inside one set).
  const keptKeys = new Set(kept.map((r) => `${r.a},${r.b}`));
  const triples = mining.itemsets.filter((s) => s.items.length === 3 && keptKeys.has(`${s.items[0]},${s.items[1]}`) && keptKeys.has(`${s.items[0]},${s.items[2]}`) && keptKeys.has(`${s.items[1]},${s.items[2]}`)
    && !(inSet.has(s.items[0]) && s.items.every((i) => inSet.get(i) === inSet.get(s.items[0]))));
  const offers = [
    ...split.sets.slice(0, 5).map((set) => offer(set.items, set.basketsWithAll)),
    ...top.slice(0, 10).map(pairOffer),
    ...triples.sort((x, y) => y.supportCount - x.supportCount).slice(0, 5).map((s) => offer(s.items, s.supportCount)),
  ];
  const uplift = response.model === 'flat' ? response.uplift : undefined;
  let complements: BundlesPlan['complements'] = null;
  if (settings.for !== undefined) {
    const resolved = resolveItem(settings.for, baskets.itemLabels, itemLines, aliases, memberLabels);
    if (!resolved) {
      throw new AovError('E_USAGE', `--for ${quoteValue(settings.for)}: no item in the baskets has this SKU or name.`, { hint: 'Use a SKU as in the export, or a product name (any case).' });
    }
    const chosen = resolved.item;
    if (resolved.matches.length > 1) {
      const others = resolved.matches.slice(1, 4).map((m) => `${baskets.itemLabels[m.item]} (${count(m.lines)} lines)`).join(', ');
      notes.push(`--for ${settings.for}: ${resolved.matches.length} items match; chose ${baskets.itemLabels[chosen]}, on the most lines (${count(itemLines[chosen])}), over ${others}${resolved.matches.length > 4 ? ', ...' : ''}.`);
    } else if (resolved.by === 'variant' && baskets.itemLabels[chosen] !== settings.for) {
      notes.push(`--for ${settings.for}: a variant of product ${baskets.itemLabels[chosen]} (${names[chosen]}); --item sku looks at the SKU alone.`);
    }
    complements = { item: chosen, list: complementsOf(chosen, filterPairs(allPairs, { maxQ: settings.maxQ }), baskets.itemLabels), matches: resolved.matches.map((m) => baskets.itemLabels[m.item]) };
  }
  return {
    labels: baskets.itemLabels, names, currency: result.priceCurrency, decimals: settings.decimals,
    minSupport: minSupportCount / n, mining, testedPairs: allPairs.length, keptPairs: kept.length, sort: settings.sort, maxQ: settings.maxQ, pairs: top, sets: split.sets, setPairs: split.setPairs, setShare: settings.setShare,
    supportHint: allPairs.length === 0 && settings.maxSize >= 2 ? supportHint(baskets, 10, settings.maxBasket) : null,
    offers, uplift, response, complements, source, notes, allKept: kept,
  };
}
