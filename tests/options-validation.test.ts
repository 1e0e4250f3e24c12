import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli.js';
import { specOf, VALUE_SPECS } from '../src/options/optionSpecs.js';
import { columnsFound, quoteValue } from '../src/errors.js';
import { validateReport } from '../src/io/previousReport.js';
import { validateRules } from '../src/io/rulesFile.js';
import { ROOT, fixture, tempDir } from './helpers.js';

const sample = fixture('sample-orders.csv');

/**
 * The real bin/aov with a time limit: before range checks, `--step 0` looped forever, and a
 * test must fail rather than hang. A killed run has code null.
 */
function aov(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'aov'), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined },
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function folderWithConfig(config: unknown): string {
  const dir = tempDir('aov-options-');
  writeFileSync(path.join(dir, 'aov.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('--force counts only on the command line (#22 item 10)', () => {
  it('refuses a config with "force" found in a parent folder, naming the file and the key, and leaves the files alone', () => {
    const parent = folderWithConfig({ force: true });
    const cwd = path.join(parent, 'shop', 'weekly');
    mkdirSync(path.join(cwd, 'out'), { recursive: true });
    const mine = path.join(cwd, 'out', 'report.md');
    writeFileSync(mine, 'my own notes\n');
    const result = aov(['report', sample, '--out', 'out', '--quiet'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`aov: error: ${path.join(parent, 'aov.config.json')}: "force" cannot be set in a config file; found true.`);
    expect(result.stderr).toContain('hint: --force replaces existing files');
    expect(readFileSync(mine, 'utf8')).toBe('my own notes\n');
  });

  it('still replaces the files with --force typed on the command line', () => {
    const cwd = tempDir('aov-options-');
    mkdirSync(path.join(cwd, 'out'));
    writeFileSync(path.join(cwd, 'out', 'report.md'), 'old\n');
    expect(aov(['report', sample, '--out', 'out', '--quiet'], cwd).code).toBe(2);
    expect(aov(['report', sample, '--out', 'out', '--quiet', '--force'], cwd).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'report.md'), 'utf8')).toContain('# Average order value report');
  });
});

describe('every numeric option is range-checked, on the command line and in the config (#22 item 11)', () => {
  // [command line, the message's start]; each fails at option parsing, before any file is read.
  const threshold = ['suggest-threshold', sample, '--gift-cost', '1', '--margin', '0.4'];
  const cases: [string[], string][] = [
    [[...threshold, '--step', '0'], '--step must be a number from 0.01 to 100 (found 0).'],
    [[...threshold, '--step', '-1'], '--step must be a number from 0.01 to 100 (found -1).'],
    [[...threshold, '--resamples', '1e12'], '--resamples must be a whole number from 1 to 100,000 (found 1e12).'],
    [[...threshold, '--resamples', '1e9'], '--resamples must be a whole number from 1 to 100,000 (found 1e9).'],
    [[...threshold, '--seed', '0'], '--seed must be a whole number from 1 to 4,294,967,295 (found 0).'],
    [[...threshold, '--range', '0-100000'], '--range must be two percents above the anchor from 0 to 1000'],
    [[...threshold, '--uptake', '1.5'], '--uptake must be a share above 0 and at most 1'],
    [[...threshold, '--reach', '-2'], '--reach must be an amount from 0 to 1,000,000,000,000 (found -2).'],
    [[...threshold, '--existing-threshold', '0'], '--existing-threshold must be an amount above 0'],
    [['suggest-threshold', sample, '--gift-cost', '1e300', '--margin', '0.4'], '--gift-cost must be an amount from 0 to 1,000,000,000,000 (found 1e300).'],
    [['suggest-threshold', sample, '--gift-cost', '0x10', '--margin', '0.4'], '--gift-cost must be an amount'],
    [['report', sample, '--out', 'never-written', '--step', '0'], '--step must be'],
    [['report', sample, '--out', 'never-written', '--max-size', '50'], '--max-size must be a whole number from 1 to 10 (found 50).'],
    [['analyze', sample, '--resamples', '1e9'], '--resamples must be a whole number from 1 to 100,000 (found 1e9).'],
    [['analyze', sample, '--influence', '2'], '--influence must be a share above 0 and at most 1'],
    [['analyze', sample, '--min-segment-orders', '0'], '--min-segment-orders must be a whole number from 1'],
    [['analyze', sample, '--nps', fixture('nps_survey.csv'), '--threshold', '-5'], '--threshold must be an amount from 0'],
    [['bundles', sample, '--max-q', '2'], '--max-q must be a share from 0 to 1'],
    [['bundles', sample, '--min-confidence', '1.5'], '--min-confidence must be a share from 0 to 1'],
    [['bundles', sample, '--top', '0'], '--top must be a whole number from 1 to 100,000 (found 0).'],
    [['bundles', sample, '--max-basket', '2.5'], '--max-basket must be a whole number from 1'],
    [['bundles', sample, '--min-support', '-1'], '--min-support must be a share of baskets above 0 and under 1'],
    [['bundles', sample, '--min-support', 'abc'], '--min-support must be a share of baskets'],
    [['bundles', sample, '--bundle-discount', '150'], '--bundle-discount must be a discount range under 100%'],
    [['bundles', sample, '--min-bundle-margin', '0'], '--min-bundle-margin must be a share above 0'],
    [['suggest-tier', sample, '--top', '0'], '--top must be a share above 0 and at most 1 (or a percent such as 10%) (found 0).'],
    [['suggest-tier', sample, '--window', '1e9'], '--window must be a whole number from 1 to 36,500 (found 1e9).'],
    [['suggest-tier', sample, '--response-hours', '0'], '--response-hours must be a whole number from 1'],
    [['suggest-second-order', sample, '--gift-cost', '2', '--lift', '-0.1'], '--lift must be a number from 0 to 10 (found -0.1).'],
    [['suggest-second-order', sample, '--gift-cost', '2', '--valid-days', '0'], '--valid-days must be a whole number from 1'],
    [['rules', sample, '--out', 'never-written.json', '--top', '2'], '--top must be a share above 0 and at most 1'],
    [['rules', sample, '--out', 'never-written.json', '--second-order-gift-cost', '-1'], '--second-order-gift-cost must be an amount from 0'],
  ];
  it.each(cases)('aov %j exits 2 with one clear error and a hint', (args, message) => {
    const cwd = tempDir('aov-options-');
    const result = aov(['--no-config', ...args, '--quiet'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toContain(`aov: error: ${message}`);
    expect(result.stderr).toMatch(/\n {2}hint: Example: /);
    expect(result.stdout).toBe('');
  });

  it('applies the same rules to aov.config.json values, in one wording', () => {
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ step: 0 }, ['suggest-threshold', sample, '--gift-cost', '1', '--margin', '0.4'], '"step" should be a number from 0.01 to 100; found 0.'],
      [{ resamples: 1e12 }, ['suggest-threshold', sample, '--gift-cost', '1', '--margin', '0.4'], '"resamples" should be a whole number from 1 to 100,000; found 1000000000000.'],
      [{ bundles: { top: 0.05 } }, ['bundles', sample], '"top" should be a whole number from 1 to 100,000; found 0.05.'],
      [{ 'suggest-tier': { top: 5 } }, ['suggest-tier', sample], '"top" should be a share above 0 and at most 1 (or a percent such as 10%); found 5.'],
      // One key, one meaning (#23): "top" is a count in bundles and a share in suggest-tier.
      [{ top: 0.05 }, ['bundles', sample], '"top" means different things in bundles (a whole number from 1 to 100,000) and suggest-tier, rules (a share above 0 and at most 1 (or a percent such as 10%)).'],
      [{ giftCost: 'three' }, ['suggest-threshold', sample, '--margin', '0.4'], '"giftCost" should be an amount from 0 to 1,000,000,000,000; found "three".'],
      [{ maxQ: true }, ['bundles', sample], '"maxQ" should be a share from 0 to 1 (or a percent such as 10%); found true.'],
      [{ value: 'gross' }, ['analyze', sample], '"value" should be one of subtotal, total; found "gross".'],
    ];
    for (const [config, args, message] of cases) {
      const dir = folderWithConfig(config);
      const result = aov(args, dir);
      expect(result.code, JSON.stringify(config)).toBe(2);
      expect(result.stderr).toContain(`aov: error: ${path.join(dir, 'aov.config.json')}: ${message}`);
      expect(result.stderr).not.toMatch(/expected|got /);
    }
    const scoped = folderWithConfig({ 'suggest-tier': { top: '5%' }, bundles: { top: 2 } });
    const valid = aov(['suggest-tier', sample, '--json'], scoped);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout).topShare).toBe(0.05);
    const bundles = aov(['bundles', sample, '--min-support', '20', '--json'], scoped);
    expect(bundles.code, bundles.stderr).toBe(0);
    // 3 pairs pass the filters on the sample at --min-support 20; the scoped top shows 2.
    expect(JSON.parse(bundles.stdout).pairs).toHaveLength(2);
  });

  it('declares every numeric option of every command through the value table', () => {
    // Options that take text, not a number: paths, names, dates, patterns, metrics.
    const textOptions = new Set([
      'config', 'map', 'currency', 'delimiter', 'orders', 'items', 'products', 'tz', 'by', 'nps', 'emit', 'out', 'compare', 'failOn', 'title', 'now',
      'since', 'costs', 'for', 'itemPattern', 'excludeItems', 'csv', 'gift', 'check', 'giftProduct', 'rules', 'writeCalibration',
      // A size with a unit (512MB), checked in toLoadOptions; a candidate for the table.
      'memory',
    ]);
    const unchecked: string[] = [];
    for (const command of buildProgram().commands) {
      for (const option of command.options) {
        const key = option.attributeName();
        if (option.isBoolean() || option.negate || option.argChoices || specOf(option.parseArg) || textOptions.has(key)) continue;
        unchecked.push(`${command.name()} ${option.flags}`);
      }
    }
    expect(unchecked).toEqual([]);
  });

  it('accepts the edges of each range and refuses just past them', () => {
    const step = VALUE_SPECS.step;
    expect([step.parse('0.01'), step.parse('100'), step.parse('0'), step.parse('100.5'), step.parse('Infinity'), step.parse(' ')]).toEqual([0.01, 100, undefined, undefined, undefined, undefined]);
    const resamples = VALUE_SPECS.resamples;
    expect([resamples.parse('1'), resamples.parse('100000'), resamples.parse('1e5'), resamples.parse('100001'), resamples.parse('2.5')]).toEqual([1, 100000, 100000, undefined, undefined]);
    const share = VALUE_SPECS.tierTop;
    expect([share.parse('10%'), share.parse('1'), share.parse('0'), share.parse('101%')]).toEqual([0.1, 1, undefined, undefined]);
    expect([VALUE_SPECS.maxQ.parse('0'), VALUE_SPECS.giftCost.parse('0'), VALUE_SPECS.giftCost.parse('-0.01')]).toEqual([0, 0, undefined]);
    expect([VALUE_SPECS.minSupport.parse('0.01'), VALUE_SPECS.minSupport.parse('20'), VALUE_SPECS.minSupport.parse('0')]).toEqual(['0.01', '20', undefined]);
  });
});

