/**
 * The import cache: the typed orders (and, for the commands that build baskets, the counted
 * lines) of an import, kept as Parquet under $XDG_CACHE_HOME/aov (default ~/.cache/aov) with
 * the import's summary (row accounting, notes, problems) beside them, so a second command
 * on the same export skips the CSV read and the classification.
 *
 * An entry is a folder named by the SHA-256 of its key:
 *   manifest.json   { version, key, input (InputSummary), files: { name: { bytes, sha256 } } }
 *   orders.parquet  currency, order_id, placed_ms, value_minor, customer, items, units,
 *                   margin_minor, shipping_minor, country, source, segment
 *   lines.parquet   (only when baskets were built) order_id, item, item_name, currency,
 *                   unit_price, cost, quantity, ships_nothing
 *   tables-<hash>.bin   the order tables read from orders.parquet, JS-ready (tablesCache.ts)
 *   baskets-<hash>.bin  the baskets built from lines.parquet, one file per basket option set
 *                   (basketCache.ts); these two are not in the manifest: each file carries its
 *                   own SHA-256, and goes with the entry when it is replaced or removed
 *
 * What the key covers (and what it does not) is said in README.md: each input's path as
 * written, its real path, size, mtime and a hash of its first and last 64 KB; every option
 * that changes the import; the aov build (a hash of its import code) and the engine version.
 * An edit inside a file that keeps its size, its mtime and its first and last 64 KB is not
 * seen: --no-cache, or `aov cache clear`, reads it again.
 *
 * An entry is trusted only when its manifest parses, its key equals the run's key in full
 * (not only its hash) and every Parquet file has the recorded size and SHA-256; anything
 * else is a miss, and the entry is rebuilt. Entries are written into a temporary folder
 * and renamed into place, so a concurrent run sees a whole entry or none.
 *
 * The cache has a cap (cacheCap: AOV_CACHE_SIZE, default 2 GB). A run that used an entry
 * marks it (the manifest's mtime); after a run wrote to the cache, the entries used least
 * recently are removed until the total (with the leftovers of killed runs) is under the cap
 * (trimCache), never the entry the run wrote, even when it alone is over the cap, nor one
 * used in the last minute (another run's). A run that finds an entry stale removes that write
 * of it only (EntryVersion: the manifest's inode and hash), never a fresh one another run has
 * renamed into its place meanwhile. A removed entry is renamed first, so a run
 * reading it at that moment finds its files gone: a miss, and it reads the export.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { AovError, quoteValue } from '../errors.js';
import { sqlString, type Engine } from './engine.js';

/** Bumped when an entry's layout changes. */
const CACHE_VERSION = 1;
/** Bytes hashed at each end of an input. */
const EDGE_BYTES = 64 * 1024;
const MANIFEST = 'manifest.json';

/** The cache folder: $XDG_CACHE_HOME/aov, else ~/.cache/aov. */
export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'aov');
}

/**
 * The cache's cap when AOV_CACHE_SIZE is not set: 2 GB (2 x 10^9 bytes, the unit the parser
 * and `aov cache list` use). An entry is about a third of its
 * export's size with the lines (115 MB for the 1M-order export of 734 MB, orders only a few
 * MB), so this keeps a dozen large exports or hundreds of small ones, and stays a small
 * share of a laptop's disk; a fixed size is more predictable than a share of free space.
 */
export const DEFAULT_CACHE_CAP_BYTES = 2e9;

/** Decimal SI (K/KB = 10^3 ... T/TB = 10^12), as disks count; the binary units only when written so (KiB = 2^10). */
const SIZE_UNITS: Record<string, number> = {
  '': 1, B: 1, K: 1e3, KB: 1e3, M: 1e6, MB: 1e6, G: 1e9, GB: 1e9, T: 1e12, TB: 1e12,
  KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4,
};

