/**
 * Errors in a terminal fit 80 columns (issue #21: 81- and 86-column lines were seen); in a log
 * or a pipe each stays one line, so that one error is one line to grep.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError } from '../src/report/messages.js';
import { DATA, ROOT, runAov } from './helpers.js';

const message = 'orders.csv: nothing says which currency the amounts are in (no currency column, no symbol in the amounts).';
const hint = 'Give the currency of the amounts: --currency GBP (most orders ship to United Kingdom, whose currency is GBP: check it is the shop\'s), or "currency": "GBP" in aov.config.json (aov init writes one).';
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe('error messages (#21)', () => {
  it('wraps the error, its hint and its note to 80 columns with hanging indents, losing no word', () => {
    const text = formatError(message, { hint, note: 'currency comes from /tmp/shop/aov.config.json (--no-config ignores it).' }, 80);
    const rows = text.trimEnd().split('\n');
    expect(Math.max(...rows.map((r) => r.length))).toBeLessThanOrEqual(80);
    expect(rows[0].startsWith('aov: error: orders.csv: nothing says')).toBe(true);
    expect(rows.filter((r) => r.startsWith('  hint: '))).toHaveLength(1);
    expect(rows.filter((r) => r.startsWith('  note: '))).toHaveLength(1);
    // Continuations sit under the text: 2 spaces for the error, 4 for hint and note.
    const hintAt = rows.findIndex((r) => r.startsWith('  hint: '));
    expect(rows.slice(1, hintAt).every((r) => /^ {2}\S/.test(r))).toBe(true);
    expect(rows[hintAt + 1]).toMatch(/^ {4}\S/);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(words(text)).toEqual(words(`aov: error: ${message} hint: ${hint} note: currency comes from /tmp/shop/aov.config.json (--no-config ignores it).`));
  });

  it('keeps each message one line at width 0 (a pipe or a log)', () => {
    expect(formatError(message, { hint }, 0)).toBe(`aov: error: ${message}\n  hint: ${hint}\n`);
  });

  it('through the real bin: one line each into a pipe', () => {
    const run = runAov(['analyze', path.join(DATA, 'online_retail.csv.gz')]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it.skipIf(!hasScript)(`through the real bin in a terminal: every line within 80 columns${hasScript ? '' : ' (skipped: no script(1))'}`, () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, 'bin', 'aov'))} analyze ${JSON.stringify(path.join(DATA, 'online_retail.csv.gz'))}`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status).toBe(2);
    const rows = run.stdout.replace(/\r/g, '').trimEnd().split('\n');
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.filter((r) => r.length > 80)).toEqual([]);
    expect(rows[0]).toMatch(/^aov: error: /);
  });
});
