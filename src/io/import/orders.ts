/**
 * Step 4: the counted orders, money in minor units, and their transfer into JS typed arrays.
 *
 * Produces:
 *   orders(currency, order_id, placed_ms, value_minor, customer, items, units, margin_minor,
 *     shipping_minor, country, source, segment)   (what the cache keeps, cache.ts)
 *   dict_country, dict_source, dict_segment(value, code), dict_customer(customer, code)
 */
import type { OrderTable } from '../../analysis/types.js';
import { AovError } from '../../errors.js';
import { currencyDecimals, isCurrencyCode } from '../currency.js';
import { sqlString, type Engine } from '../engine.js';
import { COUNTED, type LoadOptions } from './types.js';

/**
 * The largest amounts aov keeps exact: an order up to 10^15 minor units, and a currency's
 * revenue up to 2^53 - 1 minor units (JavaScript numbers hold every integer exactly up to
 * there, so every sum of orders below it is exact). Beyond them the import stops with the
 * order or the currency named, rather than round or overflow.
 */
export const MAX_ORDER_MINOR = 1e15;
export const MAX_REVENUE_MINOR = Number.MAX_SAFE_INTEGER;

async function checkMoneyLimits(engine: Engine, minorExpr: string): Promise<void> {
  const rows = await engine.rows(`
    SELECT v.currency, arg_max(v.order_id, abs(${minorExpr})) AS order_id, max(abs(${minorExpr}))::DOUBLE AS largest,
      sum(${minorExpr}::DOUBLE) AS total
    FROM order_values v WHERE ${COUNTED} GROUP BY v.currency ORDER BY v.currency`);
  for (const row of rows) {
    if (Number(row.largest) > MAX_ORDER_MINOR) {
      const error = new AovError('E_TOO_LARGE', `Order ${String(row.order_id).slice(0, 80)} (${row.currency}) is worth ${Number(row.largest).toExponential(3)} minor units, over the 10^15 aov keeps exact.`, {
        hint: 'Check the quantity and price columns of that order (a price read with the wrong decimal mark, --decimal, multiplies it by 1,000).',
      });
      // (the loader prefixes the file and line of the order's first row: load.ts)
      throw Object.assign(error, { orderId: String(row.order_id) });
    }
    if (Math.abs(Number(row.total)) > MAX_REVENUE_MINOR) {
      throw new AovError('E_TOO_LARGE', `The ${row.currency} revenue, ${Number(row.total).toExponential(3)} minor units, is over the 2^53 (9.0e15) aov keeps exact.`, {
        hint: 'Analyse a shorter period (--since) or fewer files at a time.',
      });
    }
  }
}

/**
 * The engine's `orders` table from order_values (the counted orders, money in minor units);
 * frees what the orders no longer need. Returns the number of orders (0: no table made).
 */
export async function buildOrdersTable(engine: Engine, keepLines: boolean): Promise<number> {
  const currencies = (await engine.rows(`SELECT DISTINCT currency FROM order_values WHERE ${COUNTED} ORDER BY currency`)).map((r) => String(r.currency));
  if (currencies.length === 0) return 0;
  // Exact DECIMAL -> minor units: multiply by an integer literal (power() would go through
  // DOUBLE and round 12.345 to 1234), then round half away from zero.
  const minorUnits = (expr: string) =>
    `round(CASE v.currency ${currencies.map((c) => `WHEN ${sqlString(c)} THEN (${expr}) * ${10 ** currencyDecimals(c)}`).join(' ')} ELSE (${expr}) * 100 END)`;
  const toMinor = (expr: string) => `CAST(${minorUnits(expr)} AS BIGINT)`;
  await checkMoneyLimits(engine, minorUnits('v.value'));
  // orders: currency, order_id, placed_ms, value_minor, customer, items, units, margin_minor, shipping_minor, country, source, segment
  await engine.run(`
    CREATE TABLE orders AS
    SELECT v.currency, v.order_id,
      epoch_ms(v.placed_at) AS placed_ms,
      ${toMinor('v.value')} AS value_minor,
      v.customer, v.items, v.units,
      CASE WHEN v.all_profit THEN ${toMinor('v.profit')}
           WHEN v.all_cost THEN ${toMinor('v.value - v.cost_sum')}
      END AS margin_minor,
      ${toMinor('v.shipping')} AS shipping_minor,
      v.country, v.source, v.segment
    FROM order_values v
    WHERE ${COUNTED}`);
  // Free what the orders no longer need before JS arrays fill up (baskets still read the lines).
  await engine.run(`DROP TABLE order_values; DROP TABLE order_attrs;${keepLines ? '' : ' DROP TABLE classified;'}`);
  return Number((await engine.rows(`SELECT count(*) AS n FROM orders`))[0].n);
}

/** Segment columns as codes into names, by column: what lazySegments decodes. */
export type SegmentCodes = Record<string, [Int32Array, string[]]>;

const codesOfSegments = new WeakMap<object, SegmentCodes>();

/** The codes behind an order table's lazy segment columns (the tables cache keeps them, not the strings). */
export const segmentCodesOf = (table: OrderTable): SegmentCodes | undefined => (table.segments ? codesOfSegments.get(table.segments) : undefined);

/**
 * Segment columns decoded to strings only when read (--by, windows): three arrays of 4M
 * strings at 10M lines cost over a second and as much again in garbage collection.
 */
export function lazySegments(columns: SegmentCodes): Record<string, readonly string[]> {
  const segments: Record<string, readonly string[]> = {};
  for (const [name, [codes, names]] of Object.entries(columns)) {
    let decoded: string[] | undefined;
    Object.defineProperty(segments, name, { enumerable: true, get: () => (decoded ??= Array.from(codes, (c) => names[c])) });
  }
  codesOfSegments.set(segments, columns);
  return segments;
}

