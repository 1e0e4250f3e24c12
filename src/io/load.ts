/**
 * Import: files -> typed orders. Every CSV is read by DuckDB with all columns as text,
 * then typed in SQL, so a bad value becomes a counted, reported rejection rather than a
 * crash or a silent NULL. Every record read ends in exactly one of: used, excluded (by
 * reason) or rejected (by reason).
 */
import { reasonLabel } from './reasons.js';
import { AovError, quoteValue } from '../errors.js';
import type { OrderTable } from '../analysis/types.js';
import { AMBIGUOUS_SYMBOLS, NO_CURRENCY, currencyCodes, currencyDecimals, currencyOfCountry, isCurrencyCode, withdrawnCurrency } from './currency.js';
import { openEngine, sqlIdent, sqlString, type Engine } from './engine.js';
import { detectFormat, normaliseHeader, type ColumnMapping, type Field, type FormatDetection, type FormatName } from './formats.js';
import { CLASSIFIED_LINES, readBaskets, type BasketOptions, type BasketResult } from './baskets.js';
import { cacheKey, findEntry, removeEntry, writeEntry, type CacheKey } from './cache.js';
import { formatMessages } from '../report/messages.js';
import { locateRecords } from './lines.js';
import { unpackSql } from './packed.js';
import { stageJoinedTables, type TableFiles } from './multiTable.js';
import {
  amountSql, currencyOfSymbol, dateSql, detectDateLayout, detectDecimalMark, isAmbiguousSymbol, splitCurrency,
  type DateOrder, type DecimalMark,
} from './locale.js';
import { displayName, isStream, splitCsvLine, makeWorkDir, materialise, normaliseLineEndings, prepareSource, resolveInputs, type SourceFile } from './source.js';
import { originalLine, planInputs, type CombinedInput } from './combine.js';

export interface LoadOptions {
  format?: FormatName;
  /** Also return each table's customer keys (emails, guest keys): only NPS matching needs them. */
  customerKeys?: boolean;
  map?: Partial<Record<Field, string>>;
  /** Order value: 'subtotal' (merchandise after discounts; the default) or 'total' (Shopify Total). */
  value?: 'subtotal' | 'total';
  currency?: string;
  dateFormat?: DateOrder;
  delimiter?: string;
  decimal?: DecimalMark;
  strict?: boolean;
  /** IANA time zone: timestamps with an offset are converted to its wall-clock time. */
  tz?: string;
  /** A field name or header whose value per order is loaded as the `segment` column (--by). */
  segmentBy?: string;
  /** Called with what the import is doing, for a progress line on long runs. */
  onProgress?: (phase: string) => void;
  /** Unit costs by item label (major units), from --costs: used where the export has no cost column. */
  itemCosts?: ReadonlyMap<string, number>;
  /** A multi-table export (orders + items [+ products]) instead of line files. */
  tables?: TableFiles;
  /**
   * Exclude rows identical to an earlier row in every cell read. Default: on for Shopify
   * (a line item appears once per order), off for generic line files, where a repeated line
   * can be a real second scan (UCI Online Retail has thousands): there they are only counted.
   */
  dedupe?: boolean;
  /** The engine's memory cap (DuckDB memory_limit, e.g. "512MB"), from --memory. */
  memory?: string;
  /** Read and write the import cache (default true; --no-cache turns it off). See cache.ts. */
  cache?: boolean;
}

/** Why a row was not used although it could be read (in words: reasons.ts). */
export type ExclusionReason =
  | 'duplicateRow' | 'overlappingOrder' | 'test' | 'voided' | 'cancelled' | 'failed' | 'refunded' | 'pending' | 'nonPositiveQuantity' | 'nonPositivePrice' | 'zeroValue';
/** Why a row could not be read. */
export type RejectionReason =
  | 'malformedRow' | 'missingOrderId' | 'badDate' | 'missingDate' | 'badQuantity' | 'badPrice' | 'missingPrice' | 'badCurrency' | 'unknownCurrency'
  | 'currencyMismatch';

export interface Problem {
  reason: RejectionReason;
  file: string;
  line?: number;
  column?: string;
  value?: string;
  message: string;
}

export interface FileSummary {
  file: string;
  format: FormatName;
  formatEvidence: string;
  encoding: string;
  delimiter: string;
  decimalMark: DecimalMark;
  dateFormat: string;
  dateEvidence: string;
  currency: string;
  currencyEvidence: string;
  columns: Partial<Record<Field, string>>;
  rows: number;
  valueDefinition: string;
  hasLineItems: boolean;
  /** Packed formats: how many records were unpacked into how many line rows. */
  unpacked?: { records: number; lines: number };
}

export interface InputSummary {
  files: string[];
  format: FormatName | 'mixed';
  perFile: FileSummary[];
  valueDefinition: string;
  rows: number;
  rowsUsed: number;
  rowsExcluded: number;
  excluded: Partial<Record<ExclusionReason, number>>;
  excludedOrders: Partial<Record<ExclusionReason, number>>;
  rejected: number;
  rejectedByReason: Partial<Record<RejectionReason, number>>;
  /** The first few rejected rows, with file, line and column. */
  problems: Problem[];
  orders: number;
  notes: string[];
}

export interface LoadResult {
  input: InputSummary;
  tables: OrderTable[];
  /** Present when asked for with `extras.baskets`. */
  baskets?: BasketResult;
}

export interface LoadExtras {
  baskets?: BasketOptions;
  /** Only the baskets are wanted: the per-order tables stay in DuckDB (tables is then empty). */
  basketsOnly?: boolean;
}

const MAX_PROBLEMS = 10;
/** The orders of order_values that are counted: those with used lines and a positive value. */
const COUNTED = '(NOT value <= 0 OR value IS NULL)';
const SAMPLE_ROWS = 2000;
/** Rows read from the top of a plain CSV to detect its decimal mark, date layout and currency. */
const FUSED_SAMPLE_ROWS = 20000;

/** Line-level columns every canonical line table has, in this order. */
const LINE_COLUMNS = [
  'order_id', 'date_text', 'placed_at', 'customer', 'item', 'item_name', 'qty_text', 'quantity', 'price_text',
  'unit_price', 'total_text', 'line_total', 'cost', 'profit', 'currency_text', 'status', 'country', 'source',
  'subtotal_text', 'has_subtotal', 'subtotal', 'financial_status', 'cancelled_at', 'refunded', 'payment_method', 'shipping', 'segment',
  'ships_nothing',
] as const;

/** What the lines views put in a line column that a file cannot fill. */
const LINE_COLUMN_NULLS: Record<(typeof LINE_COLUMNS)[number], string> = {
  order_id: 'NULL::VARCHAR', date_text: 'NULL::VARCHAR', placed_at: 'NULL::TIMESTAMP', customer: 'NULL::VARCHAR', item: 'NULL::VARCHAR',
  item_name: 'NULL::VARCHAR', qty_text: 'NULL::VARCHAR', quantity: '1::DECIMAL(18,6)', price_text: 'NULL::VARCHAR', unit_price: 'NULL::DECIMAL(18,6)',
  total_text: 'NULL::VARCHAR', line_total: 'NULL::DECIMAL(18,6)', cost: 'NULL::DECIMAL(18,6)', profit: 'NULL::DECIMAL(18,6)',
  currency_text: 'NULL::VARCHAR', status: 'NULL::VARCHAR', country: 'NULL::VARCHAR', source: 'NULL::VARCHAR', subtotal_text: 'NULL::VARCHAR',
  has_subtotal: 'false', subtotal: 'NULL::DECIMAL(18,6)', financial_status: 'NULL::VARCHAR', cancelled_at: 'NULL::VARCHAR',
  refunded: 'NULL::DECIMAL(18,6)', payment_method: 'NULL::VARCHAR', shipping: 'NULL::DECIMAL(18,6)', segment: 'NULL::VARCHAR',
  ships_nothing: 'false',
};

/** The exclusion rules, in the order they are applied (the first that fits names the reason). */
/**
 * Order statuses that do not count, by class (lower-cased; WooCommerce's "wc-" prefix is
 * removed). Platforms and languages: WooCommerce, Magento ("closed" = refunded, "holded"),
 * PrestaShop in English, French, Italian and Spanish. Anything else (completed, processing,
 * paid, shipped, delivered ...) counts.
 */
const STATUS_CLASSES: Record<'cancelled' | 'failed' | 'refunded' | 'pending', string> = {
  cancelled: '^(cancelled|canceled|annulé|annule|annullato|cancelado|storniert|kansellert|avbrutt|annulleret|makulerad|avbruten|geannuleerd|void|voided|trash)$',
  failed: '^(failed|fraud|declined|payment error|erreur de paiement|errore di pagamento|error en (el )?pago|zahlungsfehler)',
  refunded: '^(refunded|closed|remboursé|rembourse|rimborsato|reembolsado|erstattet|refusjon)',
  pending: '^(pending|on-hold|on hold|holded|payment_review|pending_payment|draft|checkout-draft|awaiting|en attente|in attesa|en espera|ausstehend)',
};

