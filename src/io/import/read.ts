/**
 * Step 1 of the import, per file: detect the format (formats.ts), read the CSV (or Parquet,
 * or the joined tables) with DuckDB, every cell as text; detect the decimal mark, the date
 * layout and the currency from a sample (detect.ts); type the cells into the canonical line
 * table (type.ts, which writes the SQL this file runs).
 *
 * Produces, for file i:
 *   lines_i(order_id, date_text, placed_at, customer, item, item_name, qty_text, quantity,
 *     price_text, unit_price, total_text, line_total, cost, profit, currency_text, status,
 *     country, source, subtotal_text, has_subtotal, subtotal, financial_status, cancelled_at,
 *     refunded, payment_method, shipping, segment, ships_nothing -- only those the file can
 *     fill --, [record], h (hash of the cells read))
 *   dups_i(h, first_row)   rows identical to an earlier one
 *   rejects_i, rejects_scan_i   what DuckDB's reader refused
 *   raw_i(c<k> VARCHAR ...)   only for packed line items, Parquet and joined tables
 * and the file's constants (file_index, format, value_level, file_currency, cancel_prefix
 * and a typed NULL for each line column it cannot fill), which the lines views add.
 */
import { AovError, quoteValue } from '../../errors.js';
import { sqlIdent, sqlString, type Engine } from '../engine.js';
import { detectFormat, type Field, type FormatDetection } from '../formats.js';
import type { DateLayout, DecimalMark } from '../locale.js';
import { unpackSql } from '../packed.js';
import { engineReadablePath, splitCsvLine, type SourceFile } from '../source.js';
import { detectLocale } from './detect.js';
import { segmentColumnIndex, typeLines } from './type.js';
import { MAX_PROBLEMS, type FileSummary, type LoadOptions, type Problem } from './types.js';
import { TABLE } from './tables.js';

/** Rows read from the top of a plain CSV to detect its decimal mark, date layout and currency. */
const FUSED_SAMPLE_ROWS = 20000;

/** The read_csv call for one file, or for several files with one layout (one scan). */
export function csvReadSql(readPaths: readonly string[], source: SourceFile, columnsSql: string, index: number, rejects: boolean, longLines = false): string {
  const paths = readPaths.length === 1 ? sqlString(readPaths[0]) : `[${readPaths.map(sqlString).join(', ')}]`;
  return `read_csv(${paths}, auto_detect=false, header=true, ` +
    `delim=${sqlString(source.delimiter)}, quote='"', escape='"', columns=${columnsSql}, ` +
    `compression=${source.gzip ? "'gzip'" : "'none'"}, ` +
    // (the sample read keeps DuckDB's default line size, as 16 MB lines make it fill 256 MB buffers,
    // and is serial, so LIMIT stops it after the first rows instead of scanning ahead in parallel)
    (rejects ? `store_rejects=true, rejects_table='${TABLE.rejects(index)}', rejects_scan='${TABLE.rejectsScan(index)}', ${longLines ? 'max_line_size=16777216, ' : ''}` : 'ignore_errors=true, parallel=false, ') +
    `strict_mode=true, null_padding=false)`;
}

/** What a plain CSV file's header and first rows decide: the columns kept, the locale and the typing SQL. */
export interface FusedPlan {
  detection: FormatDetection;
  /** The header indices of the cells read (c<k>). */
  keep: number[];
  columnsSql: string;
  decimalMark: DecimalMark;
  dateDetection: { layout: DateLayout; evidence: string };
  fileCurrency: string;
  currencyEvidence: string;
  lineTable: ReturnType<typeof typeLines>['lineTable'];
  constants: string;
  /** The constants without file_index: files whose typing SQL and these agree can share one scan. */
  shared: string;
}

/** The columns read, as read_csv's `columns` argument, and the header indices kept. */
function columnsOf(source: StagedSource, detection: FormatDetection, options: LoadOptions) {
  const columnNames = source.header.map((_, i) => `c${i}`);
  const columnsSql = `{${columnNames.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(', ')}}`;
  // Only the columns a field reads are kept: a 79-column Shopify export would otherwise be
  // materialised whole (the reader still checks every row's column count for rejects).
  const segmentIndex = segmentColumnIndex(options.segmentBy, detection.mapping, source.header);
  const needed = [...new Set([...Object.values(detection.mapping), ...(detection.packed?.columns ?? []), ...(segmentIndex >= 0 ? [segmentIndex] : [])])].sort((a, b) => a - b);
  return { columnsSql, segmentIndex, keep: needed.length ? needed : [0] };
}

/** Whether a file is read straight into lines_i (plain CSV), without a raw_i text copy. */
export function isFused(source: StagedSource, detection: FormatDetection): boolean {
  return !source.preloaded && !source.parquet && !detection.packed;
}

