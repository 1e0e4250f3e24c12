/** A time window of an OrderTable: the last N months of data, or from a given date. */
import type { OrderTable } from './types.js';
import { addMonths, MONTH_MS } from './periods.js';

export interface Windowed {
  table: OrderTable;
  from: number;
  to: number;
  /** Length of the window in months (30.44-day months), at least one day's worth. */
  months: number;
}

/**
 * The window's segment columns, each picked when first read: the loader decodes a segment
 * column only when it is read (import/orders.ts), and a window that read them all would decode
 * three columns of every order (0.6 s at 1M orders) for a command that reads none.
 */
function pickSegments(segments: Readonly<Record<string, readonly string[]>>, keep: Int32Array): Record<string, readonly string[]> {
  const picked: Record<string, readonly string[]> = {};
  for (const name of Object.keys(segments)) {
    let column: string[] | undefined;
    Object.defineProperty(picked, name, { enumerable: true, get: () => (column ??= Array.from(keep, (i) => segments[name][i])) });
  }
  return picked;
}

/**
 * Which rows of a loaded table (its root) a table derived from it holds: a run of rows
 * (`start`, `count`) or a list of them. A table the loader gave has none (it is its own root).
 * The threshold plan reads it to find the window's baskets by row number (a basket's order
 * row is known from the loader) instead of by order-id strings, which at 4M orders were half of a
 * warm suggest-threshold.
 */
export type RootRows = { root: OrderTable; start: number; count: number; rows?: undefined } | { root: OrderTable; rows: Int32Array; start?: undefined; count?: undefined };

const lineage = new WeakMap<OrderTable, RootRows>();

/** The rows of its root `table` holds (a loaded table: all of its own). */
export function rootRows(table: OrderTable): RootRows {
  return lineage.get(table) ?? { root: table, start: 0, count: table.valueMinor.length };
}

/** Records that `sub` holds the rows `keep` of `parent` (ascending), or its run from `first` of `count` rows. */
export function deriveRows(sub: OrderTable, parent: OrderTable, pick: { first: number; count: number } | Int32Array): void {
  const from = rootRows(parent);
  if (!(pick instanceof Int32Array)) {
    lineage.set(sub, from.rows ? { root: from.root, rows: from.rows.subarray(pick.first, pick.first + pick.count) } : { root: from.root, start: from.start + pick.first, count: pick.count });
    return;
  }
  const rows = new Int32Array(pick.length);
  for (let k = 0; k < pick.length; k++) rows[k] = from.rows ? from.rows[pick[k]] : from.start + pick[k];
  lineage.set(sub, { root: from.root, rows });
}

/** Orders placed at or after `since` (or within the last `months` months of data, ending at the last order). */
export function windowTable(table: OrderTable, options: { since?: number; months?: number }): Windowed {
  const n = table.valueMinor.length;
  const to = n ? table.placedAt[n - 1] : 0;
  let from = options.since ?? -Infinity;
  if (options.since === undefined && options.months !== undefined && n) {
    from = addMonths(to, -options.months);
  }
  const selected = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (table.placedAt[i] > from || (options.since !== undefined && table.placedAt[i] >= from)) selected[count++] = i;
  const keep = selected.subarray(0, count);
  // Orders come sorted by time, so the window is usually one run of them: then each column is
  // one copy of a range (4 million orders: a few milliseconds) instead of a gather.
  const run = count === 0 || keep[count - 1] - keep[0] === count - 1;
  function pick(a: Float64Array): Float64Array;
  function pick(a: Int32Array): Int32Array;
  function pick(a: Float64Array | Int32Array): Float64Array | Int32Array {
    if (run) return a.slice(keep[0] ?? 0, (keep[0] ?? 0) + count);
    const out = a instanceof Int32Array ? new Int32Array(count) : new Float64Array(count);
    for (let k = 0; k < count; k++) out[k] = a[keep[k]];
    return out;
  }
  const sub: OrderTable = {
    ...table,
    orderIds: run ? table.orderIds.slice(keep[0] ?? 0, (keep[0] ?? 0) + count) : Array.from(keep, (i) => table.orderIds.at(i)!),
    valueMinor: pick(table.valueMinor),
    placedAt: pick(table.placedAt),
    customer: pick(table.customer),
    itemCount: pick(table.itemCount),
    units: pick(table.units),
    marginMinor: table.marginMinor ? pick(table.marginMinor) : undefined,
    shippingMinor: table.shippingMinor ? pick(table.shippingMinor) : undefined,
    segments: table.segments ? pickSegments(table.segments, keep) : undefined,
  };
  deriveRows(sub, table, run ? { first: keep[0] ?? 0, count } : keep);
  const first = keep.length ? table.placedAt[keep[0]] : to;
  return { table: sub, from: first, to, months: Math.max((to - first) / MONTH_MS, 1 / 30) };
}
