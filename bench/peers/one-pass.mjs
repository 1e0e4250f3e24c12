#!/usr/bin/env node
// Issue #20's one-pass design, measured (a prototype, not aov's import): a Shopify export read
// once and grouped once per order, with the order-level fields taken as
// any_value(x) FILTER (x <> ''), conflicts (two different non-empty values) counted in the
// same aggregate, duplicate lines as count(*) - count(DISTINCT hash(cells)), unreadable cells
// counted per order, and every line's outcome attributed by count from its order's outcome
// (no join of lines back to orders). It prints the analyze headline and the row accounting,
// to compare with `aov analyze --json` on the same file, and the time of each statement.
//   node bench/peers/one-pass.mjs orders.csv
// Covers what the generated exports hold (Shopify, one currency, order-level Subtotal); the
// per-line reasons aov also gives (a bad line price or quantity inside a counted order,
// a currency that changes within an order) are counted per order here, not per line.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const instance = await DuckDBInstance.create(':memory:', { preserve_insertion_order: 'false' });
const connection = await instance.connect();
const timed = async (label, sql) => {
  const started = performance.now();
  const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
  process.stderr.write(`${label}: ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
  return rows;
};
const q = (name) => `"${name}"`;
const cells = ['Name', 'Email', 'Financial Status', 'Currency', 'Subtotal', 'Shipping', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price',
  'Lineitem sku', 'Lineitem requires shipping', 'Billing Name', 'Billing Zip', 'Shipping Country', 'Cancelled at', 'Payment Method', 'Refunded Amount', 'Source'];
const first = (column, as) => `any_value(${q(column)}) FILTER (WHERE ${q(column)} <> '') AS ${as}`;
const conflicts = (column, as) => `count(DISTINCT ${q(column)}) FILTER (WHERE ${q(column)} <> '') > 1 AS ${as}`;
const unreadable = (column, cast) => `count(*) FILTER (WHERE ${q(column)} <> '' AND ${cast} IS NULL)`;
const amount = (column) => `TRY_CAST(${q(column)} AS DECIMAL(18,2))`;
const date = `TRY_STRPTIME(left(${q('Created at')}, 19), '%Y-%m-%d %H:%M:%S')`;
await timed('per-order pass (read + type + group)', `
  CREATE TABLE per_order AS
  SELECT ${q('Name')} AS order_id,
    count(*) AS lines,
    count(*) - count(DISTINCT hash(${cells.map(q).join(', ')})) AS duplicate_lines,
    ${first('Subtotal', 'subtotal_text')}, ${conflicts('Subtotal', 'conflicting_subtotals')},
    ${first('Financial Status', 'financial_status')}, ${first('Cancelled at', 'cancelled_at')},
    lower(${first('Payment Method', 'payment_method').replace(/ AS payment_method$/, '')}) AS payment_method,
    ${first('Currency', 'currency')}, ${conflicts('Currency', 'conflicting_currencies')},
    lower(${first('Email', 'customer').replace(/ AS customer$/, '')}) AS customer,
    ${first('Shipping Country', 'country')}, ${first('Source', 'source')},
    ${amount('Refunded Amount').replace(q('Refunded Amount'), `any_value(${q('Refunded Amount')}) FILTER (WHERE ${q('Refunded Amount')} <> '')`)} AS refunded,
    min(${date}) AS placed_at,
    ${unreadable('Created at', date)} AS bad_dates,
    ${unreadable('Lineitem quantity', amount('Lineitem quantity'))} AS bad_quantities,
    ${unreadable('Lineitem price', amount('Lineitem price'))} AS bad_prices,
    count(DISTINCT coalesce(${q('Lineitem sku')}, ${q('Lineitem name')})) AS items,
    sum(TRY_CAST(${q('Lineitem quantity')} AS DECIMAL(18,6))) AS units
  FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true)
  WHERE ${q('Name')} IS NOT NULL
  GROUP BY ${q('Name')}`);
// Each order's outcome, in aov's order of rules (rejections first); its lines take it, except
// the duplicate lines, which are excluded as duplicates (aov's rule for Shopify) unless the
// order is rejected.
const outcome = `CASE
    WHEN placed_at IS NULL THEN 'reject:missingDate'
    WHEN bad_dates > 0 THEN 'reject:badDate'
    WHEN subtotal_text IS NOT NULL AND TRY_CAST(subtotal_text AS DECIMAL(18,2)) IS NULL THEN 'reject:badPrice'
    WHEN subtotal_text IS NULL THEN 'reject:missingPrice'
    WHEN bad_quantities > 0 THEN 'reject:badQuantity'
    WHEN bad_prices > 0 THEN 'reject:badPrice'
    WHEN payment_method = 'bogus' OR financial_status = 'test' THEN 'exclude:test'
    WHEN financial_status = 'voided' THEN 'exclude:voided'
    WHEN cancelled_at IS NOT NULL THEN 'exclude:cancelled'
    WHEN TRY_CAST(subtotal_text AS DECIMAL(18,2)) <= 0 THEN 'exclude:zeroValue'
  END`;
const accounting = await timed('row accounting (from per_order)', `
  SELECT outcome, sum(n) AS n FROM (
    SELECT ${outcome} AS outcome, lines - CASE WHEN starts_with(coalesce(${outcome}, ''), 'reject:') THEN 0 ELSE duplicate_lines END AS n FROM per_order
    UNION ALL SELECT 'exclude:duplicateRow', duplicate_lines FROM per_order WHERE NOT starts_with(coalesce(${outcome}, ''), 'reject:'))
  WHERE n > 0 GROUP BY outcome ORDER BY outcome NULLS FIRST`);
const [headline] = await timed('headline (from per_order)', `
  SELECT count(*) AS orders, round(sum(v), 2) AS revenue, round(avg(v), 2) AS mean, round(median(v), 2) AS median,
    count(*) FILTER (WHERE refunded > 0) AS refunded, count(*) FILTER (WHERE customer IS NULL) AS no_customer,
    (SELECT count(*) FROM per_order WHERE conflicting_subtotals) AS conflicting_subtotals
  FROM (SELECT TRY_CAST(subtotal_text AS DECIMAL(18,2)) AS v, refunded, customer FROM per_order WHERE ${outcome} IS NULL)`);
process.stdout.write(`${JSON.stringify({
  orders: Number(headline.orders), revenue: Number(headline.revenue), mean: Number(headline.mean), median: Number(headline.median),
  notes: { refunded: Number(headline.refunded), noCustomer: Number(headline.no_customer), conflictingSubtotals: Number(headline.conflicting_subtotals) },
  rows: Object.fromEntries(accounting.map((r) => [r.outcome ?? 'used', Number(r.n)])),
})}\n`);
connection.closeSync();
instance.closeSync();
