/**
 * Many small exports with one header (a folder of daily or per-order files) are read as one
 * file: each file costs the engine about ten statements and every file adds a branch to the
 * union the classification reads, so 1,000 one-row files took 55 s and 10,000 over 600 s.
 * They are concatenated (one header, then each file's rows) into the work folder, and every
 * line of the combined file maps back to its own file and line for messages.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Files larger than this are read on their own (copying them would cost more than it saves). */
const SMALL_FILE_BYTES = 4 * 1024 * 1024;
/** Fewer files than this are read one by one. */
const MIN_FILES_TO_COMBINE = 8;

/** One original file inside a combined file: its rows start at combined line `firstLine`. */
export interface CombinedPart {
  file: string;
  /** The combined file's line of this file's line 2 (its first row). */
  firstLine: number;
  /** Physical lines of this file after its header. */
  lines: number;
}

export interface CombinedInput {
  /** The combined file in the work folder. */
  path: string;
  /** How messages name it before lines are mapped back: "a.csv (+N files)". */
  display: string;
  parts: CombinedPart[];
}

export interface InputPlan {
  /** Files read on their own, in order. */
  single: string[];
  /** Groups of small files with the same header, each read as one file. */
  combined: CombinedInput[];
}

/**
 * Splits the inputs into files read on their own and groups of small plain UTF-8 files with
 * byte-identical headers and balanced quotes (an unclosed quote would run into the next file).
 */
export async function planInputs(files: readonly string[], workDir: string, eligible: (file: string) => boolean): Promise<InputPlan> {
  const byHeader = new Map<string, { file: string; body: Buffer }[]>();
  const single: string[] = [];
  for (const file of files) {
    const content = eligible(file) ? await smallPlainText(file) : undefined;
    const split = content ? splitHeader(content) : undefined;
    if (!split) {
      single.push(file);
      continue;
    }
    const group = byHeader.get(split.header) ?? [];
    group.push({ file, body: split.body });
    byHeader.set(split.header, group);
  }
  const combined: CombinedInput[] = [];
  for (const [header, group] of byHeader) {
    if (group.length < MIN_FILES_TO_COMBINE) {
      single.push(...group.map((g) => g.file));
      continue;
    }
    const parts: CombinedPart[] = [];
    const chunks: Buffer[] = [Buffer.from(`${header}\n`)];
    let line = 2;
    for (const { file, body } of group) {
      const lines = countLines(body);
      parts.push({ file, firstLine: line, lines });
      chunks.push(body);
      if (body.length && body[body.length - 1] !== 0x0a && body[body.length - 1] !== 0x0d) chunks.push(Buffer.from('\n'));
      line += lines;
    }
    const target = path.join(workDir, `combined-${combined.length}.csv`);
    await fs.writeFile(target, Buffer.concat(chunks));
    combined.push({ path: target, display: `${group[0].file} (+${group.length - 1} files with the same header)`, parts });
  }
  // Files read on their own keep the order they were given in.
  single.sort((a, b) => files.indexOf(a) - files.indexOf(b));
  return { single, combined };
}

/** The file's bytes when it is small, not gzip, valid as plain text (no BOM, no NUL) and its quotes balance. */
async function smallPlainText(file: string): Promise<Buffer | undefined> {
  const stat = await fs.stat(file);
  if (!stat.isFile() || stat.size === 0 || stat.size > SMALL_FILE_BYTES) return undefined;
  const bytes = await fs.readFile(file);
  if ((bytes[0] === 0x1f && bytes[1] === 0x8b) || bytes[0] === 0xef || bytes[0] === 0xff || bytes[0] === 0xfe || bytes.includes(0)) return undefined;
  let quotes = 0;
  for (let i = bytes.indexOf(0x22); i >= 0; i = bytes.indexOf(0x22, i + 1)) quotes++;
  if (quotes % 2 !== 0) return undefined;
  // Only UTF-8 (or ASCII) files: another encoding is transcoded per file.
  if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) return undefined;
  return bytes;
}

/** The header line (without its ending) and the rest; undefined when the header holds a quote (it may span lines). */
function splitHeader(bytes: Buffer): { header: string; body: Buffer } | undefined {
  const lf = bytes.indexOf(0x0a);
  const cr = bytes.indexOf(0x0d);
  const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  if (end < 0) return undefined;
  const header = bytes.subarray(0, end).toString('utf8');
  if (header.includes('"')) return undefined;
  const skip = bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? 2 : 1;
  return { header, body: bytes.subarray(end + skip) };
}

/** Physical lines, counted as the engine and locateRecords count them (CRLF once, a lone CR or LF once). */
export function countLines(bytes: Buffer): number {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) lines++;
    else if (b === 0x0d) {
      lines++;
      if (bytes[i + 1] === 0x0a) i++;
    }
  }
  // A last line without an ending is a line too.
  const last = bytes[bytes.length - 1];
  return bytes.length && last !== 0x0a && last !== 0x0d ? lines + 1 : lines;
}

/** The original file and line of a combined file's line. */
export function originalLine(input: CombinedInput, line: number): { file: string; line: number } {
  let low = 0;
  let high = input.parts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (input.parts[mid].firstLine <= line) low = mid;
    else high = mid - 1;
  }
  const part = input.parts[low];
  return { file: part.file, line: line - part.firstLine + 2 };
}