export async function loadOrders(patterns: readonly string[], options: LoadOptions = {}, extras: LoadExtras = {}): Promise<LoadResult> {
  const work = await makeWorkDir();
  // Large inputs get a disk-backed engine with bounded memory (see EngineOptions).
  // AOV_ENGINE=memory|disk overrides the choice (for measuring).
  const large = process.env.AOV_ENGINE ? process.env.AOV_ENGINE === 'disk' : (await inputBytes(patterns)) > LARGE_INPUT_BYTES;
  // --memory caps the engine (it spills to the work folder beyond the cap).
  const engine = await openEngine(large || options.memory ? { spillDir: work.dir, memoryLimit: options.memory } : {});
  try {
    const joinedNotes: string[] = [];
    if (options.tz) {
      const known = await engine.rows(`SELECT count(*) AS n FROM pg_timezone_names() WHERE name = ${sqlString(options.tz)}`);
      if (Number(known[0].n) === 0) {
        throw new AovError('E_USAGE', `--tz ${options.tz} is not a time zone name.`, { hint: 'Use an IANA name such as Europe/Rome, America/New_York or UTC.' });
      }
    }
    const files = options.tables
      ? [`${options.tables.orders} + ${options.tables.items}`]
      : await resolveInputs(patterns, async (pattern) =>
          (await engine.rows(`SELECT file FROM glob(${sqlString(pattern)})`)).map((r) => String(r.file)),
        joinedNotes);
    // A cached import of the same files with the same options (see cache.ts).
    const key = options.cache === false ? undefined : await cacheKey(options.tables ? tableFiles(options.tables) : files, cacheKeyOptions(options));
    if (key) {
      const served = await fromCache(engine, key, options, extras, large);
      if (served) return served;
    }
    // Many small files with one header are read as one combined file (see combine.ts).
    const inputs: { file: string; combined?: CombinedInput }[] = [];
    if (options.tables) inputs.push({ file: files[0] });
    else {
      const plan = await planInputs(files, work.dir, (file) => !isStream(file));
      const firstOf = new Map(plan.combined.map((c) => [c.parts[0].file, c]));
      const grouped = new Set(plan.combined.flatMap((c) => c.parts.map((p) => p.file)));
      for (const file of files) {
        if (firstOf.has(file)) inputs.push({ file: firstOf.get(file)!.path, combined: firstOf.get(file) });
        else if (!grouped.has(file)) inputs.push({ file });
      }
      for (const c of plan.combined) joinedNotes.push(`${c.parts.length} files with the same header were read as one: ${c.parts[0].file} ... ${c.parts[c.parts.length - 1].file}.`);
    }
    const summaries: FileSummary[] = [];
    const sources: SourceFile[] = [];
    const rejectedLines: Set<number>[] = [];
    const fusedFiles: boolean[] = [];
    const fileConstants: string[] = [];
    let malformed: Problem[] = [];
    let malformedCount = 0;
    for (let i = 0; i < inputs.length; i++) {
      let source: StagedSource;
      if (options.tables) {
        await resolveInputs([options.tables.orders, options.tables.items, ...(options.tables.products ? [options.tables.products] : [])], async () => []);
        const staged = await stageJoinedTables(engine, options.tables, i, work.dir);
        joinedNotes.push(...staged.notes);
        source = { display: files[i], readPath: '', gzip: false, encoding: 'utf-8', delimiter: ',', header: staged.header, bytes: 0, preloaded: true };
      } else {
        const { file, combined } = inputs[i];
        const readable = await materialise(file, work.dir);
        source = (await isParquet(readable)) ? await parquetSource(engine, readable) : await prepareSource(readable, work.dir, options.delimiter, combined?.display ?? displayName(file));
      }
      options.onProgress?.(`reading ${source.display}`);
      let staged;
      try {
        staged = await stageFile(engine, source, i, options, !!extras.baskets);
      } catch (error) {
        // Line endings that change midway (CRLF, then LF) stop DuckDB's reader: read a copy
        // with one kind of ending (line numbers are unchanged) and say so.
        if (!(error instanceof AovError) || !/state machine reached an invalid state/.test(String((error.cause as Error | undefined)?.message))) throw error;
        await engine.run(`DROP TABLE IF EXISTS raw_${i}; DROP TABLE IF EXISTS lines_${i}; DROP TABLE IF EXISTS rejects_${i}; DROP TABLE IF EXISTS rejects_scan_${i}; DROP TABLE IF EXISTS packed_${i}`);
        source = { ...source, readPath: await normaliseLineEndings(source.readPath, source.gzip, work.dir), gzip: false };
        joinedNotes.push(`${source.display}: its line endings change within the file (CRLF and LF); each is read as a line break.`);
        staged = await stageFile(engine, source, i, options, !!extras.baskets);
      }
      sources.push(source);
      const { summary, rejects, rejectLines, fused, constants } = staged;
      fusedFiles.push(fused);
      fileConstants.push(constants);
      summaries.push(summary);
      rejectedLines.push(rejectLines);
      malformedCount += rejects.count;
      malformed = malformed.concat(rejects.examples);
    }
    // lines: every file's lines with their record number; lines_flagged adds the duplicate flag.
    await engine.run(`CREATE VIEW lines AS ${inputs.map((_, i) => `SELECT *, ${fileConstants[i]}${fusedFiles[i] ? ', rowid AS record' : ''} FROM lines_${i}`).join(' UNION ALL BY NAME ')}`);
    await engine.run(
      `CREATE VIEW lines_flagged AS ${inputs
        .map((_, i) => `SELECT l.*, ${fileConstants[i]}${fusedFiles[i] ? ', l.rowid AS record' : ''}, d.h IS NOT NULL AND ${fusedFiles[i] ? 'l.rowid' : 'l.record'} <> d.first_row AS duplicate FROM lines_${i} l LEFT JOIN dups_${i} d ON d.h = l.h`)
        .join(' UNION ALL BY NAME ')}`,
    );

    options.onProgress?.(`classifying ${summaries.reduce((a, f) => a + f.rows, 0).toLocaleString('en-US')} rows`);
    await classify(engine, summaries, options);
    // Everything downstream reads `classified`: free the per-file tables (large exports).
    await engine.run(`DROP VIEW lines; DROP VIEW lines_flagged; ${inputs.map((_, i) => `DROP TABLE lines_${i}; DROP TABLE dups_${i}; DROP TABLE IF EXISTS raw_${i};`).join(' ')}`);
    const input = await account(engine, summaries, malformedCount);
    input.problems = (await describeProblems(engine, sources, summaries, rejectedLines, malformed)).map((problem) => {
      const combined = inputs.find((c) => c.combined?.display === problem.file)?.combined;
      if (!combined || problem.line === undefined) return problem;
      const original = originalLine(combined, problem.line);
      return { ...problem, file: original.file, line: original.line, message: problem.message.replace(`${problem.file}:${problem.line}`, `${original.file}:${original.line}`) };
    });
    input.files = files.map(displayName);
    if (options.strict && input.rejected > 0) {
      const first = input.problems[0];
      throw new AovError('E_STRICT', `--strict: ${input.rejected} row(s) could not be read; the first: ${first ? first.message : 'see the summary'}.`, {
        hint: 'Fix the rows named, or drop --strict to count and skip them.',
        context: first ? { file: first.file, line: first.line, column: first.column } : {},
      });
    }
    if (input.rows === 0) {
      throw new AovError('E_NO_DATA', `${files.join(', ')}: a header but no rows.`, {
        hint: 'Export the orders again with a date range that holds orders.',
        context: { file: files[0] },
      });
    }
    options.onProgress?.('building orders');
    input.orders = await buildOrdersTable(engine, !!extras.baskets);
    if (input.orders === 0) {
      throw new AovError('E_NO_DATA', `${files.join(', ')}: no usable orders in ${input.rows.toLocaleString('en-US')} row(s) (${describeCounts({ ...input.excluded, ...input.rejectedByReason })}).`, {
        hint: input.problems[0] ? `First problem: ${input.problems[0].message}` : 'Every order was excluded; see the reasons above.',
        context: { file: files[0] },
      });
    }
    input.notes.unshift(...joinedNotes);
    input.valueDefinition = [...new Set(summaries.map((f) => f.valueDefinition))].join('; ');
    if (key) {
      const failure = await writeEntry(engine, key, input, extras.baskets ? CLASSIFIED_LINES : undefined);
      if (failure) process.stderr.write(formatMessages('warning', [failure]));
    }
    const { tables } = await readOrderTables(engine, options, large, !(extras.basketsOnly && extras.baskets));
    if (extras.baskets) options.onProgress?.('building baskets');
    const baskets = extras.baskets ? await readBaskets(engine, basketFormat(summaries), extras.baskets) : undefined;
    return { input, tables, baskets };
  } finally {
    options.onProgress?.('');
    engine.close();
    await work.cleanup();
  }
}

