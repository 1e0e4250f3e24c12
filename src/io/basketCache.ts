/**
 * The baskets a command built (baskets.ts' BasketResult) kept in the import cache's entry,
 * one file per basket option set: `baskets-<hash>.bin` (cacheFile.ts layout) beside the
 * entry's Parquet. The entry's key already covers the files, the import options and the build
 * (baskets.ts included), so the file's own name covers the rest: what an item is, the
 * patterns, whether order ids were read, and the basket format.
 *
 * A warm `suggest-threshold` on 1M orders spent 10 s of 22 (a busy machine) building its
 * baskets again from the cached lines: reading 2.25M lines, grouping them, the add-on prices
 * per order and moving 1.5M order-id strings into JS. This file is read in a fraction of that.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { OrderTable } from '../analysis/types.js';
import type { BasketOptions, BasketResult } from './baskets.js';
import { readCacheFile, writeCacheFile } from './cacheFile.js';
import { tablesDigest } from './tablesCache.js';

/** Bumped when the file's content changes shape. */
const BASKET_FILE_VERSION = 1;

/** The basket options as they change the result (an absent option is its default). */
function basketKey(format: string, options: BasketOptions): Record<string, unknown> {
  return {
    version: BASKET_FILE_VERSION,
    format,
    item: options.item ?? 'sku',
    itemPattern: options.itemPattern ?? null,
    excludeItems: options.excludeItems ?? null,
    orderIds: options.orderIds ?? true,
  };
}

/** The file of these baskets in an entry folder. */
export function basketFile(entryDir: string, format: string, options: BasketOptions): string {
  const name = createHash('sha256').update(JSON.stringify(basketKey(format, options))).digest('hex').slice(0, 16);
  return path.join(entryDir, `baskets-${name}.bin`);
}

/** Everything of a BasketResult but its typed arrays and long string columns (those travel as parts of the file). */
type BasketData = Pick<BasketResult, 'variantNames' | 'nameFallbacks' | 'excludedLines' | 'excludedItems' | 'excludePattern' | 'shipsNothingLines' | 'priceCurrency' | 'itemParents'> & {
  key: Record<string, unknown>;
  hasPrice: boolean;
  hasCost: boolean;
  /** The add-on orders are kept as indices into orderIds (each is a basket's order), else as strings. */
  addOnIndexed: boolean;
  /**
   * The SHA-256 of the tables file (tablesCache.ts) whose rows the parts orderTable and orderRow
   * give for each basket's order (BasketResult.orderRows); null when not kept. They are used only
   * with tables read from a file of that digest.
   */
  orderRowsOf: string | null;
};

/** Keeps `baskets` in the entry; false when the entry folder went away meanwhile. */
export async function writeBasketFile(entryDir: string, format: string, options: BasketOptions, baskets: BasketResult): Promise<string | false> {
  // The add-on orders are baskets' orders (multi-item orders of products): kept as indices,
  // they come back as the same strings as orderIds, without a second copy in the file.
  let addOnIndex = baskets.addOnBaskets;
  let indexed = addOnIndex !== undefined;
  if (!addOnIndex) {
    const basketOf = new Map<string, number>();
    baskets.orderIds.forEach((id, b) => basketOf.set(id, b));
    addOnIndex = new Int32Array(baskets.addOnOrderIds.length);
    indexed = true;
    for (let k = 0; k < addOnIndex.length && indexed; k++) {
      const b = basketOf.get(baskets.addOnOrderIds[k]);
      if (b === undefined) indexed = false;
      else addOnIndex[k] = b;
    }
  }
  // The order rows are kept only against tables kept in this entry (their file's digest).
  const rows = baskets.orderRows;
  const orderRowsOf = (rows && tablesDigest(rows.tables)) ?? null;
  const table = baskets.baskets;
  const data: BasketData = {
    key: basketKey(format, options),
    hasPrice: table.itemPriceMinor !== undefined,
    hasCost: table.itemCostMinor !== undefined,
    variantNames: baskets.variantNames,
    nameFallbacks: baskets.nameFallbacks,
    excludedLines: baskets.excludedLines,
    excludedItems: baskets.excludedItems,
    excludePattern: baskets.excludePattern,
    shipsNothingLines: baskets.shipsNothingLines,
    priceCurrency: baskets.priceCurrency,
    addOnIndexed: indexed,
    orderRowsOf,
    itemParents: baskets.itemParents,
  };
  return writeCacheFile(basketFile(entryDir, format, options), {
    data,
    arrays: {
      offsets: table.offsets,
      items: table.items,
      ...(table.itemPriceMinor ? { itemPriceMinor: table.itemPriceMinor } : {}),
      ...(table.itemCostMinor ? { itemCostMinor: table.itemCostMinor } : {}),
      itemLines: baskets.itemLines,
      aliasItems: Int32Array.from(baskets.itemAliases, (a) => a.item),
      aliasLines: Float64Array.from(baskets.itemAliases, (a) => a.lines),
      addOnPriceMinor: baskets.addOnPriceMinor,
      ...(indexed ? { addOnIndex } : {}),
      ...(rows && orderRowsOf ? { orderTable: rows.table, orderRow: rows.row } : {}),
    },
    strings: {
      orderIds: baskets.orderIds,
      itemLabels: table.itemLabels,
      itemNames: baskets.itemNames,
      aliasNames: baskets.itemAliases.map((a) => a.name),
      ...(indexed ? {} : { addOnOrderIds: baskets.addOnOrderIds }),
    },
  });
}

