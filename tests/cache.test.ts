/**
 * The import cache (src/io/cache.ts), through the real bin/aov: every test has its own
 * XDG_CACHE_HOME. Whether a run read the cache or the export is seen in the engine's trace
 * (AOV_TRACE=full prints every statement and every cache file read): a hit reads the entry's
 * Parquet or its JS-ready files (order tables, baskets), a miss the CSV.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DATA, ROOT, fixture, runAov, tempDir } from './helpers.js';

/**
 * Seams for the in-process runs of loadOrders below (vitest module mocks, nothing in src/):
 * `beforeTablesRead` runs when a hit has passed the manifest check and is about to read the
 * entry's order tables file; `beforeImport` when the run has missed and starts reading the
 * export (planInputs is its first step). Unset, both modules behave as they are.
 */
const seams = vi.hoisted(() => ({ beforeTablesRead: undefined as ((dir: string) => void) | undefined, beforeImport: undefined as (() => void) | undefined }));
vi.mock('../src/io/tablesCache.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/io/tablesCache.js')>();
  return { ...actual, readTablesFile: (dir: string, customerKeys: boolean) => (seams.beforeTablesRead?.(dir), actual.readTablesFile(dir, customerKeys)) };
});
vi.mock('../src/io/combine.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/io/combine.js')>();
  return { ...actual, planInputs: (...args: Parameters<typeof actual.planInputs>) => (seams.beforeImport?.(), actual.planInputs(...args)) };
});

