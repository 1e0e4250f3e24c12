/**
 * The order tables a command reads (import/orders.ts readOrderTables: one OrderTable per
 * currency) kept in the import cache's entry as `tables-<hash>.bin` (cacheFile.ts layout),
 * beside the orders.parquet they are made from. The entry's key covers the files, the import
 * options and the build; the file's name covers the one option readOrderTables reads
 * (whether the customers' keys are wanted).
 *
 * A warm run on 1M lines spent 1.5-2.6 s (a busy machine) reading orders.parquet into the
 * engine, building the customer dictionary and moving 963,073 orders into JS, most of it the
 * order-id strings; this file is read in a few hundred milliseconds.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { OrderTable } from '../analysis/types.js';
import { readCacheFile, writeCacheFile, type TypedColumn } from './cacheFile.js';
import { lazySegments, segmentCodesOf, type SegmentCodes } from './import/orders.js';

/** Bumped when the file's content changes shape. */
const TABLES_FILE_VERSION = 1;

const tablesKey = (customerKeys: boolean) => ({ version: TABLES_FILE_VERSION, customerKeys });

/**
 * The SHA-256 of the tables file a set of order tables was read from or written to: what a
 * basket file's order rows (basketCache.ts) were linked against, so they are used only with
 * these very tables.
 */
const digests = new WeakMap<readonly OrderTable[], string>();
export function tablesDigest(tables: readonly OrderTable[]): string | undefined {
  return digests.get(tables);
}

/** The file of the order tables in an entry folder. */
export function tablesFile(entryDir: string, customerKeys: boolean): string {
  const name = createHash('sha256').update(JSON.stringify(tablesKey(customerKeys))).digest('hex').slice(0, 16);
  return path.join(entryDir, `tables-${name}.bin`);
}

/** One table's scalars; its columns are parts of the file named `<index>.<column>`. */
interface TableData {
  currency: string;
  decimals: number;
  customerCount: number;
  customerKeys: boolean;
  marginMinor: boolean;
  shippingMinor: boolean;
  /** Each segment column's names (its codes are a part). */
  segmentNames: Record<string, string[]> | null;
}

interface TablesData {
  key: ReturnType<typeof tablesKey>;
  tables: TableData[];
}

/**
 * Keeps the order tables in the entry; false when it cannot (the entry went away, a segment
 * column already decoded so its codes are not known, or a string would not survive UTF-8).
 */
export async function writeTablesFile(entryDir: string, customerKeys: boolean, tables: readonly OrderTable[]): Promise<string | false> {
  const arrays: Record<string, TypedColumn> = {};
  const strings: Record<string, Iterable<string>> = {};
  const described: TableData[] = [];
  for (const [i, table] of tables.entries()) {
    const codes = segmentCodesOf(table);
    if (table.segments && !codes) return false;
    Object.assign(arrays, {
      [`${i}.valueMinor`]: table.valueMinor,
      [`${i}.placedAt`]: table.placedAt,
      [`${i}.customer`]: table.customer,
      [`${i}.itemCount`]: table.itemCount,
      [`${i}.units`]: table.units,
      ...(table.marginMinor ? { [`${i}.marginMinor`]: table.marginMinor } : {}),
      ...(table.shippingMinor ? { [`${i}.shippingMinor`]: table.shippingMinor } : {}),
    });
    for (const [name, [column]] of Object.entries(codes ?? {})) arrays[`${i}.segment.${name}`] = column;
    strings[`${i}.orderIds`] = table.orderIds;
    if (table.customerKeys) strings[`${i}.customerKeys`] = table.customerKeys;
    described.push({
      currency: table.currency,
      decimals: table.decimals,
      customerCount: table.customerCount,
      customerKeys: table.customerKeys !== undefined,
      marginMinor: table.marginMinor !== undefined,
      shippingMinor: table.shippingMinor !== undefined,
      segmentNames: codes ? Object.fromEntries(Object.entries(codes).map(([name, [, names]]) => [name, names])) : null,
    });
  }
  const digest = await writeCacheFile<TablesData>(tablesFile(entryDir, customerKeys), { data: { key: tablesKey(customerKeys), tables: described }, arrays, strings });
  if (digest) digests.set(tables, digest);
  return digest;
}

/** The order tables kept in the entry, or undefined (none, or damaged). */
export async function readTablesFile(entryDir: string, customerKeys: boolean): Promise<OrderTable[] | undefined> {
  // (the order ids stay lazy: a command reads a few of them; the customers' keys are looked up whole)
  const content = await readCacheFile<TablesData>(tablesFile(entryDir, customerKeys), (name) => name.endsWith('.orderIds'));
  if (!content || JSON.stringify(content.data.key) !== JSON.stringify(tablesKey(customerKeys))) return undefined;
  const { arrays, strings, lazy } = content;
  const tables: OrderTable[] = [];
  for (const [i, t] of content.data.tables.entries()) {
    const f64 = (name: string) => arrays[`${i}.${name}`] as Float64Array;
    const i32 = (name: string) => arrays[`${i}.${name}`] as Int32Array;
    const segmentCodes: SegmentCodes | undefined = t.segmentNames
      ? Object.fromEntries(Object.entries(t.segmentNames).map(([name, names]) => [name, [i32(`segment.${name}`), names]]))
      : undefined;
    const orderIds = lazy[`${i}.orderIds`];
    if (!orderIds || !f64('valueMinor') || (t.customerKeys && !strings[`${i}.customerKeys`])) return undefined;
    tables.push({
      currency: t.currency,
      decimals: t.decimals,
      orderIds,
      valueMinor: f64('valueMinor'),
      placedAt: f64('placedAt'),
      customer: i32('customer'),
      customerCount: t.customerCount,
      customerKeys: t.customerKeys ? strings[`${i}.customerKeys`] : undefined,
      itemCount: i32('itemCount'),
      units: f64('units'),
      marginMinor: t.marginMinor ? f64('marginMinor') : undefined,
      shippingMinor: t.shippingMinor ? f64('shippingMinor') : undefined,
      segments: segmentCodes ? lazySegments(segmentCodes) : undefined,
    });
  }
  digests.set(tables, content.digest);
  return tables;
}
