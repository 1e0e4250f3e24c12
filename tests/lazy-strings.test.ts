/**
 * The cache file's lazy string columns (io/cacheFile.ts LazyStrings): the order ids a warm run
 * reads back without making 4M strings. They must read as the array they were written from.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LazyStrings, readCacheFile, writeCacheFile } from '../src/io/cacheFile.js';
import { tempDir } from './helpers.js';

describe('lazy string columns of a cache file', () => {
  it('read as the array written: at() (negative too), slice() of every kind, iteration, length', async () => {
    // ASCII, empty, multi-byte and astral strings (UTF-16 lengths, UTF-8 text).
    const ids = ['#1001', '', 'ÅÄÖ-7', '注文-42', 'x\u{1F600}y', '#1002', 'order with spaces', '#9'];
    const file = path.join(tempDir('lazy-'), 'f.bin');
    expect(await writeCacheFile(file, { data: {}, arrays: {}, strings: { ids, other: ['a', 'b'] } })).toMatch(/^[0-9a-f]{64}$/);
    const read = (await readCacheFile<object>(file, (name) => name === 'ids'))!;
    // Only the named column is lazy.
    expect(read.strings.other).toEqual(['a', 'b']);
    expect(read.strings.ids).toBeUndefined();
    const lazy = read.lazy.ids;
    expect(lazy).toBeInstanceOf(LazyStrings);
    expect(lazy.length).toBe(ids.length);
    expect([...lazy]).toEqual(ids);
    for (const i of [0, 3, 4, 7, 8, -1, -8, -9, 2.7, -0.5, NaN, Infinity, -Infinity]) expect(lazy.at(i), `at(${i})`).toBe(ids.at(i));
    const cases: [number | undefined, number | undefined][] = [[undefined, undefined], [2, undefined], [2, 5], [-3, undefined], [-3, -1], [5, 2], [0, 100], [-100, 3], [3, 3]];
    for (const [a, b] of cases) {
      const slice = lazy.slice(a, b);
      expect([...slice], `slice(${a}, ${b})`).toEqual(ids.slice(a, b));
      // A slice of a slice, and at() inside it.
      expect([...slice.slice(1)]).toEqual(ids.slice(a, b).slice(1));
      expect(slice.at(-1)).toBe(ids.slice(a, b).at(-1));
    }
    // Written back (a lazy column is an iterable of strings), the same file content.
    const again = path.join(tempDir('lazy-'), 'g.bin');
    expect(await writeCacheFile(again, { data: {}, arrays: {}, strings: { ids: lazy, other: ['a', 'b'] } })).toBe(read.digest);
  });
});
