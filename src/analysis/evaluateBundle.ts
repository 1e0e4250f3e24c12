/**
 * Did a bundle or cross-sell work (issue #18)? The attach rate of its items (baskets with all
 * of them among baskets with any of them) in the 12 months before the start against the
 * baskets from the start on, with a 95% interval and a two-sided test; the discount the bundle
 * price gave on the baskets that bought it all; the margin on the extra attaches; the net. Not
 * adjusted for season (said in the output).
 */
import { proportionChange, proportionDecision, type ProportionChange } from './proportions.js';
import type { BasketTable } from './types.js';
import { DAY_MS } from './periods.js';

export interface BundleEvaluationSettings {
  sinceMs: number;
  /** The bundle's items (indices into the baskets' items). */
  items: readonly number[];
  /** The bundle price in minor units, when the rule has one (the discount is the items' prices less it). */
  bundlePriceMinor?: number;
  /** Margin rate on an attached item when its cost is unknown. */
  marginRate?: number;
}

export interface BundleEvaluation {
  sinceMs: number;
  /** The first basket of the 12 months before the start (NaN if none): the data may start later than 12 months before. */
  firstBeforeMs: number;
  before: { baskets: number; withAny: number; withAll: number };
  after: { baskets: number; withAny: number; withAll: number };
  attach: ProportionChange;
  /** The items' usual prices summed, less the bundle price: the discount on each basket with all of them. */
  discountPerBundleMinor: number | null;
  discountGivenMinor: number | null;
  /** (attach after - before) x baskets with any after: the extra complete bundles, with the interval. */
  extraBundles: number;
  extraLow: number;
  extraHigh: number;
  /** Margin one extra complete bundle adds: the cheapest item's margin (its cost, else the margin rate), as the item a basket adds to complete it. */
  marginPerExtraMinor: number | null;
  netMinor: number | null;
  netLowMinor: number | null;
  netHighMinor: number | null;
  tooEarly: { neededBaskets: number; moreBaskets: number } | null;
  verdict: { action: 'keep' | 'stop' | 'wait'; reason: 'pays' | 'uncertain' | 'costsMore' | 'noEffect' | 'tooEarly' };
}

/** Baskets at `basketTimes` (epoch ms, aligned with the baskets): the module comment says what. */
export function evaluateBundle(baskets: BasketTable, basketTimes: Float64Array, settings: BundleEvaluationSettings): BundleEvaluation {
  const wanted = new Set(settings.items);
  const before = { baskets: 0, withAny: 0, withAll: 0 };
  const after = { baskets: 0, withAny: 0, withAll: 0 };
  const from = settings.sinceMs - 365 * DAY_MS;
  let firstBeforeMs = NaN;
  for (let b = 0; b + 1 < baskets.offsets.length; b++) {
    const t = basketTimes[b];
    if (!(t >= from)) continue;
    const group = t >= settings.sinceMs ? after : before;
    if (group === before && !(t >= firstBeforeMs)) firstBeforeMs = t;
    group.baskets++;
    let found = 0;
    for (let k = baskets.offsets[b]; k < baskets.offsets[b + 1]; k++) if (wanted.has(baskets.items[k])) found++;
    if (found > 0) group.withAny++;
    if (found === wanted.size) group.withAll++;
  }
  const attach = proportionChange(before.withAll, before.withAny, after.withAll, after.withAny);
  const price = baskets.itemPriceMinor;
  const cost = baskets.itemCostMinor;
  const prices = settings.items.map((i) => price?.[i] ?? NaN);
  const itemsTotal = prices.reduce((a, b) => a + b, 0);
  const discountPerBundleMinor = settings.bundlePriceMinor !== undefined && Number.isFinite(itemsTotal) ? Math.max(0, itemsTotal - settings.bundlePriceMinor) : null;
  const discountGivenMinor = discountPerBundleMinor === null ? null : discountPerBundleMinor * after.withAll;
  // The item that completes a bundle: the cheapest, with its own margin when its cost is known.
  const cheapest = settings.items.reduce((best, i) => (Number.isFinite(price?.[i] ?? NaN) && (best < 0 || price![i] < price![best]) ? i : best), -1);
  const marginPerExtraMinor = cheapest < 0 ? null
    : cost && Number.isFinite(cost[cheapest]) ? price![cheapest] - cost[cheapest]
      : settings.marginRate !== undefined ? price![cheapest] * settings.marginRate : null;
  const extra = attach.change * after.withAny;
  const extraLow = attach.low * after.withAny;
  const extraHigh = attach.high * after.withAny;
  const net = (x: number) => (marginPerExtraMinor === null ? null : x * marginPerExtraMinor - (discountGivenMinor ?? 0));
  // Detected, a 10% rise ruled out, or neither (too early, with the baskets that should decide it).
  const { detected, ruledOut, needed } = proportionDecision(attach, before.withAny, after.withAny, 0.1);
  const tooEarly = !detected && !ruledOut ? { neededBaskets: needed, moreBaskets: Math.max(0, needed - after.withAny) } : null;
  const low = net(extraLow);
  const high = net(extraHigh);
  let verdict: BundleEvaluation['verdict'];
  if (after.withAny === 0) verdict = { action: 'wait', reason: 'tooEarly' };
  // Undecided on the effect but not on the money: even its upper end does not pay for the discount.
  else if (tooEarly && high !== null && high < 0) verdict = { action: 'stop', reason: 'costsMore' };
  else if (tooEarly) verdict = { action: 'wait', reason: 'tooEarly' };
  else if (!detected) verdict = { action: 'stop', reason: 'noEffect' };
  else if (low !== null && low > 0) verdict = { action: 'keep', reason: 'pays' };
  else if (high !== null && high < 0) verdict = { action: 'stop', reason: 'costsMore' };
  else verdict = { action: 'keep', reason: 'uncertain' };
  return {
    sinceMs: settings.sinceMs, firstBeforeMs, before, after, attach, discountPerBundleMinor, discountGivenMinor,
    extraBundles: extra, extraLow, extraHigh, marginPerExtraMinor, netMinor: net(extra), netLowMinor: low, netHighMinor: high, tooEarly, verdict,
  };
}
