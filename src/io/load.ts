/**
 * Import: files -> typed orders. Every CSV is read by DuckDB with all columns as text,
 * then typed in SQL, so a bad value becomes a counted, reported rejection rather than a
 * crash or a silent NULL. Every record read ends in exactly one of: used, excluded (by
 * reason) or rejected (by reason).
 *
 * The pipeline, one step per file under import/:
 *   cache.ts            a whole, current cached import is used as it is (then straight to 4)
 *   1 import/read.ts    each file: detect format and locale, read, type -> lines_i, dups_i
 *     import/readMany.ts  files of one layout and locale: one scan of the list -> lines_i, dups_i of the first
 *   2 import/classify.ts  lines -> order_attrs, classified (each line's outcome), order_values
 *   3 import/account.ts   the row accounting, notes and problems (InputSummary)
 *   4 import/orders.ts    order_values -> orders (minor units) -> OrderTables
 *   5 baskets.ts        classified + orders -> baskets, when a command needs them
 *   tablesCache.ts, basketCache.ts  the results of 4 and 5 kept in the cache entry, JS-ready
 */
import { AovError } from '../errors.js';
import { lazyEngine, openEngine, sqlIdent, sqlString, type Engine } from './engine.js';
import type { ColumnMapping, FormatDetection } from './formats.js';
import { CLASSIFIED_LINES, linkBaskets, readBaskets } from './baskets.js';
import { cacheCap, cacheKey, entryDir, findEntry, trimCache, writeEntry, type CacheKey } from './cache.js';
import { readBasketFile, writeBasketFile } from './basketCache.js';
import { readTablesFile, writeTablesFile } from './tablesCache.js';
import type { OrderTable } from '../analysis/types.js';
import { formatMessages } from '../report/messages.js';
import { stageJoinedTables, type TableFiles } from './multiTable.js';
import { displayName, isStream, makeWorkDir, materialise, normaliseLineEndings, prepareSource, resolveInputs, type SourceFile } from './source.js';
import { originalLine, planInputs, type CombinedInput } from './combine.js';
import { isFused, isParquet, parquetSource, planFused, stageFile, type StagedFile, type StagedSource } from './import/read.js';
import { groupByPlan, groupLinesSql, scanKey, stageGroup, type ScanGroup, type ScanMember } from './import/readMany.js';
import { detectFormat } from './formats.js';
import { classify } from './import/classify.js';
import { account, describeCounts, describeProblems, locateOrder } from './import/account.js';
import { buildOrdersTable, readOrderTables } from './import/orders.js';
import type { FileSummary, InputSummary, LoadExtras, LoadOptions, LoadResult, Problem } from './import/types.js';
import { TABLE } from './import/tables.js';

export type { ExclusionReason, FileSummary, InputSummary, LoadExtras, LoadOptions, LoadResult, Problem, RejectionReason } from './import/types.js';
export { describeCounts } from './import/account.js';
export { MAX_ORDER_MINOR, MAX_REVENUE_MINOR } from './import/orders.js';

