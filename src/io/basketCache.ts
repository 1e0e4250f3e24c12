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
import type { BasketOptions, BasketResult } from './baskets.js';
import { readCacheFile, writeCacheFile } from './cacheFile.js';

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
};

/** Keeps `baskets` in the entry; false when the entry folder went away meanwhile. */
export async function writeBasketFile(entryDir: string, format: string, options: BasketOptions, baskets: BasketResult): Promise<boolean> {
  // The add-on orders are baskets' orders (multi-item orders of products): kept as indices,
  // they come back as the same strings as orderIds, without a second copy in the file.
  const basketOf = new Map<string, number>();
  baskets.orderIds.forEach((id, b) => basketOf.set(id, b));
  const addOnIndex = new Int32Array(baskets.addOnOrderIds.length);
  let indexed = true;
  for (let k = 0; k < addOnIndex.length && indexed; k++) {
    const b = basketOf.get(baskets.addOnOrderIds[k]);
    if (b === undefined) indexed = false;
    else addOnIndex[k] = b;
  }
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

/** The baskets kept in the entry for these options, or undefined (none, or damaged). */
export async function readBasketFile(entryDir: string, format: string, options: BasketOptions): Promise<BasketResult | undefined> {
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
  return {
    addOnPriceMinor: arrays.addOnPriceMinor as Float64Array,
    addOnOrderIds: data.addOnIndexed ? Array.from(addOnIndex!, (b) => strings.orderIds[b]) : strings.addOnOrderIds,
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
