/**
 * 80 columns everywhere: every line aov prints on a successful run, stdout and stderr, with
 * colour forced and then stripped, fits an 80-column terminal. Run on the sample, on the real
 * data sets in ../shared/data, and for every --help.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, fixture, runAov, tempDir } from './helpers.js';

const WIDTH = 80;

/**
 * Terminal columns of a line: East Asian wide and fullwidth characters and emoji take two,
 * combining marks none (the ranges of Unicode's EastAsianWidth W/F that a shop's data uses).
 */
function columns(line: string): number {
  let width = 0;
  for (const char of line) {
    const code = char.codePointAt(0)!;
    if ((code >= 0x300 && code <= 0x36f) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) continue;
    const wide =
      (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) || (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

/** The lines wider than 80 columns in a run's stdout and stderr, labelled with the command. */
function tooWide(args: string[]): string[] {
  const result = runAov(args, { FORCE_COLOR: '1' });
  expect([args.join(' '), result.code, result.stderr.slice(0, 300)]).toEqual([args.join(' '), 0, expect.anything()]);
  return [...stripAnsi(result.stdout).split('\n'), ...stripAnsi(result.stderr).split('\n')]
    .filter((line) => columns(line) > WIDTH)
    .map((line) => `aov ${args.join(' ')}: ${columns(line)} columns: ${line}`);
}

const sample = fixture('sample-orders.csv');

/** Every command that prints, on one export; out names a scratch folder for the files written. */
/** `currency`: the --currency a file that does not state its own needs (issue #21: never guessed). */
function everyCommand(file: string, all = true, currency: string[] = []): string[][] {
  const out = tempDir('aov-columns-');
  const runs = [
    ['analyze', file],
    ['suggest-threshold', file, '--gift-cost', '1', '--margin', '0.4'],
    ['bundles', file, '--min-support', '20'],
    ['suggest-tier', file],
    ['suggest-second-order', file, '--gift-cost', '1', '--margin', '0.4'],
    ['formats', file],
    ['report', file, '--gift-cost', '1', '--margin', '0.4', '--out', path.join(out, 'report')],
    // The rest repeat the same renderers: on the sample only, to keep the real data sets' runs short.
    ...(all
      ? [
          ['analyze', file, '--by', 'country', '--nps', fixture('nps_survey.csv')],
          ['suggest-threshold', file, '--gift-cost', '1', '--anchor', 'median', '--calibrate'],
          ['rules', file, '--gift-cost', '1', '--margin', '0.4', '--out', path.join(out, 'rules.json')],
          ['init', file, '--yes', '--out', path.join(out, 'aov.config.json')],
        ]
      : []),
  ];
  return runs.map((args) => (args[0] === 'formats' ? args : [args[0], args[1], ...currency, ...args.slice(2)]));
}

describe('80 columns everywhere', () => {
  it('every --help, formats and config', () => {
    const commands = ['analyze', 'suggest-threshold', 'report', 'bundles', 'suggest-tier', 'suggest-second-order', 'init', 'rules', 'formats', 'config', 'completion'];
    const runs = [['--help'], ...commands.map((c) => [c, '--help']), ['formats'], ['config'], ['config', 'report']];
    expect(runs.flatMap(tooWide)).toEqual([]);
  }, 300_000);

  it('every command on the bundled sample', () => {
    expect(everyCommand(sample).flatMap(tooWide)).toEqual([]);
  }, 300_000);

  for (const name of ['shopify_orders_export.csv', 'superstore.csv', 'online_retail.csv.gz']) {
    it(`every command on ../shared/data/${name}`, () => {
      const file = path.join(DATA, name);
      if (!existsSync(file)) throw new Error(`${file} is missing: the shared data sets are read from ../shared/data (see its README).`);
      const currency = { 'superstore.csv': ['--currency', 'USD'], 'online_retail.csv.gz': ['--currency', 'GBP'] }[name] ?? [];
      expect(everyCommand(file, false, currency).flatMap(tooWide)).toEqual([]);
    }, 300_000);
  }

  it('bundles on the header-less Groceries baskets', () => {
    expect(tooWide(['bundles', path.join(DATA, 'groceries.csv'), '--format', 'baskets', '--max-size', '3'])).toEqual([]);
  }, 120_000);
});
