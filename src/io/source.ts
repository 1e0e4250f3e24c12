/**
 * Input files before the engine sees them: paths and globs resolved, existence and
 * permissions checked, encoding detected (UTF-8 with or without BOM passes through;
 * UTF-16 and Windows-1252 are transcoded to a temporary UTF-8 file with iconv-lite, because
 * Node 20's TextDecoder maps 0x80-0x9F wrongly and DuckDB's latin-1 has no euro sign),
 * the header line read and the delimiter chosen.
 */
import { createReadStream, createWriteStream, promises as fs, constants as fsConstants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { AovError } from '../errors.js';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface SourceFile {
  /** The path as the user wrote it (used in every message). */
  display: string;
  /** The file DuckDB reads: the original, or a transcoded temporary copy. */
  readPath: string;
  gzip: boolean;
  encoding: Encoding;
  delimiter: string;
  /** Header cells as written (BOM and surrounding quotes removed). */
  header: string[];
  /** Byte size of the original file. */
  bytes: number;
  /** A line of LONG_LINE_BYTES or more is in the file (it is read with 16 MB lines). */
  longLines?: boolean;
}

/** A header cell longer than this is cut (a 200 MB header would otherwise be echoed in messages). */
const MAX_HEADER_CELL = 200;

/** A run of this many bytes without a line break marks a long line (DuckDB's default line size is 2 MB). */
export const LONG_LINE_BYTES = 1 << 20;

/**
 * True when the file has a run of LONG_LINE_BYTES or more bytes with no CR or LF. Reads only
 * the start of each LONG_LINE_BYTES window until its first line break: a line of twice the
 * window or more covers a whole window and is found, at a few kilobytes per megabyte read.
 */
export async function hasLongLine(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const piece = Buffer.alloc(64 * 1024);
    for (let window = 0; window < size; window += LONG_LINE_BYTES) {
      let found = false;
      for (let offset = window; offset < Math.min(window + LONG_LINE_BYTES, size) && !found; offset += piece.length) {
        const { bytesRead } = await handle.read(piece, 0, piece.length, offset);
        if (bytesRead === 0) break;
        const bytes = piece.subarray(0, bytesRead);
        found = bytes.indexOf(0x0a) >= 0 || bytes.indexOf(0x0d) >= 0;
      }
      if (!found && window + LONG_LINE_BYTES <= size) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * Rewrites a file with every line ending as LF (CRLF and lone CR alike, each one line, so
 * line numbers stay the same) into the work folder: DuckDB's reader stops with "invalid
 * state" on a file whose endings change midway.
 */
export async function normaliseLineEndings(file: string, gzip: boolean, workDir: string): Promise<string> {
  const { Transform } = await import('node:stream');
  const target = path.join(workDir, `${path.basename(file).replace(/[^\w.-]/g, '_')}.${Date.now().toString(36)}.lf.csv`);
  let pendingCr = false;
  const toLf = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let text = chunk.toString('latin1');
      if (pendingCr) text = '\r' + text;
      pendingCr = text.endsWith('\r');
      if (pendingCr) text = text.slice(0, -1);
      done(null, Buffer.from(text.replace(/\r\n?/g, '\n'), 'latin1'));
    },
    flush(done) {
      done(null, pendingCr ? Buffer.from('\n') : undefined);
    },
  });
  const stages: NodeJS.ReadWriteStream[] = gzip ? [createGunzip(), toLf] : [toLf];
  await pipeline(createReadStream(file), ...(stages as [NodeJS.ReadWriteStream]), createWriteStream(target));
  return target;
}

const SAMPLE_BYTES = 1 << 20;

