/**
 * The threshold decision as a recipe of named steps, each its own module: the window, the
 * margin, the reward, the reach and overshoot, the uptake (calibration), the prior, the
 * simulation, the notes on the answer, the gap fillers. `aov suggest-threshold`, `aov report`
 * and `aov rules` all call this; it reads plain typed data (no I/O).
 */
import { AovError } from '../../errors.js';
import type { DetectedThreshold } from '../bunching.js';
import type { Calibration } from '../calibration.js';
import { candidateThresholds } from '../priceRounding.js';
import { medianSorted, sortedCopy } from '../robust.js';
import { MIN_RELIABLE_ORDERS, simulateThresholds, type ThresholdResult } from '../threshold.js';
import { DEFAULT_REACH_SPREAD, reachScales, responseAssumptions } from '../thresholdResponse.js';
import type { OrderTable } from '../types.js';
import { windowTable } from '../window.js';
import { thresholdGapFillers, topUpMargin, windowAddOns, windowItemSales, type LabelledGapFiller, type ThresholdBaskets } from './baskets.js';
import { resolveMargin } from './margin.js';
import { resolvePrior, type PriorView } from './prior.js';
import { resolveReward } from './reward.js';
import type { ThresholdSettings } from './settings.js';
import { resolveUptake } from './uptake.js';
import { DOLLAR_SIZED_CURRENCIES } from '../warnings.js';

/** Where an assumption's number came from: the shop's data, an option given, the stated prior, or aov's default. */
export type AssumptionOrigin = 'data' | 'option' | 'prior' | 'default';

/** Everything a renderer needs about one currency's threshold decision. */
export interface ThresholdPlan {
  currency: string;
  decimals: number;
  mode: 'gift' | 'free-shipping';
  window: { from: number; to: number; months: number; orders: number };
  anchor: 'mean' | 'median';
  anchorMinor: number;
  result: ThresholdResult;
  assumptions: {
    p0: number;
    p0Source: string;
    reachMinor: number;
    reachSource: string;
    overshootMinor: number;
    overshootSource: string;
    shape: string;
    margin: string;
    /** The margin rate on a top-up's extra spend when the add-on items' costs give it (else null: each order's own), and its source. */
    topUpMarginRate: number | null;
    topUpMarginSource: string;
    rewardMinor: number;
    rewardSource: string;
    resamples: number;
    seed: number;
    /** The prior the figures integrate over (null with --no-prior). */
    prior: PriorView | null;
    /** What the threshold is compared with, in words. */
    basis: { value: 'subtotal' | 'total'; text: string };
    /** Where each assumption's number came from. */
    origin: { uptake: AssumptionOrigin; reach: AssumptionOrigin; overshoot: AssumptionOrigin; margin: AssumptionOrigin; topUpMargin: AssumptionOrigin; reward: AssumptionOrigin };
  };
  calibration: Calibration | null;
  detected: DetectedThreshold[];
  gapFillers: LabelledGapFiller[];
  /** Sorted order values, for the histogram. */
  sortedValues: Float64Array;
  locales: string[];
  notes: string[];
}

/**
 * Plans a threshold for one currency's orders; null when the window holds no orders.
 * Throws E_TOO_FEW_ORDERS under MIN_RELIABLE_ORDERS (100) orders without `force`, and E_USAGE when the margin or the
 * reward cost is missing.
 */
