/**
 * Baskets and item statistics from the classified lines of the current import (the
 * engine's `classified` and `orders` tables): an order's set of distinct items, with the
 * same exclusions as the orders (cancelled, voided, returns ...).
 */
import type { BundleBaskets } from '../analysis/bundlesPlan.js';
import type { BasketOrderRows, OrderTable } from '../analysis/types.js';
import { AovError } from '../errors.js';
import { NO_CURRENCY, currencyDecimals, exactMinor } from './currency.js';
import { sqlString, type Engine } from './engine.js';
import { TABLE } from './import/tables.js';

export interface BasketOptions {
  /** What an item is: 'sku' (falls back to the name when the SKU is empty, counted), 'name'. */
  item?: 'sku' | 'name';
  /** A regular expression whose matches are removed from item labels to group variants ( " - 29"). */
  itemPattern?: string;
  /** Items whose label or name matches are not products (shipping protection, postage ...); 'none' keeps all. */
  excludeItems?: string;
  /**
   * Also read each basket's order id and the add-on prices (default true). Only a threshold's
   * gap fillers use them; `aov bundles` skips them, which at 4M baskets saves a grouping of
   * every line and a few hundred megabytes of order-id strings.
   */
  orderIds?: boolean;
}

/**
 * Where readBaskets finds each basket's order row (BasketResult.orderRows): the engine's
 * `orders` table, in the order of the order tables (import/orders.ts readOrderTables: one table
 * per currency in code order, rows by (placed_ms, order_id)). linkBaskets checks every proposed
 * row against the tables' own order ids before it uses them.
 */
export interface BasketRowSource {
  ordersTable: 'orders';
}

export interface ItemAlias {
  item: number;
  name: string;
  lines: number;
}

/** The baskets and their items (the fields a bundles plan reads are documented in BundleBaskets). */
export interface BasketResult extends BundleBaskets {
  /** Order id of each basket, aligned with baskets.offsets; empty when not asked for (BasketOptions.orderIds). */
  orderIds: string[];
  itemAliases: ItemAlias[];
  /** Always given by the loader (null per item where the export has no parent id). */
  itemParents: (string | null)[];
  /**
   * The cheapest line value (quantity x unit price) of each order with two or more items, in
   * minor units, ascending: the add-on a customer typically puts in last (a threshold's default reach).
   * Empty, with addOnOrderIds, when BasketOptions.orderIds is false.
   */
  addOnPriceMinor: Float64Array;
  /** The order of each add-on price, aligned with addOnPriceMinor. */
  addOnOrderIds: string[];
  /** The basket of each add-on price (the index of its order in orderIds), when known (linkBaskets, or the cache). */
  addOnBaskets?: Int32Array;
  /** Each basket's order row in the order tables of the same import, when known (linkBaskets, or the cache). */
  orderRows?: BasketOrderRows;
  /** Rows the engine proposed (readBaskets with a BasketRowSource), for linkBaskets to check and take. */
  proposedRows?: { table: Int32Array; row: Int32Array };
}

/**
 * Links baskets to the order tables of the same import, by order id (once per import; a warm
 * run reads the links from the cache): each basket's order row (BasketResult.orderRows) and each
 * add-on's basket. An order id is in one table at most (orders are grouped by id). Nothing
 * changes when the baskets have no order ids.
 */
export function linkBaskets(baskets: BasketResult, tables: readonly OrderTable[]): void {
  const n = baskets.orderIds.length;
  if (n === 0) return;
  // Rows the engine proposed (readBaskets with a BasketRowSource): kept when every one holds
  // its basket's order id, which costs a string comparison per basket instead of a map of them
  // all (at 4M baskets a few hundred megabytes at the import's peak).
  const proposed = baskets.proposedRows;
  baskets.proposedRows = undefined;
  if (proposed && proposed.table.length === n && proposed.row.length === n && baskets.addOnBaskets) {
    let agree = true;
    for (let b = 0; b < n && agree; b++) {
      const t = proposed.table[b];
      agree = t >= 0 && t < tables.length && proposed.row[b] >= 0 && proposed.row[b] < tables[t].orderIds.length && tables[t].orderIds.at(proposed.row[b]) === baskets.orderIds[b];
    }
    if (agree) {
      baskets.orderRows = { tables, table: proposed.table, row: proposed.row };
      return;
    }
  }
  const basketOf = new Map<string, number>();
  baskets.orderIds.forEach((id, b) => basketOf.set(id, b));
  const table = new Int32Array(n).fill(-1);
  const row = new Int32Array(n);
  tables.forEach((t, index) => {
    for (let r = 0; r < t.orderIds.length; r++) {
      const b = basketOf.get(t.orderIds.at(r)!);
      if (b !== undefined) {
        table[b] = index;
        row[b] = r;
      }
    }
  });
  baskets.orderRows = { tables, table, row };
  if (!baskets.addOnBaskets) {
    const addOnBaskets = new Int32Array(baskets.addOnOrderIds.length);
    for (let k = 0; k < addOnBaskets.length; k++) {
      const b = basketOf.get(baskets.addOnOrderIds[k]);
      if (b === undefined) return;
      addOnBaskets[k] = b;
    }
    baskets.addOnBaskets = addOnBaskets;
  }
}

