/** `aov bundles`: baskets -> frequent itemsets -> pair rules -> offers -> render. */
import { bundleOffer, offerEconomics, type UpliftAssumption } from '../analysis/bundleOffers.js';
import { betaFromRange } from '../analysis/beta.js';
import { mineFrequentItemsets } from '../analysis/itemsets.js';
import { groupProducts, productBaskets, resolveItem } from '../analysis/products.js';
import { splitSets } from '../analysis/sets.js';
import { supportHint } from '../analysis/supportHint.js';
import { complementsOf, filterPairs, pairRules, sortPairs, type PairRule, type PairSort } from '../analysis/pairs.js';
import { AovError, quoteValue } from '../errors.js';
import { loadBasketFiles, type BasketOptions, type BasketResult } from '../io/baskets.js';
import { loadCosts } from '../io/costs.js';
import { currencyDecimals, exactMinor } from '../io/currency.js';
import { loadOrders } from '../io/load.js';
import { loadJoinedBaskets } from '../io/multiTable.js';
import { writeFileAtomic } from '../io/output.js';
import { emitRules } from '../io/rulesFile.js';
import { stringify } from '../report/analyzeJson.js';
import { createStyle, decideColor, formatCount } from '../report/format.js';
import { bundleRules, bundlesCsv, bundlesJson, renderBundles, type BundlesView } from '../report/bundlesRender.js';
import { formatMessages } from '../report/messages.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';
import { parseDiscountRangeText, parseShareRangeText, parseShareText, VALUE_SPECS } from './optionSpecs.js';

export interface BundlesOptions extends InputCliOptions {
  minSupport: string;
  maxSize: number;
  minConfidence?: number;
  minLift?: number;
  maxQ: number;
  sort: PairSort;
  top: number;
  for?: string;
  item: 'sku' | 'product' | 'name';
  itemPattern?: string;
  excludeItems?: string;
  maxBasket?: number;
  costs?: string;
  bundleDiscount: string;
  bundleUplift?: string;
  minBundleMargin: number;
  emit?: string;
  csv?: string;
  force?: boolean;
  json?: boolean;
  color?: boolean;
}

/** "0.01" is a share of baskets, "20" a count of baskets. */
export function parseMinSupport(text: string, baskets: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new AovError('E_USAGE', `--min-support ${quoteValue(text)}: expected ${VALUE_SPECS.minSupport.expected}.`, { hint: VALUE_SPECS.minSupport.hint });
  }
  return value < 1 ? Math.ceil(value * baskets - 1e-9) : Math.ceil(value);
}

/** "5-10" (percent), "0.05-0.10", or one value "8%". */
export function parseDiscountRange(text: string): [number, number] {
  const range = parseDiscountRangeText(text);
  if (!range) throw new AovError('E_USAGE', `--bundle-discount ${quoteValue(text)}: expected ${VALUE_SPECS.bundleDiscount.expected}.`, { hint: VALUE_SPECS.bundleDiscount.hint });
  return range;
}

/** The default uplift: 2-10% of the baskets with part of a bundle would complete it (a stated prior, 90% range). */
export const DEFAULT_BUNDLE_UPLIFT = '0.02-0.10';

/** "0.05" or "5%": known; "2-10%": a Beta prior with that 90% range (the threshold's uptake treatment). */
export function parseUplift(text: string): UpliftAssumption {
  const range = parseShareRangeText(text);
  if (range && range[0] > 0 && range[0] < range[1]) return { kind: 'prior', ...betaFromRange(range[0], range[1]), low: range[0], high: range[1] };
  const single = range && range[0] === range[1] ? range[0] : parseShareText(text);
  if (single !== undefined) return { kind: 'known', uplift: single };
  throw new AovError('E_USAGE', `--bundle-uplift ${quoteValue(text)}: expected ${VALUE_SPECS.bundleUplift.expected}.`, { hint: VALUE_SPECS.bundleUplift.hint });
}

