/**
 * Step 1 for several plain CSV files of one layout (a glob of monthly exports): one read_csv
 * over the list of files instead of one per file. Each file still has its own sample read
 * and locale detection (read.ts's planFused); files share a scan only when that gives them
 * the same typing SQL and constants (same header, delimiter, encoding, compression, decimal
 * mark, date layout, currency), so a scan of several files types every cell as each file's
 * own read would. A file that differs is read on its own (read.ts's stageFile).
 *
 * Produces, for a scan whose first file is file i:
 *   lines_i(the line columns the files fill, file_index, h)   every file's lines, file after
 *     file in the list's order (checked): a file's record number is lines_i's rowid minus the
 *     rowid of its first line (`firstRow`)
 *   dups_i(file_index, h, first_row)   rows identical to an earlier row of the same file
 *     (first_row: lines_i's rowid)
 *   rejects_i, rejects_scan_i   what the reader refused; rejects_i.file_id is the file's
 *     position in the list and its line numbers are that file's own
 * and, per file, the FileSummary, rejects and constants stageFile would give it.
 */
import type { Engine } from '../engine.js';
import type { LoadOptions } from './types.js';
import { csvReadSql, fileSummary, readLongLinesAgain, readRejects, type FusedPlan, type StagedFile, type StagedSource } from './read.js';
import { hasGlobChars } from '../source.js';
import { TABLE } from './tables.js';

/** A file to read in a scan of several: its position among the inputs, its source and its plan. */
export interface ScanMember {
  index: number;
  source: StagedSource;
  plan: FusedPlan;
}

/** A scan of several files, as the lines views read it. */
export interface ScanGroup {
  /** The first file's index: the scan's tables are lines_<table>, dups_<table>, rejects_<table>. */
  table: number;
  /** Each file's index and the rowid of its first line in lines_<table>. */
  members: { index: number; firstRow: number }[];
  /** The files' constant columns but file_index (one layout: the same for all). */
  shared: string;
}

/**
 * What may let files share a scan before their rows are sampled: plain CSV (not Parquet, not
 * joined tables, not a combined file, no line over the default size) with the same header,
 * delimiter, encoding and compression. undefined: read on its own.
 */
export function scanKey(source: StagedSource): string | undefined {
  if (source.preloaded || source.parquet || source.longLines || !source.readPath) return undefined;
  // DuckDB expands each path of the list as a glob: `a*b.csv` would bring `axb.csv` into the
  // scan a second time, with no file_index of its own (source.ts reads such a file through a
  // plain-named link; this keeps any path that still has one out).
  if (hasGlobChars(source.readPath)) return undefined;
  return JSON.stringify([source.header, source.delimiter, source.encoding, source.gzip]);
}