export async function loadOrders(patterns: readonly string[], options: LoadOptions = {}, extras: LoadExtras = {}): Promise<LoadResult> {
  const work = await makeWorkDir();
  // Large inputs get a disk-backed engine with bounded memory (see EngineOptions).
  // AOV_ENGINE=memory|disk overrides the choice (for measuring).
  const large = process.env.AOV_ENGINE ? process.env.AOV_ENGINE === 'disk' : (await inputBytes(patterns)) > LARGE_INPUT_BYTES;
  // --memory caps the engine (it spills to the work folder beyond the cap).
  const engineOptions = large || options.memory ? { spillDir: work.dir, memoryLimit: options.memory } : {};
  // Opened at the first statement (a warm run may need none), except that --memory is checked
  // by opening it at once, so a bad size is an error before any output.
  const engine = options.memory ? await openEngine(engineOptions) : lazyEngine(engineOptions);
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
    // A cached import of the same files with the same options (see cache.ts). The arguments as
    // given and what resolving them said (a copy or a second name of a file, read once) are in
    // the key: the kept files alone would not tell `a.csv` from `a.csv copy-of-a.csv`.
    const key = options.cache === false || cacheCap() === 0 ? undefined : await cacheKey(options.tables ? tableFiles(options.tables) : files, { ...cacheKeyOptions(options), patterns: [...patterns], resolved: [...joinedNotes] });
    if (key) {
      const served = await fromCache(engine, key, options, extras, large);
      if (served) return served;
    }
    // Many small files with one header are read as one combined file (see combine.ts).
    const inputs: Input[] = [];
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
    // Files of one layout are read in one scan (import/readMany.ts); if that fails for any
    // reason, every file is read on its own, as before, which names the file at fault.
    const scans = options.tables ? undefined : await stageScans(engine, inputs, work.dir, options, !!extras.baskets);
    const prepared = scans?.prepared ?? new Map<number, StagedSource>();
    const inScan = new Map(scans?.groups.flatMap((g) => g.members.map((m) => [m.index, g] as const)) ?? []);
    for (let i = 0; i < inputs.length; i++) {
      const { source, staged } = scans?.staged.has(i)
        ? { source: prepared.get(i)!, staged: scans.staged.get(i)! }
        : await stageInput(engine, inputs[i], i, files, work.dir, options, !!extras.baskets, joinedNotes, prepared.get(i));
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
    // (a scan of several files is one branch: groupLinesSql)
    const branches = inputs.map((_, i) => i).filter((i) => !inScan.has(i) || inScan.get(i)!.table === i);
    const branch = (i: number, flagged: boolean) => {
      const group = inScan.get(i);
      if (group) return groupLinesSql(group, flagged);
      return flagged
        ? `SELECT l.*, ${fileConstants[i]}${fusedFiles[i] ? ', l.rowid AS record' : ''}, d.h IS NOT NULL AND ${fusedFiles[i] ? 'l.rowid' : 'l.record'} <> d.first_row AS duplicate FROM ${TABLE.lines(i)} l LEFT JOIN ${TABLE.dups(i)} d ON d.h = l.h`
        : `SELECT *, ${fileConstants[i]}${fusedFiles[i] ? ', rowid AS record' : ''} FROM ${TABLE.lines(i)}`;
    };
    await engine.run(`CREATE VIEW lines AS ${branches.map((i) => branch(i, false)).join(' UNION ALL BY NAME ')}`);
    await engine.run(`CREATE VIEW lines_flagged AS ${branches.map((i) => branch(i, true)).join(' UNION ALL BY NAME ')}`);

    options.onProgress?.(`classifying ${summaries.reduce((a, f) => a + f.rows, 0).toLocaleString('en-US')} rows`);
    await classify(engine, summaries, options);
    // Everything downstream reads `classified`: free the per-file tables (large exports).
    await engine.run(`DROP VIEW lines; DROP VIEW lines_flagged; ${inputs.map((_, i) => `DROP TABLE IF EXISTS ${TABLE.lines(i)}; DROP TABLE IF EXISTS ${TABLE.dups(i)}; DROP TABLE IF EXISTS ${TABLE.raw(i)};`).join(' ')}`);
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
    input.orders = await buildOrdersTable(engine, !!extras.baskets).catch(async (error: unknown) => {
      // An order too large to keep exact: name the file and line where it starts.
      const orderId = error instanceof AovError && error.code === 'E_TOO_LARGE' ? (error as AovError & { orderId?: string }).orderId : undefined;
      const at = orderId === undefined ? undefined : await locateOrder(engine, sources, summaries, rejectedLines, orderId);
      if (!at) throw error;
      const e = error as AovError;
      throw new AovError('E_TOO_LARGE', `${at.file}:${at.line ?? '?'}: ${e.message}`, { hint: e.hint, context: { file: at.file, line: at.line } });
    });
    if (input.orders === 0) {
      throw new AovError('E_NO_DATA', `${files.join(', ')}: no usable orders in ${input.rows.toLocaleString('en-US')} row(s) (${describeCounts({ ...input.excluded, ...input.rejectedByReason })}).`, {
        hint: input.problems[0] ? `First problem: ${input.problems[0].message}` : 'Every order was excluded; see the reasons above.',
        context: { file: files[0] },
      });
    }
    input.notes.unshift(...joinedNotes);
    input.valueDefinition = [...new Set(summaries.map((f) => f.valueDefinition))].join('; ');
    let written = false;
    if (key) {
      const failure = await writeEntry(engine, key, input, extras.baskets ? CLASSIFIED_LINES : undefined);
      if (failure) process.stderr.write(formatMessages('warning', [failure]));
      written = !failure;
    }
    const { tables } = await readOrderTables(engine, options, large, !(extras.basketsOnly && extras.baskets));
    if (key && written && tables.length) await keep('order tables', () => writeTablesFile(entryDir(key), !!options.customerKeys, tables));
    if (extras.baskets) options.onProgress?.('building baskets');
    const baskets = extras.baskets ? await readBaskets(engine, basketFormat(summaries), extras.baskets, CLASSIFIED_LINES, ORDER_ROWS) : undefined;
    if (baskets && tables.length) linkBaskets(baskets, tables);
    if (key && written && baskets) await keep('baskets', () => writeBasketFile(entryDir(key), basketFormat(summaries), extras.baskets!, baskets));
    if (key && written) await trim(entryDir(key));
    return { input, tables, baskets };
  } finally {
    options.onProgress?.('');
    engine.close();
    await work.cleanup();
  }
}

