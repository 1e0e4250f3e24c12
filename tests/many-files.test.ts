/**
 * An export split into several files with one layout reads as the single file does: the same
 * orders, figures and row accounting, whether the parts are read in one scan (import/readMany.ts)
 * or combined into one file first (8 small files or more, combine.ts), with and without the cache.
 * The guard for reading a glob in one scan (issue #20): the figures must not move.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixture, runAov, tempDir } from './helpers.js';

/** The full CSV reads (those that store rejects) a run made, from AOV_TRACE=full's statements. */
function fullReads(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('[aov] ') && line.includes('store_rejects=true'));
}

/**
 * Cuts a generated Shopify export (quoted cells span lines) into `parts` files at order
 * boundaries, each with the header; returns their glob.
 */
function splitRecords(file: string, parts: number): string {
  const dir = tempDir('many-files-big-');
  const bytes = readFileSync(file);
  // record starts: a line break outside quotes
  const starts: number[] = [];
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x22) quoted = !quoted;
    else if (bytes[i] === 0x0a && !quoted && i + 1 < bytes.length) starts.push(i + 1);
  }
  const orderOf = (k: number) => bytes.toString('utf8', starts[k], bytes.indexOf(0x2c, starts[k]));
  let from = 0;
  for (let p = 0; p < parts; p++) {
    let to = p === parts - 1 ? starts.length : Math.round((starts.length * (p + 1)) / parts);
    while (to < starts.length && orderOf(to) === orderOf(to - 1)) to++;
    const end = to < starts.length ? starts[to] : bytes.length;
    writeFileSync(path.join(dir, `part-${p}.csv`), Buffer.concat([bytes.subarray(0, starts[0]), bytes.subarray(starts[from], end)]));
    from = to;
  }
  return path.join(dir, 'part-*.csv');
}

/** Writes the fixture's rows into `parts` files (each with the header), cut at order boundaries; returns their glob. */
function split(name: string, parts: number): string {
  const dir = tempDir('many-files-');
  const [header, ...rows] = readFileSync(fixture(name), 'utf8').trimEnd().split('\n');
  const per = Math.ceil(rows.length / parts);
  let start = 0;
  for (let k = 0; k < parts; k++) {
    let end = Math.min(rows.length, (k + 1) * per);
    // an order's lines stay in one file (the order id is the first cell)
    while (end < rows.length && end > 0 && rows[end].split(',')[0] === rows[end - 1].split(',')[0]) end++;
    writeFileSync(path.join(dir, `part-${String(k).padStart(2, '0')}.csv`), `${header}\n${rows.slice(start, end).join('\n')}\n`);
    start = end;
  }
  return path.join(dir, 'part-*.csv');
}

interface AnalyzeDocument {
  input: { files: string[]; rows: number; rowsUsed: number; rowsExcluded: number; excluded: Record<string, number>; rejected: number; orders: number; notes: string[] };
  currencies: unknown[];
}