/** The members that share a scan: those whose sampled plans give the same SQL, in groups of two or more, in input order. */
export function groupByPlan(members: readonly ScanMember[]): ScanMember[][] {
  const groups = new Map<string, ScanMember[]>();
  for (const member of members) {
    const { plan } = member;
    // (the statement names the file's table; everything else must be equal)
    const key = JSON.stringify([plan.lineTable('', '').replace(/^CREATE TABLE \S+/, ''), plan.shared, plan.keep, plan.columnsSql]);
    groups.set(key, [...(groups.get(key) ?? []), member]);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/** Reads a group of files in one scan into lines_i, dups_i and rejects_i of its first file. */
export async function stageGroup(engine: Engine, members: readonly ScanMember[], options: LoadOptions): Promise<{ group: ScanGroup; staged: StagedFile[] }> {
  const [{ index: table, source, plan }] = members;
  const paths = members.map((m) => m.source.readPath);
  // DuckDB's file_index is the position in the list; lines_i keeps the input's file index.
  const fileIndex = `CAST([${members.map((m) => m.index).join(', ')}][CAST(file_index AS BIGINT) + 1] AS INTEGER) AS file_index`;
  const cells = plan.keep.map((i) => `c${i}`).join(', ');
  await readLongLinesAgain(engine, table, (longLines) =>
    engine.run(plan.lineTable(`hash(${cells}) AS h, ${fileIndex} FROM ${csvReadSql(paths, source, plan.columnsSql, table, true, longLines)}`, 'file_index')),
  TABLE.lines(table));
  // The scan keeps the list's order, file after file (preserve_insertion_order); checked, as
  // the record numbers depend on it: a file's rows must be one run of rowids, in list order.
  const ranges = new Map((await engine.rows(`SELECT file_index, min(rowid) AS first, max(rowid) AS last, count(*) AS n FROM ${TABLE.lines(table)} GROUP BY file_index`))
    .map((r) => [Number(r.file_index), { first: Number(r.first), last: Number(r.last), n: Number(r.n) }]));
  let next = 0;
  const firstRows: number[] = [];
  const counts: number[] = [];
  for (const member of members) {
    const range = ranges.get(member.index) ?? { first: next, last: next - 1, n: 0 };
    if (range.first !== next || range.last - range.first + 1 !== range.n) throw new Error(`the scan of ${paths.length} files did not keep their order (${member.source.display})`);
    firstRows.push(next);
    counts.push(range.n);
    next += range.n;
  }
  // The scan read exactly the files listed, each once: every line has a file of the list and the
  // files' runs cover the table. (A path DuckDB expanded to more files gives lines whose
  // file_index is NULL, or more lines than the runs hold; Number(NULL) would pass as file 0.)
  const [totals] = await engine.rows(`SELECT count(*) AS n, count(*) FILTER (WHERE file_index IS NULL) AS unlisted FROM ${TABLE.lines(table)}`);
  if (Number(totals.unlisted) !== 0 || Number(totals.n) !== next) {
    throw new Error(`the scan of ${paths.length} files read ${String(totals.n)} lines, ${next} in the files listed (${String(totals.unlisted)} in none)`);
  }
  // rejects_i's file_id is the position in the list: checked against the scan's own record of
  // the paths. (rejects_scan lists only the files that had a reject (DuckDB 1.5.5), so it can
  // hold fewer files than the list, never more, and never a path at another position.)
  const scanned = await engine.rows(`SELECT DISTINCT file_id, file_path FROM ${TABLE.rejectsScan(table)}`);
  if (scanned.length > paths.length) throw new Error(`the scan of ${paths.length} files read ${scanned.length}`);
  for (const row of scanned) {
    if (paths[Number(row.file_id)] !== String(row.file_path)) throw new Error(`the scan's file ${String(row.file_id)} is ${String(row.file_path)}, not ${paths[Number(row.file_id)]}`);
  }
  await engine.run(`CREATE TABLE ${TABLE.dups(table)} AS SELECT file_index, h, min(rowid) AS first_row FROM ${TABLE.lines(table)} GROUP BY file_index, h HAVING count(*) > 1`);
  const staged: StagedFile[] = [];
  for (let k = 0; k < members.length; k++) {
    const member = members[k];
    const rejects = await readRejects(engine, table, member.source, k);
    staged.push({
      summary: fileSummary(member.source, member.plan, options, counts[k], counts[k], rejects.count),
      rejects,
      rejectLines: rejects.lines,
      detection: member.plan.detection,
      fused: true,
      constants: member.plan.constants,
    });
  }
  return { group: { table, members: members.map((m, k) => ({ index: m.index, firstRow: firstRows[k] })), shared: plan.shared }, staged };
}

/** A group's branch of the lines views: its files' lines with their constants and record numbers (`flagged`: and the duplicate flag). */
export function groupLinesSql(group: ScanGroup, flagged: boolean): string {
  const record = `l.rowid - CASE l.file_index ${group.members.map((m) => `WHEN ${m.index} THEN ${m.firstRow}`).join(' ')} END AS record`;
  const columns = `l.* EXCLUDE (file_index, h), l.h, l.file_index, ${group.shared}, ${record}`;
  return flagged
    ? `SELECT ${columns}, d.h IS NOT NULL AND l.rowid <> d.first_row AS duplicate FROM ${TABLE.lines(group.table)} l LEFT JOIN ${TABLE.dups(group.table)} d ON d.file_index = l.file_index AND d.h = l.h`
    : `SELECT ${columns} FROM ${TABLE.lines(group.table)} l`;
}
