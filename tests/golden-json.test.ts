/**
 * Golden JSON: the JSON of every command that prints a result, from the real bin/aov on the
 * bundled sample shop and small fixtures, compared byte for byte with the files under
 * tests/golden/. It guards refactors that must not change any output (#23, "one place per
 * concept"): a difference is either a bug of the refactor or an intended change, and then the
 * goldens are written again in the same commit, which says why.
 *
 * The goldens were first written from main's code (f90cb6b), before the #23 refactors.
 *
 * Write them again (after `npm run build`; the test runs bin/aov, which runs dist/):
 *   AOV_UPDATE_GOLDEN=1 npx vitest run tests/golden-json.test.ts
 * then read `git diff tests/golden/` before committing.
 *
 * What legitimately varies from run to run, and is replaced before comparing (nothing else is):
 * - the scratch folder of this run (absolute, under the system's tmp): written as `<scratch>`;
 * - the checkout's absolute path (another worktree, another machine): written as `<root>`.
 * No output carries a timestamp (report takes --now; rules --target takes --starts) nor aov's
 * version or a build hash, so nothing else is stripped: a new varying field makes this test fail,
 * and is then named here.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, ROOT, runAov, tempDir } from './helpers.js';

const GOLDEN = path.join(ROOT, 'tests', 'golden');
const UPDATE = process.env.AOV_UPDATE_GOLDEN === '1';

/** Paths as given on the command line, relative to the checkout: outputs quote them as given. */
const SAMPLE = 'fixtures/sample-orders.csv';
const NPS = 'fixtures/nps_survey.csv';

interface GoldenCase {
  /** The golden's file name without .json; also the test's name. */
  name: string;
  /** bin/aov's arguments; `<scratch>` stands for this run's scratch folder. */
  args: string[];
  /** Where the JSON is: stdout (the default) or a file the command writes, under `<scratch>`. */
  file?: string;
  /** The exit code the command ends with (0 unless said). */
  code?: number;
  /** Reads ../shared/data: skipped where the shared data are not there. */
  shared?: boolean;
}

/** A rules file for rules --check, evaluate --rules and report --rules (written before the cases run). */
const RULES_FIXTURE = {
  schema: 'aov.rules/v1',
  rules: [
    { type: 'gift_threshold', startsAt: '2024-07-01', threshold: { amount: '40.00', currency: 'EUR' }, reward: { kind: 'gift', cost: { amount: '1.00', currency: 'EUR' } }, message: { en: 'Add {remaining} for a gift' } },
    { type: 'bundle', startsAt: '2024-07-01', items: ['TEA-DJ', 'ACC-INF'], price: { amount: '19.00', currency: 'EUR' }, evidence: { support: 0.05, confidence: 0.2, lift: 1.1 } },
    { type: 'priority_support_tier', minSpend: { amount: '200.00', currency: 'EUR' }, window: '365d', responseTargetHours: 2 },
  ],
};

/** A rules file that fails the schema, for rules --check's verdict with problems. */
const BAD_RULES_FIXTURE = { schema: 'aov.rules/v1', rules: [{ type: 'gift_threshold', threshold: { amount: 'forty', currency: 'EUR' } }] };

