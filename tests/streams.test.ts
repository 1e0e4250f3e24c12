/**
 * Messages on stderr, data on stdout, for every command, through the real bin/aov: with --json
 * stdout is one JSON document and nothing else; warnings, notes, row counts and status lines
 * are on stderr, in one form (`aov: warning:`, `aov: note:`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixture, runAov, tempDir } from './helpers.js';

const sample = fixture('sample-orders.csv');
const flat = (text: string) => text.replace(/\s+/g, ' ');
/** Data lines of the sample (its physical lines minus the header), counted from the file. */
/** A valid aov.rules/v1 file with no rules. */
function emptyRules(): string {
  const file = path.join(tempDir('aov-streams-'), 'empty-rules.json');
  writeFileSync(file, JSON.stringify({ schema: 'aov.rules/v1', rules: [] }));
  return file;
}
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
    // (In the terminal a blank line separates them from the result.)
    expect(json.stderr).toBe(text.stderr.replace(/^\n/, ''));
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
    expect(flat(r.stderr)).toMatch(/^Wrote .*rules\.json: 1 rule \(1 priority_support_tier\)/);
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
      ['config', 'report'],
      ['rules', sample, '--min-support', '20', '--out', path.join(tempDir('aov-streams-'), 'rules.json')],
      ['rules', '--check', emptyRules()],
    ];
    for (const args of commands) {
      const r = runAov([...args, '--json']);
      expect([args[0], r.code]).toEqual([args[0], 0]);
      const doc = JSON.parse(r.stdout);
      expect([args[0], typeof doc.schema]).toEqual([args[0], 'string']);
    }
  });
});

describe('--json on config and rules', () => {
  it('aov config --json lists each setting once with its value and where it comes from', () => {
    const dir = tempDir('aov-streams-');
    writeFileSync(path.join(dir, 'aov.config.json'), JSON.stringify({ currency: 'EUR', bundles: { top: 20 } }));
    const r = runAov(['config', 'bundles', '--json'], {}, dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schema: 'aov.config/v1', command: 'bundles', configFile: path.join(dir, 'aov.config.json') });
    expect(doc.settings.currency).toEqual({ value: 'EUR', source: 'config' });
    expect(doc.settings.top).toEqual({ value: 20, source: 'config' });
    // Defaults from cli.ts's option list: --max-q 0.05, --sort lift; --for has none.
    expect(doc.settings.maxQ).toEqual({ value: 0.05, source: 'default' });
    expect(doc.settings.sort).toEqual({ value: 'lift', source: 'default' });
    expect(doc.settings.for).toEqual({ value: null, source: 'unset' });
    // The terminal listing shows the same settings, one line each.
    const text = runAov(['config', 'bundles'], {}, dir).stdout.trimEnd().split('\n').slice(1);
    expect(text.map((line) => line.trim().split(/\s+/)[0])).toEqual(Object.keys(doc.settings));
  });

  it('aov rules --json prints the file it wrote, valid against schemas/aov.rules.v1.json', async () => {
    const out = path.join(tempDir('aov-streams-'), 'rules.json');
    const r = runAov(['rules', sample, '--min-support', '20', '--gift-cost', '0.2', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(out, 'utf8'));
    const { default: Ajv } = (await import('ajv/dist/2020.js')) as unknown as { default: new (options: object) => { compile(schema: object): ((d: unknown) => boolean) & { errors?: unknown } } };
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'aov.rules.v1.json'), 'utf8')));
    expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('aov rules --check --json gives the verdict and each problem, exit 2 when invalid', () => {
    const bad = path.join(tempDir('aov-streams-'), 'bad.json');
    writeFileSync(bad, JSON.stringify({ schema: 'aov.rules/v1', rules: [], extra: 1 }));
    const r = runAov(['rules', '--check', bad, '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schema: 'aov.rulesCheck/v1', file: bad, valid: false, rules: null });
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0].message).toContain('extra');
    const good = runAov(['rules', '--check', emptyRules(), '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ valid: true, rules: 0, problems: [] });
  });
});
