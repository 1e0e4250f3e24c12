/** `aov bundles`: baskets -> frequent itemsets -> pair rules -> offers -> render. */
import { bundleOffer } from '../analysis/bundleOffers.js';
import { mineFrequentItemsets } from '../analysis/itemsets.js';
import { complementsOf, filterPairs, pairRules, sortPairs, type PairRule, type PairSort } from '../analysis/pairs.js';
import { AovError, quoteValue } from '../errors.js';
import { loadBasketFiles, type BasketOptions, type BasketResult } from '../io/baskets.js';
import { loadCosts } from '../io/costs.js';
import { currencyDecimals } from '../io/currency.js';
import { loadOrders } from '../io/load.js';
import { loadJoinedBaskets } from '../io/multiTable.js';
import { writeFileAtomic } from '../io/output.js';
import { emitRules } from '../io/rulesFile.js';
import { stringify } from '../report/analyzeJson.js';
import { bundleRules, bundlesCsv, bundlesJson, renderBundles, type BundlesView } from '../report/bundlesRender.js';
import { createStyle, decideColor } from '../report/format.js';
import { formatMessages } from '../report/messages.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';
import { parseDiscountRangeText, VALUE_SPECS } from './optionSpecs.js';

export interface BundlesOptions extends InputCliOptions {
  minSupport: string;
  maxSize: number;
  minConfidence?: number;
  minLift?: number;
  maxQ: number;
  sort: PairSort;
  top: number;
  for?: string;
  item: 'sku' | 'name';
  itemPattern?: string;
  excludeItems?: string;
  maxBasket?: number;
  costs?: string;
  bundleDiscount: string;
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

export async function bundles(files: string[], options: BundlesOptions): Promise<number> {
  const basketOptions: BasketOptions = { item: options.item, itemPattern: options.itemPattern, excludeItems: options.excludeItems };
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
  options: Pick<BundlesOptions, 'minSupport' | 'maxSize' | 'maxBasket' | 'costs' | 'maxQ' | 'minConfidence' | 'minLift' | 'sort' | 'top' | 'for' | 'bundleDiscount' | 'minBundleMargin'>,
  notes: string[],
  source: Record<string, unknown>,
): Promise<BundlesView & { allKept: PairRule[] }> {
  const [minDiscount, maxDiscount] = parseDiscountRange(options.bundleDiscount);
  if (result.nameFallbacks) notes.push(`${result.nameFallbacks} lines had no SKU and were named by product name.`);
  if (result.excludedLines) notes.push(`${result.excludedLines} lines of non-products were left out (${result.excludedItems.slice(0, 8).join(', ')}${result.excludedItems.length > 8 ? ', ...' : ''}; pattern ${result.excludePattern}; --exclude-items none keeps them).`);

  const baskets = result.baskets;
  const n = result.baskets.offsets.length - 1;
  if (n === 0) throw new AovError('E_NO_DATA', 'No baskets with items to mine.', { hint: 'Check the item column (--item, --map item=...) and --exclude-items.' });
  const minSupportCount = parseMinSupport(options.minSupport, n);
  const mining = mineFrequentItemsets(baskets, { minSupportCount, maxSize: options.maxSize, maxBasket: options.maxBasket });
  if (mining.skippedLargeBaskets) {
    notes.push(`${mining.skippedLargeBaskets} baskets with more than ${mining.maxBasket} ${options.maxBasket ? '' : 'frequent '}items were skipped for pairs and larger itemsets (${options.maxBasket ? '--max-basket' : 'automatic, to bound the pair scan; --max-basket sets it'}).`);
  }

  if (options.costs) {
    const costFile = await loadCosts(options.costs);
    const decimals = currencyDecimals(result.priceCurrency);
    const cost = baskets.itemCostMinor ?? new Float64Array(baskets.itemLabels.length).fill(NaN);
    let matched = 0;
    baskets.itemLabels.forEach((label, i) => {
      const c = costFile.costs.get(label);
      if (c !== undefined) {
        cost[i] = Math.round(c * 10 ** decimals);
        matched++;
      }
    });
    baskets.itemCostMinor = cost;
    notes.push(`${options.costs}: costs for ${matched} of ${baskets.itemLabels.length} items${costFile.rejected ? `; ${costFile.rejected} rows unreadable` : ''}.`);
  }

  const allPairs = pairRules(mining.itemsets, mining.itemSupport, n);
  const price = baskets.itemPriceMinor ?? new Float64Array(baskets.itemLabels.length).fill(NaN);
  const offerOptions = { minDiscount, maxDiscount, minBundleMargin: options.minBundleMargin };
  const marginOf = (r: { a: number; b: number; supportCount: number; support: number }) => {
    const o = bundleOffer([r.a, r.b], r.supportCount, r.support, price, baskets.itemCostMinor, offerOptions);
    return o.marginMinor === null ? -Infinity : o.marginMinor * r.supportCount;
  };
  const kept = sortPairs(filterPairs(allPairs, { maxQ: options.maxQ, minConfidence: options.minConfidence, minLift: options.minLift }), options.sort, baskets.itemLabels, marginOf);
  const top = kept.slice(0, options.top);
  // Offers for the best pairs and the frequent triples whose pairs all passed.
  const keptKeys = new Set(kept.map((r) => `${r.a},${r.b}`));
  const triples = mining.itemsets.filter((s) => s.items.length === 3 && keptKeys.has(`${s.items[0]},${s.items[1]}`) && keptKeys.has(`${s.items[0]},${s.items[2]}`) && keptKeys.has(`${s.items[1]},${s.items[2]}`));
  const offers = [
    ...top.slice(0, 10).map((r) => bundleOffer([r.a, r.b], r.supportCount, r.support, price, baskets.itemCostMinor, offerOptions)),
    ...triples.sort((x, y) => y.supportCount - x.supportCount).slice(0, 5).map((s) => bundleOffer(s.items, s.supportCount, s.supportCount / n, price, baskets.itemCostMinor, offerOptions)),
  ];
  let complements: BundlesView['complements'] = null;
  if (options.for !== undefined) {
    const wanted = options.for;
    let item = baskets.itemLabels.indexOf(wanted);
    if (item < 0) item = result.itemNames.findIndex((name) => name.toLowerCase() === wanted.toLowerCase());
    if (item < 0) {
      throw new AovError('E_USAGE', `--for ${wanted}: no such item in the baskets.`, { hint: 'Use the item id (SKU) as in the export, or the exact product name.' });
    }
    complements = { item, list: complementsOf(item, filterPairs(allPairs, { maxQ: options.maxQ }), baskets.itemLabels) };
  }
  return {
    labels: baskets.itemLabels, names: result.itemNames, currency: result.priceCurrency, decimals: currencyDecimals(result.priceCurrency),
    minSupport: minSupportCount / n, mining, testedPairs: allPairs.length, pairs: top, offers, complements, source, notes, allKept: kept,
  };
}
