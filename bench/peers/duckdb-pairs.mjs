#!/usr/bin/env node
// Peer for `aov bundles`: frequent items and frequent pairs counted in plain DuckDB SQL (a
// self-join of the distinct (order, item) rows; no triples or larger, so it does less work
// than `aov bundles --max-size 4`). Baskets are the counted orders, as aov counts them.
//   node bench/peers/duckdb-pairs.mjs orders.csv [--layout shopify|online-retail] [--min-support 0.01]
//   -> {"baskets":..,"items":..,"frequentItems":..,"frequentPairs":..,"minCount":..}
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
const file = args[0];
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const layout = option('--layout', 'shopify');
const minSupport = Number(option('--min-support', '0.01'));
const source = `read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true)`;

// basket_items: order_id, item -- one row per item in a counted order.
const BASKET_ITEMS = {
  // Shopify: an order counts when its first row (the one with Subtotal) says so.
  shopify: `
    WITH lines AS (SELECT "Name" AS order_id, "Lineitem sku" AS item, "Subtotal" AS subtotal, "Financial Status" AS financial_status,
                     "Cancelled at" AS cancelled_at, lower("Payment Method") AS payment_method FROM ${source}),
    counted AS (SELECT order_id FROM lines WHERE subtotal IS NOT NULL AND CAST(subtotal AS DECIMAL(18, 2)) > 0
                  AND coalesce(financial_status, '') NOT IN ('voided', 'test') AND cancelled_at IS NULL AND coalesce(payment_method, '') <> 'bogus')
    SELECT DISTINCT order_id, item FROM lines SEMI JOIN counted USING (order_id) WHERE item IS NOT NULL`,
  // UCI Online Retail: invoices starting with C are cancellations; non-positive quantity or price are adjustments.
  'online-retail': `
    SELECT DISTINCT "InvoiceNo" AS order_id, "StockCode" AS item FROM ${source}
    WHERE NOT starts_with("InvoiceNo", 'C') AND CAST("Quantity" AS DOUBLE) > 0 AND CAST("UnitPrice" AS DOUBLE) > 0`,
}[layout];
if (!BASKET_ITEMS) throw new Error(`unknown --layout ${layout}`);

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(`CREATE TABLE basket_items AS ${BASKET_ITEMS}`);
const [totals] = (await connection.runAndReadAll(`SELECT count(DISTINCT order_id) AS baskets, count(DISTINCT item) AS items FROM basket_items`)).getRowObjectsJS();
const minCount = Math.ceil(minSupport * Number(totals.baskets));
// frequent_items: item -- Apriori's first pass: a pair can only be frequent if both items are.
await connection.run(`CREATE TABLE frequent_items AS SELECT item FROM basket_items GROUP BY item HAVING count(*) >= ${minCount}`);
const [pairs] = (await connection.runAndReadAll(`
  WITH kept AS (SELECT * FROM basket_items SEMI JOIN frequent_items USING (item))
  SELECT count(*) AS frequent_pairs FROM (
    SELECT a.item, b.item FROM kept a JOIN kept b ON a.order_id = b.order_id AND a.item < b.item
    GROUP BY a.item, b.item HAVING count(*) >= ${minCount})`)).getRowObjectsJS();
const [items] = (await connection.runAndReadAll(`SELECT count(*) AS n FROM frequent_items`)).getRowObjectsJS();
process.stdout.write(`${JSON.stringify({
  baskets: Number(totals.baskets), items: Number(totals.items), frequentItems: Number(items.n), frequentPairs: Number(pairs.frequent_pairs), minCount,
})}\n`);
connection.closeSync();
instance.closeSync();