const CASES: GoldenCase[] = [
  // analyze: one currency, segments and NPS, weekly trend, two currencies, other formats
  { name: 'analyze-sample', args: ['analyze', SAMPLE, '--json', '--no-cache'] },
  { name: 'analyze-sample-segments-nps', args: ['analyze', SAMPLE, '--by', 'new-vs-returning', '--nps', NPS, '--json', '--no-cache'] },
  { name: 'analyze-two-currencies', args: ['analyze', 'fixtures/two_currencies.csv', '--json', '--no-cache'] },
  { name: 'analyze-shopify-multiline', args: ['analyze', 'fixtures/shopify_multiline.csv', '--json', '--no-cache'] },
  { name: 'analyze-italian-semicolon', args: ['analyze', 'fixtures/italian_semicolon.csv', '--json', '--no-cache'] },
  { name: 'analyze-olist-multitable', args: ['analyze', '--orders', 'fixtures/formats/olist/orders.csv', '--items', 'fixtures/formats/olist/order_items.csv', '--products', 'fixtures/formats/olist/products.csv', '--currency', 'BRL', '--json', '--no-cache'] },
  // suggest-threshold: gift (the README's example), free shipping, no prior
  { name: 'suggest-threshold-gift', args: ['suggest-threshold', SAMPLE, '--gift-cost', '0.25', '--json', '--no-cache'] },
  { name: 'suggest-threshold-free-shipping', args: ['suggest-threshold', SAMPLE, '--mode', 'free-shipping', '--shipping-cost', '4.90', '--margin', '0.35', '--resamples', '300', '--json', '--no-cache'] },
  { name: 'suggest-threshold-no-prior', args: ['suggest-threshold', SAMPLE, '--gift-cost', '0.5', '--margin', '0.4', '--no-prior', '--range', '10-40', '--anchor', 'median', '--round', '5', '--json', '--no-cache'] },
  // bundles
  { name: 'bundles-sample', args: ['bundles', SAMPLE, '--min-support', '20', '--json', '--no-cache'] },
  { name: 'bundles-sample-share-size3', args: ['bundles', SAMPLE, '--min-support', '0.01', '--max-size', '3', '--top', '10', '--json', '--no-cache'] },
  { name: 'bundles-for-sku', args: ['bundles', SAMPLE, '--min-support', '20', '--for', 'TEA-DJ', '--json', '--no-cache'] },
  // loyalty
  { name: 'suggest-tier-sample', args: ['suggest-tier', SAMPLE, '--json', '--no-cache'] },
  { name: 'suggest-tier-top-window', args: ['suggest-tier', SAMPLE, '--top', '0.05', '--window', '180', '--json', '--no-cache'] },
  { name: 'suggest-second-order-sample', args: ['suggest-second-order', SAMPLE, '--gift-cost', '2', '--json', '--no-cache'] },
  { name: 'suggest-second-order-guest', args: ['suggest-second-order', 'fixtures/guest_checkout.csv', '--gift-cost', '1', '--margin', '0.5', '--burn-in', '0', '--json', '--no-cache'] },
  // evaluate: a threshold, a second-order gift, a rules file
  { name: 'evaluate-threshold', args: ['evaluate', SAMPLE, '--threshold', '40', '--since', '2024-07-01', '--gift-cost', '1', '--margin', '0.5', '--resamples', '200', '--json', '--no-cache'] },
  { name: 'evaluate-second-order', args: ['evaluate', SAMPLE, '--second-order-gift', '--since', '2024-06-01', '--gift-cost', '3', '--resamples', '200', '--json', '--no-cache'] },
  { name: 'evaluate-rules', args: ['evaluate', SAMPLE, '--rules', '<scratch>/fixture-rules.json', '--margin', '0.5', '--nps', NPS, '--resamples', '200', '--json', '--no-cache'] },
  // rules: written, with a target, checked (valid, invalid, converted)
  { name: 'rules-sample', args: ['rules', SAMPLE, '--gift-cost', '0.25', '--min-support', '20', '--out', '<scratch>/rules/rules.json', '--json', '--no-cache'] },
  { name: 'rules-sample-shopify', args: ['rules', SAMPLE, '--gift-cost', '0.2', '--min-support', '20', '--no-prior', '--bundle-elasticity', '2', '--target', 'shopify', '--out', '<scratch>/shopify', '--starts', '2026-01-01', '--tz', 'Europe/Berlin', '--json', '--no-cache'] },
  { name: 'rules-sample-shopify-manifest', args: [], file: 'shopify/aov-target.json' },
  { name: 'rules-check-valid', args: ['rules', '--check', '<scratch>/fixture-rules.json', '--json'] },
  { name: 'rules-check-invalid', args: ['rules', '--check', '<scratch>/bad-rules.json', '--json'], code: 2 },
  { name: 'rules-check-woocommerce', args: ['rules', '--check', '<scratch>/fixture-rules.json', '--target', 'woocommerce', '--out', '<scratch>/woo', '--starts', '2026-01-01', '--gift-product', '4242', '--json'] },
  // report: report.json and rules.json, monthly with NPS and --rules; weekly against it with --compare;
  // weekly period over period with alerts that fire (exit 1); two currencies without a threshold
  { name: 'report-sample-report', args: ['report', SAMPLE, '--out', '<scratch>/report', '--gift-cost', '0.25', '--nps', NPS, '--rules', '<scratch>/fixture-rules.json', '--resamples', '200', '--now', '2025-01-06T06:00:00Z', '--quiet', '--no-cache'], file: 'report/report.json' },
  { name: 'report-sample-rules', args: [], file: 'report/rules.json' },
  { name: 'report-weekly-compare-report', args: ['report', SAMPLE, '--out', '<scratch>/weekly', '--margin', '0.4', '--gift-cost', '0.5', '--period', 'week', '--nps', NPS, '--compare', '<scratch>/report/report.json', '--fail-on', 'aov.median:-1%', '--fail-on', 'nps:-50%', '--resamples', '300', '--quiet', '--no-cache'], file: 'weekly/report.json' },
  { name: 'report-weekly-alerts-report', args: ['report', SAMPLE, '--out', '<scratch>/alerts', '--period', 'week', '--nps', NPS, '--fail-on', 'orders:-50%', '--fail-on', 'aov.median:+10%', '--fail-on', 'nps:+5', '--quiet', '--no-cache'], file: 'alerts/report.json', code: 1 },
  // (exit 1: the last week's median rose 43.2%, 95% +0.8% to +86.4%, past aov.median:+10%. Its
  // lower end sits on the discrete law's edge: 0.0% with the draws of before 2026-12-03, 10-20
  // minor units above 0 with 200,000 resamples of either draw.)
  { name: 'report-no-threshold-report', args: ['report', 'fixtures/two_currencies.csv', '--out', '<scratch>/plain', '--period', 'week', '--fail-on', 'orders:-50%', '--quiet', '--no-cache'], file: 'plain/report.json' },
  // config, formats, init
  { name: 'config-analyze', args: ['config', 'analyze', '--json'] },
  { name: 'config-report', args: ['config', 'report', '--json'] },
  { name: 'config-suggest-threshold-with-file', args: ['--config', '<scratch>/aov.config.json', 'config', 'suggest-threshold', '--json'] },
  { name: 'formats-list', args: ['formats', '--json'] },
  { name: 'formats-sample', args: ['formats', SAMPLE, '--json'] },
  { name: 'formats-prestashop', args: ['formats', 'fixtures/formats/prestashop_fr.csv', '--json'] },
  { name: 'init-sample', args: ['init', SAMPLE, '--yes', '--out', '<scratch>/init/aov.config.json'], file: 'init/aov.config.json' },
  // one case on the shared data (a real Shopify export, about 2 s)
  { name: 'shared-shopify-threshold', args: ['suggest-threshold', path.relative(ROOT, path.join(DATA, 'shopify_orders_export.csv')), '--gift-cost', '3', '--margin', '0.5', '--resamples', '300', '--json', '--no-cache'], shared: true },
];