/**
 * The cache's cap in bytes: AOV_CACHE_SIZE ("2GB", "500M", "1.5GiB", a number of bytes; the
 * unit in any case; "0" turns the cache off: nothing read, nothing written), else
 * DEFAULT_CACHE_CAP_BYTES. A size that is not 0 but under one byte ("0.4") is an error, not
 * "off": turning the cache off is said with 0.
 * @example
 * cacheCap('500MB'); // 500000000
 * cacheCap('2g'); // 2000000000
 */
export function cacheCap(text = process.env.AOV_CACHE_SIZE): number {
  if (text === undefined || text.trim() === '') return DEFAULT_CACHE_CAP_BYTES;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? SIZE_UNITS[match[2].toUpperCase()] : undefined;
  if (!match || unit === undefined) {
    throw new AovError('E_USAGE', `AOV_CACHE_SIZE ${quoteValue(text.slice(0, 40))} is not a size.`, { hint: 'Examples: AOV_CACHE_SIZE=2GB, AOV_CACHE_SIZE=500MB; 0 turns the import cache off.' });
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes === 0 && Number(match[1]) !== 0) {
    throw new AovError('E_USAGE', `AOV_CACHE_SIZE ${quoteValue(text.slice(0, 40))} is under one byte.`, { hint: 'Give a size such as AOV_CACHE_SIZE=500MB; 0 turns the import cache off.' });
  }
  return bytes;
}

/**
 * A size as `aov cache list` prints it, in the parser's decimal units (kB, MB, GB: 10^3, 10^6,
 * 10^9 bytes), so AOV_CACHE_SIZE=2GB lists as "2.0 GB".
 * @example
 * formatSize(2e9); // '2.0 GB'
 * formatSize(1500); // '2 kB'
 */
