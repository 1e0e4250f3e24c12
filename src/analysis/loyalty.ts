/**
 * Loyalty levers: a priority-support tier for the top spenders, and a gift on the second
 * order (one per customer). Pure functions over an OrderTable.
 */
import { customerTimeline, secondOrderRateWithin } from './customers.js';
import { medianSorted, sum } from './robust.js';
import type { OrderTable } from './types.js';

const DAY = 86_400_000;

export interface TierResult {
  windowDays: number;
  windowFrom: number;
  windowTo: number;
  /** Customers with spend in the window. */
  customers: number;
  topShare: number;
  /** Spend (minor units) at or above which a customer is in the tier. */
  minSpendMinor: number;
  members: number;
  memberRevenueShare: number;
  memberAovMinor: number;
  everyoneAovMinor: number;
  /** Members with two or more orders in the window / members. */
  memberRepeatRate: number;
  everyoneRepeatRate: number;
  /** Customers whose spend is within 10% below the line: "you're close to Premium". */
  nearLine: number;
}

/**
 * The spend threshold that puts the top `topShare` of customers (by spend over the last
 * `windowDays` of data) in the tier: the spend of the k-th best customer, k = ceil(share x n).
 * Customers tied at the line are all members, so `members` can exceed k.
 */
export function suggestTier(table: OrderTable, options: { topShare?: number; windowDays?: number } = {}): TierResult {
  const topShare = options.topShare ?? 0.1;
  const windowDays = options.windowDays ?? 365;
  const n = table.valueMinor.length;
  const windowTo = n ? table.placedAt[n - 1] : 0;
  const windowFrom = windowTo - windowDays * DAY;
  const spend = new Map<number, number>();
  const orders = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = table.customer[i];
    if (c < 0 || table.placedAt[i] <= windowFrom) continue;
    spend.set(c, (spend.get(c) ?? 0) + table.valueMinor[i]);
    orders.set(c, (orders.get(c) ?? 0) + 1);
  }
  const customers = spend.size;
  const ranked = [...spend.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const k = Math.max(1, Math.ceil(topShare * customers));
  const minSpendMinor = customers ? ranked[Math.min(k, customers) - 1][1] : NaN;
  let members = 0;
  let memberRevenue = 0;
  let memberOrders = 0;
  let memberRepeat = 0;
  let nearLine = 0;
  let totalRevenue = 0;
  let totalOrders = 0;
  let repeat = 0;
  for (const [c, s] of spend) {
    const o = orders.get(c)!;
    totalRevenue += s;
    totalOrders += o;
    if (o >= 2) repeat++;
    if (s >= minSpendMinor) {
      members++;
      memberRevenue += s;
      memberOrders += o;
      if (o >= 2) memberRepeat++;
    } else if (s >= minSpendMinor * 0.9) nearLine++;
  }
  return {
    windowDays,
    windowFrom,
    windowTo,
    customers,
    topShare,
    minSpendMinor,
    members,
    memberRevenueShare: totalRevenue ? memberRevenue / totalRevenue : NaN,
    memberAovMinor: memberOrders ? memberRevenue / memberOrders : NaN,
    everyoneAovMinor: totalOrders ? totalRevenue / totalOrders : NaN,
    memberRepeatRate: members ? memberRepeat / members : NaN,
    everyoneRepeatRate: customers ? repeat / customers : NaN,
    nearLine,
  };
}

export interface SecondOrderInputs {
  /** Gift cost per second order, minor units. */
  giftCostMinor: number;
  /** Gross margin rate on order value (0.4 = 40%). */
  margin: number;
  /** Assumed relative lift in the second-order rate within validDays (0.15 = +15%). */
  lift: number;
  /** How long after the first order the gift offer is valid. */
  validDays: number;
}

export interface SecondOrderScenario {
  lift: number;
  extraSecondOrders: number;
  extraMarginMinor: number;
  /** Gift cost on every second order in the validity window, including those that would have happened anyway. */
  giftCostMinor: number;
  subsidyMinor: number;
  netMinor: number;
}