function cacheRun(args: string[], cacheHome: string) {
  const result = runAov(args, { XDG_CACHE_HOME: cacheHome, AOV_TRACE: 'full' });
  const trace = result.stderr.split('\n').filter((line) => line.startsWith('[aov] '));
  return {
    ...result,
    // the stderr a user sees, without the trace
    messages: result.stderr.split('\n').filter((line) => !line.startsWith('[aov] ')).join('\n'),
    hit: trace.some((line) => line.includes(`read_parquet('${path.join(cacheHome, 'aov')}`) || line.includes(`cache file ${path.join(cacheHome, 'aov')}`)),
    imported: trace.some((line) => /read_csv\(/.test(line)),
    /** The entry's Parquet read into the engine (not served by its JS-ready files alone). */
    parquet: trace.some((line) => line.includes(`read_parquet('${path.join(cacheHome, 'aov')}`)),
    /** The entry's JS-ready files read whole, by kind (tables, baskets). */
    keptFiles: trace.filter((line) => / cache file .*: read$/.test(line)).map((line) => path.basename(line.replace(/: read$/, '')).replace(/-[0-9a-f]+\.bin$/, '')).sort(),
  };
}

/** The entry folders in a cache home (named by 32 hex digits). */
const entries = (cacheHome: string) =>
  existsSync(path.join(cacheHome, 'aov')) ? readdirSync(path.join(cacheHome, 'aov')).filter((n) => /^[0-9a-f]{32}$/.test(n)) : [];

/** A private copy of a fixture, with a fixed mtime (so a test can put it back after an edit). */
function copyOf(name: string, dir: string): string {
  const target = path.join(dir, path.basename(name));
  copyFileSync(fixture(name), target);
  utimesSync(target, 1_700_000_000, 1_700_000_000);
  return target;
}

/** The number of counted orders, from the file itself (helpers' sample oracle is for the fixture only). */
const ordersOf = (stdout: string) => (JSON.parse(stdout) as { currencies: { orders: number }[] }).currencies.reduce((a, c) => a + c.orders, 0);

describe('aov import cache', () => {
  it('imports on the first run, reads the cache on the second, and prints the same document, notes and messages', () => {
    const home = tempDir('cache-');
    // guest_checkout.csv has two notes (guest keys, no customer key): they come back from the cache.
    for (const [name, notes] of [['sample-orders.csv', 0], ['guest_checkout.csv', 2]] as const) {
      const file = copyOf(name, tempDir('cache-data-'));
      const first = cacheRun(['analyze', file, '--json'], home);
      expect(first.code).toBe(0);
      expect(first.imported).toBe(true);
      expect(first.hit).toBe(false);
      const second = cacheRun(['analyze', file, '--json'], home);
      expect(second.code).toBe(0);
      expect(second.hit).toBe(true);
      expect(second.imported).toBe(false);
      expect(second.stdout).toBe(first.stdout);
      expect((JSON.parse(second.stdout) as { input: { notes: string[] } }).input.notes).toHaveLength(notes);
      expect(second.messages).toBe(first.messages);
      // The terminal report (row accounting, notes on stderr) too.
      const [cached, direct] = [cacheRun(['analyze', file], home), runAov(['analyze', file, '--no-cache'])];
      expect(cached.hit).toBe(true);
      expect(cached.stdout).toBe(direct.stdout);
      expect(cached.messages).toBe(direct.stderr);
    }
    expect(entries(home)).toHaveLength(2);
  });

  it('reads the file again after touch, and after it is cut short (new figures)', () => {
    const home = tempDir('cache-');
    const file = copyOf('sample-orders.csv', tempDir('cache-data-'));
    const first = cacheRun(['analyze', file, '--json'], home);
    utimesSync(file, 1_700_000_100, 1_700_000_100);
    const touched = cacheRun(['analyze', file, '--json'], home);
    expect(touched.hit).toBe(false);
    expect(touched.imported).toBe(true);
    expect(touched.stdout).toBe(first.stdout);
    // Cut after the header and the first 100 lines: the orders of those lines only.
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, `${lines.slice(0, 101).join('\n')}\n`);
    const cut = cacheRun(['analyze', file, '--json'], home);
    expect(cut.hit).toBe(false);
    const direct = runAov(['analyze', file, '--json', '--no-cache']);
    expect(cut.stdout).toBe(direct.stdout);
    expect(ordersOf(cut.stdout)).toBeLessThan(ordersOf(first.stdout));
  });

  it('does not see a one-byte edit in the middle that keeps size and mtime (what the key does not cover); --no-cache does', () => {
    const home = tempDir('cache-');
    const file = copyOf('sample-orders.csv', tempDir('cache-data-'));
    const before = cacheRun(['analyze', file, '--json'], home);
    // A unit price in the middle of the 548 KB file (outside the 64 KB hashed at each end):
    // one digit changed, same size, the mtime put back.
    const text = readFileSync(file, 'latin1');
    const middle = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
    const line = text.slice(middle, text.indexOf('\n', middle));
    const cells = line.split(',');
    const priceAt = middle + line.lastIndexOf(cells.find((c) => /^\d+\.\d\d$/.test(c))!);
    const digit = text[priceAt];
    writeFileSync(file, text.slice(0, priceAt) + (digit === '9' ? '8' : String(Number(digit) + 1)) + text.slice(priceAt + 1), 'latin1');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    expect(statSync(file).size).toBe(text.length);
    const stale = cacheRun(['analyze', file, '--json'], home);
    expect(stale.hit).toBe(true);
    expect(stale.stdout).toBe(before.stdout);
    const fresh = cacheRun(['analyze', file, '--json', '--no-cache'], home);
    expect(fresh.hit).toBe(false);
    expect(fresh.stdout).not.toBe(before.stdout);
  });

  it('keys every option that changes the import: another --currency, --value or --dedupe is another entry', () => {
    const home = tempDir('cache-');
    const file = fixture('sample-orders.csv');
    cacheRun(['analyze', file, '--json'], home);
    for (const extra of [['--value', 'total'], ['--dedupe'], ['--date-format', 'dmy'], ['--strict']]) {
      const run = cacheRun(['analyze', file, '--json', ...extra], home);
      expect(run.hit, extra.join(' ')).toBe(false);
    }
    expect(entries(home)).toHaveLength(5);
    // --memory changes where the engine spills, not the result: the same entry.
    expect(cacheRun(['analyze', file, '--json', '--memory', '1GB'], home).hit).toBe(true);
  });

  it('detects a damaged entry (a changed byte in the Parquet file, in the order tables file, a cut manifest), rebuilds it, and prints the same', () => {
    const home = tempDir('cache-');
    const file = fixture('sample-orders.csv');
    const first = cacheRun(['analyze', file, '--json'], home);
    const [entry] = entries(home);
    const inEntry = (prefix: string) => readdirSync(path.join(home, 'aov', entry)).filter((n) => n.startsWith(prefix)).map((n) => path.join(home, 'aov', entry, n));
    const flip = (target: string) => {
      const bytes = readFileSync(target);
      // A byte inside the data (the Parquet footer is at the end; its magic PAR1 at both ends).
      bytes[Math.floor(bytes.length / 3)] ^= 0xff;
      writeFileSync(target, bytes);
    };
    // The order tables file: a miss of that file alone, rebuilt from the entry's Parquet.
    const [tables] = inEntry('tables-');
    flip(tables);
    const fromParquet = cacheRun(['analyze', file, '--json'], home);
    expect(fromParquet.parquet).toBe(true);
    expect(fromParquet.imported).toBe(false);
    expect(fromParquet.stdout).toBe(first.stdout);
    expect(fromParquet.messages).toBe(first.messages);
    expect(cacheRun(['analyze', file, '--json'], home).keptFiles).toEqual(['tables']);
    // The Parquet file, read again once its tables file is gone: the export is imported again.
    flip(path.join(home, 'aov', entry, 'orders.parquet'));
    for (const kept of inEntry('tables-')) unlinkSync(kept);
    const damaged = cacheRun(['analyze', file, '--json'], home);
    expect(damaged.code).toBe(0);
    expect(damaged.imported).toBe(true);
    expect(damaged.stdout).toBe(first.stdout);
    expect(damaged.messages).toBe(first.messages);
    // Rebuilt: the next run reads it.
    expect(cacheRun(['analyze', file, '--json'], home).hit).toBe(true);
    const manifest = path.join(home, 'aov', entries(home)[0], 'manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').slice(0, 100));
    const cut = cacheRun(['analyze', file, '--json'], home);
    expect(cut.imported).toBe(true);
    expect(cut.stdout).toBe(first.stdout);
    expect(cacheRun(['analyze', file, '--json'], home).hit).toBe(true);
  });

  it('keeps the order tables and the baskets a command built beside the entry: a warm run reads them, not the Parquet nor the export', () => {
    const home = tempDir('cache-');
    const file = copyOf('sample-orders.csv', tempDir('cache-data-'));
    const args = ['suggest-threshold', file, '--json', '--margin', '0.4', '--gift-cost', '3', '--seed', '1'];
    const direct = runAov([...args, '--no-cache']);
    const cold = cacheRun(args, home);
    expect(cold.imported).toBe(true);
    const warm = cacheRun(args, home);
    expect(warm.imported).toBe(false);
    expect(warm.parquet).toBe(false);
    expect(warm.keptFiles).toEqual(['baskets', 'tables']);
    for (const run of [cold, warm]) {
      expect(run.stdout).toBe(direct.stdout);
      expect(run.messages).toBe(direct.stderr);
    }
    // Other basket options: built from the entry's counted lines (not the export), then kept too.
    const byName = ['bundles', file, '--json', '--item', 'name'];
    const namesFromLines = cacheRun(byName, home);
    expect(namesFromLines.parquet).toBe(true);
    expect(namesFromLines.imported).toBe(false);
    const namesKept = cacheRun(byName, home);
    expect(namesKept.parquet).toBe(false);
    expect(namesKept.keptFiles).toEqual(['baskets']);
    expect(namesKept.stdout).toBe(runAov([...byName, '--no-cache']).stdout);
    expect(namesFromLines.stdout).toBe(namesKept.stdout);
    const [entry] = entries(home);
    expect(readdirSync(path.join(home, 'aov', entry)).filter((n) => n.startsWith('baskets-'))).toHaveLength(2);
    // A damaged baskets file is a miss of that file alone: rebuilt from the lines, same output.
    const [baskets] = readdirSync(path.join(home, 'aov', entry)).filter((n) => n.startsWith('baskets-')).map((n) => path.join(home, 'aov', entry, n));
    const bytes = readFileSync(baskets);
    bytes[bytes.length - 3] ^= 0x01;
    writeFileSync(baskets, bytes);
    const rebuilt = [cacheRun(args, home), cacheRun(byName, home)];
    expect(rebuilt.map((run) => run.imported)).toEqual([false, false]);
    // one of the two read its kept baskets, the other (the damaged one) the lines
    expect(rebuilt.filter((run) => run.parquet)).toHaveLength(1);
    expect(rebuilt.map((run) => run.stdout)).toEqual([direct.stdout, namesKept.stdout]);
    // and rewrote it: neither reads the Parquet now
    expect([cacheRun(args, home).parquet, cacheRun(byName, home).parquet]).toEqual([false, false]);
    // A touched export is another key: none of the kept files is read.
    utimesSync(file, 1_700_000_100, 1_700_000_100);
    const touched = cacheRun(args, home);
    expect(touched.imported).toBe(true);
    expect(touched.keptFiles).toEqual([]);
    expect(touched.stdout).toBe(direct.stdout);
  }, 120_000);

  it('two runs at once on an empty cache both succeed with the same output and leave one whole entry', async () => {
    const home = tempDir('cache-');
    const file = fixture('sample-orders.csv');
    const start = () =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'aov'), 'analyze', file, '--json'], { env: { ...process.env, XDG_CACHE_HOME: home } });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('close', (code) => resolve({ code, stdout }));
      });
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(entries(home)).toHaveLength(1);
    // No temporary folder left behind, and the entry is whole (a hit, same document).
    expect(readdirSync(path.join(home, 'aov')).filter((n) => n.startsWith('.tmp-') || n.includes('.removed-'))).toEqual([]);
    const after = cacheRun(['analyze', file, '--json'], home);
    expect(after.hit).toBe(true);
    expect(after.stdout).toBe(a.stdout);
  }, 120_000);

  it('a copy named beside the file is another key: its "same content" note is not lost or kept from another run', () => {
    const home = tempDir('cache-');
    const dir = tempDir('cache-data-');
    const file = copyOf('guest_checkout.csv', dir);
    const copy = path.join(dir, 'copy.csv');
    copyFileSync(file, copy);
    const alone = cacheRun(['analyze', file, '--json'], home);
    const withCopy = cacheRun(['analyze', file, copy, '--json'], home);
    expect(withCopy.hit).toBe(false);
    const notes = (run: { stdout: string }) => (JSON.parse(run.stdout) as { input: { notes: string[] } }).input.notes;
    expect(notes(withCopy).some((n) => n.includes('copy.csv has the same content as'))).toBe(true);
    expect(notes(alone).some((n) => n.includes('copy.csv'))).toBe(false);
    expect(withCopy.stdout).toBe(runAov(['analyze', file, copy, '--json', '--no-cache']).stdout);
    // and the other way round: the file alone after the pair
    const again = cacheRun(['analyze', file, '--json'], home);
    expect(again.hit).toBe(true);
    expect(again.stdout).toBe(alone.stdout);
  });

  it('--no-cache neither reads nor writes the cache', () => {
    const home = tempDir('cache-');
    const run = cacheRun(['analyze', fixture('sample-orders.csv'), '--json', '--no-cache'], home);
    expect(run.code).toBe(0);
    expect(entries(home)).toEqual([]);
  });

  it('aov cache list names the cached files, aov cache clear empties it', () => {
    const home = tempDir('cache-');
    expect(runAov(['cache', 'list'], { XDG_CACHE_HOME: home }).stdout).toContain('The import cache is empty');
    cacheRun(['analyze', fixture('sample-orders.csv'), '--json'], home);
    const listed = runAov(['cache', 'list'], { XDG_CACHE_HOME: home });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('1 cached import(s)');
    // 2,694 counted orders: tests/helpers.ts sampleOrderValues() counts them from the CSV.
    expect(listed.stdout).toContain('fixtures/sample-orders.csv, 2,694 orders');
    const cleared = runAov(['cache', 'clear'], { XDG_CACHE_HOME: home });
    expect(cleared.stdout).toContain('Removed 1 cached import(s)');
    expect(entries(home)).toEqual([]);
    expect(runAov(['cache', 'frobnicate'], { XDG_CACHE_HOME: home }).code).toBe(2);
  });
});