/**
 * For a plain CSV (isFused): reads its first rows into raw_i, detects the locale from them and
 * writes the typing SQL, then drops raw_i. The full read comes after (stageFile, or readMany.ts
 * for several files in one scan).
 */
export async function planFused(engine: Engine, source: StagedSource, index: number, options: LoadOptions, keepNames: boolean, detection: FormatDetection): Promise<FusedPlan> {
  const { columnsSql, segmentIndex, keep } = columnsOf(source, detection, options);
  // The detection sample: the first rows of the file (malformed ones skipped here, counted by the full read).
  await engine.run(`CREATE TABLE ${TABLE.raw(index)} AS SELECT ${keep.map((i) => `c${i}`).join(', ')} FROM ${csvReadSql([source.readPath], source, columnsSql, index, false)} LIMIT ${FUSED_SAMPLE_ROWS}`)
    .catch((error: Error) => {
      throw engineReadError(error, source);
    });
  const { decimalMark, dateDetection, fileCurrency, currencyEvidence } = await detectLocale(engine, source, index, detection, options);
  const { lineTable, constants, shared } = typeLines(source, index, detection, options, { keepNames, segmentIndex, decimalMark, dateLayout: dateDetection.layout, fileCurrency });
  await engine.run(`DROP TABLE ${TABLE.raw(index)}`);
  return { detection, keep, columnsSql, decimalMark, dateDetection, fileCurrency, currencyEvidence, lineTable, constants, shared };
}

/** What stageFile (or readMany.ts, per file) returns for one file. */
export interface StagedFile {
  summary: FileSummary;
  rejects: Rejects;
  rejectLines: Set<number>;
  detection: FormatDetection;
  fused: boolean;
  constants: string;
}

/** Reads one file into raw_i (text) and lines_i (canonical typed columns). */
export async function stageFile(engine: Engine, source: StagedSource, index: number, options: LoadOptions, keepNames: boolean): Promise<StagedFile> {
  const detection = detectFormat(source.header, source.display, { format: options.format, map: options.map });
  // Plain CSV (the common case) is read once, straight into the typed lines_i: no text copy
  // of the file is kept. Packed line items, Parquet and joined tables go through raw_i.
  const fused = isFused(source, detection);
  if (fused) {
    const plan = await planFused(engine, source, index, options, keepNames, detection);
    // record = lines_i's rowid: the table keeps the file's row order (preserve_insertion_order).
    // DuckDB's default line size first; only a file with a longer line is read again with
    // 16 MB lines, as that size makes the reader fill 256 MB buffers and halves its speed.
    await readLongLinesAgain(engine, index, (longLines) => engine.run(plan.lineTable(`hash(${plan.keep.map((i) => `c${i}`).join(', ')}) AS h FROM ${csvReadSql([source.readPath], source, plan.columnsSql, index, true, longLines)}`, '')), `${TABLE.lines(index)}`, source.longLines)
      .catch((error: Error) => {
        throw engineReadError(error, source);
      });
    await engine.run(`CREATE TABLE ${TABLE.dups(index)} AS SELECT h, min(rowid) AS first_row FROM ${TABLE.lines(index)} GROUP BY h HAVING count(*) > 1`);
    const rejects = await readRejects(engine, index, source);
    const records = Number((await engine.rows(`SELECT count(*) AS n FROM ${TABLE.lines(index)}`))[0].n);
    return { summary: fileSummary(source, plan, options, records, records, rejects.count), rejects, rejectLines: rejects.lines, detection, fused, constants: plan.constants };
  }
  const { columnsSql, segmentIndex, keep } = columnsOf(source, detection, options);
  const read = source.preloaded
    ? Promise.resolve()
    : source.parquet
    ? engine.run(
        `CREATE TABLE ${TABLE.raw(index)} AS SELECT ${keep.map((i) => `CAST(${sqlIdent(source.header[i])} AS VARCHAR) AS c${i}`).join(', ')} FROM read_parquet(${sqlString(source.readPath)}); ` +
          `CREATE TABLE ${TABLE.rejects(index)} (line BIGINT, error_type VARCHAR, error_message VARCHAR, csv_line VARCHAR)`,
      )
    : readLongLinesAgain(engine, index, (longLines) => engine.run(`CREATE TABLE ${TABLE.raw(index)} AS SELECT ${keep.map((i) => `c${i}`).join(', ')} FROM ${csvReadSql([source.readPath], source, columnsSql, index, true, longLines)}`), `${TABLE.raw(index)}`, source.longLines);
  await read.catch((error: Error) => {
    throw engineReadError(error, source);
  });
  // Packed line items (one record, several lines): unpacked before the sample is read.
  if (detection.packed) await engine.run(unpackSql(index, detection.packed.layout, detection.packed.columns));
  const { decimalMark, dateDetection, fileCurrency, currencyEvidence } = await detectLocale(engine, source, index, detection, options);
  const { lineTable, constants } = typeLines(source, index, detection, options, { keepNames, segmentIndex, decimalMark, dateLayout: dateDetection.layout, fileCurrency });
  await engine.run(
    lineTable(
      `r.rowid AS record, hash(${keep.map((i) => `r.c${i}`).join(', ')}) AS h${detection.packed ? ', p.position AS packed_position' : ''} FROM ${TABLE.raw(index)} r` +
        (detection.packed ? ` LEFT JOIN ${TABLE.packed(index)} p ON p.record = r.rowid` : ''),
      'record',
      detection.packed ? ' ORDER BY record, packed_position' : '',
    ),
  );
  await engine.run(`CREATE TABLE ${TABLE.dups(index)} AS SELECT h, min(record) AS first_row FROM ${TABLE.lines(index)} GROUP BY h HAVING count(*) > 1`);
  const rejects = await readRejects(engine, index, source);
  // With packed line items a record becomes several lines: rows are then counted as lines.
  const records = Number((await engine.rows(`SELECT count(*) AS n FROM ${TABLE.raw(index)}`))[0].n);
  const lineCount = detection.packed ? Number((await engine.rows(`SELECT count(*) AS n FROM ${TABLE.lines(index)}`))[0].n) : records;
  const plan = { detection, decimalMark, dateDetection, fileCurrency, currencyEvidence };
  return { summary: fileSummary(source, plan, options, records, lineCount, rejects.count), rejects, rejectLines: rejects.lines, detection, fused, constants };
}