/** Expands globs (with the engine's glob, given as a callback) and checks each path. */
export async function resolveInputs(
  patterns: readonly string[],
  glob: (pattern: string) => Promise<string[]>,
  notes?: string[],
): Promise<string[]> {
  if (patterns.length === 0) {
    throw new AovError('E_USAGE', 'No input file given.', { hint: 'Name an orders export: aov analyze orders.csv' });
  }
  const files: string[] = [];
  for (const pattern of patterns) {
    // An argument that names an existing file is that file, literally: `jan[1].csv` is not the
    // pattern that matches `jan1.csv`, and `a*b.csv` is not also `axb.csv`.
    if (/[*?[]/.test(pattern) && !(await exists(pattern))) {
      const matched = (await glob(pattern)).sort();
      if (matched.length === 0) {
        throw new AovError('E_NO_MATCH', `${pattern}: no file matches this pattern.`, {
          hint: 'Check the folder and the pattern; quote it so the shell does not expand it first.',
          context: { file: pattern },
        });
      }
      files.push(...matched);
    } else {
      files.push(pattern);
    }
  }
  for (const file of files) await checkReadable(file);
  return readOnce(files, notes);
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(() => true, () => false);
}

/**
 * Characters DuckDB's reader may take for a glob in a path it is given (`{` and `}` are not
 * globs in DuckDB 1.5, but are kept out too, as a later version or another reader may read them so).
 */
const GLOB_CHARS = /[*?[\]{}]/;

export function hasGlobChars(file: string): boolean {
  return GLOB_CHARS.test(file);
}

/**
 * A path DuckDB reads as the file itself. DuckDB expands every path it is given as a glob and
 * has no escape for it (1.5.5: `a\*b.csv` matches nothing; `[*]` happens to work but is not
 * documented), so a file whose path holds a glob character is read through a symlink with a
 * plain name in the run's work folder (removed with it). Messages keep the user's path (display).
 */
export async function engineReadablePath(file: string, workDir: string): Promise<string> {
  if (!hasGlobChars(file)) return file;
  const link = path.join(workDir, `literal-${literalLinks++}-${path.basename(file).replace(/[^\w.-]/g, '_')}`);
  // (absolute: a relative target would be read from the work folder)
  await fs.symlink(path.resolve(file), link);
  return link;
}
let literalLinks = 0;

/**
 * The inputs with each file kept once: the same path written twice (a.csv ./a.csv), a
 * symlink to a file already named, and a copy with the same bytes (same size, then the
 * same SHA-256) would otherwise count every order twice. Each dropped name gets a note.
 */
async function readOnce(files: readonly string[], notes: string[] | undefined): Promise<string[]> {
  const kept: string[] = [];
  const byRealPath = new Map<string, string>();
  const bySize = new Map<number, string[]>();
  const hashes = new Map<string, string>();
  const byHash = new Map<string, string>();
  const digest = async (file: string) => {
    let hash = hashes.get(file);
    if (!hash) {
      const { createHash } = await import('node:crypto');
      const sha = createHash('sha256');
      if ((await fs.stat(file)).size < SAMPLE_BYTES) sha.update(await fs.readFile(file));
      else await pipeline(createReadStream(file), sha);
      hash = sha.digest('hex');
      hashes.set(file, hash);
    }
    return hash;
  };
  for (const file of files) {
    if (isStream(file)) {
      kept.push(file);
      continue;
    }
    const real = await fs.realpath(file);
    const sameFile = byRealPath.get(real);
    if (sameFile !== undefined) {
      if (sameFile !== file) notes?.push(`${file} is the same file as ${sameFile}: read once.`);
      continue;
    }
    const stat = await fs.stat(real);
    if (!stat.isFile()) {
      kept.push(file);
      continue;
    }
    // Only files of a size already seen are hashed (each once), then looked up by hash.
    const sameSize = bySize.get(stat.size) ?? [];
    for (const other of sameSize) {
      const hash = await digest(other);
      if (!byHash.has(hash)) byHash.set(hash, other);
    }
    const copyOf = bySize.has(stat.size) ? byHash.get(await digest(file)) : undefined;
    // (hashed files are in byHash now: the size's pending list starts again from this file)
    if (sameSize.length) sameSize.length = 0;
    if (copyOf !== undefined) {
      notes?.push(`${file} has the same content as ${copyOf} (a copy): read once.`);
      continue;
    }
    byRealPath.set(real, file);
    bySize.set(stat.size, [...sameSize, file]);
    kept.push(file);
  }
  return kept;
}

/** "-" (standard input), a FIFO, a character device or a socket: read once as a stream. */
export function isStream(file: string): boolean {
  return file === '-' || (streamKinds.get(file) ?? false);
}
const streamKinds = new Map<string, boolean>();

/** How an input is named in messages: "-" is "stdin". */
export function displayName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/**
 * Copies a stream input (stdin, a FIFO, `<(cat f)`) into the work folder, once, so that it
 * can be read twice (sample, then whole) like a file; a regular file is returned as it is.
 */
export async function materialise(file: string, workDir: string): Promise<string> {
  if (!isStream(file)) return file;
  if (file === '-' && process.stdin.isTTY) {
    throw new AovError('E_USAGE', 'aov reads the orders from standard input ("-"), but nothing is piped into it.', {
      hint: 'Pipe an export into it (cat orders.csv | aov analyze -) or name the file.',
    });
  }
  const target = path.join(workDir, `stream-${streamCopies++}.csv`);
  try {
    await pipeline(file === '-' ? process.stdin : createReadStream(file), createWriteStream(target));
  } catch (error) {
    throw new AovError('E_NOT_A_FILE', `${displayName(file)}: could not be read (${(error as Error).message}).`, { context: { file: displayName(file) }, cause: error });
  }
  return target;
}
let streamCopies = 0;

async function checkReadable(file: string): Promise<void> {
  if (file === '-') return;
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new AovError('E_NOT_FOUND', `${file}: no such file.`, {
      hint: 'Check the path; paths are relative to the current folder.',
      context: { file },
    });
  }
  if (stat.isDirectory()) {
    throw new AovError('E_NOT_A_FILE', `${file} is a folder, not a file.`, {
      hint: `Name the export inside it, or a glob such as '${path.join(file, '*.csv')}'.`,
      context: { file },
    });
  }
  streamKinds.set(file, !stat.isFile());
  try {
    await fs.access(file, fsConstants.R_OK);
  } catch {
    throw new AovError('E_NO_PERMISSION', `${file}: permission denied (cannot read the file).`, {
      hint: 'Check the file permissions (ls -l) or run as a user who can read it.',
      context: { file },
    });
  }
}