export async function bundles(files: string[], options: BundlesOptions): Promise<number> {
  // Products are grouped from SKUs (or names) after reading: the io reads SKUs.
  const basketOptions: BasketOptions = { item: options.item === 'name' ? 'name' : 'sku', itemPattern: options.itemPattern, excludeItems: options.excludeItems };
  let result: BasketResult;
  const notes: string[] = [];
  let source: Record<string, unknown>;
  if (options.format === ('baskets' as string)) {
    const loaded = await loadBasketFiles(requireInputs(files, options), { delimiter: options.delimiter }, basketOptions);
    result = loaded.baskets;
    source = { format: 'baskets', ...loaded.summary };
    if (loaded.summary.emptyBaskets) notes.push(`${loaded.summary.emptyBaskets} empty lines were skipped.`);
    if (loaded.summary.repeatedItems) notes.push(`${loaded.summary.repeatedItems} items repeated inside a basket were counted once.`);
  } else if (options.orders && options.items) {
    const loaded = await loadJoinedBaskets({ orders: options.orders, items: options.items, products: options.products }, basketOptions);
    result = loaded.baskets;
    source = { format: 'multi-table', ...loaded.join };
    if (loaded.join.itemsWithoutOrder) notes.push(`${loaded.join.itemsWithoutOrder} item lines have no order in ${options.orders} and are left out.`);
    if (loaded.join.ordersWithoutItems) notes.push(`${loaded.join.ordersWithoutItems} orders have no item line.`);
    if (loaded.join.itemsWithoutProduct) notes.push(`${loaded.join.itemsWithoutProduct} item lines have no product in ${options.products} (named by id).`);
  } else {
    const loaded = await loadOrders(requireInputs(files, options), toLoadOptions(options), { baskets: { ...basketOptions, orderIds: false }, basketsOnly: true });
    const orderLevel = loaded.input.perFile.filter((f) => !f.hasLineItems);
    if (orderLevel.length) {
      throw new AovError('E_USAGE', `${orderLevel.map((f) => f.file).join(', ')}: a ${orderLevel[0].format} export has no line items; bundles need them.`, {
        hint: 'Export the order lines (products per order) from the shop, or use a line-item export.',
      });
    }
    result = loaded.baskets!;
    source = { format: loaded.input.format, files: loaded.input.files, rows: loaded.input.rows, rowsUsed: loaded.input.rowsUsed, excluded: loaded.input.excluded, rejected: loaded.input.rejected };
    if (loaded.input.perFile.some((f) => f.format === 'woocommerce-analytics')) {
      notes.push('WooCommerce Analytics packs products as "2× Name, 1× Other": pair mining is approximate when product names contain commas.');
    }
  }
  const view = await buildBundlesView(result, options, notes, source);
  if (options.csv) await writeFileAtomic(options.csv, bundlesCsv({ ...view, pairs: view.allKept }), { force: options.force });
  if (options.emit) await emitRules(options.emit, bundleRules(view), Boolean(options.force));
  if (options.json) process.stdout.write(stringify(bundlesJson(view)));
  else process.stdout.write(renderBundles(view, createStyle(decideColor(options.color))));
  process.stderr.write(formatMessages('note', view.notes));
  return 0;
}