/** How baskets name the format (Online Retail has its own non-product items). */
function basketFormat(summaries: readonly FileSummary[]): string {
  return summaries[0].format === 'lines' && summaries[0].columns.order === 'InvoiceNo' ? 'onlineRetail' : summaries[0].format;
}

const tableFiles = (tables: TableFiles) => [tables.orders, tables.items, ...(tables.products ? [tables.products] : [])];

/**
 * Every option that changes what an import produces, normalised for the cache key. Not in
 * it: onProgress, memory (where the engine spills, not what it computes) and customerKeys
 * (read from the cached orders). The process's time zone is, in case a date ever depends on it.
 */
function cacheKeyOptions(options: LoadOptions): Record<string, unknown> {
  return {
    multiTable: !!options.tables,
    format: options.format ?? null,
    map: options.map ? Object.entries(options.map).sort(([a], [b]) => a.localeCompare(b)) : null,
    value: options.value ?? 'subtotal',
    currency: options.currency?.toUpperCase() ?? null,
    dateFormat: options.dateFormat ?? null,
    delimiter: options.delimiter ?? null,
    decimal: options.decimal ?? null,
    strict: !!options.strict,
    tz: options.tz ?? null,
    segmentBy: options.segmentBy ?? null,
    itemCosts: options.itemCosts ? [...options.itemCosts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null,
    dedupe: options.dedupe ?? null,
    processTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

/**
 * The import from the cache: the orders (and the counted lines, for baskets) read from
 * Parquet while their SHA-256 is checked; undefined (and the entry dropped) when there is
 * no whole, current entry, so the caller imports the files.
 */
async function fromCache(engine: Engine, key: CacheKey, options: LoadOptions, extras: LoadExtras, large: boolean): Promise<LoadResult | undefined> {
  const hit = await findEntry<InputSummary>(key, !!extras.baskets);
  if (!hit) return undefined;
  options.onProgress?.(`reading the cached import of ${hit.manifest.input.files.join(', ')}`);
  const read = async () => {
    await engine.run(`CREATE TABLE orders AS SELECT * FROM read_parquet(${sqlString(hit.orders)})`);
    if (extras.baskets) await engine.run(`CREATE TABLE cached_lines AS SELECT * FROM read_parquet(${sqlString(hit.lines!)})`);
    return true;
  };
  const [whole, readable] = await Promise.all([hit.verify(), read().catch(() => false)]);
  if (!whole || !readable) {
    await engine.run('DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS cached_lines');
    await removeEntry(hit.dir);
    return undefined;
  }
  const input = hit.manifest.input;
  const { tables } = await readOrderTables(engine, options, large, !(extras.basketsOnly && extras.baskets));
  if (extras.baskets) options.onProgress?.('building baskets');
  const baskets = extras.baskets ? await readBaskets(engine, basketFormat(input.perFile), extras.baskets, 'SELECT * FROM cached_lines') : undefined;
  return { input, tables, baskets };
}

/** Inputs above this size (compressed files count 4x) run with a disk-backed engine. */
const LARGE_INPUT_BYTES = 256 * 1024 * 1024;

async function inputBytes(patterns: readonly string[]): Promise<number> {
  const { stat } = await import('node:fs/promises');
  let total = 0;
  for (const p of patterns) {
    try {
      const s = await stat(p);
      total += p.endsWith('.gz') ? s.size * 4 : s.size;
    } catch {
      // Globs and missing files are resolved (and reported) later.
    }
  }
  return total;
}

export function describeCounts(counts: Record<string, number | undefined>): string {
  return Object.entries(counts)
    .filter(([, n]) => n)
    .map(([reason, n]) => `${reasonLabel(reason)} ${n!.toLocaleString('en-US')}`)
    .join(', ');
}

/** Reads one file into raw_i (text) and lines_i (canonical typed columns). */
async function stageFile(engine: Engine, source: StagedSource, index: number, options: LoadOptions, keepNames: boolean) {
  const detection = detectFormat(source.header, source.display, { format: options.format, map: options.map });
  const seen = new Map<string, number>();
  const columnNames = source.header.map((_, i) => `c${i}`);
  const columnsSql = `{${columnNames.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(', ')}}`;
  for (const name of source.header) seen.set(name, (seen.get(name) ?? 0) + 1);
  // Only the columns a field reads are kept: a 79-column Shopify export would otherwise be
  // materialised whole (the reader still checks every row's column count for rejects).
  const segmentIndex = segmentColumnIndex(options.segmentBy, detection.mapping, source.header);
  const needed = [...new Set([...Object.values(detection.mapping), ...(detection.packed?.columns ?? []), ...(segmentIndex >= 0 ? [segmentIndex] : [])])].sort((a, b) => a - b);
  const keep = needed.length ? needed : [0];
  // Plain CSV (the common case) is read once, straight into the typed lines_i: no text copy
  // of the file is kept. Packed line items, Parquet and joined tables go through raw_i.
  const fused = !source.preloaded && !source.parquet && !detection.packed;
  const readCsv = (rejects: boolean, longLines = false) =>
    `read_csv(${sqlString(source.readPath)}, auto_detect=false, header=true, ` +
    `delim=${sqlString(source.delimiter)}, quote='"', escape='"', columns=${columnsSql}, ` +
    `compression=${source.gzip ? "'gzip'" : "'none'"}, ` +
    // (the sample read keeps DuckDB's default line size, as 16 MB lines make it fill 256 MB buffers,
    // and is serial, so LIMIT stops it after the first rows instead of scanning ahead in parallel)
    (rejects ? `store_rejects=true, rejects_table='rejects_${index}', rejects_scan='rejects_scan_${index}', ${longLines ? 'max_line_size=16777216, ' : ''}` : 'ignore_errors=true, parallel=false, ') +
    `strict_mode=true, null_padding=false)`;
  const read = source.preloaded
    ? Promise.resolve()
    : source.parquet
    ? engine.run(
        `CREATE TABLE raw_${index} AS SELECT ${keep.map((i) => `CAST(${sqlIdent(source.header[i])} AS VARCHAR) AS c${i}`).join(', ')} FROM read_parquet(${sqlString(source.readPath)}); ` +
          `CREATE TABLE rejects_${index} (line BIGINT, error_type VARCHAR, error_message VARCHAR, csv_line VARCHAR)`,
      )
    : fused
    ? // The detection sample: the first rows of the file (malformed ones skipped here, counted by the full read).
      engine.run(`CREATE TABLE raw_${index} AS SELECT ${keep.map((i) => `c${i}`).join(', ')} FROM ${readCsv(false)} LIMIT ${FUSED_SAMPLE_ROWS}`)
    : readLongLinesAgain(engine, index, (longLines) => engine.run(`CREATE TABLE raw_${index} AS SELECT ${keep.map((i) => `c${i}`).join(', ')} FROM ${readCsv(true, longLines)}`), `raw_${index}`, source.longLines);
  await read.catch((error: Error) => {
    throw engineReadError(error, source);
  });
  const col = (field: Field): string | undefined =>
    detection.mapping[field] === undefined ? undefined : `c${detection.mapping[field]}`;

  // Sample values to detect the decimal mark, the date layout and currency symbols.
  const priceColumns = (['price', 'total', 'subtotal', 'orderTotal'] as Field[]).map(col).filter((c): c is string => !!c);
  const sample = await engine.rows(
    `SELECT ${[col('date') ?? 'NULL', ...(priceColumns.length ? priceColumns : ['NULL'])].map((c, i) => `${c} AS s${i}`).join(', ')} ` +
      `FROM raw_${index} USING SAMPLE ${SAMPLE_ROWS} ROWS (reservoir, 42)`,
  );
  const dates = sample.map((r) => r.s0).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const amounts = sample.flatMap((r) => priceColumns.map((_, i) => r[`s${i + 1}`])).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (detection.packed) {
    await engine.run(unpackSql(index, detection.packed.layout, detection.packed.columns));
    const packedAmounts = await engine.rows(`SELECT coalesce(total_text, price_text) AS a FROM packed_${index} WHERE coalesce(total_text, price_text) IS NOT NULL LIMIT ${SAMPLE_ROWS}`);
    for (const row of packedAmounts) amounts.push(String(row.a));
  }
  const decimalMark = options.decimal ?? detectDecimalMark(amounts, source.delimiter === ';' ? ',' : '.');
  const dateColumn = source.header[detection.mapping.date!];
  const dateDetection = dates.length
    ? detectDateLayout(dates, dateColumn, source.display, options.dateFormat)
    : { layout: detectDateLayout(['2000-01-01'], dateColumn, source.display).layout, evidence: 'no dates in the file' };

  // Currency: a column wins; else a symbol in the amounts; else --currency; else the
  // country most orders ship to (a file-level guess, said in the output); else unknown.
  const symbols = new Map<string, number>();
  for (const a of amounts) {
    const { symbol } = splitCurrency(a);
    if (symbol) symbols.set(symbol, (symbols.get(symbol) ?? 0) + 1);
  }
  const topSymbol = [...symbols.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  let fileCurrency: string;
  let currencyEvidence: string;
  const countryColumn = col('country');
  const topCountry = countryColumn
    ? String((await engine.rows(`SELECT ${countryColumn} AS c, count(*) AS n FROM raw_${index} WHERE ${countryColumn} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`))[0]?.c ?? '')
    : '';
  const countryCurrency = topCountry ? currencyOfCountry(topCountry) : undefined;
  if (options.currency) {
    fileCurrency = options.currency.toUpperCase();
    currencyEvidence = '--currency';
  } else if (topSymbol && currencyOfSymbol(topSymbol)) {
    fileCurrency = currencyOfSymbol(topSymbol)!;
    currencyEvidence = `symbol "${topSymbol}" in the amounts`;
  } else if (topSymbol && isAmbiguousSymbol(topSymbol) && countryCurrency) {
    fileCurrency = countryCurrency;
    currencyEvidence = `symbol "${topSymbol}" with country ${topCountry}`;
  } else if (topSymbol === '$' && col('currency') === undefined) {
    fileCurrency = 'USD';
    currencyEvidence = 'symbol "$" read as USD (set --currency for CAD, AUD, MXN ...)';
  } else if (countryCurrency && col('currency') === undefined) {
    fileCurrency = countryCurrency;
    currencyEvidence = `no currency column; most orders are from ${topCountry} (set --currency to override)`;
  } else if (topSymbol && isAmbiguousSymbol(topSymbol) && col('currency') === undefined) {
    // (issue #21) a symbol that names several currencies is not a currency: every figure would
    // read "XXX". Ask, as for dates that read both ways.
    const codes = AMBIGUOUS_SYMBOLS[topSymbol] ?? [];
    throw new AovError('E_AMBIGUOUS_CURRENCY', `${source.display}: the amounts are in "${topSymbol}", which names several currencies (${codes.join(', ')}), and there is no currency column.`, {
      hint: `Give the currency: --currency ${codes[0] ?? 'EUR'} (or "currency": "${codes[0] ?? 'EUR'}" in aov.config.json).`,
    });
  } else {
    fileCurrency = NO_CURRENCY;
    currencyEvidence = topSymbol ? `symbol "${topSymbol}" names several currencies; set --currency` : 'no currency column or symbol; set --currency';
  }
  if (col('currency') !== undefined) currencyEvidence = `column "${source.header[detection.mapping.currency!]}"` + (fileCurrency !== NO_CURRENCY ? ` (where empty: ${fileCurrency})` : '');

  const packedText: Partial<Record<Field, string>> = detection.packed
    ? { item: 'p.item', name: 'p.item_name', quantity: 'p.qty_text', price: 'p.price_text', total: 'p.total_text' }
    : {};
  const subtotalField: Field = options.value === 'total' ? 'orderTotal' : 'subtotal';
  const present = (field: Field) => packedText[field] !== undefined || col(field) !== undefined;
  // The statement has three layers, so that each cell is trimmed once and each amount or
  // date is parsed once (a CASE on a parsed value would otherwise parse it a second time):
  // cells (t_<field>: the trimmed text), typed (placed_at, quantity, prices) and the line
  // columns. A line column no field of this file can fill is not stored: the lines views
  // add it as a typed NULL (a 10M-line export would otherwise hold gigabytes of NULLs).
  const cellFields = (
    ['order', 'date', 'customer', 'billingName', 'postalCode', 'item', 'name', 'quantity', 'price', 'total', 'cost', 'profit', 'currency',
      'status', 'country', 'source', subtotalField, 'financialStatus', 'cancelledAt', 'refunded', 'paymentMethod', 'shipping', 'requiresShipping'] as Field[]
  ).filter(present);
  const text = (field: Field) => (present(field) ? `t_${field}` : 'NULL::VARCHAR');
  const amount = (field: Field) => amountSql(text(field), decimalMark);
  const guestKey = present('billingName') && present('postalCode');
  const cellsList = [
    ...cellFields.map((f) => `${packedText[f] ?? `NULLIF(trim(${col(f)}), '')`} AS t_${f}`),
    `${segmentSql(options.segmentBy, detection.mapping, source.header, source.display)} AS t_segment`,
  ];
  const typedList = [
    present('date') ? `${dateSql(text('date'), dateDetection.layout, options.tz)} AS placed_at` : undefined,
    present('quantity') ? `coalesce(${amount('quantity')}, CASE WHEN t_quantity IS NULL THEN 1 END) AS quantity` : undefined,
    present('price') ? `${amount('price')} AS unit_price` : undefined,
    present('total') ? `${amount('total')} AS line_total` : undefined,
    present(subtotalField) ? `${amount(subtotalField)} AS subtotal` : undefined,
  ].filter((s): s is string => s !== undefined);
  // A cell's text is kept only when it could not be read (for the problem message): storing
  // every price and date twice doubled the lines table of a 10M-line export.
  const unreadable = (typed: string, field: Field) => `CASE WHEN ${typed} IS NULL THEN ${text(field)} END`;
  // Each line column: its expression, or undefined when this file cannot fill it.
  const lineColumns: Record<(typeof LINE_COLUMNS)[number], string | undefined> = {
    order_id: text('order'),
    date_text: present('date') ? unreadable('placed_at', 'date') : undefined,
    placed_at: present('date') ? 'placed_at' : undefined,
    // Guest checkouts: billing name + postal code stand in for a missing customer id or email.
    customer: guestKey
      ? `coalesce(lower(${text('customer')}), CASE WHEN t_billingName IS NOT NULL AND t_postalCode IS NOT NULL THEN 'guest:' || lower(t_billingName) || '|' || upper(replace(t_postalCode, ' ', '')) END)`
      : present('customer') ? 'lower(t_customer)' : undefined,
    item: present('item') ? 't_item' : undefined,
    // Product names are long: kept when baskets show them, or when there is no SKU to count by.
    item_name: !present('name') ? undefined : keepNames || !present('item') ? 't_name' : 'CASE WHEN t_item IS NULL THEN t_name END',
    qty_text: present('quantity') ? unreadable('quantity', 'quantity') : undefined,
    quantity: present('quantity') ? 'quantity' : '1::DECIMAL(18,6)',
    price_text: present('price') ? unreadable('unit_price', 'price') : undefined,
    unit_price: present('price') ? 'unit_price' : undefined,
    total_text: present('total') ? unreadable('line_total', 'total') : undefined,
    line_total: present('total') ? 'line_total' : undefined,
    cost: present('cost') ? amount('cost') : undefined,
    profit: present('profit') ? amount('profit') : undefined,
    currency_text: present('currency') ? 'upper(t_currency)' : undefined,
    status: present('status') ? `regexp_replace(lower(t_status), '^wc-', '')` : undefined,
    country: present('country') ? 't_country' : undefined,
    source: present('source') ? 't_source' : undefined,
    subtotal_text: present(subtotalField) ? unreadable('subtotal', subtotalField) : undefined,
    has_subtotal: present(subtotalField) ? `${text(subtotalField)} IS NOT NULL` : undefined,
    subtotal: present(subtotalField) ? 'subtotal' : undefined,
    financial_status: present('financialStatus') ? 'lower(t_financialStatus)' : undefined,
    cancelled_at: present('cancelledAt') ? 't_cancelledAt' : undefined,
    refunded: present('refunded') ? amount('refunded') : undefined,
    payment_method: present('paymentMethod') ? 'lower(t_paymentMethod)' : undefined,
    shipping: present('shipping') ? amount('shipping') : undefined,
    segment: segmentIndex >= 0 ? 't_segment' : undefined,
    // Only an explicit "false" (or no/0) marks a line that ships nothing; an empty cell says nothing.
    ships_nothing: present('requiresShipping') ? `coalesce(lower(t_requiresShipping) IN ('false', 'no', '0'), false)` : undefined,
  };
  const stored = LINE_COLUMNS.filter((c) => lineColumns[c] !== undefined);
  // The file's constants are added by the lines views, not stored on every row: the format
  // and its currency, and a typed NULL (or false) for each line column the file cannot fill.
  const constants = [
    `${index} AS file_index, ${sqlString(detection.format)} AS format, ${sqlString(detection.valueLevel)} AS value_level, ${sqlString(fileCurrency)} AS file_currency`,
    `${detection.cancelPrefix ? sqlString(detection.cancelPrefix) : 'NULL::VARCHAR'} AS cancel_prefix`,
    ...LINE_COLUMNS.filter((c) => lineColumns[c] === undefined).map((c) => `${LINE_COLUMN_NULLS[c]} AS ${c}`),
  ].join(', ');
  // A record identical to an earlier one in every cell read is a duplicate export row: lines_i
  // keeps the hash h of the cells read, dups_i the hashes seen more than once (usually none)
  // with their first row, so flagging duplicates costs one grouping of integers.
  const lineTable = (from: string, extra: string, orderBy = '') =>
    `CREATE TABLE lines_${index} AS SELECT ${stored.map((c) => `${lineColumns[c]} AS ${c}`).join(', ')}${extra ? `, ${extra}` : ''}, h ` +
    `FROM (SELECT *${typedList.length ? `, ${typedList.join(', ')}` : ''} FROM (SELECT ${cellsList.join(', ')}, ${from}))${orderBy}`;
  if (fused) {
    // record = lines_i's rowid: the table keeps the file's row order (preserve_insertion_order).
    // DuckDB's default line size first; only a file with a longer line is read again with
    // 16 MB lines, as that size makes the reader fill 256 MB buffers and halves its speed.
    await engine.run(`DROP TABLE raw_${index}`);
    await readLongLinesAgain(engine, index, (longLines) => engine.run(lineTable(`hash(${keep.map((i) => `c${i}`).join(', ')}) AS h FROM ${readCsv(true, longLines)}`, '')), `lines_${index}`, source.longLines)
      .catch((error: Error) => {
        throw engineReadError(error, source);
      });
  } else {
    await engine.run(
      lineTable(
        `r.rowid AS record, hash(${keep.map((i) => `r.c${i}`).join(', ')}) AS h${detection.packed ? ', p.position AS packed_position' : ''} FROM raw_${index} r` +
          (detection.packed ? ` LEFT JOIN packed_${index} p ON p.record = r.rowid` : ''),
        'record',
        detection.packed ? ' ORDER BY record, packed_position' : '',
      ),
    );
  }
  await engine.run(`CREATE TABLE dups_${index} AS SELECT h, min(${fused ? 'rowid' : 'record'}) AS first_row FROM lines_${index} GROUP BY h HAVING count(*) > 1`);
  const rejects = await readRejects(engine, index, source);
  // With packed line items a record becomes several lines: rows are then counted as lines.
  const records = Number((await engine.rows(`SELECT count(*) AS n FROM ${fused ? `lines_${index}` : `raw_${index}`}`))[0].n);
  const lineCount = detection.packed ? Number((await engine.rows(`SELECT count(*) AS n FROM lines_${index}`))[0].n) : records;
  const rows = lineCount + rejects.count;
  const columns: Partial<Record<Field, string>> = {};
  for (const [field, i] of Object.entries(detection.mapping) as [Field, number][]) columns[field] = source.header[i];
  const summary: FileSummary = {
    file: source.display,
    format: detection.format,
    formatEvidence: detection.evidence,
    encoding: source.encoding,
    delimiter: source.delimiter,
    decimalMark,
    dateFormat: dateDetection.layout.name,
    dateEvidence: dateDetection.evidence,
    currency: fileCurrency,
    currencyEvidence,
    columns,
    rows,
    valueDefinition: options.value === 'total' && detection.valueLevel === 'order'
      ? 'order total (including shipping and tax), as --value total asks'
      : detection.valueDefinition,
    hasLineItems: detection.hasLineItems,
    unpacked: detection.packed ? { records, lines: lineCount } : undefined,
  };
  return { summary, rejects, rejectLines: rejects.lines, detection, fused, constants };
}

/**
 * Runs a CSV read that stores its rejects with DuckDB's default line size, and again with
 * 16 MB lines only when a line was longer: that size makes the reader fill 256 MB buffers
 * and halves its speed (measured at 1M lines: 2.0 s -> 1.0 s for the scan).
 */
async function readLongLinesAgain(engine: Engine, index: number, read: (longLines: boolean) => Promise<void>, table: string, knownLong = false): Promise<void> {
  // A line longer than the default buffer is skipped without a reject: a file known to hold
  // a long line (source.longLines) is read with 16 MB lines at once.
  if (knownLong) return read(true);
  await read(false);
  const overLong = await engine.rows(`SELECT count(*) AS n FROM rejects_${index} WHERE error_type = 'LINE SIZE OVER MAXIMUM'`);
  if (Number(overLong[0].n) === 0) return;
  await engine.run(`DROP TABLE ${table}; DROP TABLE rejects_${index}; DROP TABLE rejects_scan_${index}`);
  await read(true);
}

/** The header index of the --by column (a field name such as country, or any header); -1 when none. */
function segmentColumnIndex(by: string | undefined, mapping: ColumnMapping, header: readonly string[]): number {
  if (!by || ['new-vs-returning', 'currency', 'country', 'source', 'channel'].includes(by)) return -1;
  const field = mapping[by as Field];
  return field !== undefined ? field : header.findIndex((h) => h === by || normaliseHeader(h) === normaliseHeader(by));
}

/** The text of the --by column, or NULL. */
function segmentSql(by: string | undefined, mapping: ColumnMapping, header: readonly string[], file: string): string {
  if (!by || ['new-vs-returning', 'currency', 'country', 'source', 'channel'].includes(by)) return 'NULL::VARCHAR';
  const index = segmentColumnIndex(by, mapping, header);
  if (index < 0) {
    throw new AovError('E_USAGE', `--by ${by}: no such column in ${file}.`, {
      hint: `Use new-vs-returning, country, channel, currency, a field name, or one of: ${header.join(', ')}.`,
      context: { file, column: by },
    });
  }
  return `NULLIF(trim(c${index}), '')`;
}

/** A source file, or a Parquet file read natively by the engine (all columns cast to text). */
type StagedSource = SourceFile & { parquet?: boolean; preloaded?: boolean };

async function isParquet(file: string): Promise<boolean> {
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

async function parquetSource(engine: Engine, file: string): Promise<StagedSource> {
  const columns = await engine.rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`).catch((error: Error) => {
    throw new AovError('E_BAD_ROW', `${file}: not a readable Parquet file (${error.message.split('\n')[0]}).`, { context: { file } });
  });
  const { stat } = await import('node:fs/promises');
  return {
    display: file, readPath: file, gzip: false, encoding: 'utf-8', delimiter: '', parquet: true,
    header: columns.map((c) => String(c.column_name)), bytes: (await stat(file)).size,
  };
}

/** Rows the CSV reader itself refused (wrong column count, unterminated quote ...). */
async function readRejects(engine: Engine, index: number, source: SourceFile) {
  const rows = await engine.rows(
    `SELECT line, min(error_type) AS error_type, min(error_message) AS message, min(csv_line) AS csv_line ` +
      `FROM rejects_${index} GROUP BY line ORDER BY line`,
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

function engineReadError(error: Error, source: SourceFile): AovError {
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

/**
 * Gives every line its outcome: a rejection (cannot be read), an exclusion (read, but not a
 * counted order line), or NULL (used). Order-level fields (Shopify puts Subtotal, status and
 * currency on an order's first row only) are taken from the order's first row that has them.
 */
async function classify(engine: Engine, summaries: FileSummary[], options: LoadOptions): Promise<void> {
  // item_costs: item, cost (major units) from --costs; empty without one.
  const costRows = [...(options.itemCosts ?? new Map<string, number>())].map(([item, cost]) => `(${sqlString(item)}, ${Number(cost)})`);
  await engine.run(
    costRows.length
      ? `CREATE TABLE item_costs AS SELECT item, CAST(cost AS DECIMAL(18,6)) AS cost FROM (VALUES ${costRows.join(', ')}) t(item, cost)`
      : 'CREATE TABLE item_costs (item VARCHAR, cost DECIMAL(18,6))',
  );
  // order_attrs: order_id, placed_at, currency, customer, subtotal, financial_status, cancelled_at, status, payment_method, country, source, refunded, shipping
  // (arg_min over the line position is a streaming "first row that has it"; an ordered first() sorts every group)
  await engine.run(`
    CREATE TABLE order_attrs AS
    SELECT order_id,
      min(placed_at) AS placed_at,
      arg_min(currency_text, position) FILTER (WHERE currency_text IS NOT NULL) AS currency_text,
      arg_min(file_currency, position) AS file_currency,
      arg_min(customer, position) FILTER (WHERE customer IS NOT NULL) AS customer,
      arg_min(subtotal_text, position) FILTER (WHERE has_subtotal) AS subtotal_text,
      arg_min(subtotal, position) FILTER (WHERE has_subtotal) AS subtotal,
      bool_or(has_subtotal) AS has_subtotal,
      arg_min(financial_status, position) FILTER (WHERE financial_status IS NOT NULL) AS financial_status,
      arg_min(cancelled_at, position) FILTER (WHERE cancelled_at IS NOT NULL) AS cancelled_at,
      arg_min(status, position) FILTER (WHERE status IS NOT NULL) AS status,
      arg_min(payment_method, position) FILTER (WHERE payment_method IS NOT NULL) AS payment_method,
      arg_min(country, position) FILTER (WHERE country IS NOT NULL) AS country,
      arg_min(source, position) FILTER (WHERE source IS NOT NULL) AS source,
      arg_min(refunded, position) FILTER (WHERE refunded IS NOT NULL) AS refunded,
      arg_min(shipping, position) FILTER (WHERE shipping IS NOT NULL) AS shipping,
      arg_min(segment, position) FILTER (WHERE segment IS NOT NULL) AS segment,
      bool_or(value_level = 'order') AS order_level_value,
      bool_or(cancel_prefix IS NOT NULL AND starts_with(order_id, cancel_prefix)) AS prefix_cancelled,
      max(placed_at) - min(placed_at) > INTERVAL 1 DAY AS conflicting_dates,
      min(file_index) AS first_file,
      max(file_index) > min(file_index) AS in_several_files,
      min(subtotal) FILTER (WHERE has_subtotal) <> max(subtotal) FILTER (WHERE has_subtotal) AS conflicting_subtotals
    FROM (SELECT *, file_index * 1099511627776 + record AS position FROM lines WHERE order_id IS NOT NULL) GROUP BY order_id`);
  // Duplicate rows, and orders that a later file repeats, are dropped in Shopify exports
  // (a line item appears once) and with --dedupe; elsewhere they are counted and kept.
  const dedupe = options.dedupe === undefined ? "l.format = 'shopify'" : options.dedupe ? 'true' : 'false';
  const statusIs = (kind: keyof typeof STATUS_CLASSES) => `regexp_matches(coalesce(o.status, ''), ${sqlString(STATUS_CLASSES[kind])})`;
  const currencyExpr = `coalesce(o.currency_text, o.file_currency)`;
  // classified: one row per line with its outcome, 'reject:<reason>' | 'exclude:<reason>' | NULL
  // (used), and only the line's own fields: order-level fields stay in order_attrs (one row
  // per order) and the cells a problem message quotes are kept for rejected lines only.
  await engine.run(`
    CREATE TABLE classified AS
    SELECT file_index, record, order_id, item, item_name, quantity, unit_price, line_total, cost, profit, ships_nothing, duplicate, outcome,
      ${['date_text', 'qty_text', 'price_text', 'total_text', 'subtotal_text', 'currency_text', 'order_currency']
        .map((c) => `CASE WHEN starts_with(outcome, 'reject:') THEN ${c} END AS ${c}`).join(', ')}
    FROM (
      SELECT l.file_index, l.record, l.order_id, l.item, l.item_name, l.quantity, l.unit_price, l.line_total, l.cost, l.profit, l.ships_nothing, l.duplicate,
        CASE
          WHEN l.order_id IS NULL THEN 'reject:missingOrderId'
          WHEN l.date_text IS NOT NULL AND l.placed_at IS NULL THEN 'reject:badDate'
          WHEN o.placed_at IS NULL THEN 'reject:missingDate'
          WHEN NOT regexp_full_match(${currencyExpr}, '[A-Z]{3}') THEN 'reject:badCurrency'
          WHEN ${currencyExpr} NOT IN (${currencyCodes().map(sqlString).join(', ')}) THEN 'reject:unknownCurrency'
          WHEN l.currency_text IS NOT NULL AND l.currency_text <> ${currencyExpr} THEN 'reject:currencyMismatch'
          WHEN o.order_level_value AND o.subtotal_text IS NOT NULL AND o.subtotal IS NULL THEN 'reject:badPrice'
          WHEN o.order_level_value AND NOT o.has_subtotal THEN 'reject:missingPrice'
          WHEN l.qty_text IS NOT NULL AND l.quantity IS NULL THEN 'reject:badQuantity'
          WHEN l.price_text IS NOT NULL AND l.unit_price IS NULL THEN 'reject:badPrice'
          WHEN l.total_text IS NOT NULL AND l.line_total IS NULL THEN 'reject:badPrice'
          WHEN NOT o.order_level_value AND l.unit_price IS NULL AND l.line_total IS NULL THEN 'reject:missingPrice'
          WHEN l.file_index <> o.first_file AND ${dedupe} THEN 'exclude:overlappingOrder'
          WHEN l.duplicate AND ${dedupe} THEN 'exclude:duplicateRow'
          WHEN o.payment_method = 'bogus' OR o.financial_status = 'test' OR o.status = 'test' THEN 'exclude:test'
          WHEN o.financial_status = 'voided' THEN 'exclude:voided'
          WHEN o.cancelled_at IS NOT NULL OR o.prefix_cancelled OR ${statusIs('cancelled')} THEN 'exclude:cancelled'
          WHEN ${statusIs('failed')} THEN 'exclude:failed'
          WHEN ${statusIs('refunded')} THEN 'exclude:refunded'
          WHEN ${statusIs('pending')} THEN 'exclude:pending'
          WHEN NOT o.order_level_value AND l.quantity <= 0 THEN 'exclude:nonPositiveQuantity'
          WHEN NOT o.order_level_value AND coalesce(l.unit_price, l.line_total) <= 0 THEN 'exclude:nonPositivePrice'
          ELSE NULL
        END AS outcome,
        l.date_text, l.qty_text, l.price_text, l.total_text, o.subtotal_text, l.currency_text, ${currencyExpr} AS order_currency
      FROM lines_flagged l LEFT JOIN order_attrs o USING (order_id))`);

  // (a join with --costs only: 25% of this statement's time when there is nothing to join)
  const unitCost = costRows.length ? 'coalesce(c.cost, ic.cost)' : 'c.cost';
  // order_values: per order with used lines, its currency, value (DECIMAL, major units), the
  // sums over its used lines and the order fields the orders table and the notes need.
  await engine.run(`
    CREATE TABLE order_values AS
    SELECT v.*, coalesce(o.currency_text, o.file_currency) AS currency,
      CASE WHEN o.order_level_value THEN o.subtotal ELSE v.line_value END AS value,
      o.placed_at, o.customer, o.shipping, o.country, o.source, o.segment, o.refunded, o.conflicting_dates,
      o.in_several_files, o.conflicting_subtotals
    FROM (
      SELECT c.order_id,
        sum(coalesce(c.line_total, CAST(c.quantity AS DECIMAL(38,6)) * c.unit_price)) AS line_value,
        count(DISTINCT coalesce(c.item, c.item_name)) AS items,
        sum(c.quantity) AS units,
        bool_and(c.profit IS NOT NULL) AS all_profit, sum(c.profit) AS profit,
        bool_and(${unitCost} IS NOT NULL) AS all_cost,
        sum(CAST(c.quantity AS DECIMAL(38,6)) * ${unitCost}) AS cost_sum
      FROM classified c${costRows.length ? ' LEFT JOIN item_costs ic ON ic.item = coalesce(c.item, c.item_name)' : ''}
      WHERE c.outcome IS NULL GROUP BY c.order_id) v
    JOIN order_attrs o USING (order_id)`);
  // Orders whose value is not positive are not orders a shopper placed (free replacements, fully discounted).
  await engine.run(`
    UPDATE classified SET outcome = 'exclude:zeroValue'
    WHERE outcome IS NULL AND order_id IN (SELECT order_id FROM order_values WHERE value <= 0)`);
}

/** A count as people read it: 1,428. */
const count = (n: unknown) => Number(n).toLocaleString('en-US');

/** Counts every row's outcome. */
async function account(
  engine: Engine,
  summaries: FileSummary[],
  malformedCount: number,
): Promise<InputSummary> {
  const outcomeRows = await engine.rows(`SELECT outcome, count(*) AS n, count(DISTINCT order_id) AS orders FROM classified GROUP BY outcome ORDER BY outcome`);
  const excluded: Partial<Record<ExclusionReason, number>> = {};
  const excludedOrders: Partial<Record<ExclusionReason, number>> = {};
  const rejectedByReason: Partial<Record<RejectionReason, number>> = {};
  let rowsUsed = 0;
  for (const row of outcomeRows) {
    const n = Number(row.n);
    if (row.outcome === null) {
      rowsUsed = n;
      continue;
    }
    const [kind, reason] = String(row.outcome).split(':');
    if (kind === 'exclude') {
      excluded[reason as ExclusionReason] = n;
      excludedOrders[reason as ExclusionReason] = Number(row.orders);
    } else rejectedByReason[reason as RejectionReason] = n;
  }
  if (malformedCount) rejectedByReason.malformedRow = malformedCount;
  const rejected = Object.values(rejectedByReason).reduce((a, b) => a + (b ?? 0), 0);
  const rowsExcluded = Object.values(excluded).reduce((a, b) => a + (b ?? 0), 0);
  const notes: string[] = [];
  for (const f of summaries) {
    if (f.unpacked) notes.push(`${f.file}: ${count(f.unpacked.records)} records unpacked into ${count(f.unpacked.lines)} line items; rows below count line items.`);
  }
  const refunds = await engine.rows(
    `SELECT count(*) AS n, sum(refunded) AS amount FROM order_values WHERE refunded > 0 AND ${COUNTED}`,
  );
  if (Number(refunds[0].n) > 0) {
    notes.push(`${count(refunds[0].n)} counted orders were later refunded in part or in full; order values are as placed (refunds are not subtracted).`);
  }
  const guests = await engine.rows(`SELECT count(*) FILTER (WHERE starts_with(customer, 'guest:')) AS fallback, count(*) FILTER (WHERE customer IS NULL) AS missing FROM order_values WHERE ${COUNTED}`);
  if (Number(guests[0].fallback) > 0) notes.push(`${count(guests[0].fallback)} counted orders have no customer id or email; billing name + postal code is used as their customer key.`);
  if (Number(guests[0].missing) > 0) notes.push(`${count(guests[0].missing)} counted orders have no customer key at all and are left out of customer metrics.`);
  const withdrawn = await engine.rows(`SELECT currency, count(*) AS n FROM order_values WHERE ${COUNTED} GROUP BY currency ORDER BY currency`);
  for (const row of withdrawn) {
    const until = withdrawnCurrency(String(row.currency));
    if (until) notes.push(`${count(row.n)} orders are in ${row.currency}, an ISO 4217 code withdrawn in ${until}: they form their own block, with ${currencyDecimals(String(row.currency))} decimals.`);
  }
  const duplicates = await engine.rows(`SELECT count(*) FILTER (WHERE duplicate) AS n, count(*) FILTER (WHERE outcome = 'exclude:duplicateRow') AS excluded FROM classified`);
  const kept = Number(duplicates[0].n) - Number(duplicates[0].excluded);
  const overlap = await engine.rows(`
    SELECT count(*) FILTER (WHERE in_several_files) AS orders, count(*) FILTER (WHERE conflicting_subtotals) AS subtotals,
      (SELECT count(*) FROM classified WHERE outcome = 'exclude:overlappingOrder') AS dropped
    FROM order_attrs`);
  const overlapping = Number(overlap[0].orders);
  if (overlapping > 0) {
    notes.push(Number(overlap[0].dropped) > 0
      ? `${count(overlapping)} order ids appear in more than one file (overlapping exports): each is read from the first file that has it; ${count(overlap[0].dropped)} rows of later files are excluded.`
      : `${count(overlapping)} order ids appear in more than one file: their lines are added into one order. If the files overlap (an export downloaded twice), --dedupe reads each order from the first file only.`);
  }
  if (Number(overlap[0].subtotals) > 0) {
    notes.push(`${count(overlap[0].subtotals)} orders carry two different order-level values (Subtotal) on different rows: the first row's is used.`);
  }
  if (kept > 0) notes.push(`${count(kept)} rows repeat an earlier row in every cell read; they are kept (a repeated line can be a real second item) — --dedupe drops them.`);
  // Orders whose lines disagree on the date, and dates far after the rest of the data.
  const dates = await engine.rows(`
    SELECT (SELECT count(*) FROM order_values WHERE conflicting_dates AND ${COUNTED}) AS conflicting,
      (SELECT CASE WHEN count(*) <= greatest(1, (SELECT count(*) FROM order_attrs) / 100) THEN count(*) ELSE 0 END FROM order_attrs
        WHERE placed_at > (SELECT max(placed_at) FROM (SELECT placed_at, placed_at - lag(placed_at) OVER (ORDER BY placed_at) AS gap FROM order_attrs) WHERE gap > INTERVAL 365 DAY) - INTERVAL 1 SECOND) AS far,
      (SELECT max(placed_at) FROM order_attrs)::VARCHAR AS latest`);
  if (Number(dates[0].conflicting) > 0) notes.push(`${count(dates[0].conflicting)} orders have lines dated more than a day apart; each order takes its earliest date.`);
  if (Number(dates[0].far) > 0) notes.push(`${count(dates[0].far)} orders are dated over a year after all the others (latest ${String(dates[0].latest).slice(0, 10)}): check for typing errors or test orders; they are counted.`);
  return {
    files: summaries.map((s) => s.file),
    format: new Set(summaries.map((s) => s.format)).size === 1 ? summaries[0].format : 'mixed',
    perFile: summaries,
    valueDefinition: '',
    rows: summaries.reduce((a, s) => a + s.rows, 0),
    rowsUsed,
    rowsExcluded,
    excluded,
    excludedOrders,
    rejected,
    rejectedByReason,
    problems: [],
    orders: 0,
    notes,
  };
}

const REJECTION_COLUMN: Record<string, { field: Field; textColumn: string; expected: string }> = {
  badDate: { field: 'date', textColumn: 'date_text', expected: 'a date in the file\'s layout' },
  missingDate: { field: 'date', textColumn: 'date_text', expected: 'a date (the order has none on any row)' },
  badQuantity: { field: 'quantity', textColumn: 'qty_text', expected: 'a number' },
  badPrice: { field: 'price', textColumn: "coalesce(CASE WHEN price_text IS NOT NULL AND unit_price IS NULL THEN price_text END, CASE WHEN total_text IS NOT NULL AND line_total IS NULL THEN total_text END, subtotal_text)", expected: 'an amount such as 12.50' },
  missingPrice: { field: 'price', textColumn: 'price_text', expected: 'a price' },
  missingOrderId: { field: 'order', textColumn: 'NULL', expected: 'an order id' },
  badCurrency: { field: 'currency', textColumn: 'order_currency', expected: 'an ISO 4217 code such as EUR' },
  unknownCurrency: { field: 'currency', textColumn: 'order_currency', expected: 'an ISO 4217 currency code with minor units (not a crypto, metal or test code)' },
  currencyMismatch: { field: 'currency', textColumn: 'currency_text', expected: 'the currency of the order\'s first line' },
};

/** The first rejected rows, with the physical line found by scanning the file. */
async function describeProblems(
  engine: Engine,
  sources: SourceFile[],
  summaries: FileSummary[],
  rejectedLines: Set<number>[],
  malformed: Problem[],
): Promise<Problem[]> {
  const rows = await engine.rows(`
    SELECT file_index, record, outcome, ${Object.entries(REJECTION_COLUMN)
      .map(([reason, spec]) => `CASE WHEN outcome = 'reject:${reason}' THEN ${spec.textColumn} END AS v_${reason}`)
      .join(', ')}
    FROM (SELECT *, row_number() OVER (PARTITION BY outcome ORDER BY file_index, record) AS k FROM classified WHERE outcome LIKE 'reject:%')
    WHERE k <= ${MAX_PROBLEMS} ORDER BY file_index, record`);
  const problems: Problem[] = [...malformed];
  for (let f = 0; f < sources.length; f++) {
    const mine = rows.filter((r) => Number(r.file_index) === f);
    if (mine.length === 0) continue;
    const lines = sources[f].readPath
      ? await locateRecords(sources[f].readPath, sources[f].gzip, mine.map((r) => Number(r.record)), rejectedLines[f])
      : new Map<number, number>();
    for (const r of mine) {
      const reason = String(r.outcome).slice('reject:'.length) as RejectionReason;
      const spec = REJECTION_COLUMN[reason];
      const column = summaries[f].columns[spec.field] ?? (reason === 'badPrice' ? summaries[f].columns.total ?? summaries[f].columns.subtotal : undefined) ?? spec.field;
      const value = r[`v_${reason}`];
      const line = lines.get(Number(r.record));
      const shown = value === null || value === undefined ? '' : ` "${String(value).slice(0, 40)}"`;
      problems.push({
        reason,
        file: summaries[f].file,
        line,
        column,
        value: value === null || value === undefined ? undefined : String(value),
        message:
          `${summaries[f].file}:${line ?? '?'}, column "${column}": ` +
          (value === null || value === undefined
            ? `the cell is empty (expected ${spec.expected})`
            : `${shown.trim()} is not ${spec.expected}${reason === 'badDate' ? ` (${summaries[f].dateFormat})` : ''}`),
      });
    }
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)).slice(0, MAX_PROBLEMS);
}

/**
 * The largest amounts aov keeps exact: an order up to 10^15 minor units, and a currency's
 * revenue up to 2^53 - 1 minor units (JavaScript numbers hold every integer exactly up to
 * there, so every sum of orders below it is exact). Beyond them the import stops with the
 * order or the currency named, rather than round or overflow.
 */
export const MAX_ORDER_MINOR = 1e15;
export const MAX_REVENUE_MINOR = Number.MAX_SAFE_INTEGER;

async function checkMoneyLimits(engine: Engine, minorExpr: string): Promise<void> {
  const rows = await engine.rows(`
    SELECT v.currency, arg_max(v.order_id, abs(${minorExpr})) AS order_id, max(abs(${minorExpr}))::DOUBLE AS largest,
      sum(${minorExpr}::DOUBLE) AS total
    FROM order_values v WHERE ${COUNTED} GROUP BY v.currency ORDER BY v.currency`);
  for (const row of rows) {
    if (Number(row.largest) > MAX_ORDER_MINOR) {
      throw new AovError('E_TOO_LARGE', `Order ${String(row.order_id).slice(0, 80)} (${row.currency}) is worth ${Number(row.largest).toExponential(3)} minor units, over the 10^15 aov keeps exact.`, {
        hint: 'Check the quantity and price columns of that order (a price read with the wrong decimal mark, --decimal, multiplies it by 1,000).',
      });
    }
    if (Math.abs(Number(row.total)) > MAX_REVENUE_MINOR) {
      throw new AovError('E_TOO_LARGE', `The ${row.currency} revenue, ${Number(row.total).toExponential(3)} minor units, is over the 2^53 (9.0e15) aov keeps exact.`, {
        hint: 'Analyse a shorter period (--since) or fewer files at a time.',
      });
    }
  }
}

/**
 * The engine's `orders` table from order_values (the counted orders, money in minor units);
 * frees what the orders no longer need. Returns the number of orders (0: no table made).
 */
async function buildOrdersTable(engine: Engine, keepLines: boolean): Promise<number> {
  const currencies = (await engine.rows(`SELECT DISTINCT currency FROM order_values WHERE ${COUNTED} ORDER BY currency`)).map((r) => String(r.currency));
  if (currencies.length === 0) return 0;
  // Exact DECIMAL -> minor units: multiply by an integer literal (power() would go through
  // DOUBLE and round 12.345 to 1234), then round half away from zero.
  const minorUnits = (expr: string) =>
    `round(CASE v.currency ${currencies.map((c) => `WHEN ${sqlString(c)} THEN (${expr}) * ${10 ** currencyDecimals(c)}`).join(' ')} ELSE (${expr}) * 100 END)`;
  const toMinor = (expr: string) => `CAST(${minorUnits(expr)} AS BIGINT)`;
  await checkMoneyLimits(engine, minorUnits('v.value'));
  // orders: currency, order_id, placed_ms, value_minor, customer, items, units, margin_minor, shipping_minor, country, source, segment
  await engine.run(`
    CREATE TABLE orders AS
    SELECT v.currency, v.order_id,
      epoch_ms(v.placed_at) AS placed_ms,
      ${toMinor('v.value')} AS value_minor,
      v.customer, v.items, v.units,
      CASE WHEN v.all_profit THEN ${toMinor('v.profit')}
           WHEN v.all_cost THEN ${toMinor('v.value - v.cost_sum')}
      END AS margin_minor,
      ${toMinor('v.shipping')} AS shipping_minor,
      v.country, v.source, v.segment
    FROM order_values v
    WHERE ${COUNTED}`);
  // Free what the orders no longer need before JS arrays fill up (baskets still read the lines).
  await engine.run(`DROP TABLE order_values; DROP TABLE order_attrs;${keepLines ? '' : ' DROP TABLE classified;'}`);
  return Number((await engine.rows(`SELECT count(*) AS n FROM orders`))[0].n);
}

/** The engine's `orders` as OrderTables, one per currency, sorted by (placedAt, orderId). */
async function readOrderTables(engine: Engine, options: LoadOptions, large: boolean, transfer: boolean): Promise<{ tables: OrderTable[]; orders: number }> {
  const currencies = (await engine.rows(`SELECT DISTINCT currency FROM orders ORDER BY currency`)).map((r) => String(r.currency));
  // A large import hands memory over to JS: DuckDB evicts what it still holds down to 512 MB.
  if (large && !process.env.AOV_MEMORY_LIMIT) await engine.run(`SET memory_limit = '512MB'`);
  if (!transfer) {
    const counts = await engine.rows(`SELECT currency, count(*) AS n FROM orders GROUP BY currency`);
    return { tables: [], orders: counts.reduce((sum, r) => sum + Number(r.n), 0) };
  }
  // Strings cross into JS once per distinct value: customers and the segment columns travel
  // as integer codes into small dictionaries (4M orders at 10M lines would otherwise be 16M
  // separately decoded JS strings, about a gigabyte).
  const dictionary = async (column: string) => {
    await engine.run(`CREATE TABLE dict_${column} AS SELECT value, (row_number() OVER (ORDER BY value) - 1)::INTEGER AS code FROM (SELECT DISTINCT coalesce(${column}, '') AS value FROM orders)`);
    return (await engine.columns(`SELECT value FROM dict_${column} ORDER BY code`, { value: 'str' })).value as string[];
  };
  const segmentNames = { country: await dictionary('country'), source: await dictionary('source'), segment: await dictionary('segment') };
  await engine.run(`CREATE TABLE dict_customer AS SELECT customer, (row_number() OVER ()) - 1 AS code FROM (SELECT DISTINCT customer FROM orders WHERE customer IS NOT NULL)`);
  const dictionarySize = Number((await engine.rows(`SELECT count(*) AS n FROM dict_customer`))[0].n);
  const tables: OrderTable[] = [];
  for (const currency of currencies) {
    // (classify rejects lines in a code outside the table, so none can be left here)
    if (!isCurrencyCode(currency)) throw new AovError('E_INTERNAL', `Orders in ${currency} reached the order tables.`);
    const data = await engine.columns(
      // (numbers cross as DOUBLE or INTEGER vectors, which are copied whole into typed arrays)
      `SELECT o.order_id, o.placed_ms::DOUBLE AS placed_ms, o.value_minor::DOUBLE AS value_minor, coalesce(dc.code, -1)::INTEGER AS customer, o.items::INTEGER AS items,
         o.units::DOUBLE AS units, o.margin_minor::DOUBLE AS margin_minor, o.shipping_minor::DOUBLE AS shipping_minor,
         country.code AS country, source.code AS source, segment.code AS segment
       FROM orders o LEFT JOIN dict_customer dc USING (customer)
         JOIN dict_country country ON country.value = coalesce(o.country, '')
         JOIN dict_source source ON source.value = coalesce(o.source, '')
         JOIN dict_segment segment ON segment.value = coalesce(o.segment, '')
       WHERE o.currency = ${sqlString(currency)} ORDER BY o.placed_ms, o.order_id`,
      { order_id: 'str', placed_ms: 'f64', value_minor: 'f64', customer: 'i32', items: 'i32', units: 'f64', margin_minor: 'f64', shipping_minor: 'f64', country: 'i32', source: 'i32', segment: 'i32' },
    );
    // Customer numbers in order of first appearance (the dictionary's own codes are arbitrary).
    const customer = data.customer as Int32Array;
    const renumber = new Int32Array(dictionarySize).fill(-1);
    let customerCount = 0;
    for (let i = 0; i < customer.length; i++) {
      const code = customer[i];
      if (code < 0) continue;
      if (renumber[code] < 0) renumber[code] = customerCount++;
      customer[i] = renumber[code];
    }
    let customerKeys: string[] | undefined;
    if (options.customerKeys && customerCount) {
      const keys = await engine.columns(
        `SELECT dc.customer, dc.code FROM dict_customer dc WHERE dc.code IN (SELECT DISTINCT d.code FROM orders o JOIN dict_customer d USING (customer) WHERE o.currency = ${sqlString(currency)})`,
        { customer: 'str', code: 'i32' },
      );
      customerKeys = new Array<string>(customerCount);
      const codes = keys.code as Int32Array;
      (keys.customer as string[]).forEach((key, i) => (customerKeys![renumber[codes[i]]] = key));
    } else if (options.customerKeys) customerKeys = [];
    // Segment columns are decoded to strings only when read (--by, windows): three arrays of
    // 4M strings at 10M lines cost over a second and as much again in garbage collection.
    const lazySegments = (columns: Record<string, [Int32Array, string[]]>) => {
      const segments: Record<string, readonly string[]> = {};
      for (const [name, [codes, names]] of Object.entries(columns)) {
        let decoded: string[] | undefined;
        Object.defineProperty(segments, name, { enumerable: true, get: () => (decoded ??= Array.from(codes, (c) => names[c])) });
      }
      return segments;
    };
    const margin = data.margin_minor as Float64Array;
    const shipping = data.shipping_minor as Float64Array;
    tables.push({
      currency,
      decimals: currencyDecimals(currency),
      orderIds: data.order_id as string[],
      valueMinor: data.value_minor as Float64Array,
      placedAt: data.placed_ms as Float64Array,
      customer,
      customerCount,
      customerKeys,
      itemCount: data.items as Int32Array,
      units: data.units as Float64Array,
      marginMinor: margin.every((m) => !Number.isNaN(m)) ? margin : undefined,
      shippingMinor: shipping.some((s) => !Number.isNaN(s)) ? shipping : undefined,
      segments: lazySegments({
        country: [data.country as Int32Array, segmentNames.country],
        source: [data.source as Int32Array, segmentNames.source],
        segment: [data.segment as Int32Array, segmentNames.segment],
      }),
    });
  }
  return { tables, orders: tables.reduce((sum, t) => sum + t.valueMinor.length, 0) };
}

export type { ColumnMapping, FormatDetection };
void sqlIdent;