/** The first bytes of a file, decompressed when it is gzip. */
async function readSample(file: string, gzip: boolean): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    if (!gzip) return head;
    try {
      // A partial gzip member cannot be finished; flush what it decodes.
      return gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).subarray(0, SAMPLE_BYTES);
    } catch (error) {
      throw new AovError('E_BAD_GZIP', `${file}: not a readable gzip file (${(error as Error).message}).`, {
        hint: 'Check that the download finished; gunzip -t tells whether the file is whole.',
        context: { file },
        cause: error,
      });
    }
  } finally {
    await handle.close();
  }
}

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Detects the encoding from a byte sample: BOMs first, then whether the bytes are valid UTF-8. */
export function detectEncoding(sample: Buffer): Encoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8-bom';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  // UTF-16 without a BOM: every other byte of ASCII text is NUL.
  let evenNul = 0;
  let oddNul = 0;
  const probe = Math.min(sample.length, 4096);
  for (let i = 0; i < probe; i++) if (sample[i] === 0) (i % 2 === 0 ? evenNul++ : oddNul++);
  if (probe > 16 && oddNul > probe * 0.3 && evenNul < probe * 0.05) return 'utf-16le';
  if (probe > 16 && evenNul > probe * 0.3 && oddNul < probe * 0.05) return 'utf-16be';
  return isValidUtf8(sample) ? 'utf-8' : 'windows-1252';
}

/** True when the bytes are UTF-8 (a multi-byte sequence cut at the end of the sample is allowed). */
export function isValidUtf8(bytes: Buffer): boolean {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const width = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
    if (width === 0 || b > 0xf4) return false;
    for (let k = 1; k < width; k++) {
      if (i + k >= n) return true;
      if ((bytes[i + k] & 0xc0) !== 0x80) return false;
    }
    i += width;
  }
  return true;
}

/** Splits one CSV line into cells, honouring double quotes. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

const DELIMITERS = [',', ';', '\t', '|'];

/**
 * Chooses the delimiter from the header and the next lines: the candidate that splits the
 * header into the most cells, breaking ties by how many of the following lines split into
 * the same count. Header-based because order exports always have one, and the sniffer of a
 * general CSV reader is easily fooled by a few odd rows in a small file.
 */
export function detectDelimiter(lines: readonly string[]): string {
  const header = lines[0] ?? '';
  let best = ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const count = splitCsvLine(header, d).length;
    if (count < 2) continue;
    const agreeing = lines.slice(1, 50).filter((l) => l.trim() !== '' && splitCsvLine(l, d).length === count).length;
    const score = count * 1000 + agreeing;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** Decodes a byte sample to text for header reading (UTF-8/UTF-16 natively, Windows-1252 with iconv-lite). */
async function decodeSample(sample: Buffer, encoding: Encoding): Promise<string> {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') return sample.toString('utf8').replace(/^\ufeff/, '');
  const iconv = (await import('iconv-lite')).default;
  return iconv.decode(sample, encoding).replace(/^\ufeff/, '');
}

/** Lines of the sample, without a possibly cut last line. */
function sampleLines(text: string, complete: boolean): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (!complete && lines.length > 1) lines.pop();
  return lines;
}

/**
 * Prepares one file for the engine: detects gzip, encoding and delimiter, reads the header,
 * and transcodes to UTF-8 in `workDir` when the encoding is not UTF-8.
 */
