/**
 * Did a second-order gift work (issue #18)? New customers whose validity window closed before
 * the start (the cohort before) against those first seen from the start on and seen for a whole
 * window (the cohort after): the second-order rate within the validity window, its change with
 * a 95% interval and test, the gifts given, the extra second orders and the net. New customers
 * are those first seen after a burn-in at the start of the data (as suggest-second-order counts
 * them: an earlier first order may predate the export); guest-keyed customers cannot get a
 * once-per-customer gift and are left out. Not adjusted for season: the cohorts are the 12
 * months before and the months after, and the output says so.
 */
import { customerTimeline } from './customers.js';
import { proportionChange, proportionDecision, type ProportionChange } from './proportions.js';
import { normalQuantile } from './normal.js';
import type { OrderTable } from './types.js';
import { DAY_MS } from './periods.js';

export interface SecondOrderEvaluationSettings {
  sinceMs: number;
  validDays: number;
  giftCostMinor: number;
  marginRate: number;
  /** Days at the start of the data whose first-time customers are not new (default: validDays). */
  burnInDays?: number;
}

export interface Cohort {
  from: number;
  to: number;
  customers: number;
  /** Customers with a second order within validDays of the first. */
  secondOrders: number;
}

export interface SecondOrderEvaluation {
  sinceMs: number;
  validDays: number;
  before: Cohort;
  after: Cohort;
  rate: ProportionChange;
  /** Second orders within validity of customers first seen from the start on: each got the gift. */
  giftsGiven: number;
  giftCostMinor: number;
  /** AOV of the after cohort's second orders within validity (the before cohort's when it has none). */
  secondOrderAovMinor: number;
  /** (rate after - rate before) x the after cohort, with the rate's interval; net = extra x margin x AOV2 - gifts x cost. */
  extraSecondOrders: number;
  extraLow: number;
  extraHigh: number;
  netMinor: number;
  netLowMinor: number;
  netHighMinor: number;
  marginRate: number;
  /** When the after cohort is too small for a 10% relative lift in the rate to show: the customers needed and how many more. */
  tooEarly: { neededCustomers: number; moreCustomers: number } | null;
  verdict: { action: 'keep' | 'stop' | 'wait'; reason: 'pays' | 'uncertain' | 'costsMore' | 'noEffect' | 'tooEarly' };
}

/** The relative lift "too early" is about. */
export const SECOND_ORDER_LIFT = 0.1;

export function evaluateSecondOrder(table: OrderTable, settings: SecondOrderEvaluationSettings): SecondOrderEvaluation {
  const n = table.valueMinor.length;
  const { sinceMs, validDays } = settings;
  const window = validDays * DAY_MS;
  const start = n ? table.placedAt[0] : sinceMs;
  const end = n ? table.placedAt[n - 1] : sinceMs;
  const burnInEnd = start + (settings.burnInDays ?? validDays) * DAY_MS;
  const timeline = customerTimeline(table);
  const isGuest = (c: number) => table.customerKeys?.[c]?.startsWith('guest:') ?? false;
  // The cohorts: first seen in the 12 months before (window closed before the start), and from the start to a window before the data end.
  const beforeFrom = Math.max(burnInEnd, sinceMs - 365 * DAY_MS);
  const before: Cohort = { from: beforeFrom, to: sinceMs - window, customers: 0, secondOrders: 0 };
  const after: Cohort = { from: sinceMs, to: end - window, customers: 0, secondOrders: 0 };
  // The second order's value, for AOV2 (the table is in time order).
  const secondValue = new Float64Array(timeline.size).fill(NaN);
  const seen = new Int32Array(timeline.size);
  for (let i = 0; i < n; i++) {
    const c = table.customer[i];
    if (c < 0) continue;
    if (seen[c]++ === 1) secondValue[c] = table.valueMinor[i];
  }
  let giftsGiven = 0;
  let aovSumAfter = 0;
  let aovSumBefore = 0;
  let secondBefore = 0;
  for (let c = 0; c < timeline.size; c++) {
    if (timeline.orders[c] === 0 || isGuest(c)) continue;
    const first = timeline.firstAt[c];
    const within = timeline.secondAt[c] - first <= window;
    if (first >= sinceMs && within) giftsGiven++;
    for (const [cohort, isAfter] of [[before, false], [after, true]] as const) {
      if (first < cohort.from || first >= cohort.to) continue;
      cohort.customers++;
      if (!within) continue;
      cohort.secondOrders++;
      if (isAfter) aovSumAfter += secondValue[c];
      else {
        aovSumBefore += secondValue[c];
        secondBefore++;
      }
    }
  }
  const rate = proportionChange(before.secondOrders, before.customers, after.secondOrders, after.customers);
  const secondOrderAovMinor = after.secondOrders ? aovSumAfter / after.secondOrders : secondBefore ? aovSumBefore / secondBefore : NaN;
  const m = settings.marginRate;
  const extra = rate.change * after.customers;
  const extraLow = rate.low * after.customers;
  const extraHigh = rate.high * after.customers;
  // The gifts paid on the after cohort's second orders (the ones the extra orders are counted over).
  const giftsOnCohort = after.secondOrders * settings.giftCostMinor;
  const net = (x: number) => x * m * secondOrderAovMinor - giftsOnCohort;
  // Detected, a 10% rise ruled out, or neither (too early, with the customers that should decide it).
  const { detected, ruledOut, needed } = proportionDecision(rate, before.customers, after.customers, SECOND_ORDER_LIFT);
  const tooEarly = !detected && !ruledOut ? { neededCustomers: needed, moreCustomers: Math.max(0, needed - after.customers) } : null;
  let verdict: SecondOrderEvaluation['verdict'];
  if (!(after.customers > 0)) verdict = { action: 'wait', reason: 'tooEarly' };
  // Undecided on the effect but not on the money: even its upper end does not pay for the gifts.
  else if (tooEarly && net(extraHigh) < 0) verdict = { action: 'stop', reason: 'costsMore' };
  else if (tooEarly) verdict = { action: 'wait', reason: 'tooEarly' };
  else if (!detected) verdict = { action: 'stop', reason: 'noEffect' };
  else if (net(extraLow) > 0) verdict = { action: 'keep', reason: 'pays' };
  else if (net(extraHigh) < 0) verdict = { action: 'stop', reason: 'costsMore' };
  else verdict = { action: 'keep', reason: 'uncertain' };
  return {
    sinceMs, validDays, before, after, rate, giftsGiven, giftCostMinor: settings.giftCostMinor, secondOrderAovMinor,
    extraSecondOrders: extra, extraLow, extraHigh, netMinor: net(extra), netLowMinor: net(extraLow), netHighMinor: net(extraHigh), marginRate: m,
    tooEarly, verdict,
  };
}