/**
 * With and without the cache, every command prints the same: a cold run (writes the entry),
 * a warm run (reads it) and a --no-cache run, on the fixtures and the shared data sets.
 */
describe('aov output with and without the cache', () => {
  const same = (args: string[], home: string) => {
    const direct = runAov([...args, '--no-cache'], { XDG_CACHE_HOME: home });
    const cold = cacheRun(args, home);
    const warm = cacheRun(args, home);
    for (const run of [cold, warm]) {
      expect(run.code, args.join(' ')).toBe(direct.code);
      expect(run.stdout, args.join(' ')).toBe(direct.stdout);
      expect(run.messages, args.join(' ')).toBe(direct.stderr);
    }
    return { direct, warm };
  };

  it('analyze --json on every fixture (errors included: they are never cached)', () => {
    const home = tempDir('cache-');
    const files = [
      ...readdirSync(path.join(ROOT, 'fixtures')).filter((n) => n.endsWith('.csv')).map((n) => fixture(n)),
      ...readdirSync(path.join(ROOT, 'fixtures', 'bad')).map((n) => fixture(path.join('bad', n))),
      ...readdirSync(path.join(ROOT, 'fixtures', 'formats')).filter((n) => /\.(csv|parquet)$/.test(n)).map((n) => fixture(path.join('formats', n))),
    ];
    let warmHits = 0;
    for (const file of files) {
      const { direct, warm } = same(['analyze', file, '--json'], home);
      if (direct.code === 0) {
        expect(warm.hit, file).toBe(true);
        warmHits++;
      }
    }
    expect(warmHits).toBeGreaterThan(15);
    // A multi-table export is keyed by its three files.
    const olist = path.join(ROOT, 'fixtures', 'formats', 'olist');
    const tables = ['--orders', path.join(olist, 'orders.csv'), '--items', path.join(olist, 'order_items.csv'), '--products', path.join(olist, 'products.csv'), '--currency', 'BRL'];
    expect(same(['analyze', ...tables, '--json'], home).warm.hit).toBe(true);
  }, 600_000);

  it('bundles and suggest-threshold on the sample shop, after analyze filled the entry without baskets', () => {
    const home = tempDir('cache-');
    const file = fixture('sample-orders.csv');
    cacheRun(['analyze', file, '--json'], home);
    same(['bundles', file, '--json'], home);
    same(['bundles', file, '--json', '--item', 'name', '--item-pattern', ' [0-9]+ g$'], home);
    same(['suggest-threshold', file, '--json', '--margin', '0.4', '--gift-cost', '3', '--seed', '1', '--no-prior'], home);
    // The baskets' entry serves the orders too.
    const analyze = same(['analyze', file, '--json'], home);
    expect(analyze.warm.hit).toBe(true);
    expect(entries(home)).toHaveLength(1);
  }, 300_000);

  it('analyze, bundles and suggest-threshold on the shared Shopify export and Superstore', () => {
    const home = tempDir('cache-');
    for (const name of ['shopify_orders_export.csv', 'superstore.csv']) {
      const file = path.join(DATA, name);
      const currency = name === 'superstore.csv' ? ['--currency', 'USD'] : [];
      same(['analyze', file, ...currency, '--json', '--by', 'country'], home);
      same(['bundles', file, ...currency, '--json'], home);
      same(['suggest-threshold', file, ...currency, '--json', '--margin', '0.5', '--gift-cost', '5', '--seed', '1', '--no-prior'], home);
    }
  }, 600_000);
});

