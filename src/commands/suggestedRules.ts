/**
 * `aov rules`' suggestions on loaded orders: per currency the threshold, the support tier and
 * the second-order gift, then the bundles of the baskets, as aov.rules/v1 rules, with what was
 * not written and why. A recipe over analysis and renderers, not a command.
 */
import { amountOptions, leftOutNote, shopCurrency, tablesForAmounts, THRESHOLD_AMOUNTS } from './shopCurrency.js';
import { planBundles } from '../analysis/bundlesPlan.js';
import { secondOrderGift, suggestTier } from '../analysis/loyalty.js';
import { marginRateOf } from '../analysis/thresholdPlan/margin.js';
import { planThreshold } from '../analysis/thresholdPlan/plan.js';
import { hasThresholdInputs, type ThresholdSettings } from '../analysis/thresholdPlan/settings.js';
import { AovError } from '../errors.js';
import type { LoadResult } from '../io/load.js';
import type { Rule } from '../io/rulesFile.js';
import { bundleRuleChoice } from '../report/bundlesRender.js';
import { secondOrderRule, tierRule } from '../report/loyaltyRender.js';
import { thresholdRule } from '../report/thresholdRender.js';
import { bundlesSettings, type BundlesCliOptions } from './bundlesSettings.js';
import { everyFileHasLineItems, exportHasShipping } from './inputOptions.js';
import { resultReason } from '../report/thresholdReasons.js';

/** A tier and a second-order gift are suggested from this many customers with a key on. */
const MIN_CUSTOMERS = 10;

/** What the suggestions need of `aov rules`' options besides the threshold settings. */
/** A second-order gift is written as a rule only when it pays in this share of the resamples (the threshold's P(net > 0) bar). */
export const SECOND_ORDER_BAR = 0.9;

export interface SuggestionOptions extends Pick<BundlesCliOptions, 'minSupport' | 'maxSize' | 'bundleUplift' | 'bundleElasticity'> {
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
  // Amounts (--gift-cost 3) are in the shop currency: the other currencies get no threshold or second-order gift.
  const amounts = amountOptions({ ...settings, secondOrderGiftCost: options.secondOrderGiftCost }, THRESHOLD_AMOUNTS);
  const planned = tablesForAmounts(loaded.tables, amounts);
  for (const table of loaded.tables) {
    const usesAmounts = planned.tables.includes(table);
    if (!usesAmounts) skipped.push(`threshold and second-order gift: ${leftOutNote(table, amounts, shopCurrency(loaded.tables)!)}`);
    else if (hasThresholdInputs(table, settings)) {
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
    if (!usesAmounts) continue;
    if (margin !== undefined && cost !== undefined) {
      const costMinor = Math.round(cost * 10 ** table.decimals);
      const result = secondOrderGift(table, { giftCostMinor: costMinor, margin, lift: options.lift, validDays: options.validDays });
      const key = /mail/i.test(loaded.input.perFile[0]?.columns.customer ?? '') ? 'email' : 'customer_id';
      // The bar a threshold is held to: a rule goes into the file only when it pays in 90% of the resamples.
      const pays = result.uncertainty.probabilityPays;
      if (pays >= SECOND_ORDER_BAR) rules.push(secondOrderRule(result, table.currency, table.decimals, { costMinor, description: 'free gift' }, options.validDays, key));
      else skipped.push(`${table.currency} second-order gift: pays in ${Math.round(pays * 100)}% of the resamples at a ${Math.round(options.lift * 100)}% lift (a rule needs ${SECOND_ORDER_BAR * 100}%; expected net ${(result.scenarios.base.netMinor / 10 ** table.decimals).toFixed(table.decimals)} ${table.currency} a year; see aov suggest-second-order)`);
    } else skipped.push(`${table.currency} second-order gift: needs a gift cost and a margin`);
  }
  if (loaded.baskets && everyFileHasLineItems(loaded.input)) {
    const view = planBundles(loaded.baskets, bundlesSettings({ minSupport: options.minSupport, maxSize: options.maxSize, bundleUplift: options.bundleUplift, bundleElasticity: options.bundleElasticity }, loaded.baskets.priceCurrency), [], {});
    const bundles = bundleRuleChoice(view);
    rules.push(...bundles.rules);
    skipped.push(...bundles.skipped.map((s) => `${view.currency} bundle ${s.items}: ${s.reason}`));
  }
  return { rules, skipped };
}