/**
 * Default non-product patterns per format. Online Retail: postage, manual, discount,
 * carriage, bank charges, Amazon fee, samples, CRUK commission. Shopify: shipping or
 * package protection, gift cards, tips.
 */
export const DEFAULT_EXCLUDED_ITEMS: Record<string, string> = {
  onlineRetail: '^(POST|DOT|M|C2|D|S|B|CRUK|PADS|AMAZONFEE|BANK CHARGES|gift_[0-9a-z_]+)$',
  shopify: '(?i)\\b(package protection|shipping protection|route protection|gift cards?|tips?|insurance|donations?)\\b',
  // Basket files hold what the data set's author chose to keep.
  baskets: '',
  lines: '(?i)^(shipping|postage|delivery|gift card|tip|insurance|package protection|shipping protection|donation)$',
};

/** The counted orders' lines, as the line source of readBaskets. */
export const CLASSIFIED_LINES = `SELECT c.order_id, c.item, c.item_name, o.currency,
  coalesce(c.unit_price, c.line_total / nullif(c.quantity, 0)) AS unit_price, c.cost, c.quantity, c.ships_nothing, c.parent
  FROM classified c JOIN orders o USING (order_id) WHERE c.outcome IS NULL`;

/**
 * Builds baskets from a line source: a query with columns order_id, item, item_name,
 * currency, unit_price, cost, quantity, ships_nothing and optionally parent (one row per line). A line that ships
 * nothing (Shopify's Lineitem requires shipping = false: shipping protection, tips, gift
 * cards, donations) is not merchandise, like a line the pattern matches.
 */