export async function prepareSource(file: string, workDir: string, forcedDelimiter?: string, display = file): Promise<SourceFile> {
  const stat = await fs.stat(file);
  if (stat.size === 0) {
    throw new AovError('E_EMPTY_FILE', `${display} is empty (0 bytes).`, {
      hint: 'Export the orders again; the file has no header and no rows.',
      context: { file: display },
    });
  }
  const magic = Buffer.alloc(2);
  const handle = await fs.open(file, 'r');
  await handle.read(magic, 0, 2, 0);
  await handle.close();
  const gzip = isGzip(magic);
  // A truncated download still decompresses up to the cut, and the engine would read the
  // rows it got without a word: check the whole stream ends properly first.
  const gzipLongLine = gzip ? await checkGzipComplete(file, display) : false;
  const sample = await readSample(file, gzip);
  const encoding = detectEncoding(sample);
  const text = await decodeSample(sample, encoding);
  if (text.replace(/[\s\u0000]/g, '') === '') {
    throw new AovError('E_EMPTY_FILE', `${display} has no data (only blank lines).`, { context: { file: display } });
  }
  const lines = sampleLines(text, sample.length < SAMPLE_BYTES && !gzip).filter((l, i) => i === 0 || l.trim() !== '');
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  const usable = lines.slice(firstLine);
  if (usable[0].length > 0 && usable[0].includes('\u0000')) {
    throw new AovError('E_BAD_ENCODING', `${display}:1 holds NUL bytes; it is not a text CSV file.`, {
      hint: 'Export as CSV (UTF-8); spreadsheets saved as .xlsx must be saved as CSV first.',
      context: { file: display, line: 1 },
    });
  }
  const delimiter = forcedDelimiter ?? detectDelimiter(usable);
  const header = splitCsvLine(usable[0], delimiter);
  let readPath = file;
  if (encoding !== 'utf-8' && encoding !== 'utf-8-bom') {
    readPath = await transcode(file, gzip, encoding, workDir);
  } else readPath = await engineReadablePath(file, workDir);
  // DuckDB's reader skips a line longer than its buffer without a reject (seen at 31 MB and
  // more): a file with a line of a megabyte or more is read with the long-line settings.
  const transcoded = encoding !== 'utf-8' && encoding !== 'utf-8-bom';
  const longLines = gzip && !transcoded ? gzipLongLine : await hasLongLine(readPath);
  return { display, readPath, gzip: gzip && !transcoded, encoding, delimiter, header: header.map((h) => h.slice(0, MAX_HEADER_CELL)), bytes: stat.size, longLines };
}

/** Streams a file through iconv-lite into a UTF-8 temporary file (no whole-file string). */
export async function transcode(file: string, gzip: boolean, encoding: Encoding, workDir: string): Promise<string> {
  const iconv = (await import('iconv-lite')).default;
  const target = path.join(workDir, `${path.basename(file).replace(/[^\w.-]/g, '_')}.${Date.now().toString(36)}.utf8.csv`);
  const stages: NodeJS.ReadWriteStream[] = [];
  if (gzip) stages.push(createGunzip());
  stages.push(iconv.decodeStream(encoding === 'utf-8-bom' ? 'utf-8' : encoding, { stripBOM: true }));
  stages.push(iconv.encodeStream('utf-8'));
  try {
    await pipeline(createReadStream(file), ...(stages as [NodeJS.ReadWriteStream]), createWriteStream(target));
  } catch (error) {
    throw new AovError(gzip ? 'E_BAD_GZIP' : 'E_BAD_ENCODING', `${file}: could not be decoded as ${encoding}${gzip ? ' gzip' : ''} (${(error as Error).message}).`, {
      context: { file },
      cause: error,
    });
  }
  return target;
}

/** A private temporary folder for transcoded copies, removed by the returned cleanup. */
export async function makeWorkDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aov-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Decompresses a gzip file to nowhere; a truncated or corrupt one fails with E_BAD_GZIP.
 * Returns whether the text holds a run of LONG_LINE_BYTES without a line break (found in
 * the same pass: gunzip's chunks are small, so only runs across chunks need tracking).
 */
async function checkGzipComplete(file: string, display = file): Promise<boolean> {
  const { Writable } = await import('node:stream');
  let sinceBreak = 0;
  let long = false;
  const lastBreak = (chunk: Buffer) => Math.max(chunk.lastIndexOf(0x0a), chunk.lastIndexOf(0x0d));
  try {
    await pipeline(createReadStream(file), createGunzip(), new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (!long) {
          const last = lastBreak(chunk);
          if (last < 0) sinceBreak += chunk.length;
          else {
            const first = Math.min(...[chunk.indexOf(0x0a), chunk.indexOf(0x0d)].filter((i) => i >= 0));
            if (sinceBreak + first >= LONG_LINE_BYTES) long = true;
            sinceBreak = chunk.length - last - 1;
          }
          if (sinceBreak >= LONG_LINE_BYTES) long = true;
        }
        done();
      },
    }));
  } catch (error) {
    throw new AovError('E_BAD_GZIP', `${display}: the gzip file is damaged or truncated (${(error as Error).message}).`, {
      hint: 'Download or export it again; gunzip -t tells whether a file is whole.',
      context: { file: display },
      cause: error,
    });
  }
  return long;
}