/** The engine's `orders` as OrderTables, one per currency, sorted by (placedAt, orderId). */
export async function readOrderTables(engine: Engine, options: LoadOptions, large: boolean, transfer: boolean): Promise<{ tables: OrderTable[]; orders: number }> {
  const currencies = (await engine.rows(`SELECT DISTINCT currency FROM orders ORDER BY currency`)).map((r) => String(r.currency));
  // A large import hands memory over to JS: DuckDB evicts what it still holds down to 512 MB.
  if (large && !process.env.AOV_MEMORY_LIMIT) await engine.run(`SET memory_limit = '512MB'`);
  if (!transfer) {
    const counts = await engine.rows(`SELECT currency, count(*) AS n FROM orders GROUP BY currency`);
    return { tables: [], orders: counts.reduce((sum, r) => sum + Number(r.n), 0) };
  }
  // Strings cross into JS once per distinct value: customers and the segment columns travel
  // as integer codes into small dictionaries (4M orders at 10M lines would otherwise be 16M
  // separately decoded JS strings, about a gigabyte).
  const dictionary = async (column: string) => {
    await engine.run(`CREATE TABLE dict_${column} AS SELECT value, (row_number() OVER (ORDER BY value) - 1)::INTEGER AS code FROM (SELECT DISTINCT coalesce(${column}, '') AS value FROM orders)`);
    return (await engine.columns(`SELECT value FROM dict_${column} ORDER BY code`, { value: 'str' })).value as string[];
  };
  const segmentNames = { country: await dictionary('country'), source: await dictionary('source'), segment: await dictionary('segment') };
  await engine.run(`CREATE TABLE dict_customer AS SELECT customer, (row_number() OVER ()) - 1 AS code FROM (SELECT DISTINCT customer FROM orders WHERE customer IS NOT NULL)`);
  const dictionarySize = Number((await engine.rows(`SELECT count(*) AS n FROM dict_customer`))[0].n);
  const tables: OrderTable[] = [];
  for (const currency of currencies) {
    // (classify rejects lines in a code outside the table, so none can be left here)
    if (!isCurrencyCode(currency)) throw new AovError('E_INTERNAL', `Orders in ${currency} reached the order tables.`);
    const data = await engine.columns(
      // (numbers cross as DOUBLE or INTEGER vectors, which are copied whole into typed arrays)
      `SELECT o.order_id, o.placed_ms::DOUBLE AS placed_ms, o.value_minor::DOUBLE AS value_minor, coalesce(dc.code, -1)::INTEGER AS customer, o.items::INTEGER AS items,
         o.units::DOUBLE AS units, o.margin_minor::DOUBLE AS margin_minor, o.shipping_minor::DOUBLE AS shipping_minor,
         country.code AS country, source.code AS source, segment.code AS segment
       FROM orders o LEFT JOIN dict_customer dc USING (customer)
         JOIN dict_country country ON country.value = coalesce(o.country, '')
         JOIN dict_source source ON source.value = coalesce(o.source, '')
         JOIN dict_segment segment ON segment.value = coalesce(o.segment, '')
       WHERE o.currency = ${sqlString(currency)} ORDER BY o.placed_ms, o.order_id`,
      { order_id: 'str', placed_ms: 'f64', value_minor: 'f64', customer: 'i32', items: 'i32', units: 'f64', margin_minor: 'f64', shipping_minor: 'f64', country: 'i32', source: 'i32', segment: 'i32' },
    );
    // Customer numbers in order of first appearance (the dictionary's own codes are arbitrary).
    const customer = data.customer as Int32Array;
    const renumber = new Int32Array(dictionarySize).fill(-1);
    let customerCount = 0;
    for (let i = 0; i < customer.length; i++) {
      const code = customer[i];
      if (code < 0) continue;
      if (renumber[code] < 0) renumber[code] = customerCount++;
      customer[i] = renumber[code];
    }
    let customerKeys: string[] | undefined;
    if (options.customerKeys && customerCount) {
      const keys = await engine.columns(
        `SELECT dc.customer, dc.code FROM dict_customer dc WHERE dc.code IN (SELECT DISTINCT d.code FROM orders o JOIN dict_customer d USING (customer) WHERE o.currency = ${sqlString(currency)})`,
        { customer: 'str', code: 'i32' },
      );
      customerKeys = new Array<string>(customerCount);
      const codes = keys.code as Int32Array;
      (keys.customer as string[]).forEach((key, i) => (customerKeys![renumber[codes[i]]] = key));
    } else if (options.customerKeys) customerKeys = [];
    const margin = data.margin_minor as Float64Array;
    const shipping = data.shipping_minor as Float64Array;
    const table: OrderTable = {
      currency,
      decimals: currencyDecimals(currency),
      orderIds: data.order_id as string[],
      valueMinor: data.value_minor as Float64Array,
      placedAt: data.placed_ms as Float64Array,
      customer,
      customerCount,
      customerKeys,
      itemCount: data.items as Int32Array,
      units: data.units as Float64Array,
      marginMinor: margin.every((m) => !Number.isNaN(m)) ? margin : undefined,
      shippingMinor: shipping.some((s) => !Number.isNaN(s)) ? shipping : undefined,
      segments: lazySegments({
        country: [data.country as Int32Array, segmentNames.country],
        source: [data.source as Int32Array, segmentNames.source],
        segment: [data.segment as Int32Array, segmentNames.segment],
      }),
    };
    tables.push(table);
  }
  return { tables, orders: tables.reduce((sum, t) => sum + t.valueMinor.length, 0) };
}
