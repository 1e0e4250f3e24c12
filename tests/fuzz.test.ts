import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AovError } from '../src/errors.js';
import { loadOrders } from '../src/io/load.js';
import { fixture, runAov, tempDir } from './helpers.js';

// A small valid export to mutate: the sample shop's first 30 lines.
const base = readFileSync(fixture('sample-orders.csv'), 'utf8').split('\n').slice(0, 31);
const runs = Number(process.env.FUZZ_RUNS ?? 150);
const dir = tempDir('aov-fuzz-');

const oddText = fc.constantFrom('"', '""', ',', ';', '\n', '\r\n', '\r', '\u0000', '\u00e9', '\u20ac', '\ud83d\ude00', '\u202e', '=1+1', '1e308', '99999999999999999999', '-0', '  ', '');

/** One mutation of the line list: drop, duplicate or swap lines or cells, or inject odd text. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('dropLine'), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine'), at: fc.nat() }),
  fc.record({ kind: fc.constant('swapCells'), at: fc.nat(), a: fc.nat(10), b: fc.nat(10) }),
  fc.record({ kind: fc.constant('dropCell'), at: fc.nat(), a: fc.nat(10) }),
  fc.record({ kind: fc.constant('inject'), at: fc.nat(), a: fc.nat(10), text: oddText }),
  fc.record({ kind: fc.constant('hugeNumber'), at: fc.nat(), text: fc.constantFrom('1e12', '123456789012345678901234567890', 'NaN', 'Infinity', '-1') }),
);

function apply(lines: string[], mutations: { kind: string; at: number; a?: number; b?: number; text?: string }[]): string {
  const out = [...lines];
  for (const m of mutations) {
    // Line 0 (the header) is mutated too, but less often: indexes wrap over all lines.
    const i = m.at % out.length;
    const cells = out[i].split(',');
    if (m.kind === 'dropLine') out.splice(i, 1);
    else if (m.kind === 'duplicateLine') out.splice(i, 0, out[i]);
    else if (m.kind === 'swapCells') {
      const a = m.a! % cells.length;
      const b = m.b! % cells.length;
      [cells[a], cells[b]] = [cells[b], cells[a]];
      out[i] = cells.join(',');
    } else if (m.kind === 'dropCell') {
      cells.splice(m.a! % cells.length, 1);
      out[i] = cells.join(',');
    } else if (m.kind === 'inject') {
      const a = m.a! % cells.length;
      cells[a] = `${cells[a]}${m.text}`;
      out[i] = cells.join(',');
    } else if (m.kind === 'hugeNumber') {
      cells[Math.min(6, cells.length - 1)] = m.text!;
      out[i] = cells.join(',');
    }
    if (out.length === 0) out.push('');
  }
  return out.join('\n');
}

describe('fuzzing the import with mutated exports', () => {
  it(`never crashes and keeps the invariants (${runs} runs; FUZZ_RUNS raises it)`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (mutations) => {
        const file = path.join(dir, `case-${n++}.csv`);
        writeFileSync(file, apply(base, mutations));
        let result;
        try {
          result = await loadOrders([file]);
        } catch (error) {
          // Refusing bad input is fine; anything but an AovError is a crash.
          expect(error).toBeInstanceOf(AovError);
          expect((error as AovError).exitCode).toBe(2);
          return;
        }
        const { input, tables } = result;
        // Row accounting: every row read is used, excluded or rejected.
        expect(input.rowsUsed + input.rowsExcluded + input.rejected).toBe(input.rows);
        // Revenue accounting: integer minor units, no float drift.
        for (const t of tables) for (const v of t.valueMinor) expect(Number.isInteger(v)).toBe(true);
        expect(tables.reduce((a, t) => a + t.valueMinor.length, 0)).toBe(input.orders);
      }),
      { numRuns: runs, seed: 20241122 },
    );
  }, 600_000);

  it('through the real command line: exit 0 or 2, byte-identical JSON on a second run', () => {
    const samples = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 4 }), { numRuns: 8, seed: 7 });
    samples.forEach((mutations, k) => {
      const file = path.join(dir, `cli-${k}.csv`);
      writeFileSync(file, apply(base, mutations));
      const first = runAov(['analyze', file, '--json']);
      expect([0, 2]).toContain(first.code);
      expect(first.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
      if (first.code === 0) expect(runAov(['analyze', file, '--json']).stdout).toBe(first.stdout);
    });
  });
});