/** Mining, significance, offers and cross-sell on loaded baskets: the part `aov report` shares. */
export async function buildBundlesView(
  result: BasketResult,
  options: Pick<BundlesOptions, 'minSupport' | 'maxSize' | 'maxBasket' | 'costs' | 'maxQ' | 'minConfidence' | 'minLift' | 'sort' | 'top' | 'for' | 'bundleDiscount' | 'minBundleMargin'> & { item?: BundlesOptions['item']; bundleUplift?: string },
  notes: string[],
  source: Record<string, unknown>,
): Promise<BundlesView & { allKept: PairRule[] }> {
  const [minDiscount, maxDiscount] = parseDiscountRange(options.bundleDiscount);
  if (result.nameFallbacks) notes.push(`${result.nameFallbacks} lines had no SKU and were named by product name.`);
  if (result.excludedLines) {
    const matched = result.excludedLines - result.shipsNothingLines;
    const why = [result.shipsNothingLines ? `${formatCount(result.shipsNothingLines)} marked as shipping nothing` : '', matched ? `${formatCount(matched)} matching ${result.excludePattern}` : ''].filter(Boolean).join(', ');
    notes.push(`${formatCount(result.excludedLines)} lines that are not merchandise were left out of bundles (${result.excludedItems.slice(0, 8).join(', ')}${result.excludedItems.length > 8 ? ', ...' : ''}; ${why}; --exclude-items none keeps them).`);
  }

  const n = result.baskets.offsets.length - 1;
  if (n === 0) throw new AovError('E_NO_DATA', 'No baskets with items to mine.', { hint: 'Check the item column (--item, --map item=...) and --exclude-items.' });
  if (options.costs) {
    const costFile = await loadCosts(options.costs);
    const decimals = currencyDecimals(result.priceCurrency);
    const sku = result.baskets;
    const cost = sku.itemCostMinor ?? new Float64Array(sku.itemLabels.length).fill(NaN);
    let matched = 0;
    sku.itemLabels.forEach((label, i) => {
      const c = costFile.costs.get(label);
      if (c !== undefined) {
        cost[i] = exactMinor(c, decimals);
        matched++;
      }
    });
    sku.itemCostMinor = cost;
    notes.push(`${options.costs}: costs for ${matched} of ${sku.itemLabels.length} items${costFile.rejected ? `; ${costFile.rejected} rows unreadable` : ''}.`);
  }

  // Products, not variants: sizes and colours of one product are one item (--item product,
  // the default), or stay apart but are never offered as a bundle of each other (sku, name).
  const itemMode = options.item ?? 'product';
  const grouping = groupProducts(result.baskets.itemLabels.map((label, i) => ({ label, name: result.itemNames[i] ?? '', lines: result.itemLines[i] })), { variantNames: result.variantNames });
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
    notes.push(`${formatCount(variants)} SKUs are variants of ${formatCount(grouped.length)} products (${result.variantNames ? '"Product - Variant" names, ' : ''}SKUs differing in case or a size or letter suffix) and count as their product; --item sku mines each SKU.`);
  }
  const minSupportCount = parseMinSupport(options.minSupport, n);
  const mining = mineFrequentItemsets(baskets, { minSupportCount, maxSize: options.maxSize, maxBasket: options.maxBasket });
  if (mining.skippedLargeBaskets) {
    notes.push(`${mining.skippedLargeBaskets} baskets with more than ${mining.maxBasket} ${options.maxBasket ? '' : 'frequent '}items were skipped for pairs and larger itemsets (${options.maxBasket ? '--max-basket' : 'automatic, to bound the pair scan; --max-basket sets it'}).`);
  }


  const minedPairs = pairRules(mining.itemsets, mining.itemSupport, n);
  // Two variants of one product bought together are not a bundle (a second size, a swap).
  const allPairs = minedPairs.filter((r) => productOf[r.a] !== productOf[r.b]);
  if (allPairs.length < minedPairs.length) {
    notes.push(`${formatCount(minedPairs.length - allPairs.length)} frequent pairs of two variants of one product are not shown as bundles (--item product, the default, counts them as one product).`);
  }
  const price = baskets.itemPriceMinor ?? new Float64Array(baskets.itemLabels.length).fill(NaN);
  const offerOptions = { minDiscount, maxDiscount, minBundleMargin: options.minBundleMargin };
  const marginOf = (r: { a: number; b: number; supportCount: number; support: number }) => {
    const o = bundleOffer([r.a, r.b], r.supportCount, r.support, price, baskets.itemCostMinor, offerOptions);
    return o.marginMinor === null ? -Infinity : o.marginMinor * r.supportCount;
  };
  const kept = sortPairs(filterPairs(allPairs, { maxQ: options.maxQ, minConfidence: options.minConfidence, minLift: options.minLift }), options.sort, baskets.itemLabels, marginOf);
  // Sets (bought together almost always) apart: shown once, offered once; the ranking is complements.
  const split = splitSets(kept, baskets);
  const inSet = new Map<number, number>();
  split.sets.forEach((set, k) => set.items.forEach((i) => inSet.set(i, k)));
  const top = split.complements.slice(0, options.top);
  // Offers: each set whole, the best complements, and the frequent triples whose pairs all passed (not inside one set).
  const keptKeys = new Set(kept.map((r) => `${r.a},${r.b}`));
  const triples = mining.itemsets.filter((s) => s.items.length === 3 && keptKeys.has(`${s.items[0]},${s.items[1]}`) && keptKeys.has(`${s.items[0]},${s.items[2]}`) && keptKeys.has(`${s.items[1]},${s.items[2]}`)
    && !(inSet.has(s.items[0]) && s.items.every((i) => inSet.get(i) === inSet.get(s.items[0]))));
  const offers = [
    ...split.sets.slice(0, 5).map((set) => bundleOffer(set.items, set.basketsWithAll, set.basketsWithAll / n, price, baskets.itemCostMinor, offerOptions)),
    ...top.slice(0, 10).map((r) => bundleOffer([r.a, r.b], r.supportCount, r.support, price, baskets.itemCostMinor, offerOptions)),
    ...triples.sort((x, y) => y.supportCount - x.supportCount).slice(0, 5).map((s) => bundleOffer(s.items, s.supportCount, s.supportCount / n, price, baskets.itemCostMinor, offerOptions)),
  ];
  // Each priced offer: the discount it gives the baskets that already buy it all, and what it earns from the rest.
  const uplift = parseUplift(options.bundleUplift ?? DEFAULT_BUNDLE_UPLIFT);
  for (const offer of offers) {
    if (Number.isFinite(offer.bundlePriceMinor)) offer.economics = offerEconomics(offer.items, baskets, price, baskets.itemCostMinor, offer.bundlePriceMinor, uplift);
  }
  let complements: BundlesView['complements'] = null;
  if (options.for !== undefined) {
    const resolved = resolveItem(options.for, baskets.itemLabels, itemLines, aliases, memberLabels);
    if (!resolved) {
      throw new AovError('E_USAGE', `--for ${quoteValue(options.for)}: no item in the baskets has this SKU or name.`, { hint: 'Use a SKU as in the export, or a product name (any case).' });
    }
    const chosen = resolved.item;
    if (resolved.matches.length > 1) {
      const others = resolved.matches.slice(1, 4).map((m) => `${baskets.itemLabels[m.item]} (${formatCount(m.lines)} lines)`).join(', ');
      notes.push(`--for ${options.for}: ${resolved.matches.length} items match; chose ${baskets.itemLabels[chosen]}, on the most lines (${formatCount(itemLines[chosen])}), over ${others}${resolved.matches.length > 4 ? ', ...' : ''}.`);
    } else if (resolved.by === 'variant' && baskets.itemLabels[chosen] !== options.for) {
      notes.push(`--for ${options.for}: a variant of product ${baskets.itemLabels[chosen]} (${names[chosen]}); --item sku looks at the SKU alone.`);
    }
    complements = { item: chosen, list: complementsOf(chosen, filterPairs(allPairs, { maxQ: options.maxQ }), baskets.itemLabels), matches: resolved.matches.map((m) => baskets.itemLabels[m.item]) };
  }
  return {
    labels: baskets.itemLabels, names, currency: result.priceCurrency, decimals: currencyDecimals(result.priceCurrency),
    minSupport: minSupportCount / n, mining, testedPairs: allPairs.length, keptPairs: kept.length, sort: options.sort, maxQ: options.maxQ, pairs: top, sets: split.sets, setPairs: split.setPairs,
    supportHint: allPairs.length === 0 && options.maxSize >= 2 ? supportHint(baskets, 10, options.maxBasket) : null,
    offers, uplift, complements, source, notes, allKept: kept,
  };
}


