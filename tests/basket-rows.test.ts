/**
 * The baskets' order rows (io/baskets.ts linkBaskets): each basket's order row in the order
 * tables of the same import, computed once and kept in the cache entry's baskets file against
 * the digest of the tables file they point into, so a warm suggest-threshold finds the window's
 * baskets by row instead of hashing millions of order-id strings.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readCacheFile } from '../src/io/cacheFile.js';
import { loadOrders, type LoadResult } from '../src/io/load.js';
import { tempDir } from './helpers.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

/**
 * How many times the loader linked baskets (a warm run reads the links instead), and how many
 * of those took the rows the engine proposed (the rest built a map of the order ids).
 */
const links = vi.hoisted(() => ({ count: 0, proposed: 0 }));
vi.mock('../src/io/baskets.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/io/baskets.js')>();
  return {
    ...actual,
    linkBaskets: (...args: Parameters<typeof actual.linkBaskets>) => {
      links.count++;
      const proposed = args[0].proposedRows?.row;
      actual.linkBaskets(...args);
      if (proposed && args[0].orderRows?.row === proposed) links.proposed++;
    },
  };
});

/** Every basket's row holds the basket's own order id (the link is by id, checked by id). */
function rowsMatchIds(loaded: LoadResult): number {
  const baskets = loaded.baskets!;
  const rows = baskets.orderRows!;
  expect(rows.tables).toBe(loaded.tables);
  let linked = 0;
  baskets.orderIds.forEach((id, b) => {
    expect(rows.table[b]).toBeGreaterThanOrEqual(0);
    expect(rows.tables[rows.table[b]].orderIds.at(rows.row[b])).toBe(id);
    linked++;
  });
  expect(Array.from(baskets.addOnBaskets!, (b) => baskets.orderIds[b])).toEqual(baskets.addOnOrderIds);
  return linked;
}

describe('baskets linked to their order rows', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = tempDir('rows-cache-');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  it('cold, warm (read from the entry against the tables file\'s digest), and with other tables (linked again)', async () => {
    const file = path.join(tempDir('rows-data-'), 'orders.csv');
    copyFileSync(path.join(FIXTURES, 'two_currencies.csv'), file);
    const extras = { baskets: { excludeItems: undefined } };
    const cold = await loadOrders([file], {}, extras);
    expect(links).toEqual({ count: 1, proposed: 1 });
    expect(cold.tables.length).toBe(2);
    const baskets = rowsMatchIds(cold);
    expect(baskets).toBeGreaterThan(0);
    // Both currencies' tables are pointed into.
    expect(new Set(cold.baskets!.orderRows!.table)).toEqual(new Set([0, 1]));

    // The entry's baskets file names the digest of its tables file.
    const root = path.join(process.env.XDG_CACHE_HOME!, 'aov');
    const [entry] = readdirSync(root).filter((n) => !n.startsWith('.'));
    const names = readdirSync(path.join(root, entry));
    const tablesFile = await readCacheFile(path.join(root, entry, names.find((n) => n.startsWith('tables-'))!));
    const basketsFile = await readCacheFile<{ orderRowsOf: string | null }>(path.join(root, entry, names.find((n) => n.startsWith('baskets-'))!));
    expect(basketsFile!.data.orderRowsOf).toBe(tablesFile!.digest);
    expect(Object.keys(basketsFile!.arrays)).toEqual(expect.arrayContaining(['orderTable', 'orderRow']));

    const warm = await loadOrders([file], {}, extras);
    expect(links.count).toBe(1);
    expect(rowsMatchIds(warm)).toBe(baskets);
    expect(Array.from(warm.baskets!.orderRows!.row)).toEqual(Array.from(cold.baskets!.orderRows!.row));

    // Other basket options: built from the entry's lines, rows proposed by the engine's orders.
    const byName = await loadOrders([file], {}, { baskets: { excludeItems: undefined, item: 'name' } });
    expect(links).toEqual({ count: 2, proposed: 2 });
    expect(rowsMatchIds(byName)).toBe(baskets);

    // Tables with the customers' keys are another file (another digest): linked again, not misread.
    const withKeys = await loadOrders([file], { customerKeys: true }, extras);
    // (the entry's baskets file has rows for the other tables: linked again, by id)
    expect(links).toEqual({ count: 3, proposed: 2 });
    expect(withKeys.tables[0].customerKeys).toBeDefined();
    expect(rowsMatchIds(withKeys)).toBe(baskets);

    // Without the cache: linked all the same.
    expect(rowsMatchIds(await loadOrders([file], { cache: false }, extras))).toBe(baskets);
  });

  it('bundles, which reads no order ids, gets no rows', async () => {
    const file = path.join(tempDir('rows-data-'), 'orders.csv');
    copyFileSync(path.join(FIXTURES, 'sample-orders.csv'), file);
    const loaded = await loadOrders([file], {}, { baskets: { orderIds: false }, basketsOnly: true });
    expect(loaded.baskets!.orderIds).toEqual([]);
    expect(loaded.baskets!.orderRows).toBeUndefined();
  });
});