/** The bytes of an entry folder's files (what `aov cache list` and the cap count). */
const entryBytes = (cacheHome: string, name: string) =>
  readdirSync(path.join(cacheHome, 'aov', name)).reduce((sum, file) => sum + statSync(path.join(cacheHome, 'aov', name, file)).size, 0);

/** Which of the runs' files have an entry, by the file names in the manifests. */
function cachedFiles(cacheHome: string): string[] {
  return entries(cacheHome)
    .map((name) => (JSON.parse(readFileSync(path.join(cacheHome, 'aov', name, 'manifest.json'), 'utf8')) as { key: { files: { given: string }[] } }).key.files.map((f) => path.basename(f.given)).join(' '))
    .sort();
}

/** The entry folder of a file (its manifest names it). */
const entryOf = (cacheHome: string, file: string) =>
  entries(cacheHome).find((name) => readFileSync(path.join(cacheHome, 'aov', name, 'manifest.json'), 'utf8').includes(JSON.stringify(file)))!;

describe('the cache cap (AOV_CACHE_SIZE)', () => {
  /** Four copies of the sample under four names: four entries of (nearly) one size. */
  const copies = () => {
    const dir = tempDir('cache-cap-data-');
    return ['a', 'b', 'c', 'd'].map((name) => {
      const file = path.join(dir, `${name}.csv`);
      copyFileSync(fixture('sample-orders.csv'), file);
      return file;
    });
  };

  it('removes the entries used least recently after a write, counting a cache hit as a use', () => {
    const home = tempDir('cache-');
    const [a, b, c, d] = copies();
    for (const file of [a, b, c]) expect(cacheRun(['analyze', file, '--json'], home).code).toBe(0);
    const size = entryBytes(home, entryOf(home, a));
    // c used at t, b at t + 100 s; then a is read again (a hit marks it now): a is the newest
    const manifest = (file: string) => path.join(home, 'aov', entryOf(home, file), 'manifest.json');
    utimesSync(manifest(c), 1_700_000_000, 1_700_000_000);
    utimesSync(manifest(b), 1_700_000_100, 1_700_000_100);
    expect(cacheRun(['analyze', a, '--json'], home).hit).toBe(true);
    const [cDir, bDir] = [c, b].map((file) => path.join(home, 'aov', entryOf(home, file)));
    // d's entry makes four (about 4 x size) against a cap of 2.5 x size: c goes, then b
    const run = runAov(['analyze', d, '--json'], { XDG_CACHE_HOME: home, AOV_CACHE_SIZE: String(Math.floor(size * 2.5)), AOV_TRACE: '1' });
    expect(run.code).toBe(0);
    expect(cachedFiles(home)).toEqual(['a.csv', 'd.csv']);
    // the order (AOV_TRACE names them): c, used longest ago, before b
    expect(/cache over its cap: removed (.*)/.exec(run.stderr)?.[1].split(', ')).toEqual([cDir, bDir]);
    const list = runAov(['cache', 'list'], { XDG_CACHE_HOME: home, AOV_CACHE_SIZE: String(Math.floor(size * 2.5)) });
    expect(list.stdout).toContain('2 cached import(s)');
    expect(list.stdout).toMatch(/in all; cap [\d.]+ kB \(AOV_CACHE_SIZE\), least recently used removed first/);
  }, 120_000);

  it('keeps the entry just written even when it alone is over the cap, and drops the others', () => {
    const home = tempDir('cache-');
    const [a, b] = copies();
    const env = { XDG_CACHE_HOME: home, AOV_CACHE_SIZE: '1' };
    expect(runAov(['analyze', a, '--json'], env).code).toBe(0);
    expect(cachedFiles(home)).toEqual(['a.csv']);
    // a's entry last used two minutes ago (a fresher one is never trimmed: the next test)
    const aManifest = path.join(home, 'aov', entryOf(home, a), 'manifest.json');
    utimesSync(aManifest, Date.now() / 1000 - 120, Date.now() / 1000 - 120);
    const first = runAov(['analyze', b, '--json'], env);
    expect(first.code).toBe(0);
    expect(cachedFiles(home)).toEqual(['b.csv']);
    // and it is whole: the next run reads it
    const again = cacheRun(['analyze', b, '--json'], home);
    expect(again.hit).toBe(true);
    expect(again.stdout).toBe(first.stdout);
  }, 120_000);

  it('AOV_CACHE_SIZE=0 turns the cache off: nothing written, an existing entry not read; a size it cannot read is a usage error', () => {
    const home = tempDir('cache-');
    const file = fixture('sample-orders.csv');
    const off = cacheRun(['analyze', file, '--json'], home);
    expect(off.code).toBe(0);
    const run = runAov(['analyze', file, '--json'], { XDG_CACHE_HOME: home, AOV_CACHE_SIZE: '0', AOV_TRACE: 'full' });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/read_csv\(/);
    expect(run.stderr).not.toContain(`read_parquet('${path.join(home, 'aov')}`);
    expect(run.stdout).toBe(off.stdout);
    const fresh = tempDir('cache-');
    expect(runAov(['analyze', file, '--json'], { XDG_CACHE_HOME: fresh, AOV_CACHE_SIZE: '0' }).code).toBe(0);
    expect(entries(fresh)).toEqual([]);
    expect(runAov(['cache', 'list'], { XDG_CACHE_HOME: fresh, AOV_CACHE_SIZE: '0' }).stdout).toContain('the cache is off (AOV_CACHE_SIZE=0)');
    const bad = runAov(['analyze', file, '--json'], { XDG_CACHE_HOME: fresh, AOV_CACHE_SIZE: 'lots' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('AOV_CACHE_SIZE lots is not a size.');
    // --no-cache does not read the variable at all
    expect(runAov(['analyze', file, '--json', '--no-cache'], { XDG_CACHE_HOME: fresh, AOV_CACHE_SIZE: 'lots' }).code).toBe(0);
  }, 120_000);

  /** Runs `body` with the cache in `home` (cache.ts reads XDG_CACHE_HOME at each call). */
  const inCache = async <T>(home: string, body: (cache: typeof import('../src/io/cache.js')) => Promise<T>): Promise<T> => {
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = home;
    try {
      return await body(await import('../src/io/cache.js'));
    } finally {
      process.env.XDG_CACHE_HOME = saved;
    }
  };
  const ago = (file: string, seconds: number) => utimesSync(file, Date.now() / 1000 - seconds, Date.now() / 1000 - seconds);

  it('never trims an entry used in the last minute (another run\'s), even over the cap; once older it goes', async () => {
    const home = tempDir('cache-');
    const [a, b] = copies();
    // b's run writes with a cap of one byte: a's entry, written just before, stays (the old trim removed it)
    expect(runAov(['analyze', a, '--json'], { XDG_CACHE_HOME: home }).code).toBe(0);
    expect(runAov(['analyze', b, '--json'], { XDG_CACHE_HOME: home, AOV_CACHE_SIZE: '1' }).code).toBe(0);
    expect(cachedFiles(home)).toEqual(['a.csv', 'b.csv']);
    const [aDir, bDir] = [a, b].map((file) => path.join(home, 'aov', entryOf(home, file)));
    await inCache(home, async ({ trimCache }) => {
      // neither is the run's own (keep names another folder): both fresh, both kept
      await expect(trimCache(path.join(home, 'aov', 'none'), 1)).resolves.toEqual([]);
      expect(cachedFiles(home)).toEqual(['a.csv', 'b.csv']);
      // a used 61 s ago: over the minute, it goes; b (fresh) stays
      ago(path.join(aDir, 'manifest.json'), 61);
      await expect(trimCache(path.join(home, 'aov', 'none'), 1)).resolves.toEqual([aDir]);
      expect(cachedFiles(home)).toEqual(['b.csv']);
      expect(existsSync(bDir)).toBe(true);
    });
  }, 120_000);

  it('counts the leftovers of killed runs (.tmp-*, .removed-*) in the total and removes those older than an hour', async () => {
    const home = tempDir('cache-');
    const [a] = copies();
    expect(runAov(['analyze', a, '--json'], { XDG_CACHE_HOME: home }).code).toBe(0);
    const aDir = path.join(home, 'aov', entryOf(home, a));
    ago(path.join(aDir, 'manifest.json'), 120);
    const size = entryBytes(home, path.basename(aDir));
    const leftover = (name: string, bytes: number, ageSeconds: number) => {
      const dir = path.join(home, 'aov', name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'orders.parquet'), Buffer.alloc(bytes));
      ago(dir, ageSeconds);
      return dir;
    };
    const oldTemp = leftover('.tmp-999999-0123456789ab', 7000, 2 * 3600);
    const oldRemoved = leftover(`${'f'.repeat(32)}.removed-999999-01234567`, 5000, 2 * 3600);
    const freshTemp = leftover('.tmp-999998-0123456789ab', 9000, 10);
    // aov cache list counts them: the entry and 21,000 bytes of leftovers
    const list = runAov(['cache', 'list'], { XDG_CACHE_HOME: home });
    expect(list.stdout).toContain(`1 cached import(s) in ${path.join(home, 'aov')}, ${Math.ceil((size + 21_000) / 1000)} kB in all, 21 kB of it in unfinished writes or removals;`);
    await inCache(home, async ({ trimCache }) => {
      // the cap holds the entry and 5,000 bytes more: with the fresh leftover's 9,000 the total
      // is over it, so the entry goes too (counted without the leftovers it would stay)
      const removed = await trimCache(path.join(home, 'aov', 'none'), size + 5000);
      expect(removed.sort()).toEqual([aDir, oldRemoved, oldTemp].sort());
    });
    // the write that may be under way (10 s old) is left alone
    expect(existsSync(freshTemp)).toBe(true);
    expect([oldTemp, oldRemoved, aDir].map(existsSync)).toEqual([false, false, false]);
  }, 120_000);

  it('reads AOV_CACHE_SIZE in decimal units (K/KB, M/MB, G/GB in any case), binary ones only as KiB/MiB/GiB, and the default is 2 x 10^9 bytes', async () => {
    const { cacheCap, DEFAULT_CACHE_CAP_BYTES } = await import('../src/io/cache.js');
    // (the README's figures: "2 GB unless AOV_CACHE_SIZE says otherwise; GB is 10^9 bytes")
    expect(DEFAULT_CACHE_CAP_BYTES).toBe(2_000_000_000);
    expect(cacheCap(undefined)).toBe(2_000_000_000);
    expect([cacheCap('2GB'), cacheCap('2g'), cacheCap('2 G'), cacheCap('2gb')]).toEqual([2e9, 2e9, 2e9, 2e9]);
    expect([cacheCap('500M'), cacheCap('500mb'), cacheCap('8K'), cacheCap('8kB'), cacheCap('1.5GiB'), cacheCap('1234')]).toEqual([5e8, 5e8, 8000, 8000, 1.5 * 2 ** 30, 1234]);
    expect([cacheCap('0'), cacheCap('0.0'), cacheCap('0GB')]).toEqual([0, 0, 0]);
    // a size that is not 0 but under a byte does not turn the cache off unasked
    for (const text of ['0.4', '0.5B', '0.9']) expect(() => cacheCap(text), text).toThrow(/AOV_CACHE_SIZE .* is under one byte/);
  });

  it('aov cache list shows the cap in the unit it was given in (2GB is "cap 2.0 GB"), and AOV_CACHE_SIZE=0.4 stops with exit 2', () => {
    const home = tempDir('cache-');
    expect(runAov(['cache', 'list'], { XDG_CACHE_HOME: home, AOV_CACHE_SIZE: '2GB' }).stdout).toContain('cap 2.0 GB (AOV_CACHE_SIZE)');
    expect(runAov(['cache', 'list'], { XDG_CACHE_HOME: home, AOV_CACHE_SIZE: '8KB' }).stdout).toContain('cap 8 kB (AOV_CACHE_SIZE)');
    expect(runAov(['cache', 'list'], { XDG_CACHE_HOME: home, AOV_CACHE_SIZE: undefined }).stdout).toContain('cap 2.0 GB, least recently used');
    const run = runAov(['analyze', fixture('sample-orders.csv'), '--json'], { XDG_CACHE_HOME: home, AOV_CACHE_SIZE: '0.4' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AOV_CACHE_SIZE 0.4 is under one byte.');
    expect(entries(home)).toEqual([]);
  }, 60_000);

  it('runs at once that remove each other\'s entries (a tiny cap) all succeed with the output of --no-cache', async () => {
    const home = tempDir('cache-');
    const [a, b, c, d] = copies();
    const expected = {
      analyze: runAov(['analyze', a, '--json', '--no-cache']).stdout.replaceAll(a, '<file>'),
      bundles: runAov(['bundles', a, '--json', '--no-cache']).stdout.replaceAll(a, '<file>'),
    };
    // every entry there, without baskets: each bundles run below adds its baskets, then trims to 1 byte
    for (const file of [a, b, c, d]) expect(cacheRun(['analyze', file, '--json'], home).code).toBe(0);
    const start = (command: 'analyze' | 'bundles', file: string) =>
      new Promise<{ code: number | null; stdout: string; command: string; file: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'aov'), command, file, '--json'], { env: { ...process.env, XDG_CACHE_HOME: home, AOV_CACHE_SIZE: '1' } });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('close', (code) => resolve({ code, stdout, command, file }));
      });
    for (let round = 0; round < 2; round++) {
      const runs = await Promise.all([start('bundles', a), start('analyze', b), start('bundles', c), start('analyze', d), start('analyze', a), start('bundles', b)]);
      for (const run of runs) {
        expect(run.code, `${run.command} ${run.file}`).toBe(0);
        expect(run.stdout.replaceAll(run.file, '<file>')).toBe(expected[run.command as 'analyze' | 'bundles']);
      }
    }
    // and they did not empty the cache: every entry is under a minute old, so none was trimmed
    expect(cachedFiles(home)).toEqual(['a.csv', 'b.csv', 'c.csv', 'd.csv']);
  }, 180_000);
});