describe('an export split into several files', () => {
  const single = JSON.parse(runAov(['analyze', fixture('sample-orders.csv'), '--json', '--no-cache']).stdout) as AnalyzeDocument;

  for (const parts of [3, 10]) {
    it(`gives the single file's figures and row accounting when split into ${parts} files (${parts < 8 ? 'read in one scan' : 'combined into one file'}), cached or not`, () => {
      const glob = split('sample-orders.csv', parts);
      const home = tempDir('many-files-cache-');
      const runs = [['--no-cache'], [], []].map((extra) => runAov(['analyze', glob, '--json', ...extra], { XDG_CACHE_HOME: home }));
      for (const run of runs) {
        expect(run.code).toBe(0);
        const doc = JSON.parse(run.stdout) as AnalyzeDocument;
        expect(doc.input.files).toHaveLength(parts);
        expect(doc.currencies).toEqual(single.currencies);
        for (const key of ['rows', 'rowsUsed', 'rowsExcluded', 'excluded', 'rejected', 'orders'] as const) expect(doc.input[key], key).toEqual(single.input[key]);
      }
      // the warm runs print what the cold one printed
      expect(runs[1].stdout).toBe(runs[0].stdout);
      expect(runs[2].stdout).toBe(runs[0].stdout);
    }, 120_000);
  }

  it('names the part and its own line in a problem', () => {
    const glob = split('sample-orders.csv', 3);
    const third = glob.replace('part-*.csv', 'part-02.csv');
    const lines = readFileSync(third, 'utf8').split('\n');
    // line 5 of the third part: a quantity that is not a number
    const cells = lines[4].split(',');
    cells[5] = 'many';
    lines[4] = cells.join(',');
    writeFileSync(third, lines.join('\n'));
    const run = runAov(['analyze', glob, '--json', '--no-cache']);
    expect(run.code).toBe(0);
    const problems = (JSON.parse(run.stdout) as { input: { problems: { file: string; line: number }[] } }).input.problems;
    expect(problems[0]).toMatchObject({ file: third, line: 5 });
  }, 120_000);

  it('reads a glob of 3 parts in one scan, not one read per file', () => {
    const run = runAov(['analyze', split('sample-orders.csv', 3), '--json', '--no-cache'], { AOV_TRACE: 'full' });
    expect(run.code).toBe(0);
    // one read_csv over the list of the three files (the old import read each on its own: 3)
    expect(fullReads(run.stderr)).toHaveLength(1);
    expect(fullReads(run.stderr)[0]).toContain("read_csv(['");
  }, 120_000);

  it('reads a part whose dates are written differently in its own scan, with the same figures', () => {
    const glob = split('sample-orders.csv', 3);
    const third = glob.replace('part-*.csv', 'part-02.csv');
    // 2024-11-05 09:26 -> 05/11/2024 09:26 in the third part only (its sample has days over 12: day first)
    writeFileSync(third, readFileSync(third, 'utf8').replace(/,(\d{4})-(\d\d)-(\d\d) /g, ',$3/$2/$1 '));
    const run = runAov(['analyze', glob, '--json', '--no-cache'], { AOV_TRACE: 'full' });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    // parts 1 and 2 share a scan; part 3 is read on its own
    expect(fullReads(run.stderr)).toHaveLength(2);
    const doc = JSON.parse(run.stdout) as AnalyzeDocument & { input: { detected: { dateFormat: string }[] } };
    expect(doc.input.detected.map((f) => f.dateFormat)).toEqual(['yyyy-mm-dd', 'yyyy-mm-dd', 'dd/mm/yyyy']);
    expect(doc.currencies).toEqual(single.currencies);
    for (const key of ['rows', 'rowsUsed', 'rowsExcluded', 'excluded', 'rejected', 'orders'] as const) expect(doc.input[key], key).toEqual(single.input[key]);
  }, 120_000);

  it('reads an 8-file glob of large parts (over 4 MB, not combined) in one scan, with the whole file\'s figures, rejects and duplicates per file', () => {
    const dir = tempDir('many-files-gen-');
    const whole = path.join(dir, 'orders.csv');
    // about 36 MB: 8 parts of about 4.5 MB (combine.ts concatenates files under 4 MB)
    execFileSync(process.execPath, [path.join(ROOT, 'bench', 'generate.mjs'), '--lines', '110000', '--seed', '7', '--out', whole]);
    const wholeDoc = JSON.parse(runAov(['analyze', whole, '--json', '--no-cache']).stdout) as AnalyzeDocument;
    const glob = splitRecords(whole, 8);
    // a row with an extra cell in part 3 and a repeated row in part 6: each named with its own file and line
    const part = (k: number) => glob.replace('part-*.csv', `part-${k}.csv`);
    const lines3 = readFileSync(part(3), 'utf8').split('\n');
    const bad = lines3.findIndex((l, i) => i > 100 && /^#\d+,/.test(l) && /^#\d+,/.test(lines3[i + 1]));
    lines3[bad] += ',extra';
    writeFileSync(part(3), lines3.join('\n'));
    const lines6 = readFileSync(part(6), 'utf8').split('\n');
    const repeated = lines6.findIndex((l, i) => i > 50 && /^#\d+,[^"]*$/.test(l) && /^#\d+,/.test(lines6[i + 1]));
    lines6.splice(repeated + 1, 0, lines6[repeated]);
    writeFileSync(part(6), lines6.join('\n'));
    const run = runAov(['analyze', glob, '--json', '--no-cache'], { AOV_TRACE: 'full' });
    expect(run.code).toBe(0);
    expect(fullReads(run.stderr)).toHaveLength(1);
    const doc = JSON.parse(run.stdout) as AnalyzeDocument & { input: { detected: { file: string; rows: number }[]; problems: { file: string; line: number; reason: string }[] } };
    expect(doc.input.files).toHaveLength(8);
    // each part's rows: its physical records (the generator's quoted notes span lines, so counted as the engine would: one per record)
    const records = (file: string) => splitRecordsCount(readFileSync(file));
    expect(doc.input.detected.map((f) => f.rows)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((k) => records(part(k))));
    // the line the part gets when read on its own (DuckDB's reader numbers records, so a line after
    // a quoted cell that spans lines is numbered below its physical line: the same either way)
    const alone = (JSON.parse(runAov(['analyze', part(3), '--json', '--no-cache']).stdout) as typeof doc).input.problems;
    expect(alone).toEqual([expect.objectContaining({ reason: 'malformedRow', file: part(3) })]);
    expect(doc.input.problems).toEqual(alone);
    expect(doc.input.excluded.duplicateRow).toBe((wholeDoc.input.excluded.duplicateRow ?? 0) + 1);
    // the parts without the two edits: the whole file's figures
    writeFileSync(part(3), lines3.map((l, i) => (i === bad ? l.slice(0, -',extra'.length) : l)).join('\n'));
    lines6.splice(repeated + 1, 1);
    writeFileSync(part(6), lines6.join('\n'));
    const parts = JSON.parse(runAov(['analyze', glob, '--json', '--no-cache']).stdout) as AnalyzeDocument;
    expect(parts.currencies).toEqual(wholeDoc.currencies);
    for (const key of ['rows', 'rowsUsed', 'rowsExcluded', 'excluded', 'rejected', 'orders'] as const) expect(parts.input[key], key).toEqual(wholeDoc.input[key]);
  }, 180_000);
});

/** Records after the header: line breaks outside quotes (a last record without one counts). */
function splitRecordsCount(bytes: Buffer): number {
  let quoted = false;
  let records = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x22) quoted = !quoted;
    else if (bytes[i] === 0x0a && !quoted) records++;
  }
  if (bytes.length && bytes[bytes.length - 1] !== 0x0a) records++;
  return records - 1;
}