/** The scratch folder and the checkout named as placeholders: the two parts of an output that vary. */
function normalise(text: string, scratch: string): string {
  return text.split(scratch).join('<scratch>').split(ROOT).join('<root>');
}

describe('golden JSON of every command (tests/golden/; AOV_UPDATE_GOLDEN=1 writes them)', () => {
  const scratch = tempDir('aov-golden-');
  writeFileSync(path.join(scratch, 'fixture-rules.json'), JSON.stringify(RULES_FIXTURE, null, 2));
  writeFileSync(path.join(scratch, 'bad-rules.json'), JSON.stringify(BAD_RULES_FIXTURE, null, 2));
  mkdirSync(path.join(scratch, 'init'));
  writeFileSync(path.join(scratch, 'aov.config.json'), JSON.stringify({ 'suggest-threshold': { giftCost: 0.4, range: '10-20' }, margin: 0.45 }, null, 2));
  mkdirSync(GOLDEN, { recursive: true });
  const hasShared = existsSync(DATA);

  for (const c of CASES) {
    it.skipIf(c.shared && !hasShared)(`${c.name}: ${c.args.length ? `aov ${c.args.join(' ')}` : `the ${c.file} written above`}`, () => {
      let text: string;
      if (c.args.length) {
        const result = runAov(c.args.map((a) => a.replace('<scratch>', scratch)));
        expect(result.code, result.stderr).toBe(c.code ?? 0);
        text = c.file ? readFileSync(path.join(scratch, c.file), 'utf8') : result.stdout;
      } else {
        text = readFileSync(path.join(scratch, c.file!), 'utf8');
      }
      // Every golden is a JSON document (parsing fails loudly on anything else).
      JSON.parse(text);
      const actual = normalise(text, scratch);
      const golden = path.join(GOLDEN, `${c.name}.json`);
      if (UPDATE) writeFileSync(golden, actual);
      expect(existsSync(golden), `${golden} is missing: AOV_UPDATE_GOLDEN=1 writes it`).toBe(true);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
