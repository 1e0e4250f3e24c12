/** `aov suggest-tier` and `aov suggest-second-order`: load -> loyalty analysis per currency -> render. */
import { secondOrderGift, suggestTier } from '../analysis/loyalty.js';
import { marginRateOf } from '../analysis/thresholdPlan/margin.js';
import type { OrderTable } from '../analysis/types.js';
import { AovError } from '../errors.js';
import { loadOrders } from '../io/load.js';
import { stringify } from '../report/analyzeJson.js';
import { createStyle, decideColor } from '../report/format.js';
import { renderSecondOrder, renderTier, secondOrderJson, secondOrderRule, tierJson } from '../report/loyaltyRender.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';
import { formatMessages } from '../report/messages.js';
import { tablesForAmounts } from './shopCurrency.js';

interface CommonOptions extends InputCliOptions {
  json?: boolean;
  color?: boolean;
}

export interface TierOptions extends CommonOptions {
  top: number;
  window: number;
  responseHours: number;
}

export async function suggestTierCommand(files: string[], options: TierOptions): Promise<number> {
  const { tables } = await loadOrders(requireInputs(files, options), toLoadOptions(options));
  const results = tables.filter((t) => hasCustomers(t)).map((t) => ({ table: t, tier: suggestTier(t, { topShare: options.top, windowDays: options.window }) }));
  if (results.length === 0) throw noCustomers();
  if (options.json) {
    const documents = results.map((r) => tierJson(r.tier, r.table.currency, r.table.decimals, options.responseHours));
    process.stdout.write(stringify({ ...documents[0], currencies: documents }));
  } else {
    const style = createStyle(decideColor(options.color));
    process.stdout.write(results.map((r) => renderTier(r.tier, r.table.currency, r.table.decimals, style)).join('\n'));
  }
  return 0;
}

export interface SecondOrderOptions extends CommonOptions {
  giftCost: number;
  gift: string;
  margin?: number;
  lift: number;
  validDays: number;
  /** Days at the start of the data whose first-time customers are not counted as new (default: validDays). */
  burnIn?: number;
  resamples: number;
  seed: number;
}

export async function suggestSecondOrderCommand(files: string[], options: SecondOrderOptions): Promise<number> {
  const { input, tables } = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), customerKeys: true });
  const style = createStyle(decideColor(options.color));
  const documents: unknown[] = [];
  const texts: string[] = [];
  // --gift-cost is in the shop currency: the other currencies are left out, with a note.
  const forAmounts = tablesForAmounts(tables.filter(hasCustomers), [`--gift-cost ${options.giftCost}`]);
  process.stderr.write(formatMessages('note', forAmounts.notes, ''));
  for (const table of forAmounts.tables) {
    const margin = options.margin ?? marginRateOf(table);
    if (margin === undefined) {
      throw new AovError('E_USAGE', `--margin is needed: the export has no cost or profit to compute the margin of ${table.currency} orders.`, {
        hint: 'Example: --margin 0.4 (a 40% gross margin on order value).',
      });
    }
    const giftCostMinor = Math.round(options.giftCost * 10 ** table.decimals);
    const result = secondOrderGift(table, {
      giftCostMinor, margin, lift: options.lift, validDays: options.validDays, burnInDays: options.burnIn ?? options.validDays, resamples: options.resamples, seed: options.seed,
    });
    const customerKey = input.perFile[0]?.columns.customer ?? 'customer';
    const keyKind = /mail/i.test(customerKey) ? 'email' : 'customer_id';
    const withoutKey = (result.guestOrders + result.guestKeyOrders) / table.customer.length;
    const keyWarning = withoutKey > 0.05
      ? `${(withoutKey * 100).toFixed(1)}% of orders have no customer key (${customerKey}): "one per customer" cannot be enforced for guest checkouts, so the rule leaves them out.`
      : null;
    const rule = secondOrderRule(result, table.currency, table.decimals, { costMinor: giftCostMinor, description: options.gift }, options.validDays, keyKind);
    documents.push(secondOrderJson(result, table.currency, table.decimals, rule, keyWarning));
    texts.push(renderSecondOrder(result, table.currency, table.decimals, options.validDays, keyWarning, style));
  }
  if (documents.length === 0) throw noCustomers();
  if (options.json) process.stdout.write(stringify({ ...(documents[0] as object), currencies: documents }));
  else process.stdout.write(texts.join('\n'));
  return 0;
}

function hasCustomers(table: OrderTable): boolean {
  return table.customerCount > 0;
}

function noCustomers(): AovError {
  return new AovError('E_MISSING_COLUMN', 'No order has a customer key: loyalty rules need a customer column (email or id).', {
    hint: 'Map one with --map customer=<header>.',
  });
}
