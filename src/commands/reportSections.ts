/**
 * `aov report`'s sections, one per currency: the analysis, the threshold plan (or why there is
 * none), the bundles of the basket currency, NPS beside AOV, and the rules they suggest. A
 * recipe over analysis and renderers, not a command.
 */
import { analyzeTable } from '../analysis/analyzeTable.js';
import { planBundles } from '../analysis/bundlesPlan.js';
import { suggestTier } from '../analysis/loyalty.js';
import { npsBesideAov } from '../analysis/nps.js';
import { planThreshold } from '../analysis/thresholdPlan/plan.js';
import { hasThresholdInputs, type ThresholdSettings } from '../analysis/thresholdPlan/settings.js';
import { amountOptions, leftOutNote, shopCurrency, tablesForAmounts, THRESHOLD_AMOUNTS } from './shopCurrency.js';
import { AovError } from '../errors.js';
import type { LoadResult } from '../io/load.js';
import { ruleId, type Rule } from '../io/rulesFile.js';
import type { SurveyData } from '../io/survey.js';
import { bundleRuleChoice } from '../report/bundlesRender.js';
import { tierRule } from '../report/loyaltyRender.js';
import { reportCurrency, reportNps, reportRules, type SuggestedRule } from '../report/reportDocument.js';
import type { ReportCurrency, ReportRules } from '../report/reportTypes.js';
import { resultReason } from '../report/thresholdReasons.js';
import { thresholdRule } from '../report/thresholdRender.js';
import { bundlesSettings, type BundlesCliOptions } from './bundlesSettings.js';
import { everyFileHasLineItems, exportHasShipping } from './inputOptions.js';

/** A support tier is suggested from this many customers with a key on. */
const MIN_TIER_CUSTOMERS = 10;

/** What the sections need of the report's options. */
export interface SectionOptions extends Pick<BundlesCliOptions, 'minSupport' | 'maxSize' | 'bundleUplift' | 'bundleElasticity'> {
  period?: 'day' | 'week' | 'month';
  /** The --nps file, for the note on unmatched answers. */
  nps?: string;
}

export interface ReportSections {
  currencies: ReportCurrency[];
  rules: Rule[];
  notes: string[];
  /** For stderr: a report without its main section must not pass unnoticed in a job's log. */
  warnings: string[];
}

/** Every currency's section of the report and the rules they suggest, in the order of the tables. */
export function reportSections(loaded: LoadResult, settings: ThresholdSettings, options: SectionOptions, survey: SurveyData | undefined): ReportSections {
  const out: ReportSections = { currencies: [], rules: [], notes: [], warnings: [] };
  // Amounts (--gift-cost 3) are in the shop currency: the other currencies get no threshold section.
  const amounts = amountOptions(settings as unknown as Record<string, unknown>, THRESHOLD_AMOUNTS);
  const planned = tablesForAmounts(loaded.tables, amounts);
  for (const table of loaded.tables) {
    const analysis = analyzeTable(table, { trend: { period: options.period, trimmedMeanChange: true } });
    // What this currency writes to rules.json, and what it considered and did not write, for the report's rules section.
    const written: SuggestedRule[] = [];
    const notWritten: ReportRules['notWritten'] = [];
    const thresholdType = settings.mode === 'free-shipping' ? 'free_shipping_threshold' : 'gift_threshold';
    let threshold = null;
    if (!planned.tables.includes(table)) {
      const note = leftOutNote(table, amounts, shopCurrency(loaded.tables)!);
      out.notes.push(`no threshold section for ${note}`);
      notWritten.push({ type: thresholdType, reason: `no threshold section for ${note}` });
    } else if (hasThresholdInputs(table, settings)) {
      try {
        threshold = planThreshold(table, loaded.baskets, settings, exportHasShipping(loaded.input));
      } catch (error) {
        if (!(error instanceof AovError) || !['E_TOO_FEW_ORDERS', 'E_USAGE'].includes(error.code)) throw error;
        out.notes.push(`${table.currency}: no threshold section (${error.message})`);
        notWritten.push({ type: thresholdType, reason: `no threshold section (${error.message})` });
      }
    } else {
      if (out.currencies.length === 0) {
        const missing = 'No threshold section: give --gift-cost (and --margin when the export has no costs) to simulate one.';
        out.notes.push(missing);
        out.warnings.push(missing);
      }
      notWritten.push({ type: thresholdType, reason: 'not simulated: give --gift-cost (and --margin when the export has no costs)' });
    }
    const baskets = loaded.baskets?.priceCurrency === table.currency && everyFileHasLineItems(loaded.input) ? loaded.baskets : undefined;
    const bundles = baskets ? planBundles(baskets, bundlesSettings({ minSupport: options.minSupport, maxSize: options.maxSize, bundleUplift: options.bundleUplift, bundleElasticity: options.bundleElasticity }, baskets.priceCurrency), [], {}) : null;
    const current = reportCurrency({ analysis, valueMinor: table.valueMinor, threshold, bundles });
    if (survey) {
      const nps = npsBesideAov(table, survey.answers);
      current.nps = reportNps(nps);
      if (nps.guard?.fired) current.warnings.push({ code: 'AOV_UP_NPS_DOWN', message: nps.guard.message });
      if (nps.unmatched) out.notes.push(`${options.nps}: ${nps.unmatched} of ${nps.answers} answers match no customer in the orders.`);
      // Unreadable answers are counted whether or not the others match, with the first one named.
      if (survey.rejected) out.notes.push(`${options.nps}: ${survey.rejected} answer${survey.rejected === 1 ? '' : 's'} unreadable and left out; the first: ${survey.problems[0]?.message ?? 'unnamed'}.`);
    }
    out.currencies.push(current);
    const rule = threshold ? thresholdRule(threshold) : null;
    if (rule) written.push(rule);
    else if (threshold) notWritten.push({ type: thresholdType, reason: resultReason(threshold.result) ?? 'no orders in the window' });
    if (bundles) {
      // Viable offers under the 90% bar are skipped with their P and net (bundleRuleChoice).
      const choice = bundleRuleChoice(bundles);
      written.push(...choice.rules);
      for (const s of choice.skipped) {
        out.notes.push(`rules.json: not written: ${table.currency} bundle ${s.items}: ${s.reason}.`);
        notWritten.push({ type: 'bundle', reason: `${s.items}: ${s.reason}` });
      }
      for (const offer of bundles.offers.filter((o) => !o.viable)) {
        notWritten.push({ type: 'bundle', reason: `${offer.items.map((i) => bundles.names[i] || bundles.labels[i]).join(' + ')}: ${offer.note}` });
      }
      if (bundles.offers.length === 0) notWritten.push({ type: 'bundle', reason: 'no pair or set qualifies for a bundle offer' });
    }
    if (table.customerCount >= MIN_TIER_CUSTOMERS) written.push(tierRule(suggestTier(table), table.currency, table.decimals));
    else notWritten.push({ type: 'priority_support_tier', reason: `${table.customerCount} customers with a key; a tier needs ${MIN_TIER_CUSTOMERS}` });
    out.rules.push(...written);
    current.rules = reportRules(written.map((r) => ({ id: ruleId(r), rule: r })), notWritten);
  }
  return out;
}
