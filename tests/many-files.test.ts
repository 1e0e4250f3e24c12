/**
 * An export split into several files with one layout reads as the single file does: the same
 * orders, figures and row accounting, whether the parts are read one by one (under 8 files)
 * or combined into one read (8 small files or more, combine.ts), with and without the cache.
 * The guard for reading a glob in one scan (issue #20): the figures must not move.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runAov, tempDir } from './helpers.js';

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
    it(`gives the single file's figures and row accounting when split into ${parts} files (${parts < 8 ? 'read one by one' : 'combined into one read'}), cached or not`, () => {
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
});
