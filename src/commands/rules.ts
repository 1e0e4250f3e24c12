/** `aov rules --check FILE`: validate a (hand-edited) aov.rules/v1 file and explain each error. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AovError, jsonSyntaxProblem } from '../errors.js';
import { validateRules, type RulesDocument } from '../io/rulesFile.js';
import type { ThresholdOptions } from './thresholdSettings.js';
import { stringify } from '../report/analyzeJson.js';
import { formatMessages, formatStatus } from '../report/messages.js';
import { checkTargetAmounts, targetSettings, type TargetCliOptions } from './targetSettings.js';

/** The aov.rulesCheck/v1 document `aov rules --check FILE --json` prints. */
export interface RulesCheckDocument {
  schema: 'aov.rulesCheck/v1';
  file: string;
  valid: boolean;
  /** How many rules the file holds when it is valid, else null. */
  rules: number | null;
  problems: { path: string; message: string }[];
}

export async function checkRulesCommand(file: string, options: { json?: boolean } & Partial<TargetCliOptions> = {}): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new AovError('E_NOT_FOUND', `${file}: no such file.`, { context: { file } });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AovError('E_CONFIG', `${file}: not valid JSON (${jsonSyntaxProblem(error)}).`, { context: { file } });
  }
  targetSettings({ target: '', ...options }, new Date().toISOString().slice(0, 10));
  const issues = await validateRules(document);
  if (options.target && issues.length === 0) {
    // --check FILE --target X: the valid file converted (a problem is reported as without --target).
    const manifest = await writeTarget(document as RulesDocument, { ...(options as TargetCliOptions), file });
    if (options.json) process.stdout.write(stringify(manifest));
    return 0;
  }
  if (options.json) {
    const verdict: RulesCheckDocument = {
      schema: 'aov.rulesCheck/v1', file, valid: issues.length === 0,
      rules: issues.length === 0 ? (document as { rules: unknown[] }).rules.length : null,
      problems: issues.map((issue) => ({ path: issue.path, message: issue.message })),
    };
    process.stdout.write(stringify(verdict));
    return issues.length === 0 ? 0 : 2;
  }
  if (issues.length === 0) {
    const count = (document as { rules: unknown[] }).rules.length;
    process.stdout.write(`${file}: valid aov.rules/v1 (${count} rule${count === 1 ? '' : 's'}).\n`);
    return 0;
  }
  process.stderr.write(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n`);
  for (const issue of issues) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
  return 2;
}

/** Writes the target's files into --out (default: a folder named after the target) and says what was written on stderr. */
async function writeTarget(document: RulesDocument, options: TargetCliOptions): Promise<import('../report/targets/index.js').TargetManifest> {
  const { renderTarget } = await import('../report/targets/index.js');
  const { writeTargetFolder } = await import('../io/targetFiles.js');
  const target = options.target as import('../report/targets/index.js').Target;
  const settings = targetSettings(options, new Date().toISOString().slice(0, 10));
  checkTargetAmounts(document, options.file ?? 'rules.json');
  const dir = options.out ?? target;
  const { files, manifest } = renderTarget(document, target, settings);
  await writeTargetFolder(dir, files, Boolean(options.force));
  const shown = dir.replace(/\/+$/, '');
  process.stderr.write(formatStatus(`Wrote ${shown}/: ${manifest.rules.length} rule${manifest.rules.length === 1 ? '' : 's'} as ${manifest.api} (${files.length} files; ${shown}/aov-target.json says how to apply each and what ${targetLabel(target)} cannot enforce).`));
  process.stderr.write(formatMessages('warning', [
    ...manifest.rules.filter((r) => r.basisWarning).map((r) => `${r.rule}: ${r.basisWarning}`),
    ...(target === 'prestashop' ? manifest.rules.filter((r) => r.fillIn.some((f) => f.startsWith('minimum_amount_currency'))).map((r) => `${r.rule}: minimum_amount_currency is a placeholder: put in the shop's id for ${r.values.threshold?.currency} before sending (PrestaShop converts the minimum from whichever currency the id names)`) : []),
    ...(target === 'shopify' && !settings.timeZone ? [`startsAt and endsAt are in UTC: give --tz with the shop's time zone (e.g. --tz Europe/Berlin) for midnight in the shop`] : []),
  ]));
  process.stderr.write(formatMessages('note', [
    ...manifest.rules.flatMap((r) => r.fillIn.map((f) => `${r.rule}: fill in ${f}`)),
    ...manifest.skipped.map((s) => `not converted: ${s.rule}: ${s.reason}`),
  ]));
  return manifest;
}

const targetLabel = (target: string) => ({ shopify: 'Shopify', woocommerce: 'WooCommerce', prestashop: 'PrestaShop', magento: 'Magento' })[target] ?? target;

/** The options of `aov rules` besides the input and threshold ones (src/commands/optionTable.ts). */
export interface RulesOwnOptions {
  check?: string;
  out?: string;
  target?: string;
  starts?: string;
  ends?: string;
  tz?: string;
  giftProduct?: string;
  secondOrderGiftCost?: number;
  lift: number;
  validDays: number;
  top: number;
  window: number;
  minSupport: string;
  maxSize: number;
  locale?: string[];
  force?: boolean;
  json?: boolean;
}

