import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AovError } from '../src/errors.js';
import { loadOrders } from '../src/io/load.js';
import { fixture, runAov, tempDir } from './helpers.js';

// A small valid export to mutate: the sample shop's first 30 lines.
const base = readFileSync(fixture('sample-orders.csv'), 'utf8').split('\n').slice(0, 31);
// The header and the lines of orders SO-10001 to SO-10011 (lines 1-15; SO-10012 starts on line
// 16): half the cases mutate only the lines after this prefix, whose orders must then keep
// their exact value.
const PREFIX = 16;
/**
 * Each prefix order's value in minor units, summed with BigInt from the fixture's text: the
 * last six cells are Quantity, Unit Price, Unit Cost, Currency, Country, Status (only the
 * Product cell before them is quoted and may hold commas); prices have 2 decimals (EUR).
 */
const prefixValues = new Map<string, bigint>();
for (const line of base.slice(1, PREFIX)) {
  const cells = line.split(',');
  const [whole, cents = ''] = cells.at(-5)!.split('.');
  const priceMinor = BigInt(whole) * 100n + BigInt(cents.padEnd(2, '0'));
  prefixValues.set(cells[0], (prefixValues.get(cells[0]) ?? 0n) + BigInt(cells.at(-6)!) * priceMinor);
}

/** The outcome of a promise as a value: refusals are checked, not caught and skipped. */
const settle = <T>(promise: Promise<T>) => promise.then((result) => ({ result, error: undefined }), (error: unknown) => ({ result: undefined, error }));
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

function apply(lines: string[], mutations: { kind: string; at: number; a?: number; b?: number; text?: string }[], from = 0): string {
  const out = [...lines];
  for (const m of mutations) {
    if (out.length <= from) out.push('');
    // With from = 0, line 0 (the header) is mutated too, but less often: indexes wrap over
    // all lines; otherwise only lines from `from` on are touched.
    const i = from + (m.at % (out.length - from));
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
  it(`never crashes, keeps the invariants, and leaves untouched orders exact (${runs} runs; FUZZ_RUNS raises it)`, async () => {
    let n = 0;
    let prefixChecked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), async (mutations, keepPrefix) => {
        const file = path.join(dir, `case-${n++}.csv`);
        const text = apply(base, mutations, keepPrefix ? PREFIX : 0);
        writeFileSync(file, text);
        const { result, error } = await settle(loadOrders([file]));
        if (!result) {
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
        if (!keepPrefix) return;
        // Rows the mutations did not touch keep their outcome: each prefix order whose id no
        // mutated line mentions is counted with its exact value.
        const tail = text.split('\n').slice(PREFIX).join('\n');
        const found = new Map<string, bigint>();
        for (const t of tables) [...t.orderIds].forEach((id, k) => found.set(id, BigInt(t.valueMinor[k])));
        let untouched = 0;
        for (const [id, valueMinor] of prefixValues) {
          if (tail.includes(id)) continue;
          expect(found.get(id), id).toBe(valueMinor);
          untouched++;
        }
        prefixChecked += untouched;
      }),
      { numRuns: runs, seed: 20241122 },
    );
    // The untouched-prefix branch must be reached, not only the refusals.
    expect(prefixChecked).toBeGreaterThan(runs);
  }, 600_000);

  it(`keeps revenue equal to an exact BigInt sum of the lines, for quantities and prices up to 10^9 and unknown currency codes (${Math.ceil(runs / 2)} runs)`, async () => {
    // Currencies with 0, 2 and 3 decimals, a withdrawn one, and codes aov must reject.
    const DECIMALS: Record<string, number> = { JPY: 0, EUR: 2, KWD: 3, HRK: 2 };
    const UNKNOWN = ['ZZZ', 'BTC', 'XAU'];
    const order = fc.record({
      currency: fc.constantFrom(...Object.keys(DECIMALS), ...UNKNOWN),
            // B2B-sized lines up to 10^9 x 10^9 major units (beyond the exact range); half the
      // cases shrink them to shop size below (see `big`).
      lines: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 1e9 }), priceMinor: fc.bigInt({ min: 1n, max: 10n ** 12n }) }), { minLength: 1, maxLength: 4 }),
    });
    let n = 0;
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(order, { minLength: 1, maxLength: 12 }), fc.boolean(), async (drawn, big) => {
        const orders = big ? drawn : drawn.map((o) => ({ ...o, lines: o.lines.map((l) => ({ quantity: (l.quantity % 50) + 1, priceMinor: (l.priceMinor % 100_000n) + 1n })) }));
        const rows: string[] = [];
        const expected = new Map<string, bigint>();
        let unknownLines = 0;
        let largest = 0n;
        orders.forEach((o, k) => {
          const decimals = DECIMALS[o.currency] ?? 2;
          let orderMinor = 0n;
          for (const line of o.lines) {
            // The price as text with the currency's decimals, never beyond 10^9 major units.
            const priceMinor = line.priceMinor % (10n ** 9n * 10n ** BigInt(decimals)) + 1n;
            const text = decimals === 0 ? String(priceMinor) : `${priceMinor / 10n ** BigInt(decimals)}.${String(priceMinor % 10n ** BigInt(decimals)).padStart(decimals, '0')}`;
            rows.push(`${k + 1},2024-01-${String((k % 28) + 1).padStart(2, '0')},c${k},S${rows.length},${line.quantity},${text},${o.currency}`);
            orderMinor += BigInt(line.quantity) * priceMinor;
          }
          if (UNKNOWN.includes(o.currency)) unknownLines += o.lines.length;
          else {
            expected.set(o.currency, (expected.get(o.currency) ?? 0n) + orderMinor);
            if (orderMinor > largest) largest = orderMinor;
          }
        });
        const file = path.join(dir, `money-${n++}.csv`);
        writeFileSync(file, ['Order ID,Order Date,Customer ID,SKU,Quantity,Unit Price,Currency', ...rows].join('\n') + '\n');
        const tooLarge = largest > 10n ** 15n || [...expected.values()].some((v) => v > BigInt(Number.MAX_SAFE_INTEGER));
        const { result, error } = await settle(loadOrders([file]));
        if (!result) {
          expect(error).toBeInstanceOf(AovError);
          // Beyond the exact range the import stops; with only unknown codes there is no order.
          expect((error as AovError).code).toBe(tooLarge ? 'E_TOO_LARGE' : 'E_NO_DATA');
          if (!tooLarge) expect(expected.size).toBe(0);
          return;
        }
        expect(tooLarge).toBe(false);
        expect(result.input.rejectedByReason).toEqual(unknownLines ? { unknownCurrency: unknownLines } : {});
        const revenue = new Map(result.tables.map((t) => [t.currency, t.valueMinor.reduce((a, v) => a + BigInt(v), 0n)]));
        expect(revenue).toEqual(expected);
        checked++;
      }),
      { numRuns: Math.ceil(runs / 2), seed: 20261201 },
    );
    // The exact-sum branch must be reached often, not only the refusals.
    expect(checked).toBeGreaterThan(runs / 8);
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
