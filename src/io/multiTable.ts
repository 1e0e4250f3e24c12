/**
 * Multi-table exports (Instacart, Olist): `--orders orders.csv --items items.csv
 * [--products products.csv]`, joined on their keys in DuckDB, with unmatched keys counted
 * and reported rather than dropped silently.
 */
import { AovError } from '../errors.js';
import { readBaskets, type BasketOptions, type BasketResult } from './baskets.js';
import { openEngine, sqlIdent, sqlString, type Engine } from './engine.js';
import { normaliseHeader } from './formats.js';
import { makeWorkDir, prepareSource } from './source.js';

export interface TableFiles {
  orders: string;
  items: string;
  products?: string;
}

export interface JoinSummary {
  files: TableFiles;
  orders: number;
  itemLines: number;
  /** Item lines joined to an order (and, with products, to a product). */
  joinedLines: number;
  /** Item lines whose order id is not in the orders table. */
  itemsWithoutOrder: number;
  /** Orders with no item line. */
  ordersWithoutItems: number;
  /** Item lines whose product id is not in the products table (kept, named by id). */
  itemsWithoutProduct: number;
  keys: { order: string; product: string; productName?: string };
}

async function readTable(engine: Engine, name: string, file: string, workDir: string): Promise<string[]> {
  const source = await prepareSource(file, workDir);
  const columns = `{${source.header.map((h) => `${sqlString(h)}: 'VARCHAR'`).join(', ')}}`;
  await engine.run(
    `CREATE TABLE ${name} AS SELECT * FROM read_csv(${sqlString(source.readPath)}, auto_detect=false, header=true, delim=${sqlString(source.delimiter)}, ` +
      `quote='"', escape='"', columns=${columns}, compression=${source.gzip ? "'gzip'" : "'none'"}, max_line_size=16777216)`,
  );
  return source.header;
}

function findKey(header: readonly string[], candidates: string[], file: string, what: string): string {
  const normalised = header.map(normaliseHeader);
  for (const candidate of candidates) {
    const i = normalised.indexOf(candidate);
    if (i >= 0) return header[i];
  }
  throw new AovError('E_MISSING_COLUMN', `${file}: no ${what} column (looked for ${candidates.join(', ')}).`, {
    hint: `Columns found: ${header.join(', ')}.`,
    context: { file, column: what },
  });
}

/** Joins the tables and returns baskets from the joined item lines, with the join's accounting. */
export async function loadJoinedBaskets(files: TableFiles, basketOptions: BasketOptions): Promise<{ join: JoinSummary; baskets: BasketResult }> {
  const engine = await openEngine();
  const work = await makeWorkDir();
  try {
    const orderHeader = await readTable(engine, 'orders_table', files.orders, work.dir);
    const itemHeader = await readTable(engine, 'items_table', files.items, work.dir);
    const orderKey = findKey(orderHeader, ['orderid', 'order', 'ordernumber'], files.orders, 'order id');
    const itemOrderKey = findKey(itemHeader, ['orderid', 'order', 'ordernumber'], files.items, 'order id');
    const productKey = findKey(itemHeader, ['productid', 'sku', 'itemid', 'product'], files.items, 'product id');
    const priceColumn = itemHeader.find((h) => ['price', 'unitprice', 'itemprice'].includes(normaliseHeader(h)));
    let productName: string | undefined;
    let productJoin = '';
    let nameExpr = 'NULL::VARCHAR';
    if (files.products) {
      const productHeader = await readTable(engine, 'products_table', files.products, work.dir);
      const productsKey = findKey(productHeader, ['productid', 'sku', 'itemid', 'product'], files.products, 'product id');
      productName = productHeader.find((h) => ['productname', 'name', 'title', 'description'].includes(normaliseHeader(h)));
      productJoin = ` LEFT JOIN products_table p ON p.${sqlIdent(productsKey)} = i.${sqlIdent(productKey)}`;
      nameExpr = productName ? `p.${sqlIdent(productName)}` : 'NULL::VARCHAR';
    }
    // joined: order_id, item, item_name, price_text, has_order, has_product
    await engine.run(`
      CREATE TABLE joined AS
      SELECT i.${sqlIdent(itemOrderKey)} AS order_id, i.${sqlIdent(productKey)} AS item, ${nameExpr} AS item_name,
        ${priceColumn ? `i.${sqlIdent(priceColumn)}` : 'NULL::VARCHAR'} AS price_text,
        i.${sqlIdent(itemOrderKey)} IN (SELECT ${sqlIdent(orderKey)} FROM orders_table) AS has_order,
        ${files.products ? `${nameExpr} IS NOT NULL OR p.${sqlIdent(productName ?? productKey)} IS NOT NULL` : 'true'} AS has_product
      FROM items_table i${productJoin}`);
    const counts = (await engine.rows(`
      SELECT (SELECT count(*) FROM orders_table) AS orders, (SELECT count(*) FROM joined) AS lines,
        (SELECT count(*) FROM joined WHERE has_order) AS joined_lines,
        (SELECT count(*) FROM joined WHERE NOT has_order) AS without_order,
        (SELECT count(*) FROM joined WHERE has_order AND NOT has_product) AS without_product,
        (SELECT count(*) FROM orders_table WHERE ${sqlIdent(orderKey)} NOT IN (SELECT order_id FROM joined)) AS orders_without_items`))[0];
    const baskets = await readBaskets(engine, 'baskets', basketOptions,
      `SELECT order_id, item, coalesce(item_name, item) AS item_name, 'XXX' AS currency, TRY_CAST(price_text AS DECIMAL(18,6)) AS unit_price,
         NULL::DECIMAL(18,6) AS cost, 1 AS quantity FROM joined WHERE has_order`);
    return {
      join: {
        files,
        orders: Number(counts.orders),
        itemLines: Number(counts.lines),
        joinedLines: Number(counts.joined_lines),
        itemsWithoutOrder: Number(counts.without_order),
        ordersWithoutItems: Number(counts.orders_without_items),
        itemsWithoutProduct: Number(counts.without_product),
        keys: { order: orderKey, product: productKey, productName },
      },
      baskets,
    };
  } finally {
    engine.close();
    await work.cleanup();
  }
}