/** An input: a file, or a combined file of many small ones (combine.ts). */
type Input = { file: string; combined?: CombinedInput };

/** The source the engine reads for an input (a copy of a stream, Parquet, or the CSV with its header and delimiter). */
async function sourceOf(engine: Engine, input: Input, workDir: string, options: LoadOptions): Promise<StagedSource> {
  const readable = await materialise(input.file, workDir);
  return (await isParquet(readable)) ? await parquetSource(engine, readable, workDir, displayName(input.file)) : await prepareSource(readable, workDir, options.delimiter, input.combined?.display ?? displayName(input.file));
}

/** Reads one input on its own (read.ts's stageFile), with a copy in one kind of line ending when the endings change midway. */
async function stageInput(
  engine: Engine, input: Input, i: number, files: readonly string[], workDir: string, options: LoadOptions, keepNames: boolean, notes: string[], prepared?: StagedSource,
): Promise<{ source: StagedSource; staged: StagedFile }> {
  let source: StagedSource;
  if (options.tables) {
    await resolveInputs([options.tables.orders, options.tables.items, ...(options.tables.products ? [options.tables.products] : [])], async () => []);
    const staged = await stageJoinedTables(engine, options.tables, i, workDir);
    notes.push(...staged.notes);
    source = { display: files[i], readPath: '', gzip: false, encoding: 'utf-8', delimiter: ',', header: staged.header, bytes: 0, preloaded: true };
  } else source = prepared ?? (await sourceOf(engine, input, workDir, options));
  options.onProgress?.(`reading ${source.display}`);
  try {
    return { source, staged: await stageFile(engine, source, i, options, keepNames) };
  } catch (error) {
    // Line endings that change midway (CRLF, then LF) stop DuckDB's reader: read a copy
    // with one kind of ending (line numbers are unchanged) and say so.
    if (!(error instanceof AovError) || !/state machine reached an invalid state/.test(String((error.cause as Error | undefined)?.message))) throw error;
    await engine.run(`DROP TABLE IF EXISTS ${TABLE.raw(i)}; DROP TABLE IF EXISTS ${TABLE.lines(i)}; DROP TABLE IF EXISTS ${TABLE.rejects(i)}; DROP TABLE IF EXISTS ${TABLE.rejectsScan(i)}; DROP TABLE IF EXISTS ${TABLE.packed(i)}`);
    source = { ...source, readPath: await normaliseLineEndings(source.readPath, source.gzip, workDir), gzip: false };
    notes.push(`${source.display}: its line endings change within the file (CRLF and LF); each is read as a line break.`);
    return { source, staged: await stageFile(engine, source, i, options, keepNames) };
  }
}

/**
 * The inputs that share a scan (readMany.ts), read: each file's source is prepared, files
 * with one header, delimiter, encoding and compression are sampled (planFused), and those
 * whose samples give the same typing SQL are read in one scan. Undefined when no two files
 * can share one, or when anything fails (an unreadable file, a currency to ask for): the
 * tables made are dropped and every file is then read on its own, which stops at the first
 * file at fault with its own message, as it always has.
 */
