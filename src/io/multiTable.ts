/**
 * Multi-table exports (Instacart, Olist): `--orders orders.csv --items items.csv
 * [--products products.csv]`, joined on their keys in DuckDB, with unmatched keys counted
 * and reported rather than dropped silently.
 */
import { AovError, columnsFound } from '../errors.js';
import { NO_CURRENCY } from './currency.js';
import { readBaskets, type BasketOptions, type BasketResult } from './baskets.js';
import { openEngine, sqlIdent, sqlString, type Engine } from './engine.js';
import { normaliseHeader } from './formats.js';
import { makeWorkDir, prepareSource } from './source.js';
import { TABLE } from './import/tables.js';

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
    hint: columnsFound(header),
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
      `SELECT order_id, item, coalesce(item_name, item) AS item_name, ${sqlString(NO_CURRENCY)} AS currency, TRY_CAST(price_text AS DECIMAL(18,6)) AS unit_price,
         NULL::DECIMAL(18,6) AS cost, 1 AS quantity, false AS ships_nothing FROM joined WHERE has_order`);
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

/**
 * Stages a multi-table export as raw_<index> for the ordinary import: the items joined to
 * their order (date, customer, status) and product (name), one row per item line, with the
 * unmatched keys counted. Items without an order are left out and reported in the notes.
 */
export async function stageJoinedTables(engine: Engine, files: TableFiles, index: number, workDir: string): Promise<{ header: string[]; notes: string[] }> {
  const orderHeader = await readTable(engine, `${TABLE.ordersTable(index)}`, files.orders, workDir);
  const itemHeader = await readTable(engine, `${TABLE.itemsTable(index)}`, files.items, workDir);
  const orderKey = findKey(orderHeader, ['orderid', 'order', 'ordernumber'], files.orders, 'order id');
  const itemOrderKey = findKey(itemHeader, ['orderid', 'order', 'ordernumber'], files.items, 'order id');
  const pick = (header: readonly string[], names: string[]) => header.find((h) => names.includes(normaliseHeader(h)));
  const date = pick(orderHeader, ['orderpurchasetimestamp', 'orderdate', 'createdat', 'date', 'purchasedate', 'orderedat']);
  const customer = pick(orderHeader, ['customerid', 'customeremail', 'email', 'userid', 'customeruniqueid']);
  const status = pick(orderHeader, ['orderstatus', 'status']);
  const product = pick(itemHeader, ['productid', 'sku', 'itemid']);
  const price = pick(itemHeader, ['price', 'unitprice', 'itemprice']);
  const quantity = pick(itemHeader, ['quantity', 'qty']);
  let nameExpr = 'NULL::VARCHAR';
  let productJoin = '';
  if (files.products && product) {
    const productHeader = await readTable(engine, `${TABLE.productsTable(index)}`, files.products, workDir);
    const productsKey = findKey(productHeader, ['productid', 'sku', 'itemid'], files.products, 'product id');
    const name = pick(productHeader, ['productname', 'name', 'title', 'productcategoryname']);
    if (name) {
      productJoin = ` LEFT JOIN ${TABLE.productsTable(index)} p ON p.${sqlIdent(productsKey)} = i.${sqlIdent(product)}`;
      nameExpr = `p.${sqlIdent(name)}`;
    }
  }
  const col = (table: string, name: string | undefined) => (name ? `${table}.${sqlIdent(name)}` : 'NULL::VARCHAR');
  const header = ['order_id', 'order_date', 'customer_id', 'order_status', 'product_id', 'product_name', 'quantity', 'price'];
  await engine.run(`
    CREATE TABLE ${TABLE.raw(index)} AS
    SELECT i.${sqlIdent(itemOrderKey)} AS c0, ${col('o', date)} AS c1, ${col('o', customer)} AS c2, ${col('o', status)} AS c3,
      ${col('i', product)} AS c4, ${nameExpr} AS c5, ${quantity ? col('i', quantity) : "'1'"} AS c6, ${col('i', price)} AS c7
    FROM ${TABLE.itemsTable(index)} i JOIN ${TABLE.ordersTable(index)} o ON o.${sqlIdent(orderKey)} = i.${sqlIdent(itemOrderKey)}${productJoin}
    ORDER BY c1, c0;
    CREATE TABLE ${TABLE.rejects(index)} (line BIGINT, error_type VARCHAR, error_message VARCHAR, csv_line VARCHAR)`);
  const counts = (await engine.rows(`
    SELECT (SELECT count(*) FROM ${TABLE.itemsTable(index)} WHERE ${sqlIdent(itemOrderKey)} NOT IN (SELECT ${sqlIdent(orderKey)} FROM ${TABLE.ordersTable(index)})) AS without_order,
      (SELECT count(*) FROM ${TABLE.ordersTable(index)} WHERE ${sqlIdent(orderKey)} NOT IN (SELECT ${sqlIdent(itemOrderKey)} FROM ${TABLE.itemsTable(index)})) AS without_items`))[0];
  const notes = [`${files.items} joined to ${files.orders} on ${itemOrderKey} = ${orderKey}${nameExpr !== 'NULL::VARCHAR' ? ` and to ${files.products}` : ''}; rows below are joined item lines.`];
  if (Number(counts.without_order)) notes.push(`${counts.without_order} item lines have no order in ${files.orders} and are left out.`);
  if (Number(counts.without_items)) notes.push(`${counts.without_items} orders in ${files.orders} have no item line and are left out.`);
  if (!date) {
    throw new AovError('E_MISSING_COLUMN', `${files.orders}: no order date column (looked for order_purchase_timestamp, order_date, created_at, date).`, {
      hint: `${columnsFound(orderHeader)} Without dates aov can mine bundles (aov bundles) but not analyse AOV.`,
      context: { file: files.orders, column: 'date' },
    });
  }
  if (!price) {
    throw new AovError('E_MISSING_COLUMN', `${files.items}: no price column (looked for price, unit_price, item_price).`, {
      hint: `${columnsFound(itemHeader)} Without prices aov can mine bundles (aov bundles) but not analyse AOV.`,
      context: { file: files.items, column: 'price' },
    });
  }
  return { header, notes };
}