export function planThreshold(full: OrderTable, baskets: ThresholdBaskets | undefined, settings: ThresholdSettings, exportHasShipping: boolean): ThresholdPlan | null {
  // 1. The window: the last 12 months, or from --since.
  const windowed = windowTable(full, settings.since !== undefined ? { since: settings.since } : { months: 12 });
  const table = windowed.table;
  const n = table.valueMinor.length;
  if (n === 0) return null;
  if (n < MIN_RELIABLE_ORDERS && !settings.force) {
    throw new AovError('E_TOO_FEW_ORDERS', `Only ${n} ${table.currency} orders in the window: too few for a threshold to be told apart from chance.`, {
      hint: 'Use a longer window (--since), or --force to see the numbers anyway.',
    });
  }
  const scale = 10 ** table.decimals;
  const sorted = sortedCopy(table.valueMinor);
  const meanMinor = sorted.reduce((a, b) => a + b, 0) / n;
  const anchorMinor = settings.anchor === 'median' ? medianSorted(sorted) : meanMinor;

  // 2-3. Margin and reward.
  const margin = resolveMargin(table, settings.margin);
  const reward = resolveReward(table, settings.mode, settings, exportHasShipping);
  const notes = [...margin.notes];

  // 4. Reach and overshoot from add-on prices: the cheapest item of multi-item orders in the window.
  const addOns = windowAddOns(table, baskets);
  const assumed = responseAssumptions(addOns, anchorMinor, {
    reachMinor: settings.reach !== undefined ? Math.round(settings.reach * scale) : undefined,
    overshootMinor: settings.overshoot !== undefined ? Math.round(settings.overshoot * scale) : undefined,
  });
  const { reachMinor, reachSource } = assumed;

  // 4b. The margin a top-up earns: the added items' own, when their costs are known.
  const topUp = topUpMargin(table, baskets, reachMinor);
  const topUpMarginSource = topUp
    ? `${(topUp.rate * 100).toFixed(1)}%: the costs of the ${topUp.items.toLocaleString('en-US')} items priced up to ${(topUp.maxPriceMinor / scale).toFixed(table.decimals)}, weighted by the baskets they are in (the items a top-up adds)`
    : margin.marginMinor ? "each order's own margin (the add-on items' costs are not known)" : margin.source;

  // 5. The uptake: given, calibrated from a threshold that ran, or the default.
  const scales = reachScales(settings.reachSpread ?? DEFAULT_REACH_SPREAD);
  const uptake = resolveUptake(table, reachMinor, scales, settings);
  notes.push(...uptake.notes);

  // 6. The prior over what the history cannot tell, unless --no-prior.
  const prior = settings.prior
    ? resolvePrior(addOns, reachMinor, scales, uptake, { ...settings, overshootMinor: settings.overshoot !== undefined ? assumed.overshootMinor : undefined, itemSales: windowItemSales(table, baskets) })
    : null;
  const p0 = prior?.p0 ?? uptake.p0;
  const overshootMinor = prior?.overshootMinor ?? assumed.overshootMinor;

  // 7. The simulation over the candidates.
  const candidates = candidateThresholds(anchorMinor, table.decimals, settings.range[0], settings.range[1], settings.step, settings.round);
  const result = simulateThresholds({
    valueMinor: table.valueMinor, marginMinor: margin.marginMinor, margin: margin.margin, topUpMarginRate: topUp?.rate, rewardMinor: reward.rewardMinor, shippingMinor: reward.shippingMinor, candidates,
    p0, reachMinor, overshootMinor, shape: settings.shape, resamples: settings.resamples, seed: settings.seed, months: windowed.months, prior: prior?.prior,
  });

  // 8. Notes on the answer.
  if (result.tooFewOrders) notes.push(`Only ${n} orders: read these figures as a rough guide.`);
  notes.push(...rangeNotes(result, settings, table.decimals, meanMinor / scale, table.currency));

  // 9. Gap fillers at the recommendation (or the best candidate).
  const threshold = result.recommendation?.threshold ?? result.needed?.threshold;
  const marginOrigin: AssumptionOrigin = margin.marginMinor ? 'data' : 'option';
  const origin = {
    uptake: settings.uptake !== undefined ? 'option' : uptake.calibrated ? 'data' : prior?.prior.uptake ? 'prior' : 'default',
    // (responseAssumptions reads the add-on prices from 30 of them; fewer: a share of the anchor)
    reach: settings.reach !== undefined ? 'option' : addOns.length >= 30 ? 'data' : 'default',
    overshoot: settings.overshoot !== undefined ? 'option' : (prior ? prior.overshootFromData : addOns.length >= 30) ? 'data' : 'default',
    margin: marginOrigin,
    topUpMargin: topUp ? 'data' : marginOrigin,
    reward: reward.shippingMinor ? 'data' : 'option',
  } as const;
  return {
    currency: table.currency, decimals: table.decimals, mode: settings.mode,
    window: { from: windowed.from, to: windowed.to, months: windowed.months, orders: n },
    anchor: settings.anchor, anchorMinor, result,
    assumptions: {
      p0, p0Source: prior?.p0Source ?? uptake.source, reachMinor, reachSource, overshootMinor, overshootSource: prior?.overshootSource ?? assumed.overshootSource,
      shape: settings.shape, margin: margin.source, topUpMarginRate: topUp?.rate ?? null, topUpMarginSource, rewardMinor: reward.rewardMinor, rewardSource: reward.source, resamples: settings.resamples, seed: settings.seed, prior: prior?.view ?? null, origin,
      basis: { value: settings.basis, text: BASIS_TEXT[settings.basis] },
    },
    calibration: uptake.calibration,
    detected: uptake.existing === undefined ? uptake.detected : uptake.detected.filter((d) => d.threshold !== uptake.existing),
    gapFillers: threshold !== undefined ? thresholdGapFillers(table, baskets, threshold, reachMinor) : [],
    sortedValues: sorted, locales: [...settings.locales], notes,
  };
}

/** The order value a threshold is compared with (the loader's --value), as the output states it. */
const BASIS_TEXT: Record<ThresholdSettings['basis'], string> = {
  subtotal: 'the order subtotal: merchandise after discounts, before shipping (--value total compares the order total)',
  total: 'the order total, shipping and tax included (--value total; the default compares the subtotal)',
};

/**
 * The best candidate at an end of the range says the optimum may lie outside it; an AOV
 * outside 30-150 is outside what the 15-30% rule of thumb was built for.
 */
function rangeNotes(result: ThresholdResult, settings: ThresholdSettings, decimals: number, aovMajor: number, currency: string): string[] {
  const notes: string[] = [];
  const nets = result.candidates.map((c) => c.expectedNetMarginMinor);
  const best = nets.indexOf(Math.max(...nets));
  if (nets.length > 2 && (best === 0 || best === nets.length - 1)) {
    const at = (result.candidates[best].threshold / 10 ** decimals).toFixed(decimals);
    notes.push(`The best expected net is at the ${best === 0 ? 'lowest' : 'highest'} candidate (${at}, ${settings.rangeText}% above the ${settings.anchor}): a threshold ${best === 0 ? 'lower' : 'higher'} than the range may do better; widen --range to see.`);
  }
  if (DOLLAR_SIZED_CURRENCIES.has(currency) && (aovMajor < 30 || aovMajor > 150)) notes.push(`AOV ${aovMajor.toFixed(decimals)} ${currency} is outside 30-150, the range the 15-30% rule of thumb was built for.`);
  return notes;
}
