/**
 * A threshold evaluation as named steps, the way suggest-threshold plans one
 * (thresholdPlan/plan.ts), reusing its steps: the pre period's window, the margin
 * (resolveMargin: each order's own from cost or profit data, else --margin; the added items' own
 * when their costs are known, topUpMargin), the reward (resolveReward: the gift, or the shipping
 * each order paid), the reach (responseAssumptions over the pre period's add-on prices), then
 * evaluateThreshold. Plain typed data in, no I/O.
 */
import type { OrderTable } from './types.js';
import { deriveRows, windowTable } from './window.js';
import { topUpMargin, windowAddOns, type ThresholdBaskets } from './thresholdPlan/baskets.js';
import { resolveMargin } from './thresholdPlan/margin.js';
import { resolveReward } from './thresholdPlan/reward.js';
import { responseAssumptions } from './thresholdResponse.js';
import { evaluateThreshold, type ThresholdEvaluation } from './evaluateThreshold.js';
import { addMonths } from './periods.js';

export interface ThresholdEvaluationPlanSettings {
  mode: 'gift' | 'free-shipping';
  thresholdMinor: number;
  sinceMs: number;
  margin?: number;
  giftCost?: number;
  shippingCost?: number;
  /** --reach in major units. */
  reach?: number;
  resamples: number;
  seed: number;
}

export interface ThresholdEvaluationPlan {
  evaluation: ThresholdEvaluation;
  notes: string[];
}

const MONTHS_BEFORE = 12;

export function planThresholdEvaluation(full: OrderTable, baskets: ThresholdBaskets | undefined, settings: ThresholdEvaluationPlanSettings, exportHasShipping: boolean): ThresholdEvaluationPlan {
  const scale = 10 ** full.decimals;
  const notes: string[] = [];
  // 1. The 12 months before the start: what the margin, the reward and the reach are read from.
  const preFrom = addMonths(settings.sinceMs, -MONTHS_BEFORE);
  const before = windowTable(full, { since: preFrom }).table;
  const cut = before.placedAt.findIndex((t) => t >= settings.sinceMs);
  const preTable = windowSlice(before, cut < 0 ? before.placedAt.length : cut);
  if (preTable.valueMinor.length === 0) notes.push('No orders before the start: there is nothing to compare with.');
  // 2. Reach from the pre period's add-on prices, as suggest-threshold derives it.
  const addOns = windowAddOns(preTable, baskets);
  let preSum = 0;
  for (const v of preTable.valueMinor) preSum += v;
  const assumed = responseAssumptions(addOns, preTable.valueMinor.length ? preSum / preTable.valueMinor.length : settings.thresholdMinor, {
    reachMinor: settings.reach !== undefined ? Math.round(settings.reach * scale) : undefined,
  });
  // 3. Margin: the added items' own when their costs are known, else each order's own, else --margin.
  const margin = resolveMargin(preTable.valueMinor.length ? preTable : full, settings.margin);
  notes.push(...margin.notes);
  const topUp = topUpMargin(preTable, baskets, assumed.reachMinor);
  let rate = settings.margin ?? NaN;
  let marginSource = margin.marginMinor ? `the average of each order's own margin: ${margin.source}` : '--margin';
  if (topUp) {
    rate = topUp.rate;
    marginSource = `the added items' own: ${(topUp.rate * 100).toFixed(1)}% over the ${topUp.items.toLocaleString('en-US')} items priced up to ${(topUp.maxPriceMinor / scale).toFixed(full.decimals)}`;
  } else if (margin.marginMinor) {
    let m = 0;
    let v = 0;
    margin.marginMinor.forEach((x, i) => {
      m += x;
      v += (preTable.valueMinor.length ? preTable : full).valueMinor[i];
    });
    rate = v > 0 ? m / v : NaN;
  }
  // 4. The reward: the gift, or the shipping the pre period's qualifying orders paid.
  const reward = resolveReward(preTable.valueMinor.length ? preTable : full, settings.mode, settings, exportHasShipping);
  let paidShare: number | undefined;
  let rewardSource = reward.source;
  if (reward.shippingMinor) {
    let above = 0;
    let paid = 0;
    preTable.valueMinor.forEach((v, i) => {
      if (v < settings.thresholdMinor) return;
      above++;
      if (reward.shippingMinor![i] > 0) paid++;
    });
    paidShare = above ? paid / above : 1;
    rewardSource = 'the median shipping paid before the start';
  }
  // 5. The evaluation.
  const evaluation = evaluateThreshold(full, {
    sinceMs: settings.sinceMs, thresholdMinor: settings.thresholdMinor, preAddOnPriceMinor: addOns,
    reach: { reachMinor: assumed.reachMinor, reachSource: assumed.reachSource },
    reward: { rewardMinor: reward.rewardMinor, source: rewardSource, paidShare },
    margin: { rate, source: marginSource },
    resamples: settings.resamples, seed: settings.seed,
  });
  return { evaluation, notes };
}

/** The first `count` orders of a table (a time prefix), every column cut alike. */
function windowSlice(table: OrderTable, count: number): OrderTable {
  const sub: OrderTable = {
    ...table,
    orderIds: table.orderIds.slice(0, count),
    valueMinor: table.valueMinor.slice(0, count),
    placedAt: table.placedAt.slice(0, count),
    customer: table.customer.slice(0, count),
    itemCount: table.itemCount.slice(0, count),
    units: table.units.slice(0, count),
    marginMinor: table.marginMinor?.slice(0, count),
    shippingMinor: table.shippingMinor?.slice(0, count),
    segments: table.segments ? Object.fromEntries(Object.entries(table.segments).map(([k, v]) => [k, v.slice(0, count)])) : undefined,
  };
  deriveRows(sub, table, { first: 0, count });
  return sub;
}