describe('aov report --compare validates the earlier report.json (#22 item 12)', () => {
  const broken: [string, string, string][] = [
    ['schema only', '{"schema":"aov.report/v1"}', '/currencies: missing'],
    ['currencies as a string', '{"schema":"aov.report/v1","currencies":"EUR"}', '/currencies: must be array'],
    ['an array', '[null, 5]', '/: must be object'],
    ['another tool\'s JSON', '{"schema":"other.report/v2","currencies":[]}', '/schema: must be "aov.report/v1"'],
  ];
  it.each(broken)('refuses %s with exit 2, naming the file and the field', (_name, text, field) => {
    const dir = tempDir('aov-compare-');
    const previous = path.join(dir, 'previous.json');
    writeFileSync(previous, text);
    const result = aov(['report', sample, '--out', path.join(dir, 'r'), '--compare', previous, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`aov: error: ${previous}: not a valid aov.report/v1 report: ${field}`);
    expect(result.stderr).toContain('hint: ');
    expect(result.stderr).not.toMatch(/internal error|TypeError/);
  });

  it('refuses a file that is not JSON, without quoting it', () => {
    const dir = tempDir('aov-compare-');
    const previous = path.join(dir, 'previous.json');
    writeFileSync(previous, 'secret-token-4711 is not JSON at all');
    const result = aov(['report', sample, '--out', path.join(dir, 'r'), '--compare', previous, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`aov: error: ${previous}: not valid JSON`);
    expect(result.stderr).not.toContain('secret');
  });

  it('names the field of a hand-edited figure deep inside the currencies', () => {
    const dir = tempDir('aov-compare-');
    expect(aov(['report', sample, '--out', path.join(dir, 'a'), '--quiet']).code).toBe(0);
    const previous = path.join(dir, 'a', 'report.json');
    const document = JSON.parse(readFileSync(previous, 'utf8'));
    document.currencies[0].aov.median = '18.00';
    writeFileSync(previous, JSON.stringify(document));
    const result = aov(['report', sample, '--out', path.join(dir, 'b'), '--compare', previous, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not a valid aov.report/v1 report: /currencies/0/aov/median: must be number');
  });

  it('a freshly written report.json (with NPS, threshold, bundles and a comparison) validates against schemas/aov.report.v1.json', async () => {
    const dir = tempDir('aov-compare-');
    const args = ['report', sample, '--gift-cost', '0.25', '--margin', '0.4', '--nps', fixture('nps_survey.csv'), '--quiet'];
    expect(aov([...args, '--out', path.join(dir, 'a')]).code).toBe(0);
    const first = JSON.parse(readFileSync(path.join(dir, 'a', 'report.json'), 'utf8'));
    expect(await validateReport(first)).toEqual([]);
    expect(first.currencies[0].threshold).not.toBeNull();
    expect(aov([...args, '--out', path.join(dir, 'b'), '--compare', path.join(dir, 'a', 'report.json')]).code).toBe(0);
    const second = JSON.parse(readFileSync(path.join(dir, 'b', 'report.json'), 'utf8'));
    expect(second.comparison.metrics.length).toBeGreaterThan(0);
    expect(await validateReport(second)).toEqual([]);
  });
});

describe('errors never echo a file\'s content', () => {
  it('a config pointing --nps at a secret file does not print its first line', () => {
    const dir = tempDir('aov-secret-');
    const secret = path.join(dir, 'shadow');
    writeFileSync(secret, 'root:$6$saltsalt$hashhashhash:20228:0:99999:7:::\nbin:*:20228:0:99999:7:::\n');
    const cwd = folderWithConfig({ nps: secret });
    const result = aov(['analyze', sample], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${secret}: no customer (email or id) column in the survey`);
    expect(result.stderr).not.toContain('root');
    expect(result.stderr).not.toContain('hash');
  });

  it('cuts a 300,000-character header name to 80 characters or less in the hint', () => {
    const dir = tempDir('aov-secret-');
    const file = path.join(dir, 'wide.csv');
    writeFileSync(file, `order,${'x'.repeat(300_000)},date\n1,2,2024-01-01\n`);
    const result = aov(['analyze', file]);
    expect(result.code).toBe(2);
    expect(result.stderr.length).toBeLessThan(1000);
    // The import may keep only the header's first characters; either way the hint shows at most 40.
    expect(result.stderr).toMatch(/"x{39}… \([\d,]+ characters\)"/);
    expect(result.stderr).not.toContain('x'.repeat(41));
  });

  it('a config or rules file that is not JSON is not quoted either', () => {
    const cwd = folderWithConfig('password=hunter2\n');
    const config = aov(['analyze', sample], cwd);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('aov.config.json: not valid JSON');
    expect(config.stderr).not.toContain('hunter2');
    const rules = path.join(cwd, 'rules.json');
    writeFileSync(rules, 'password=hunter2\n');
    const check = aov(['rules', '--check', rules]);
    expect(check.code).toBe(2);
    expect(check.stderr).not.toContain('hunter2');
  });

  it('quoteValue and columnsFound keep quoted values short', () => {
    expect(quoteValue('x'.repeat(100))).toBe(`${'x'.repeat(79)}… (100 characters)`);
    expect(quoteValue('a\nb')).toBe('a\\u000ab');
    expect(columnsFound(['root:*:20228:0:99999:7:::'])).not.toContain('root');
    expect(columnsFound(Array.from({ length: 40 }, (_, i) => `c${i}`))).toMatch(/c29 and 10 more\.$/);
  });
});

describe('locales are checked with Intl.getCanonicalLocales', () => {
  it('refuses --locale xx_YY!! before writing any rules file', () => {
    const dir = tempDir('aov-locale-');
    const rules = path.join(dir, 'rules.json');
    const result = aov(['--no-config', 'suggest-threshold', sample, '--gift-cost', '0.1', '--margin', '0.4', '--locale', 'it-IT', 'xx_YY!!', '--emit', rules]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('aov: error: --locale must be a language tag such as it-IT or nb-NO (found xx_YY!!).');
    const config = aov(['rules', sample, '--gift-cost', '0.1', '--margin', '0.4', '--out', rules], folderWithConfig({ locale: ['nb-NO', 'xx_YY!!'] }));
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('"locale" should be a language tag such as it-IT or nb-NO; found ["nb-NO","xx_YY!!"].');
  });

  it('still writes messages for well-formed locales', () => {
    const result = aov(['--no-config', 'suggest-threshold', sample, '--gift-cost', '0.1', '--margin', '0.4', '--locale', 'it-IT', 'nb-NO', '--no-prior', '--json']);
    expect(result.code).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout).rule.message)).toEqual(['en', 'it-IT', 'nb-NO']);
  });

  it('aov rules --check names a message whose locale is not a language tag', async () => {
    const rule = { type: 'gift_threshold', threshold: { amount: '59.00', currency: 'EUR' }, reward: { kind: 'gift' }, message: { en: 'Only {remaining} to go', 'xx_YY!!': 'x' } };
    const dir = tempDir('aov-locale-');
    const file = path.join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ schema: 'aov.rules/v1', rules: [rule] }));
    const result = aov(['rules', '--check', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/rules/0/message: "xx_YY!!" is not a language tag such as it-IT or nb-NO (BCP 47)');
    // Shaped like a tag, refused by Intl: a private-use prefix with nothing after it.
    expect(await validateRules({ schema: 'aov.rules/v1', rules: [{ ...rule, message: { en: 'x', 'en-x': 'y' } }] })).toEqual([
      { path: '/rules/0/message', message: '"en-x" is not a language tag such as it-IT or nb-NO (BCP 47)' },
    ]);
  });
});
