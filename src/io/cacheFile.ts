/**
 * One cache file holding JS-ready data: a JSON part (small values), typed arrays (the large
 * numeric columns) and string columns, read back without the engine. The import cache
 * (cache.ts) keeps such files beside an entry's Parquet for what a command builds from it (the
 * order tables, the baskets): a warm run then skips the SQL and the transfer into JS.
 *
 * Layout (little-endian):
 *   bytes 0-7     "AOVJS001"
 *   bytes 8-11    JSON length J
 *   bytes 12-43   SHA-256 of every byte from 44 to the end
 *   bytes 44-     JSON { data, parts: [{ name, kind, offset, length }] }, then the parts, each
 *                 at an 8-byte aligned offset from the file's start. A string column is two
 *                 parts: its UTF-16 lengths (i32) and its text as UTF-8 (u8), decoded once and
 *                 cut by the lengths (3x faster than JSON.parse of the same strings).
 *
 * A file is trusted only when the magic, the lengths and the SHA-256 agree; else it is a miss.
 * It is written to a temporary name in the same folder and renamed into place, so a reader
 * sees a whole file or none. Parts are written and read one at a time (no second copy of the
 * data in memory: 4M orders are a few hundred megabytes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

const MAGIC = Buffer.from('AOVJS001', 'latin1');
const PREFIX = 44;

export type TypedColumn = Float64Array | Int32Array;

export interface CacheFileContent<Data, Strings = Iterable<string>> {
  data: Data;
  arrays: Record<string, TypedColumn>;
  strings: Record<string, Strings>;
}

/**
 * A string column read back without making its strings: the decoded text and each string's
 * end, an id made by at(i) when it is read. A warm analyze at 4M orders reads a few dozen order
 * ids; making all of them (and collecting them) was a second of its run. Same values as the
 * array it was written from; at(i) as Array.prototype.at (a negative index counts from the end).
 */
export class LazyStrings implements Iterable<string> {
  readonly length: number;
  constructor(private readonly text: string, private readonly ends: Int32Array, private readonly from = 0, length = ends.length) {
    this.length = length;
  }

  at(index: number): string | undefined {
    // (ToIntegerOrInfinity, as Array.prototype.at: NaN reads as 0)
    const t = Math.trunc(index) || 0;
    const i = t < 0 ? t + this.length : t;
    if (!(i >= 0 && i < this.length)) return undefined;
    const k = this.from + i;
    return this.text.slice(k === 0 ? 0 : this.ends[k - 1], this.ends[k]);
  }