/** A file's FileSummary: what was detected and how many rows it has (lines read + rows the reader refused). */
export function fileSummary(
  source: SourceFile,
  plan: Pick<FusedPlan, 'detection' | 'decimalMark' | 'dateDetection' | 'fileCurrency' | 'currencyEvidence'>,
  options: LoadOptions,
  records: number,
  lineCount: number,
  rejected: number,
): FileSummary {
  const { detection } = plan;
  const columns: Partial<Record<Field, string>> = {};
  for (const [field, i] of Object.entries(detection.mapping) as [Field, number][]) columns[field] = source.header[i];
  return {
    file: source.display,
    format: detection.format,
    formatEvidence: detection.evidence,
    encoding: source.encoding,
    delimiter: source.delimiter,
    decimalMark: plan.decimalMark,
    dateFormat: plan.dateDetection.layout.name,
    dateEvidence: plan.dateDetection.evidence,
    currency: plan.fileCurrency,
    currencyEvidence: plan.currencyEvidence,
    columns,
    rows: lineCount + rejected,
    valueDefinition: options.value === 'total' && detection.valueLevel === 'order'
      ? 'order total (including shipping and tax), as --value total asks'
      : detection.valueDefinition,
    hasLineItems: detection.hasLineItems,
    unpacked: detection.packed ? { records, lines: lineCount } : undefined,
  };
}

/**
 * Runs a CSV read that stores its rejects with DuckDB's default line size, and again with
 * 16 MB lines only when a line was longer: that size makes the reader fill 256 MB buffers
 * and halves its speed (measured at 1M lines: 2.0 s -> 1.0 s for the scan).
 */
export async function readLongLinesAgain(engine: Engine, index: number, read: (longLines: boolean) => Promise<void>, table: string, knownLong = false): Promise<void> {
  // A line longer than the default buffer is skipped without a reject: a file known to hold
  // a long line (source.longLines) is read with 16 MB lines at once.
  if (knownLong) return read(true);
  await read(false);
  const overLong = await engine.rows(`SELECT count(*) AS n FROM ${TABLE.rejects(index)} WHERE error_type = 'LINE SIZE OVER MAXIMUM'`);
  if (Number(overLong[0].n) === 0) return;
  await engine.run(`DROP TABLE ${table}; DROP TABLE ${TABLE.rejects(index)}; DROP TABLE ${TABLE.rejectsScan(index)}`);
  await read(true);
}

/** A source file, or a Parquet file read natively by the engine (all columns cast to text). */
export type StagedSource = SourceFile & { parquet?: boolean; preloaded?: boolean };

export async function isParquet(file: string): Promise<boolean> {
  const { open } = await import('node:fs/promises');
  try {
    const handle = await open(file, 'r');
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    await handle.close();
    return magic.toString('latin1') === 'PAR1';
  } catch {
    return false;
  }
}