export interface SecondOrderResult {
  customers: number;
  /** Customers with exactly one order: eligible for the offer now. */
  eligibleNow: number;
  rates: { days: number; rate: number; eligible: number }[];
  medianDaysToSecondOrder: number;
  firstOrderAovMinor: number;
  secondOrderAovMinor: number;
  /** Second-order rate within validDays among first-time customers seen for long enough. */
  baseRate: number;
  /** First-time customers over a year of the data, scaled: new customers per year. */
  newCustomersPerYear: number;
  scenarios: { low: SecondOrderScenario; base: SecondOrderScenario; high: SecondOrderScenario };
  /** The relative lift at which the gift pays for itself (Infinity when the margin on a second order is below the gift cost). */
  breakEvenLift: number;
}

/**
 * Second-order gift economics per year of new customers. With N new customers a year and a
 * base second-order rate r within the validity window, the gift is paid on N r (1 + L)
 * second orders, of which N r L are extra; each extra order earns margin m x AOV2:
 *   net = N r L m AOV2 - N r (1 + L) G,   break-even L* = G / (m AOV2 - G).
 */
export function secondOrderGift(table: OrderTable, inputs: SecondOrderInputs): SecondOrderResult {
  const n = table.valueMinor.length;
  const timeline = customerTimeline(table);
  const firstValues: number[] = [];
  const secondValues: number[] = [];
  const seen = new Int32Array(timeline.size);
  for (let i = 0; i < n; i++) {
    const c = table.customer[i];
    if (c < 0) continue;
    const k = seen[c]++;
    if (k === 0) firstValues.push(table.valueMinor[i]);
    else if (k === 1) secondValues.push(table.valueMinor[i]);
  }
  const end = n ? table.placedAt[n - 1] : 0;
  const start = n ? table.placedAt[0] : 0;
  const rateWithin = (days: number) => secondOrderRateWithin(timeline, end, days);
  const rates = [30, 60, 90, 180].map(rateWithin);
  const base = rateWithin(inputs.validDays);
  const gapList: number[] = [];
  let customers = 0;
  let eligibleNow = 0;
  for (let c = 0; c < timeline.size; c++) {
    if (timeline.orders[c] === 0) continue;
    customers++;
    if (timeline.orders[c] === 1) eligibleNow++;
    else gapList.push((timeline.secondAt[c] - timeline.firstAt[c]) / DAY);
  }
  const gaps = Float64Array.from(gapList).sort();
  const years = Math.max((end - start) / (365 * DAY), 1 / 12);
  const newCustomersPerYear = customers / years;
  const secondAov = secondValues.length ? sum(secondValues) / secondValues.length : NaN;
  const scenario = (lift: number): SecondOrderScenario => {
    const baseOrders = newCustomersPerYear * base.rate;
    const extra = baseOrders * lift;
    const extraMarginMinor = extra * inputs.margin * secondAov;
    const giftCostMinor = baseOrders * (1 + lift) * inputs.giftCostMinor;
    return { lift, extraSecondOrders: extra, extraMarginMinor, giftCostMinor, subsidyMinor: baseOrders * inputs.giftCostMinor, netMinor: extraMarginMinor - giftCostMinor };
  };
  const perOrderMargin = inputs.margin * secondAov;
  return {
    customers,
    eligibleNow,
    rates,
    medianDaysToSecondOrder: gaps.length ? medianSorted(gaps) : NaN,
    firstOrderAovMinor: firstValues.length ? sum(firstValues) / firstValues.length : NaN,
    secondOrderAovMinor: secondAov,
    baseRate: base.rate,
    newCustomersPerYear,
    scenarios: { low: scenario(inputs.lift * 0.5), base: scenario(inputs.lift), high: scenario(inputs.lift * 1.5) },
    breakEvenLift: perOrderMargin > inputs.giftCostMinor ? inputs.giftCostMinor / (perOrderMargin - inputs.giftCostMinor) : Infinity,
  };
}