  /** The strings from `start` to `end` (as Array.prototype.slice reads them), lazily too. */
  slice(start = 0, end = this.length): LazyStrings {
    const clamp = (x: number) => {
      const t = Math.trunc(x) || 0;
      return t < 0 ? Math.max(0, this.length + t) : Math.min(this.length, t);
    };
    const a = clamp(start);
    const b = clamp(end);
    return new LazyStrings(this.text, this.ends, this.from + a, Math.max(0, b - a));
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}

type PartKind = 'f64' | 'i32' | 'u8';
interface Part {
  name: string;
  kind: PartKind;
  offset: number;
  /** Elements (bytes for u8). */
  length: number;
}

const WIDTH: Record<PartKind, number> = { f64: 8, i32: 4, u8: 1 };
const align8 = (n: number) => Math.ceil(n / 8) * 8;
const bytesOf = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/**
 * Writes `content` to `file` (temp file + rename) and returns its SHA-256 (hex: what
 * readCacheFile gives as `digest`). Returns false, writing nothing, when the folder is gone (the
 * entry was replaced meanwhile) or a string is not well-formed UTF-16 (it would not come back
 * the same through UTF-8).
 */
export async function writeCacheFile<Data>(file: string, content: CacheFileContent<Data>): Promise<string | false> {
  const payloads: { name: string; kind: PartKind; bytes: Uint8Array }[] = [];
  for (const [name, array] of Object.entries(content.arrays)) payloads.push({ name, kind: array instanceof Int32Array ? 'i32' : 'f64', bytes: bytesOf(array) });
  for (const [name, given] of Object.entries(content.strings)) {
    const strings = Array.isArray(given) ? (given as readonly string[]) : Array.from(given);
    const text = strings.join('');
    // (String.prototype.isWellFormed: Node 20, ES2024)
    if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) return false;
    payloads.push({ name: `${name}.lengths`, kind: 'i32', bytes: bytesOf(Int32Array.from(strings, (s) => s.length)) });
    payloads.push({ name: `${name}.text`, kind: 'u8', bytes: Buffer.from(text, 'utf8') });
  }
  // The parts start after the JSON, whose length depends on the offsets it lists: lay the parts
  // out relative to the JSON's end, then settle the start (a round or two).
  const relative: number[] = [];
  let end = 0;
  for (const p of payloads) {
    relative.push(end);
    end = align8(end + p.bytes.length);
  }
  let json = '';
  let start = 0;
  for (let guess = 0; ; ) {
    const parts: Part[] = payloads.map((p, k) => ({ name: p.name, kind: p.kind, offset: guess + relative[k], length: p.bytes.length / WIDTH[p.kind] }));
    json = JSON.stringify({ data: content.data, parts });
    start = align8(PREFIX + Buffer.byteLength(json));
    if (start === guess) break;
    guess = start;
  }
  // The pieces in file order from byte 44: JSON, padding, each part and its padding.
  const pieces: Uint8Array[] = [Buffer.from(json)];
  let at = PREFIX + pieces[0].length;
  const pad = (to: number) => {
    if (to > at) pieces.push(new Uint8Array(to - at));
    at = to;
  };
  payloads.forEach((p, k) => {
    pad(start + relative[k]);
    pieces.push(p.bytes);
    at += p.bytes.length;
  });
  pad(start + end);
  const sha = createHash('sha256');
  for (const piece of pieces) sha.update(piece);
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(pieces[0].length, 8);
  const digest = sha.digest();
  digest.copy(prefix, 12);
  const temp = path.join(path.dirname(file), `.tmp-${process.pid}-${randomBytes(6).toString('hex')}-${path.basename(file)}`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'w', 0o600);
    // (writeFile on a handle writes at its position, and the whole piece)
    for (const piece of [prefix, ...pieces]) await handle.writeFile(piece);
    await handle.close();
    handle = undefined;
    await fs.rename(temp, file);
    return digest.toString('hex');
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** A cache file read back, with its SHA-256 (hex), which names this exact content; the lazy string columns as LazyStrings. */
export type ReadCacheFile<Data> = CacheFileContent<Data, string[]> & { digest: string; lazy: Record<string, LazyStrings> };

/**
 * The content of a whole cache file, or undefined (missing, damaged: the caller rebuilds it).
 * String columns named in `lazy` come back in `lazy` (LazyStrings), the others in `strings`.
 */
export async function readCacheFile<Data>(file: string, lazy: (name: string) => boolean = () => false): Promise<ReadCacheFile<Data> | undefined> {
  const started = Date.now();
  const content = await readWhole<Data>(file, lazy);
  // (AOV_TRACE, as the engine's statements: the tests tell a cache hit by it)
  if (process.env.AOV_TRACE) process.stderr.write(`[aov] ${Date.now() - started} ms  cache file ${file}: ${content ? 'read' : 'missing or damaged'}\n`);
  return content;
}

async function readWhole<Data>(file: string, lazy: (name: string) => boolean): Promise<ReadCacheFile<Data> | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = (await handle.stat()).size;
    const prefix = Buffer.alloc(PREFIX);
    if (size < PREFIX || (await handle.read(prefix, 0, PREFIX, 0)).bytesRead !== PREFIX || !prefix.subarray(0, 8).equals(MAGIC)) return undefined;
    const jsonLength = prefix.readUInt32LE(8);
    if (PREFIX + jsonLength > size) return undefined;
    const sha = createHash('sha256');
    let at = PREFIX;
    // Reads the next `bytes.length` bytes of the file into `bytes` (hashed on the way).
    const next = async (bytes: Uint8Array) => {
      for (let done = 0; done < bytes.length; ) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, at + done);
        if (bytesRead === 0) throw new RangeError('cut short');
        done += bytesRead;
      }
      sha.update(bytes);
      at += bytes.length;
    };
    const jsonBytes = Buffer.alloc(jsonLength);
    await next(jsonBytes);
    let parsed: { data: Data; parts: Part[] };
    try {
      parsed = JSON.parse(jsonBytes.toString('utf8')) as { data: Data; parts: Part[] };
    } catch {
      return undefined;
    }
    const views: Record<string, Float64Array | Int32Array | Uint8Array> = {};
    for (const part of parsed.parts ?? []) {
      if (!(part.offset >= at && part.offset % 8 === 0 && part.offset + part.length * WIDTH[part.kind] <= size)) return undefined;
      if (part.offset > at) await next(new Uint8Array(part.offset - at));
      const view = part.kind === 'f64' ? new Float64Array(part.length) : part.kind === 'i32' ? new Int32Array(part.length) : new Uint8Array(part.length);
      await next(bytesOf(view));
      views[part.name] = view;
    }
    if (at < size) await next(new Uint8Array(size - at));
    if (!sha.digest().equals(prefix.subarray(12, PREFIX))) return undefined;
    const arrays: Record<string, TypedColumn> = {};
    const strings: Record<string, string[]> = {};
    const lazyStrings: Record<string, LazyStrings> = {};
    for (const [name, view] of Object.entries(views)) {
      if (name.endsWith('.lengths') || name.endsWith('.text')) continue;
      arrays[name] = view as TypedColumn;
    }
    for (const name of Object.keys(views).filter((n) => n.endsWith('.lengths')).map((n) => n.slice(0, -'.lengths'.length))) {
      const lengths = views[`${name}.lengths`] as Int32Array;
      const utf8 = views[`${name}.text`] as Uint8Array;
      const text = Buffer.from(utf8.buffer, utf8.byteOffset, utf8.byteLength).toString('utf8');
      if (lazy(name)) {
        // (the lengths become ends in place: the part is this column's alone)
        let end = 0;
        for (let i = 0; i < lengths.length; i++) {
          if (lengths[i] < 0) return undefined;
          end += lengths[i];
          lengths[i] = end;
        }
        if (end !== text.length) return undefined;
        lazyStrings[name] = new LazyStrings(text, lengths);
        continue;
      }
      const out = new Array<string>(lengths.length);
      let from = 0;
      for (let i = 0; i < lengths.length; i++) {
        out[i] = text.slice(from, from + lengths[i]);
        from += lengths[i];
      }
      if (from !== text.length) return undefined;
      strings[name] = out;
    }
    return { data: parsed.data, arrays, strings, lazy: lazyStrings, digest: prefix.subarray(12, PREFIX).toString('hex') };
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