export async function readBaskets(engine: Engine, format: string, options: BasketOptions, lineSource = CLASSIFIED_LINES, rowSource?: BasketRowSource): Promise<BasketResult> {
  const pattern =
    options.excludeItems === 'none' ? null : options.excludeItems ?? (DEFAULT_EXCLUDED_ITEMS[format] ?? DEFAULT_EXCLUDED_ITEMS.lines) ?? null;
  for (const regex of [pattern, options.itemPattern]) {
    if (!regex) continue;
    try {
      await engine.rows(`SELECT regexp_matches('x', ${sqlString(regex)}) AS ok`);
    } catch (error) {
      throw new AovError('E_USAGE', `Not a valid regular expression: ${regex} (${(error as Error).message.split('\n')[0]}).`, {
        hint: 'Patterns use RE2 syntax, e.g. --item-pattern " - [0-9]+$".',
      });
    }
  }
  const raw = options.item === 'name' ? 'coalesce(item_name, item)' : 'coalesce(item, item_name)';
  // A parent product id only where the line source has one (basket files and joined tables do not).
  const sourceColumns = (await engine.rows(`DESCRIBE ${lineSource}`)).map((r) => String(r.column_name));
  const parent = sourceColumns.includes('parent') ? 'c.parent' : 'NULL::VARCHAR';
  const grouped = options.itemPattern ? `trim(regexp_replace(${raw}, ${sqlString(options.itemPattern)}, '', 'g'))` : raw;
  // basket_lines: order_id, item, item_name, currency, unit_price, cost, quantity, ships_nothing, parent, name_fallback, non_product
  await engine.run(`
    CREATE OR REPLACE TABLE basket_lines AS
    SELECT c.order_id, ${grouped} AS item, c.item_name, c.currency, c.unit_price, c.cost, c.quantity, coalesce(c.ships_nothing, false) AS ships_nothing, ${parent} AS parent,
      ${options.item === 'name' ? 'c.item_name IS NULL' : 'c.item IS NULL AND c.item_name IS NOT NULL'} AS name_fallback,
      ${pattern === null ? 'false' : `(coalesce(c.ships_nothing, false)${pattern ? ` OR regexp_matches(coalesce(c.item, ''), ${sqlString(pattern)}) OR regexp_matches(coalesce(c.item_name, ''), ${sqlString(pattern)})` : ''})`} AS non_product
    FROM (${lineSource}) c
    WHERE ${raw} IS NOT NULL`);
  const counts = (await engine.rows(`
    SELECT count(*) FILTER (WHERE name_fallback) AS fallbacks, count(*) FILTER (WHERE non_product) AS excluded,
      count(*) FILTER (WHERE non_product AND ships_nothing) AS ships_nothing, count(parent) AS parents,
      (SELECT currency FROM basket_lines GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1) AS currency
    FROM basket_lines`))[0];
  const excludedItems = (await engine.rows(`SELECT DISTINCT item FROM basket_lines WHERE non_product ORDER BY item LIMIT 50`)).map((r) => String(r.item));
  // item_names: item, item_name, lines -- every name an item carries, and on how many lines.
  await engine.run(`
    CREATE OR REPLACE TABLE item_names AS
    SELECT item, item_name, count(*) AS lines FROM basket_lines WHERE NOT non_product GROUP BY item, item_name`);
  // items: item index by label (deterministic order), its most frequent name (ties: the
  // smallest in code-point order; a name seen on 9 of 2,302 lines no longer labels the item), lines.
  await engine.run(`
    CREATE OR REPLACE TABLE items AS
    SELECT item, arg_max(item_name, (lines, -rank_in_item)) FILTER (WHERE item_name IS NOT NULL) AS item_name, sum(lines) AS lines,
      row_number() OVER (ORDER BY item) - 1 AS item_index
    FROM (SELECT *, row_number() OVER (PARTITION BY item ORDER BY item_name) AS rank_in_item FROM item_names)
    GROUP BY item`);
  await engine.run(`
    CREATE OR REPLACE TABLE basket_orders AS
    SELECT order_id, row_number() OVER (ORDER BY order_id) - 1 AS basket_index
    FROM (SELECT DISTINCT order_id FROM basket_lines WHERE NOT non_product)`);
  const pairs = await engine.columns(
    `SELECT DISTINCT o.basket_index, i.item_index
     FROM basket_lines b JOIN items i USING (item) JOIN basket_orders o USING (order_id)
     WHERE NOT b.non_product ORDER BY o.basket_index, i.item_index`,
    { basket_index: 'i32', item_index: 'i32' },
  );
  const basketIndex = pairs.basket_index as Int32Array;
  const items = pairs.item_index as Int32Array;
  const withOrderIds = options.orderIds ?? true;
  // (with a row source, each basket's order row too: table = the currency's rank, row = its
  // place by (placed_ms, order_id), as readOrderTables lays the tables out; -1 when not there)
  const basketRows = withOrderIds
    ? await engine.columns(
        rowSource
          ? `SELECT b.order_id, coalesce(r.order_table, -1)::INTEGER AS order_table, coalesce(r.order_row, -1)::INTEGER AS order_row FROM basket_orders b LEFT JOIN (
               SELECT order_id, dense_rank() OVER (ORDER BY currency) - 1 AS order_table, row_number() OVER (PARTITION BY currency ORDER BY placed_ms, order_id) - 1 AS order_row FROM ${rowSource.ordersTable}) r USING (order_id)
             ORDER BY b.basket_index`
          : `SELECT order_id FROM basket_orders ORDER BY basket_index`,
        rowSource ? { order_id: 'str', order_table: 'i32', order_row: 'i32' } : { order_id: 'str' },
      )
    : undefined;
  const orderIds = basketRows ? (basketRows.order_id as string[]) : [];
  const basketCount = withOrderIds ? orderIds.length : Number((await engine.rows(`SELECT count(*) AS n FROM basket_orders`))[0].n);
  const offsets = new Int32Array(basketCount + 1);
  for (let k = 0; k < basketIndex.length; k++) offsets[basketIndex[k] + 1]++;
  for (let b = 0; b < basketCount; b++) offsets[b + 1] += offsets[b];
  const currency = String(counts.currency ?? NO_CURRENCY);
  // item_prices: item, price (median unit price), cost (median unit cost), in the main currency
  const itemRows = await engine.columns(
    `SELECT i.item, coalesce(i.item_name, i.item) AS item_name, i.lines, p.price, p.cost
     FROM items i LEFT JOIN (
       SELECT item, median(unit_price) AS price, median(cost) AS cost FROM basket_lines
       WHERE currency = ${sqlString(currency)} AND NOT non_product GROUP BY item) p USING (item)
     ORDER BY i.item_index`,
    { item: 'str', item_name: 'str', lines: 'f64', price: 'f64', cost: 'f64' },
  );
  const aliasRows = await engine.columns(
    `SELECT i.item_index, n.item_name, n.lines FROM item_names n JOIN items i USING (item) WHERE n.item_name IS NOT NULL ORDER BY i.item_index, n.item_name`,
    { item_index: 'i32', item_name: 'str', lines: 'f64' },
  );
  // item_parents: each item's parent on most of its lines (ties: the smallest id), when the export has parents.
  const itemParents: (string | null)[] = new Array(itemRows.item.length).fill(null);
  if (Number(counts.parents) > 0) {
    const parentRows = await engine.columns(
      `SELECT i.item_index, p.parent FROM (
         SELECT item, parent FROM (SELECT item, parent, count(*) AS lines FROM basket_lines WHERE NOT non_product AND parent IS NOT NULL GROUP BY item, parent)
         QUALIFY row_number() OVER (PARTITION BY item ORDER BY lines DESC, parent) = 1) p JOIN items i USING (item) ORDER BY i.item_index`,
      { item_index: 'i32', parent: 'str' },
    );
    const parentNames = parentRows.parent as string[];
    (parentRows.item_index as Int32Array).forEach((item, k) => (itemParents[item] = parentNames[k]));
  }
  const aliasItems = aliasRows.item_index as Int32Array;
  const aliasNames = aliasRows.item_name as string[];
  const aliasLines = aliasRows.lines as Float64Array;
  const itemAliases: ItemAlias[] = Array.from(aliasItems, (item, k) => ({ item, name: aliasNames[k], lines: aliasLines[k] }));
  const decimals = currencyDecimals(currency);
  const scale = 10 ** decimals;
  const price = (itemRows.price as Float64Array).map((p) => (Number.isNaN(p) ? NaN : Math.round(p * scale)));
  // Costs stay exact (84.5 minor units for 0.845): a margin floor is judged on the real cost.
  const cost = (itemRows.cost as Float64Array).map((c) => (Number.isNaN(c) ? NaN : exactMinor(c, decimals)));
  const addOn = !withOrderIds ? { price: new Float64Array(0), basket_index: new Int32Array(0) } : await engine.columns(
    // The add-on is the cheapest line's value (quantity x unit price): what closes a gap is the
    // spend added, and a wholesale line of 12 x 0.42 adds 5.04, not 0.42. Each comes with its
    // basket (an add-on order is a multi-item order of products, so always a basket's): the
    // order ids are then the baskets' own strings, not a second copy.
    `SELECT a.price, coalesce(o.basket_index, -1)::INTEGER AS basket_index FROM (
       SELECT order_id, min(CAST(unit_price AS DECIMAL(38,6)) * coalesce(quantity, 1)) AS price FROM basket_lines WHERE NOT non_product AND currency = ${sqlString(currency)} AND unit_price > 0
       GROUP BY order_id HAVING count(DISTINCT item) >= 2) a LEFT JOIN basket_orders o USING (order_id)
     ORDER BY a.price, a.order_id`,
    { price: 'f64', basket_index: 'i32' },
  );
  const addOnPriceMinor = (addOn.price as Float64Array).map((p) => Math.round(p * scale));
  let addOnBaskets: Int32Array | undefined = addOn.basket_index as Int32Array;
  let addOnOrderIds = Array.from(addOnBaskets, (b) => orderIds[b]);
  if (addOnBaskets.some((b) => b < 0)) {
    // (cannot happen by the definitions above; if it ever does, the ids as strings, as before)
    addOnBaskets = undefined;
    addOnOrderIds = (await engine.columns(
      `SELECT order_id FROM basket_lines WHERE NOT non_product AND currency = ${sqlString(currency)} AND unit_price > 0
       GROUP BY order_id HAVING count(DISTINCT item) >= 2 ORDER BY min(CAST(unit_price AS DECIMAL(38,6)) * coalesce(quantity, 1)), order_id`,
      { order_id: 'str' },
    )).order_id as string[];
  }
  return {
    addOnPriceMinor,
    addOnOrderIds,
    addOnBaskets,
    proposedRows: basketRows && rowSource ? { table: basketRows.order_table as Int32Array, row: basketRows.order_row as Int32Array } : undefined,
    baskets: { offsets, items, itemLabels: itemRows.item as string[], itemPriceMinor: price, itemCostMinor: cost },
    orderIds,
    itemNames: itemRows.item_name as string[],
    itemLines: itemRows.lines as Float64Array,
    itemAliases,
    variantNames: format === 'shopify',
    itemParents,
    nameFallbacks: Number(counts.fallbacks),
    excludedLines: Number(counts.excluded),
    shipsNothingLines: Number(counts.ships_nothing),
    excludedItems,
    excludePattern: pattern,
    priceCurrency: currency,
  };
}

