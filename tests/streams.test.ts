/**
 * Messages on stderr, data on stdout, for every command, through the real bin/aov: with --json
 * stdout is one JSON document and nothing else; warnings, notes, row counts and status lines
 * are on stderr, in one form (`aov: warning:`, `aov: note:`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runAov, tempDir } from './helpers.js';

const sample = fixture('sample-orders.csv');
const flat = (text: string) => text.replace(/\s+/g, ' ');
/** Data lines of the sample (its physical lines minus the header), counted from the file. */
const sampleRows = readFileSync(sample, 'utf8').trimEnd().split('\n').length - 1;

describe('stdout carries the result, stderr the messages', () => {
  it('aov analyze: the row accounting and the warnings are on stderr, the same with and without --json', () => {
    const text = runAov(['analyze', sample]);
    const json = runAov(['analyze', sample, '--json']);
    expect([text.code, json.code]).toEqual([0, 0]);
    expect(JSON.parse(json.stdout).schema).toBe('aov.analyze/v1');
    expect(text.stderr).toContain(`Rows: ${sampleRows.toLocaleString('en-US')} read = `);
    // The sample's AOV (27.93 EUR, README) is under the 30-150 range the rules of thumb assume.
    expect(flat(text.stderr)).toContain('aov: warning: AOV 27.93 EUR is outside 30-150');
    // (The JSON document carries them as data, in input and warnings.)
    expect(text.stdout).not.toMatch(/^Rows: /m);
    expect(text.stdout).not.toContain('outside 30-150');
    expect(text.stdout).toMatch(/^EUR · 2,694 orders/);
    expect(json.stderr).toBe(text.stderr);
  });

  it('aov analyze: a rejected row is reported on stderr', () => {
    const r = runAov(['analyze', fixture('bad_price.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/rejected \(/);
    expect(r.stdout).not.toMatch(/rejected/);
  });

  it('aov suggest-threshold: notes are on stderr, with or without --json', () => {
    // The sample has a Unit Cost column, so --margin is not used (src/commands/threshold.ts says so).
    for (const extra of [[], ['--json']]) {
      const r = runAov(['suggest-threshold', sample, '--margin', '0.4', '--gift-cost', '3', ...extra]);
      expect(r.code).toBe(0);
      expect(flat(r.stderr)).toContain('aov: note: --margin 0.4 is not used: the export has cost or profit data');
      if (extra.length) expect(JSON.parse(r.stdout).schema).toBe('aov.threshold/v1');
      else expect(r.stdout).not.toContain('is not used');
    }
  });

  it('aov bundles: notes are on stderr', () => {
    // One of the sample's 18 items has a cost here: bundles says how many matched.
    const costs = path.join(tempDir('aov-streams-'), 'costs.csv');
    writeFileSync(costs, 'sku,cost\nGFT-BX,0.90\n');
    const r = runAov(['bundles', sample, '--min-support', '20', '--costs', costs]);
    expect(r.code).toBe(0);
    expect(flat(r.stderr)).toContain(`aov: note: ${costs}: costs for 1 of 18 items.`);
    expect(r.stdout).not.toContain('costs for');
  });

  it('aov rules: the status line and what was not written are on stderr; stdout is empty', () => {
    const out = path.join(tempDir('aov-streams-'), 'rules.json');
    const r = runAov(['rules', sample, '--min-support', '20', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Wrote .*rules\.json: \d+ rules/);
    expect(flat(r.stderr)).toContain('aov: note: not written: EUR threshold: give --gift-cost');
  });

  it('every command with --json prints one JSON document on stdout and nothing else', () => {
    const commands = [
      ['analyze', sample],
      ['suggest-threshold', sample, '--gift-cost', '0.25'],
      ['bundles', sample, '--min-support', '20'],
      ['suggest-tier', sample],
      ['suggest-second-order', sample, '--gift-cost', '1'],
      ['formats', sample],
    ];
    for (const args of commands) {
      const r = runAov([...args, '--json']);
      expect([args[0], r.code]).toEqual([args[0], 0]);
      const doc = JSON.parse(r.stdout);
      expect([args[0], typeof doc.schema]).toEqual([args[0], 'string']);
    }
  });
});
