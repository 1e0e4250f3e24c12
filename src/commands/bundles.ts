/** `aov bundles`: baskets -> frequent itemsets -> pair rules -> offers -> render. */
import { planBundles } from '../analysis/bundlesPlan.js';
import { AovError } from '../errors.js';
import { loadBasketFiles, type BasketOptions, type BasketResult } from '../io/baskets.js';
import { loadCosts } from '../io/costs.js';
import { currencyDecimals, exactMinor } from '../io/currency.js';
import { loadOrders } from '../io/load.js';
import { loadJoinedBaskets } from '../io/multiTable.js';
import { writeFileAtomic } from '../io/output.js';
import { emitRules } from '../io/rulesFile.js';
import { stringify } from '../report/analyzeJson.js';
import { createStyle, decideColor } from '../report/format.js';
import { bundleRuleChoice, bundlesCsv, bundlesJson, renderBundles } from '../report/bundlesRender.js';
import { formatMessages } from '../report/messages.js';
import { bundlesSettings, type BundlesCliOptions } from './bundlesSettings.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';

export interface BundlesOptions extends InputCliOptions, BundlesCliOptions {
  itemPattern?: string;
  excludeItems?: string;
  costs?: string;
  emit?: string;
  csv?: string;
  force?: boolean;
  json?: boolean;
  color?: boolean;
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
  if (options.costs) notes.push(await applyCosts(result, options.costs));
  const view = planBundles(result, bundlesSettings(options, result.priceCurrency), notes, source);
  if (options.csv) await writeFileAtomic(options.csv, bundlesCsv({ ...view, pairs: view.allKept ?? view.pairs }), { force: options.force });
  if (options.emit) {
    const choice = bundleRuleChoice(view);
    view.notes.push(...choice.skipped.map((s) => `${options.emit}: not written: ${view.currency} bundle ${s.items}: ${s.reason}.`));
    await emitRules(options.emit, choice.rules, Boolean(options.force));
  }
  if (options.json) process.stdout.write(stringify(bundlesJson(view)));
  else process.stdout.write(renderBundles(view, createStyle(decideColor(options.color))));
  process.stderr.write(formatMessages('note', view.notes));
  return 0;
}

/** Reads a costs file (sku,cost) onto the basket items' costs; returns the note on what matched. */
export async function applyCosts(result: BasketResult, file: string): Promise<string> {
  const costFile = await loadCosts(file);
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
  return `${file}: costs for ${matched} of ${sku.itemLabels.length} items${costFile.rejected ? `; ${costFile.rejected} rows unreadable` : ''}.`;
}