export async function parquetSource(engine: Engine, file: string, workDir: string, display = file): Promise<StagedSource> {
  const readPath = await engineReadablePath(file, workDir);
  const columns = await engine.rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(readPath)})`).catch((error: Error) => {
    throw new AovError('E_BAD_ROW', `${display}: not a readable Parquet file (${error.message.split('\n')[0]}).`, { context: { file: display } });
  });
  const { stat } = await import('node:fs/promises');
  return {
    display, readPath, gzip: false, encoding: 'utf-8', delimiter: '', parquet: true,
    header: columns.map((c) => String(c.column_name)), bytes: (await stat(file)).size,
  };
}

/** What the CSV reader refused in one file: how many rows, their lines, and the first few as problems. */
export interface Rejects {
  count: number;
  examples: Problem[];
  lines: Set<number>;
}

/**
 * Rows the CSV reader itself refused (wrong column count, unterminated quote ...), from
 * rejects_i; `fileId` picks one file of a scan of several (rejects_i.file_id, its position in
 * the scan's list; its lines are that file's own).
 */
export async function readRejects(engine: Engine, index: number, source: SourceFile, fileId?: number): Promise<Rejects> {
  const rows = await engine.rows(
    `SELECT line, min(error_type) AS error_type, min(error_message) AS message, min(csv_line) AS csv_line ` +
      `FROM ${TABLE.rejects(index)}${fileId === undefined ? '' : ` WHERE file_id = ${fileId}`} GROUP BY line ORDER BY line`,
  );
  const lines = new Set(rows.map((r) => Number(r.line)));
  const examples: Problem[] = rows.slice(0, MAX_PROBLEMS).map((r) => {
    const type = String(r.error_type);
    const message =
      type === 'TOO MANY COLUMNS' || type === 'TOO FEW COLUMNS' || type === 'MISSING COLUMNS'
        ? columnCountMessage(String(r.message), r.csv_line === null ? undefined : String(r.csv_line), source.delimiter, type)
        : type === 'LINE SIZE OVER MAXIMUM'
          ? `the line is longer than 16 MB${lineSize(String(r.message))}: not an order row`
        : type === 'UNQUOTED VALUE'
          ? 'a quote opens a field and is never closed (the rest of the file was read into that field)'
          : quoteValue(String(r.message), 160);
    return {
      reason: 'malformedRow' as const,
      file: source.display,
      line: Number(r.line),
      message: `${source.display}:${Number(r.line)}: ${message}`,
    };
  });
  return { count: rows.length, examples, lines };
}

/**
 * "expected 5000 columns, found 7 (too few columns)". The cells are counted from the line
 * itself: DuckDB reports one error per missing column, each with a different "Found".
 */
function columnCountMessage(message: string, line: string | undefined, delimiter: string, type: string): string {
  const expected = /Expected Number of Columns: (\d+)/.exec(message)?.[1];
  const found = line !== undefined ? splitCsvLine(line, delimiter).length : Number(/Found: (\d+)/.exec(message)?.[1]);
  return `expected ${expected} columns, found ${found} (${type === 'TOO MANY COLUMNS' ? 'too many columns' : 'too few columns'})`;
}

/** " (200 MB)" from DuckDB's "Actual Size:209715200 bytes", or "". */
function lineSize(message: string): string {
  const bytes = /Actual Size:\s*(\d+)/.exec(message)?.[1];
  return bytes ? ` (${Math.round(Number(bytes) / 1048576)} MB)` : '';
}

export function engineReadError(error: Error, source: SourceFile): AovError {
  if (error instanceof AovError) return error;
  const text = error.message;
  if (/gzip|compress|inflate|zlib/i.test(text)) {
    return new AovError('E_BAD_GZIP', `${source.display}: the gzip file is damaged or truncated.`, {
      hint: 'Download or export it again; gunzip -t tells whether a file is whole.',
      context: { file: source.display },
      cause: error,
    });
  }
  if (/unicode|utf-?8|encoding/i.test(text)) {
    return new AovError('E_BAD_ENCODING', `${source.display}: invalid UTF-8 after the first megabyte (${quoteValue(text.split('\n')[0])}).`, {
      hint: 'Save the export as UTF-8, or as one encoding throughout.',
      context: { file: source.display },
      cause: error,
    });
  }
  if (/maximum line size/i.test(text)) {
    return new AovError('E_BAD_ROW', `${source.display}: a line is longer than 16 MB.`, {
      hint: 'This is not an order export row; check the file or the delimiter.',
      context: { file: source.display },
      cause: error,
    });
  }
  return new AovError('E_BAD_ROW', `${source.display}: could not be read as CSV (${quoteValue(text.split('\n')[0])}).`, {
    hint: 'Check the delimiter (--delimiter) and that the file is a CSV export.',
    context: { file: source.display },
    cause: error,
  });
}