describe('an entry removed while a run reads it', () => {
  /** Runs loadOrders in this process with the cache in `home` (cache.ts reads XDG_CACHE_HOME at each call). */
  const load = async (home: string, file: string, cache = true) => {
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = home;
    try {
      const { loadOrders } = await import('../src/io/load.js');
      return await loadOrders([file], { cache });
    } finally {
      process.env.XDG_CACHE_HOME = saved;
    }
  };

  it('is a miss, not a crash: removed after the manifest check, before its tables are read, the run imports the export and gives the uncached result', async () => {
    const home = tempDir('cache-');
    const file = copyOf('sample-orders.csv', tempDir('cache-data-'));
    // (in this process the build hash is of src/, so the entry is written here, not by bin/aov)
    await load(home, file);
    const dir = path.join(home, 'aov', entries(home)[0]);
    expect(readdirSync(dir).some((name) => name.startsWith('tables-'))).toBe(true);
    const created = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).created as string;
    let removals = 0;
    let imports = 0;
    seams.beforeTablesRead = (entry) => {
      // another run's trim, at the worst moment: this run has found the entry whole
      rmSync(entry, { recursive: true, force: true });
      removals++;
    };
    seams.beforeImport = () => imports++;
    try {
      const served = await load(home, file);
      // the hit's path was taken (the tables read), then the miss's (the export read)
      expect([removals, imports]).toEqual([1, 1]);
      expect(served).toEqual(await load(home, file, false));
    } finally {
      seams.beforeTablesRead = seams.beforeImport = undefined;
    }
    // the miss rebuilt the entry: a new write, which the next run reads without importing
    expect(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).created).not.toBe(created);
    let importsAfter = 0;
    seams.beforeImport = () => importsAfter++;
    try {
      await load(home, file);
    } finally {
      seams.beforeImport = undefined;
    }
    expect(importsAfter).toBe(0);
  }, 120_000);

  it('listing or trimming the cache skips an entry removed meanwhile', async () => {
    const home = tempDir('cache-');
    expect(cacheRun(['analyze', fixture('sample-orders.csv'), '--json'], home).code).toBe(0);
    const dir = path.join(home, 'aov', entries(home)[0]);
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = home;
    try {
      const { listEntries, trimCache } = await import('../src/io/cache.js');
      rmSync(dir, { recursive: true, force: true });
      await expect(listEntries()).resolves.toEqual([]);
      await expect(trimCache(dir, 0)).resolves.toEqual([]);
    } finally {
      process.env.XDG_CACHE_HOME = saved;
    }
  }, 60_000);

  it('a run that finds its entry stale removes that write only, not a fresh entry another run put in its place meanwhile', async () => {
    const home = tempDir('cache-');
    const file = copyOf('sample-orders.csv', tempDir('cache-data-'));
    await load(home, file);
    const dir = path.join(home, 'aov', entries(home)[0]);
    const manifestFile = path.join(dir, 'manifest.json');
    const good = readFileSync(manifestFile, 'utf8');
    // the entry as this run will find it: whole by size, but its orders.parquet hash recorded
    // wrong (a damaged write), and no order tables file, so the run reads and checks the Parquet
    const stale = JSON.parse(good);
    stale.files['orders.parquet'].sha256 = '0'.repeat(64);
    writeFileSync(manifestFile, JSON.stringify(stale));
    for (const name of readdirSync(dir).filter((n) => n.startsWith('tables-'))) unlinkSync(path.join(dir, name));
    const fresh = JSON.stringify({ ...JSON.parse(good), created: 'another run' });
    let seenAtImport: string | undefined;
    // another run writes a whole entry under the same key (a new folder renamed into place)
    // after this one read the stale manifest
    seams.beforeTablesRead = (entry) => {
      const temp = path.join(home, 'aov', '.tmp-other-run');
      mkdirSync(temp);
      for (const name of readdirSync(entry)) copyFileSync(path.join(entry, name), path.join(temp, name));
      writeFileSync(path.join(temp, 'manifest.json'), fresh);
      rmSync(entry, { recursive: true, force: true });
      renameSync(temp, entry);
    };
    // when this run has missed and goes to the export: the other run's entry must be there
    seams.beforeImport = () => {
      seenAtImport ??= existsSync(manifestFile) ? readFileSync(manifestFile, 'utf8') : 'none';
    };
    try {
      const served = await load(home, file);
      expect(served).toEqual(await load(home, file, false));
    } finally {
      seams.beforeTablesRead = seams.beforeImport = undefined;
    }
    expect(seenAtImport).toBe(fresh);
    // and a stale write still goes when it is the one the run checked (the entry now there,
    // the miss's rebuild, damaged as above)
    const rebuilt = JSON.parse(readFileSync(manifestFile, 'utf8'));
    rebuilt.files['orders.parquet'].sha256 = '0'.repeat(64);
    writeFileSync(manifestFile, JSON.stringify(rebuilt));
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = home;
    try {
      const { findEntry } = await import('../src/io/cache.js');
      const hit = await findEntry(rebuilt.key);
      expect(hit).toBeDefined();
      await expect(hit!.verify({ orders: true, lines: false })).resolves.toBe(false);
      expect(existsSync(dir)).toBe(false);
    } finally {
      process.env.XDG_CACHE_HOME = saved;
    }
  }, 120_000);
});