async function stageScans(engine: Engine, inputs: readonly Input[], workDir: string, options: LoadOptions, keepNames: boolean) {
  const candidates = inputs.map((input, index) => ({ input, index })).filter(({ input }) => !input.combined && !isStream(input.file));
  if (candidates.length < 2) return undefined;
  try {
    const prepared = new Map<number, StagedSource>();
    const byKey = new Map<string, number[]>();
    for (const { input, index } of candidates) {
      const source = await sourceOf(engine, input, workDir, options);
      prepared.set(index, source);
      const key = scanKey(source);
      if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), index]);
    }
    const members: ScanMember[] = [];
    for (const indices of byKey.values()) {
      if (indices.length < 2) continue;
      for (const index of indices) {
        const source = prepared.get(index)!;
        const detection = detectFormat(source.header, source.display, { format: options.format, map: options.map });
        if (isFused(source, detection)) members.push({ index, source, plan: await planFused(engine, source, index, options, keepNames, detection) });
      }
    }
    const groups: ScanGroup[] = [];
    const staged = new Map<number, StagedFile>();
    for (const group of groupByPlan(members)) {
      options.onProgress?.(`reading ${group[0].source.display} and ${group.length - 1} more files in one scan`);
      const scan = await stageGroup(engine, group, options);
      groups.push(scan.group);
      group.forEach((member, k) => staged.set(member.index, scan.staged[k]));
    }
    return { prepared, groups, staged };
  } catch (error) {
    if (process.env.AOV_TRACE) process.stderr.write(`[aov] one scan of several files failed, each is read on its own: ${(error as Error).message.split('\n')[0]}\n`);
    for (const row of await engine.rows(`SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'`)) {
      await engine.run(`DROP ${row.table_type === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${sqlIdent(String(row.table_name))}`);
    }
    return undefined;
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
 * The import from the cache. The order tables and the baskets come from the entry's files
 * made for them (tablesCache.ts, basketCache.ts) when it has them; else from its Parquet,
 * read while its SHA-256 is checked (the orders, and the counted lines for baskets), and are
 * then kept for the next run. Undefined (and the entry dropped) when there is no whole,
 * current entry, so the caller imports the files.
 */
async function fromCache(engine: Engine, key: CacheKey, options: LoadOptions, extras: LoadExtras, large: boolean): Promise<LoadResult | undefined> {
  const hit = await findEntry<InputSummary>(key);
  if (!hit) return undefined;
  const format = basketFormat(hit.manifest.input.perFile);
  const customerKeys = !!options.customerKeys;
  // (bundles keeps the per-order tables out of JS: it wants the baskets only)
  const wantTables = !(extras.basketsOnly && extras.baskets);
  const keptTables = wantTables ? await readTablesFile(hit.dir, customerKeys) : undefined;
  const keptBaskets = extras.baskets ? await readBasketFile(hit.dir, format, extras.baskets, keptTables) : undefined;
  const read = { orders: wantTables ? !keptTables : false, lines: !!extras.baskets && !keptBaskets };
  if (read.lines && !hit.lines) return undefined;
  // Baskets built from the lines: the engine then holds the orders too, as before (their count, its memory limit).
  read.orders ||= read.lines;
  options.onProgress?.(`reading the cached import of ${hit.manifest.input.files.join(', ')}`);
  if (read.orders || read.lines) {
    const load = async () => {
      await engine.run(`CREATE TABLE orders AS SELECT * FROM read_parquet(${sqlString(hit.orders)})`);
      if (read.lines) await engine.run(`CREATE TABLE cached_lines AS SELECT * FROM read_parquet(${sqlString(hit.lines!)})`);
      return true;
    };
    const [whole, readable] = await Promise.all([hit.verify(read), load().catch(() => false)]);
    if (!whole || !readable) {
      await engine.run('DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS cached_lines');
      // (only the write it checked: another run may have put a fresh entry there meanwhile)
      await hit.discard();
      return undefined;
    }
  }
  const input = hit.manifest.input;
  let tables: OrderTable[] = keptTables ?? [];
  if (!keptTables && read.orders) {
    tables = (await readOrderTables(engine, options, large, wantTables)).tables;
    if (tables.length) await keep('order tables', () => writeTablesFile(hit.dir, customerKeys, tables));
  }
  if (!extras.baskets || keptBaskets) {
    if (!keptTables && read.orders) await trim(hit.dir);
    // (order rows kept for other tables, e.g. those with the customers' keys: linked again here)
    if (keptBaskets && !keptBaskets.orderRows && tables.length) linkBaskets(keptBaskets, tables);
    return { input, tables, baskets: keptBaskets };
  }
  options.onProgress?.('building baskets');
  const baskets = await readBaskets(engine, format, extras.baskets, 'SELECT * FROM cached_lines', ORDER_ROWS);
  if (tables.length) linkBaskets(baskets, tables);
  await keep('baskets', () => writeBasketFile(hit.dir, format, extras.baskets!, baskets));
  await trim(hit.dir);
  return { input, tables, baskets };
}

/** The engine's orders, laid out as the order tables are: where the baskets' order rows are read (baskets.ts linkBaskets checks them). */
const ORDER_ROWS = { ordersTable: 'orders' } as const;

/** After a run wrote to the cache: the entries used least recently go until it is under its cap (cache.ts); a failure changes nothing else. */
async function trim(written: string): Promise<void> {
  const removed = await trimCache(written).catch((error: Error) => [`(failed: ${error.message.split('\n')[0]})`]);
  if (process.env.AOV_TRACE && removed.length) process.stderr.write(`[aov] cache over its cap: removed ${removed.join(', ')}\n`);
}

/** Writes a JS-ready file into an entry; a failure only warns (the result does not depend on it). */
async function keep(what: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    process.stderr.write(formatMessages('warning', [`the ${what} could not be kept in the import cache (${(error as Error).message.split('\n')[0]}); the result is not affected.`]));
  }
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

export type { ColumnMapping, FormatDetection };