export interface RulesOptions extends RulesOwnOptions, ThresholdOptions {
  json?: boolean;
  force?: boolean;
}

/**
 * `aov rules orders.csv --out rules.json`: the threshold, bundle, second-order and tier
 * suggestions with one set of options, written as one validated aov.rules/v1 file.
 */
export async function rulesCommand(files: string[], options: RulesOptions): Promise<number> {
  const { loadOrders } = await import('../io/load.js');
  const { loadCosts } = await import('../io/costs.js');
  const { emitRules } = await import('../io/rulesFile.js');
  const { planThreshold } = await import('../analysis/thresholdPlan/plan.js');
  const { thresholdSettings } = await import('./thresholdSettings.js');
  const { planBundles } = await import('../analysis/bundlesPlan.js');
  const { bundlesSettings } = await import('./bundlesSettings.js');
  const { thresholdRule } = await import('../report/thresholdRender.js');
  const { bundleRules } = await import('../report/bundlesRender.js');
  const { tierRule, secondOrderRule } = await import('../report/loyaltyRender.js');
  const { suggestTier, secondOrderGift } = await import('../analysis/loyalty.js');
  const { marginRateOf } = await import('../analysis/thresholdPlan/margin.js');
  const { requireInputs, toLoadOptions } = await import('./inputOptions.js');
  const thresholdOptions = options as unknown as import('./thresholdSettings.js').ThresholdOptions;
  const settings = thresholdSettings(thresholdOptions);
  // With --target, --out names the folder; the aov.rules/v1 file goes into it as rules.json.
  targetSettings({ ...(options as TargetCliOptions), target: options.target ?? '' }, new Date().toISOString().slice(0, 10));
  const targetDir = options.target ? (options.out ?? options.target) : undefined;
  const rulesFile = targetDir ? path.join(targetDir, 'rules.json') : (options.out ?? 'rules.json');
  if (targetDir && !options.force) {
    // A folder that already holds a hand-over is refused before any work (nothing is half replaced).
    const { assertWritable } = await import('../io/output.js');
    assertWritable([path.join(targetDir, 'aov-target.json')], false);
  }
  const costFile = thresholdOptions.costs ? await loadCosts(thresholdOptions.costs) : undefined;
  const loaded = await loadOrders(requireInputs(files, thresholdOptions), { ...toLoadOptions(thresholdOptions), itemCosts: costFile?.costs, customerKeys: true }, { baskets: {} });
  const rules: import('../io/rulesFile.js').Rule[] = [];
  const skipped: string[] = [];
  for (const table of loaded.tables) {
    if ((thresholdOptions.giftCost !== undefined || thresholdOptions.mode === 'free-shipping') && (table.marginMinor || thresholdOptions.margin !== undefined)) {
      try {
        const view = planThreshold(table, loaded.baskets, settings, loaded.input.perFile.some((f) => f.columns.shipping !== undefined));
        const rule = view ? thresholdRule(view) : null;
        if (rule) rules.push(rule);
        else skipped.push(`${table.currency} threshold: ${view?.result.noRecommendationReason ?? 'no orders in the window'}`);
      } catch (error) {
        if (!(error instanceof AovError)) throw error;
        skipped.push(`${table.currency} threshold: ${error.message}`);
      }
    } else skipped.push(`${table.currency} threshold: give --gift-cost (and --margin without cost data)`);
    if (table.customerCount >= 10) {
      rules.push(tierRule(suggestTier(table, { topShare: options.top, windowDays: options.window }), table.currency, table.decimals));
      const margin = thresholdOptions.margin ?? marginRateOf(table);
      const cost = options.secondOrderGiftCost ?? options.giftCost;
      if (margin !== undefined && cost !== undefined) {
        const costMinor = Math.round(cost * 10 ** table.decimals);
        const result = secondOrderGift(table, { giftCostMinor: costMinor, margin, lift: options.lift, validDays: options.validDays });
        const key = /mail/i.test(loaded.input.perFile[0]?.columns.customer ?? '') ? 'email' : 'customer_id';
        rules.push(secondOrderRule(result, table.currency, table.decimals, { costMinor, description: 'free gift' }, options.validDays, key));
      } else skipped.push(`${table.currency} second-order gift: needs a gift cost and a margin`);
    } else skipped.push(`${table.currency} tier and second-order gift: no customer keys`);
  }
  if (loaded.baskets && loaded.input.perFile.every((f) => f.hasLineItems)) {
    const view = planBundles(loaded.baskets, bundlesSettings({ minSupport: options.minSupport, maxSize: options.maxSize }, loaded.baskets.priceCurrency), [], {});
    rules.push(...bundleRules(view));
  }
  const document = await emitRules(rulesFile, rules, Boolean(options.force), '--out');
  const counts = new Map<string, number>();
  for (const r of document.rules) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  // Status on stderr, as aov report does: the rules are in the file.
  process.stderr.write(formatStatus(`Wrote ${rulesFile}: ${document.rules.length} rules (${[...counts].map(([t, n]) => `${n} ${t}`).join(', ')}), valid aov.rules/v1.`));
  process.stderr.write(formatMessages('note', skipped.map((s) => `not written: ${s}`)));
  if (targetDir) await writeTarget(document, { ...(options as TargetCliOptions), out: targetDir, file: rulesFile });
  if (options.json) process.stdout.write(stringify(document));
  return 0;
}
