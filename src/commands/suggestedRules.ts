/**
 * `aov rules`' suggestions on loaded orders: per currency the threshold, the support tier and
 * the second-order gift, then the bundles of the baskets, as aov.rules/v1 rules, with what was
 * not written and why. A recipe over analysis and renderers, not a command.
 */
import { planBundles } from '../analysis/bundlesPlan.js';
import { secondOrderGift, suggestTier } from '../analysis/loyalty.js';
import { marginRateOf } from '../analysis/thresholdPlan/margin.js';
import { planThreshold } from '../analysis/thresholdPlan/plan.js';
import { hasThresholdInputs, type ThresholdSettings } from '../analysis/thresholdPlan/settings.js';
import { AovError } from '../errors.js';
import type { LoadResult } from '../io/load.js';
import type { Rule } from '../io/rulesFile.js';
import { bundleRules } from '../report/bundlesRender.js';
import { secondOrderRule, tierRule } from '../report/loyaltyRender.js';
import { thresholdRule } from '../report/thresholdRender.js';
import { bundlesSettings, type BundlesCliOptions } from './bundlesSettings.js';
import { everyFileHasLineItems, exportHasShipping } from './inputOptions.js';
import { resultReason } from '../report/thresholdReasons.js';

/** A tier and a second-order gift are suggested from this many customers with a key on. */
const MIN_CUSTOMERS = 10;

/** What the suggestions need of `aov rules`' options besides the threshold settings. */
export interface SuggestionOptions extends Pick<BundlesCliOptions, 'minSupport' | 'maxSize'> {
  giftCost?: number;
  secondOrderGiftCost?: number;
  lift: number;
  validDays: number;
  top: number;
  window: number;
}

/** The rules suggested on every currency, and a line for each suggestion not written. */
export function suggestedRules(loaded: LoadResult, settings: ThresholdSettings, options: SuggestionOptions): { rules: Rule[]; skipped: string[] } {
  const rules: Rule[] = [];
  const skipped: string[] = [];
  for (const table of loaded.tables) {
    if (hasThresholdInputs(table, settings)) {
      try {
        const view = planThreshold(table, loaded.baskets, settings, exportHasShipping(loaded.input));
        const rule = view ? thresholdRule(view) : null;
        if (rule) rules.push(rule);
        else skipped.push(`${table.currency} threshold: ${(view && resultReason(view.result)) ?? 'no orders in the window'}`);
      } catch (error) {
        if (!(error instanceof AovError)) throw error;
        skipped.push(`${table.currency} threshold: ${error.message}`);
      }
    } else skipped.push(`${table.currency} threshold: give --gift-cost (and --margin without cost data)`);
    if (table.customerCount < MIN_CUSTOMERS) {
      skipped.push(`${table.currency} tier and second-order gift: no customer keys`);
      continue;
    }
    rules.push(tierRule(suggestTier(table, { topShare: options.top, windowDays: options.window }), table.currency, table.decimals));
    const margin = settings.margin ?? marginRateOf(table);
    const cost = options.secondOrderGiftCost ?? options.giftCost;
    if (margin !== undefined && cost !== undefined) {
      const costMinor = Math.round(cost * 10 ** table.decimals);
      const result = secondOrderGift(table, { giftCostMinor: costMinor, margin, lift: options.lift, validDays: options.validDays });
      const key = /mail/i.test(loaded.input.perFile[0]?.columns.customer ?? '') ? 'email' : 'customer_id';
      rules.push(secondOrderRule(result, table.currency, table.decimals, { costMinor, description: 'free gift' }, options.validDays, key));
    } else skipped.push(`${table.currency} second-order gift: needs a gift cost and a margin`);
  }
  if (loaded.baskets && everyFileHasLineItems(loaded.input)) {
    const view = planBundles(loaded.baskets, bundlesSettings({ minSupport: options.minSupport, maxSize: options.maxSize }, loaded.baskets.priceCurrency), [], {});
    rules.push(...bundleRules(view));
  }
  return { rules, skipped };
}