export function formatSize(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`;
}

/** One input file as the key sees it. */
export interface KeyedFile {
  /** As written (it names the file in every message of the summary). */
  given: string;
  real: string;
  bytes: number;
  /** Modification time in nanoseconds, as text. */
  mtime: string;
  /** SHA-256 of the first and the last EDGE_BYTES. */
  edges: string;
}

export interface CacheKey {
  version: number;
  build: string;
  files: KeyedFile[];
  /** Every option that changes the import, normalised (see loadOrders). */
  options: Record<string, unknown>;
}

export interface CacheManifest<Summary> {
  version: number;
  key: CacheKey;
  created: string;
  input: Summary;
  files: Record<string, { bytes: number; sha256: string }>;
}

export interface CacheHit<Summary> {
  dir: string;
  manifest: CacheManifest<Summary>;
  orders: string;
  lines?: string;
}

/** A hash of the import code of this build and the engine's version: an entry from another build is never read. */
let buildHash: Promise<string> | undefined;
function build(): Promise<string> {
  buildHash ??= (async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const sha = createHash('sha256');
    // dist/io and its step folders (import/): every file the import runs.
    const names = (await fs.readdir(here, { recursive: true })).filter((n) => /\.(js|ts)$/.test(n)).sort();
    for (const name of names) sha.update(name).update(await fs.readFile(path.join(here, name)));
    try {
      const duckdb = JSON.parse(await fs.readFile(path.join(here, '..', '..', 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8')) as { version?: string };
      sha.update(`duckdb ${duckdb.version ?? '?'}`);
    } catch {
      sha.update('duckdb ?');
    }
    return sha.digest('hex');
  })();
  return buildHash;
}

async function keyFile(given: string): Promise<KeyedFile> {
  const real = await fs.realpath(given);
  const handle = await fs.open(real, 'r');
  try {
    const stat = await handle.stat({ bigint: true });
    const size = Number(stat.size);
    const sha = createHash('sha256');
    const head = Buffer.alloc(Math.min(EDGE_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    sha.update(head);
    if (size > EDGE_BYTES) {
      const tail = Buffer.alloc(Math.min(EDGE_BYTES, size - EDGE_BYTES));
      await handle.read(tail, 0, tail.length, size - tail.length);
      sha.update(tail);
    }
    return { given, real, bytes: size, mtime: String(stat.mtimeNs), edges: sha.digest('hex') };
  } finally {
    await handle.close();
  }
}

/** The key of an import of these files with these options; undefined when it cannot be keyed (a stream, a file gone). */
export async function cacheKey(files: readonly string[], options: Record<string, unknown>): Promise<CacheKey | undefined> {
  try {
    const keyed: KeyedFile[] = [];
    for (const file of files) {
      const stat = await fs.stat(file);
      if (!stat.isFile()) return undefined;
      keyed.push(await keyFile(file));
    }
    return { version: CACHE_VERSION, build: await build(), files: keyed, options };
  } catch {
    return undefined;
  }
}

const entryName = (key: CacheKey) => createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 32);

/** The folder of this key's entry (there or not). */
export const entryDir = (key: CacheKey) => path.join(cacheRoot(), entryName(key));

async function sha256Of(file: string): Promise<string> {
  const sha = createHash('sha256');
  await pipeline(createReadStream(file), sha);
  return sha.digest('hex');
}

/**
 * The entry for this key when it is whole and current (manifest, key and the Parquet files'
 * sizes checked here; their SHA-256 by `verify`, which can run while the engine reads them).
 * A damaged entry is removed. `verify` checks the Parquet files a run reads (one served by the
 * entry's tables and baskets files reads neither: those carry their own SHA-256).
 */
export async function findEntry<Summary>(key: CacheKey): Promise<(CacheHit<Summary> & EntryChecks) | undefined> {
  const dir = path.join(cacheRoot(), entryName(key));
  const read = await readManifest(dir);
  if (!read) return undefined;
  // Every removal below is of this write of the entry only: another run may put a new one in
  // its place while this run checks it (removeEntry's `only`).
  const discard = () => removeEntry(dir, read.version);
  let manifest: CacheManifest<Summary>;
  try {
    manifest = JSON.parse(read.text) as CacheManifest<Summary>;
  } catch {
    await discard();
    return undefined;
  }
  const whole = async () => {
    if (manifest?.version !== CACHE_VERSION || JSON.stringify(manifest.key) !== JSON.stringify(key) || !manifest.files?.['orders.parquet'] || !manifest.input) return false;
    for (const [name, expected] of Object.entries(manifest.files)) {
      const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (!stat || stat.size !== expected.bytes) return false;
    }
    return true;
  };
  if (!(await whole())) {
    await discard();
    return undefined;
  }
  const lines = manifest.files['lines.parquet'] ? path.join(dir, 'lines.parquet') : undefined;
  await markUsed(dir);
  return {
    dir,
    manifest,
    orders: path.join(dir, 'orders.parquet'),
    lines,
    verify: async (read: { orders: boolean; lines: boolean }) => {
      for (const name of [...(read.orders ? ['orders.parquet'] : []), ...(read.lines ? ['lines.parquet'] : [])]) {
        const actual = await sha256Of(path.join(dir, name)).catch(() => '');
        if (actual !== manifest.files[name]?.sha256) {
          await discard();
          return false;
        }
      }
      return true;
    },
    discard,
  };
}

/** What a hit offers besides its files: checking the Parquet it reads, and removing it after a miss. */
export interface EntryChecks {
  /** Whether the Parquet files a run reads have their recorded SHA-256 (removes the entry when not). */
  verify: (read: { orders: boolean; lines: boolean }) => Promise<boolean>;
  /** Removes the entry if it is still the write this hit read (a newer one is left alone). */
  discard: () => Promise<void>;
}

/**
 * Which write of an entry a run read: its manifest's inode and the SHA-256 of its text. Every
 * write makes a new manifest file (in a temporary folder, renamed into place), so a new entry
 * under the same key differs in the inode, and in the text (its `created`) if an inode is reused.
 * (Not the mtime: a hit marks it.)
 */
export interface EntryVersion {
  ino: number;
  sha256: string;
}

/** An entry's manifest text and version, read through one handle; undefined when there is none. */
async function readManifest(dir: string): Promise<{ text: string; version: EntryVersion } | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(path.join(dir, MANIFEST), 'r');
    const { ino } = await handle.stat();
    const text = await handle.readFile('utf8');
    return { text, version: { ino, sha256: createHash('sha256').update(text).digest('hex') } };
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

const sameVersion = (a: EntryVersion | undefined, b: EntryVersion) => a !== undefined && a.ino === b.ino && a.sha256 === b.sha256;

/** Marks an entry as just used (its manifest's mtime: what trimCache orders by); gone meanwhile is fine. */
async function markUsed(dir: string): Promise<void> {
  const now = new Date();
  await fs.utimes(path.join(dir, MANIFEST), now, now).catch(() => undefined);
}

/**
 * An entry used this recently is never trimmed: another run may have just written it, or
 * be reading it. With a cap below what concurrent runs write, each run's trim would
 * otherwise remove the others' fresh entries, and the cache would end empty after runs that
 * each wrote one (18 bundles runs at once with AOV_CACHE_SIZE=8KB did). The cap is then
 * exceeded for a minute at most; the next trim after that removes them.
 */
export const FRESH_ENTRY_MS = 60_000;

/**
 * A leftover this old (a `.tmp-*` write or a `.removed-*` folder of a run that was killed) is
 * removed by trimCache; a younger one may be a write under way.
 */
export const LEFTOVER_MS = 3_600_000;

/**
 * Keeps the cache under its cap: removes leftovers of killed runs older than LEFTOVER_MS, then
 * the entries used least recently until the total (leftovers included) is at most `cap`,
 * never `keep` (the entry this run wrote or added to) nor one used within FRESH_ENTRY_MS.
 * Entries that vanish meanwhile (another run trimming) are skipped. Returns the folders removed.
 */
export async function trimCache(keep: string, cap = cacheCap(), now = Date.now()): Promise<string[]> {
  const entries = await listEntries();
  const removed: string[] = [];
  let leftoverBytes = 0;
  for (const leftover of await listLeftovers()) {
    if (now - leftover.modified > LEFTOVER_MS) {
      await fs.rm(leftover.dir, { recursive: true, force: true }).catch(() => undefined);
      removed.push(leftover.dir);
    } else leftoverBytes += leftover.bytes;
  }
  let total = entries.reduce((sum, e) => sum + e.bytes, leftoverBytes);
  const removable = entries.filter((e) => e.dir !== keep && now - e.lastUsed >= FRESH_ENTRY_MS);
  for (const entry of removable.sort((a, b) => a.lastUsed - b.lastUsed || a.dir.localeCompare(b.dir))) {
    if (total <= cap) break;
    await removeEntry(entry.dir);
    total -= entry.bytes;
    removed.push(entry.dir);
  }
  return removed;
}

/** A `.tmp-*` or `*.removed-*` folder in the cache: its size and when it last changed. */
export interface Leftover {
  dir: string;
  bytes: number;
  modified: number;
}

/** The folders of writes under way and of removals, and what is left of them after a killed run. */
export async function listLeftovers(): Promise<Leftover[]> {
  const root = cacheRoot();
  const leftovers: Leftover[] = [];
  for (const name of await fs.readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith('.tmp-') && !name.includes('.removed-')) continue;
    const dir = path.join(root, name);
    const stat = await fs.stat(dir).catch(() => undefined);
    if (!stat) continue;
    leftovers.push({ dir, bytes: await folderBytes(dir), modified: stat.mtimeMs });
  }
  return leftovers;
}

/** The bytes of the files in a folder (entries and leftovers are flat; gone meanwhile counts 0). */
async function folderBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const file of await fs.readdir(dir).catch(() => [] as string[])) bytes += (await fs.stat(path.join(dir, file)).catch(() => ({ size: 0 }))).size;
  return bytes;
}

/**
 * Removes an entry folder (a damaged or replaced one); a concurrent removal is fine. With
 * `only`, only that write of the entry: a run that found the entry stale must not remove the
 * fresh one another run has just renamed into its place.
 */
export async function removeEntry(dir: string, only?: EntryVersion): Promise<void> {
  if (only && !sameVersion((await readManifest(dir))?.version, only)) return;
  // Renamed first, so no reader opens a half-removed entry.
  const doomed = `${dir}.removed-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(dir, doomed);
  } catch {
    return;
  }
  // A new entry may have been renamed into place between the check and the rename: then it is
  // put back (unless a newer one has taken the place meanwhile, which then stands).
  if (only && !sameVersion((await readManifest(doomed))?.version, only) && (await fs.rename(doomed, dir).then(() => true, () => false))) return;
  await fs.rm(doomed, { recursive: true, force: true });
}