export interface BasketFileSummary {
  files: string[];
  delimiter: string;
  /** Non-blank lines read: each is one basket. */
  rows: number;
  /** Lines with no item at all (only delimiters). */
  emptyBaskets: number;
  /** Items repeated inside one basket, counted once. */
  repeatedItems: number;
}

/**
 * Basket files (`--format baskets`): one basket per line, items separated by a delimiter,
 * no header and no prices (the arules "Groceries" layout). Each line is read whole (a
 * control character as the CSV delimiter) and split in SQL.
 */
export async function loadBasketFiles(
  patterns: readonly string[],
  options: { delimiter?: string },
  basketOptions: BasketOptions,
): Promise<{ summary: BasketFileSummary; baskets: BasketResult }> {
  const { openEngine } = await import('./engine.js');
  const { resolveInputs, prepareSource, makeWorkDir } = await import('./source.js');
  const engine = await openEngine();
  const work = await makeWorkDir();
  try {
    const files = await resolveInputs(patterns, async (pattern) => (await engine.rows(`SELECT file FROM glob(${sqlString(pattern)})`)).map((r) => String(r.file)));
    const parts: string[] = [];
    let delimiter = options.delimiter ?? ',';
    for (let i = 0; i < files.length; i++) {
      const source = await prepareSource(files[i], work.dir, options.delimiter);
      delimiter = options.delimiter ?? source.delimiter;
      await engine.run(
        `CREATE TABLE ${TABLE.basketFile(i)} AS SELECT line FROM read_csv(${sqlString(source.readPath)}, auto_detect=false, header=false, ` +
          `delim='\u001f', quote='', escape='', columns={'line': 'VARCHAR'}, compression=${source.gzip ? "'gzip'" : "'none'"}, max_line_size=16777216)`,

      );
      parts.push(`SELECT ${i} AS file_index, rowid AS line_index, line FROM ${TABLE.basketFile(i)}`);
    }
    await engine.run(`CREATE VIEW basket_raw AS ${parts.join(' UNION ALL ')}`);
    // basket_file_lines: order_id (file:line), item -- distinct items per basket
    await engine.run(`
      CREATE TABLE basket_file_lines AS
      SELECT file_index || ':' || line_index AS order_id, trim(item) AS item
      FROM (SELECT file_index, line_index, unnest(string_split(line, ${sqlString(delimiter)})) AS item FROM basket_raw WHERE trim(line) <> '')
      WHERE trim(item) <> ''`);
    const counts = (await engine.rows(`
      SELECT (SELECT count(*) FROM basket_raw WHERE trim(line) <> '') AS rows,
        (SELECT count(*) FROM basket_raw WHERE trim(line) <> '' AND file_index || ':' || line_index NOT IN (SELECT order_id FROM basket_file_lines)) AS empty,
        (SELECT count(*) - count(DISTINCT (order_id, item)) FROM basket_file_lines) AS repeated`))[0];
    const baskets = await readBaskets(engine, 'baskets', basketOptions,
      `SELECT DISTINCT order_id, item, item AS item_name, ${sqlString(NO_CURRENCY)} AS currency, NULL::DECIMAL(18,6) AS unit_price, NULL::DECIMAL(18,6) AS cost, 1 AS quantity, false AS ships_nothing FROM basket_file_lines`);
    return {
      summary: { files, delimiter, rows: Number(counts.rows), emptyBaskets: Number(counts.empty), repeatedItems: Number(counts.repeated) },
      baskets,
    };
  } finally {
    engine.close();
    await work.cleanup();
  }
}
