/**
 * A file whose name holds a glob character (`a*b.csv`, `c?d.csv`, `jan[1].csv`) is read as that
 * file: DuckDB expands every path it is given as a glob, and the CLI's own glob resolution did
 * too, so `a*b.csv` was read with `axb.csv`, `jan[1].csv` became `jan1.csv`, and in one scan of
 * several files the extra file's rows had no file of their own (rowsUsed over rows).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../src/io/engine.js';
import { detectFormat } from '../src/io/formats.js';
import { planFused } from '../src/io/import/read.js';
import { scanKey, stageGroup, type ScanMember } from '../src/io/import/readMany.js';
import { makeWorkDir, prepareSource } from '../src/io/source.js';
import { fixture, runAov, tempDir } from './helpers.js';

interface AnalyzeInput {
  files: string[];
  rows: number;
  rowsUsed: number;
  rejected: number;
  excluded: Record<string, number>;
  detected: { file: string; rows: number }[];
}

/**
 * Each file holds its own run of the sample's first data lines (single-line orders SO-10001...
 * SO-10030), so its rows are the data lines written and no two files share an order.
 */
const SIZES: Record<string, number> = { 'a*b.csv': 3, 'axb.csv': 5, 'c?d.csv': 7, 'jan[1].csv': 11, 'jan1.csv': 2 };

function folder(): string {
  const dir = tempDir('glob-names-');
  const [header, ...rows] = readFileSync(fixture('sample-orders.csv'), 'utf8').split('\n');
  let start = 0;
  for (const [name, count] of Object.entries(SIZES)) {
    writeFileSync(path.join(dir, name), `${header}\n${rows.slice(start, start + count).join('\n')}\n`);
    start += count;
  }
  return dir;
}

function analyze(pattern: string, env: Record<string, string> = {}): AnalyzeInput {
  const run = runAov(['analyze', pattern, '--json', '--no-cache'], env);
  expect(run.code, run.stderr.slice(-1000)).toBe(0);
  // no message or summary names the link the engine read instead of the user's file
  expect(run.stdout + run.stderr).not.toMatch(/literal-\d+-/);
  return (JSON.parse(run.stdout) as { input: AnalyzeInput }).input;
}

/** rows read = rows used + every exclusion counted + rows the reader refused. */
function balances(input: AnalyzeInput): void {
  const excluded = Object.values(input.excluded).reduce((a, n) => a + n, 0);
  expect(input.rows).toBe(input.rowsUsed + excluded + input.rejected);
}

describe('a file whose name holds a glob character', () => {
  const dir = folder();

  for (const name of Object.keys(SIZES)) {
    it(`reads ${name}, named on its own, as exactly that file`, () => {
      const input = analyze(path.join(dir, name));
      expect(input.files).toEqual([path.join(dir, name)]);
      expect(input.rows).toBe(SIZES[name]);
      expect(input.detected.map((f) => f.file)).toEqual([path.join(dir, name)]);
      balances(input);
    }, 60_000);
  }

  it('still expands a real glob, reads its files (names with glob characters too) in one scan and balances the rows', () => {
    const run = runAov(['analyze', path.join(dir, '*.csv'), '--json', '--no-cache'], { AOV_TRACE: 'full' });
    expect(run.code, run.stderr.slice(-1000)).toBe(0);
    const input = (JSON.parse(run.stdout) as { input: AnalyzeInput }).input;
    // glob's order (sorted): a*b, axb, c?d, jan1, jan[1] ('1' < '[')
    const names = ['a*b.csv', 'axb.csv', 'c?d.csv', 'jan1.csv', 'jan[1].csv'];
    expect(input.files).toEqual(names.map((n) => path.join(dir, n)));
    expect(input.detected.map((f) => f.rows)).toEqual(names.map((n) => SIZES[n]));
    expect(input.rows).toBe(3 + 5 + 7 + 11 + 2);
    balances(input);
    // one read_csv over the list (the files with glob characters through links), not one per file
    const fullReads = run.stderr.split('\n').filter((line) => line.startsWith('[aov] ') && line.includes('store_rejects=true'));
    expect(fullReads).toHaveLength(1);
    expect(fullReads[0]).toContain("read_csv(['");
  }, 60_000);

  it('expands a pattern that names no file: [ac]*.csv is a*b, axb and c?d', () => {
    const input = analyze(path.join(dir, '[ac]*.csv'));
    expect(input.files).toEqual(['a*b.csv', 'axb.csv', 'c?d.csv'].map((n) => path.join(dir, n)));
    expect(input.rows).toBe(3 + 5 + 7);
    balances(input);
  }, 60_000);

  it('keeps a path DuckDB would expand out of a shared scan, and a scan that read files it did not list fails (each file is then read on its own)', async () => {
    const engine = await openEngine();
    const work = await makeWorkDir();
    try {
      const members: ScanMember[] = [];
      for (const [index, name] of ['a*b.csv', 'axb.csv', 'c?d.csv'].entries()) {
        // the path as the old import handed it to DuckDB (prepareSource now gives a link)
        const prepared = await prepareSource(path.join(dir, name), work.dir);
        const source = { ...prepared, readPath: path.join(dir, name) };
        if (name !== 'axb.csv') expect(scanKey(source)).toBeUndefined();
        const detection = detectFormat(source.header, source.display, {});
        members.push({ index, source, plan: await planFused(engine, source, index, {}, false, detection) });
      }
      // DuckDB reads a*b.csv as a*b.csv and axb.csv: 4 files for a list of 3, 20 lines for 15
      await expect(stageGroup(engine, members, {})).rejects.toThrow(/the scan of 3 files read 20 lines, 13 in the files listed \(7 in none\)/);
    } finally {
      engine.close();
      await work.cleanup();
    }
  }, 60_000);
});