/** Whether every kept order row is a row of its table (the digest says so; this is cheap to check). */
function rowsFit(tables: readonly OrderTable[], table: Int32Array, row: Int32Array): boolean {
  for (let b = 0; b < table.length; b++) {
    const t = table[b];
    if (t === -1) continue;
    if (!(t >= 0 && t < tables.length && row[b] >= 0 && row[b] < tables[t].orderIds.length)) return false;
  }
  return true;
}

/**
 * The baskets kept in the entry for these options, or undefined (none, or damaged). With the
 * order tables of this run (`tables`), each basket's order row comes back too when the file kept
 * them for those very tables.
 */
export async function readBasketFile(entryDir: string, format: string, options: BasketOptions, tables?: readonly OrderTable[]): Promise<BasketResult | undefined> {
  const content = await readCacheFile<BasketData>(basketFile(entryDir, format, options));
  if (!content) return undefined;
  const { data, arrays, strings } = content;
  // (the name is a hash: the key inside is what is trusted)
  if (JSON.stringify(data.key) !== JSON.stringify(basketKey(format, options))) return undefined;
  const aliasItems = arrays.aliasItems as Int32Array;
  const aliasLines = arrays.aliasLines as Float64Array;
  const addOnIndex = arrays.addOnIndex as Int32Array | undefined;
  if (data.addOnIndexed ? !addOnIndex : !strings.addOnOrderIds) return undefined;
  if (!Array.isArray(data.itemParents) || data.itemParents.length !== strings.itemLabels.length) return undefined;
  const orderTable = arrays.orderTable as Int32Array | undefined;
  const orderRow = arrays.orderRow as Int32Array | undefined;
  const linked = tables !== undefined && typeof data.orderRowsOf === 'string' && data.orderRowsOf === tablesDigest(tables)
    && orderTable?.length === strings.orderIds.length && orderRow?.length === strings.orderIds.length && rowsFit(tables, orderTable, orderRow);
  return {
    addOnPriceMinor: arrays.addOnPriceMinor as Float64Array,
    addOnOrderIds: data.addOnIndexed ? Array.from(addOnIndex!, (b) => strings.orderIds[b]) : strings.addOnOrderIds,
    addOnBaskets: data.addOnIndexed ? addOnIndex : undefined,
    orderRows: linked ? { tables: tables!, table: orderTable!, row: orderRow! } : undefined,
    baskets: {
      offsets: arrays.offsets as Int32Array,
      items: arrays.items as Int32Array,
      itemLabels: strings.itemLabels,
      itemPriceMinor: data.hasPrice ? (arrays.itemPriceMinor as Float64Array) : undefined,
      itemCostMinor: data.hasCost ? (arrays.itemCostMinor as Float64Array) : undefined,
    },
    orderIds: strings.orderIds,
    itemNames: strings.itemNames,
    itemLines: arrays.itemLines as Float64Array,
    itemParents: data.itemParents,
    itemAliases: strings.aliasNames.map((name, k) => ({ item: aliasItems[k], name, lines: aliasLines[k] })),
    variantNames: data.variantNames,
    nameFallbacks: data.nameFallbacks,
    excludedLines: data.excludedLines,
    excludedItems: data.excludedItems,
    excludePattern: data.excludePattern,
    shipsNothingLines: data.shipsNothingLines,
    priceCurrency: data.priceCurrency,
  };
}
