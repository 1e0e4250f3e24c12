/**
 * Plain typed data that flows from import (src/io) into analysis. No DuckDB handles,
 * no file names: analysis works on these and nothing else.
 */

/**
 * Order ids by row: a plain array, or the loader's lazy list from the import cache, which makes
 * an id when it is read (a warm run at 4M orders reads a few dozen of them; making all 4M
 * strings, and collecting them, was a second of it). Read with at(i), never [i].
 */
export interface OrderIds extends Iterable<string> {
  readonly length: number;
  at(index: number): string | undefined;
  slice(start?: number, end?: number): OrderIds;
}

/** The orders of one currency, one row per counted order, sorted by (placedAt, orderId). */
export interface OrderTable {
  currency: string;
  /** ISO 4217 minor-unit digits (GBP 2, JPY 0, KWD 3). */
  decimals: number;
  orderIds: OrderIds;
  /** Order value in integer minor units (merchandise after discounts, excl. shipping and tax). */
  valueMinor: Float64Array;
  /**
   * When the order was placed, as the wall-clock time written in the export (its own time
   * zone), encoded as epoch milliseconds of that wall-clock time read as UTC. So
   * `new Date(t).getUTCMonth()` is the month the merchant sees in the export.
   */
  placedAt: Float64Array;
  /** Customer number (0 .. customerCount-1, by first order), or -1 when the order has no customer key. */
  customer: Int32Array;
  customerCount: number;
  /** The customers' keys (email, id or guest key) by customer number, when the loader was asked for them. */
  customerKeys?: readonly string[];
  /** Distinct items (SKUs/products) in the order. */
  itemCount: Int32Array;
  /** Sum of line quantities. */
  units: Float64Array;
  /** Optional per-order margin in minor units, when cost or profit is known for every line. */
  marginMinor?: Float64Array;
  /** Optional shipping charged, in minor units, when the export has it. */
  shippingMinor?: Float64Array;
  /** Optional segment columns (country, channel, source ...), one string per order. */
  segments?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Where each basket's order is in the tables the loader gave (the same objects): basket b is
 * row `row[b]` of `tables[table[b]]`, or table -1 when its order is in none of them.
 */
export interface BasketOrderRows {
  tables: readonly OrderTable[];
  table: Int32Array;
  row: Int32Array;
}

/**
 * Baskets in compressed sparse row form: basket b holds items
 * `items[offsets[b] .. offsets[b+1])`, sorted ascending and distinct.
 */
export interface BasketTable {
  offsets: Int32Array;
  items: Int32Array;
  /** Item labels, indexed by item number. */
  itemLabels: readonly string[];
  /** Optional usual unit price per item in minor units (median over lines), NaN if unknown. */
  itemPriceMinor?: Float64Array;
  /** Optional unit cost per item in minor units, NaN if unknown. */
  itemCostMinor?: Float64Array;
}
