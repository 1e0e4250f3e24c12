#!/usr/bin/env node
// Peer for `aov analyze`: the headline figures of a Shopify export in one plain DuckDB SQL
// statement, the floor an embedded-DuckDB tool can reach on the same file. Counted orders
// follow aov's rules: not voided, not cancelled, not a test order, Subtotal > 0; the
// order-level fields sit on an order's first row, so those rows are the orders.
//   node bench/peers/duckdb-analyze.mjs orders.csv  ->  {"orders":..,"revenue":..,"mean":..,"median":..}
// With --cached-orders, the same figures from the orders.parquet of an aov cache entry (the
// warm rows' peer: the same file aov reads on a cache hit; a currency with 2 decimals):
//   node bench/peers/duckdb-analyze.mjs --cached-orders ~/.cache/aov/<entry>/orders.parquet
import { DuckDBInstance } from '@duckdb/node-api';

const cached = process.argv[2] === '--cached-orders';
const file = cached ? process.argv[3] : process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const reader = await connection.runAndReadAll(cached ? `
  SELECT count(*) AS orders, round(sum(value_minor) / 100, 2) AS revenue,
    round(avg(value_minor) / 100, 2) AS mean, round(median(value_minor) / 100, 2) AS median
  FROM read_parquet('${file.replace(/'/g, "''")}')` : `
  SELECT count(*) AS orders, round(sum(subtotal), 2) AS revenue,
    round(avg(subtotal), 2) AS mean, round(median(subtotal), 2) AS median
  FROM (
    SELECT CAST("Subtotal" AS DECIMAL(18, 2)) AS subtotal, "Financial Status" AS financial_status,
      "Cancelled at" AS cancelled_at, lower("Payment Method") AS payment_method
    FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true)
    WHERE "Subtotal" IS NOT NULL
  )
  WHERE coalesce(financial_status, '') NOT IN ('voided', 'test') AND cancelled_at IS NULL
    AND coalesce(payment_method, '') <> 'bogus' AND subtotal > 0`);
const [row] = reader.getRowObjectsJS();
process.stdout.write(`${JSON.stringify({ orders: Number(row.orders), revenue: Number(row.revenue), mean: Number(row.mean), median: Number(row.median) })}\n`);
connection.closeSync();
instance.closeSync();