/**
 * Writes an entry: the engine's `orders` table and, when given, a query of the counted lines,
 * as Parquet, then the manifest, into a temporary folder renamed into place. A failure is
 * returned as a message (the command's result does not depend on the cache).
 */
export async function writeEntry<Summary>(engine: Engine, key: CacheKey, input: Summary, linesQuery?: string): Promise<string | undefined> {
  const root = cacheRoot();
  const dir = path.join(root, entryName(key));
  const temp = path.join(root, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await fs.mkdir(temp, { recursive: true, mode: 0o700 });
    const files: CacheManifest<Summary>['files'] = {};
    const write = async (name: string, query: string) => {
      const target = path.join(temp, name);
      await engine.run(`COPY (${query}) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd)`);
      files[name] = { bytes: (await fs.stat(target)).size, sha256: await sha256Of(target) };
    };
    await write('orders.parquet', 'SELECT * FROM orders');
    if (linesQuery) await write('lines.parquet', linesQuery);
    const manifest: CacheManifest<Summary> = { version: CACHE_VERSION, key, created: new Date().toISOString(), input, files };
    await fs.writeFile(path.join(temp, MANIFEST), JSON.stringify(manifest));
    // An older entry (without the lines, or damaged) makes way; a concurrent run's new entry
    // may win the rename, and then ours is dropped.
    await removeEntry(dir);
    try {
      await fs.rename(temp, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      await fs.rm(temp, { recursive: true, force: true });
    }
    return undefined;
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    return `the import cache could not be written in ${root} (${(error as Error).message.split('\n')[0]}); the result is not affected.`;
  }
}

export interface CacheListing {
  dir: string;
  files: string[];
  bytes: number;
  created: string;
  orders: number | null;
  withLines: boolean;
  /** When a run last used it (ms since 1970: its manifest's mtime, else the folder's). */
  lastUsed: number;
}

/** The entries in the cache folder, newest first (a damaged one shows with its size and no files). */
export async function listEntries(): Promise<CacheListing[]> {
  const root = cacheRoot();
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const entries: CacheListing[] = [];
  for (const name of names.filter((n) => /^[0-9a-f]{32}$/.test(n))) {
    const dir = path.join(root, name);
    const bytes = await folderBytes(dir);
    const used = (await fs.stat(path.join(dir, MANIFEST)).catch(() => fs.stat(dir)).catch(() => undefined))?.mtimeMs ?? 0;
    let manifest: CacheManifest<{ orders?: number }> | undefined;
    try {
      manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as CacheManifest<{ orders?: number }>;
    } catch {
      manifest = undefined;
    }
    entries.push({
      dir,
      files: manifest?.key?.files?.map((f) => f.given) ?? [],
      bytes,
      created: manifest?.created ?? '',
      orders: typeof manifest?.input?.orders === 'number' ? manifest.input.orders : null,
      withLines: !!manifest?.files?.['lines.parquet'],
      lastUsed: used,
    });
  }
  return entries.sort((a, b) => b.created.localeCompare(a.created) || a.dir.localeCompare(b.dir));
}

/** Removes every entry (and leftovers of interrupted writes); returns how many entries and bytes. */
export async function clearEntries(): Promise<{ entries: number; bytes: number }> {
  const listed = await listEntries();
  for (const entry of listed) await removeEntry(entry.dir);
  // (a write under way in another run is left alone: only leftovers older than an hour)
  for (const leftover of await listLeftovers()) {
    if (Date.now() - leftover.modified > LEFTOVER_MS) await fs.rm(leftover.dir, { recursive: true, force: true });
  }
  return { entries: listed.length, bytes: listed.reduce((a, e) => a + e.bytes, 0) };
}
