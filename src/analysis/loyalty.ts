/**
 * Loyalty levers: a priority-support tier for the top spenders, and a gift on the second
 * order (one per customer). Pure functions over an OrderTable.
 */
import { customerTimeline, secondOrderRateWithin } from './customers.js';
import { createRng, randomInt } from './random.js';
import { medianSorted, quantileSorted, sum } from './robust.js';
import type { OrderTable } from './types.js';
import { DAY_MS } from './periods.js';

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
  const windowFrom = windowTo - windowDays * DAY_MS;
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
  /**
   * Customers first seen in the first `burnInDays` of data are not counted as new: their
   * earlier orders may predate the export. Default: validDays.
   */
  burnInDays?: number;
  /** Bootstrap resamples over customers for the break-even interval (default 1000). */
  resamples?: number;
  /** Bootstrap seed (default 1). */
  seed?: number;
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
  /** Every customer with a counted order. */
  customers: number;
  /** Counted orders, and those with no customer key (guest checkouts). */
  orders: number;
  guestOrders: number;
  /** Orders and customers keyed only by the guest stand-in (billing name + postal code): not eligible, left out of the new customers. */
  guestKeyOrders: number;
  guestKeyCustomers: number;
  burnInDays: number;
  /** End of the burn-in (data start + burnInDays): customers first seen up to here are not new. */
  burnInEnd: number;
  /** Customers whose first order in the data falls after the burn-in: the new customers every figure below is about. */
  newCustomers: number;
  /** Customers with an account or email first seen in the burn-in. */
  burnedIn: number;
  /** Customers with exactly one order, any time. */
  oneOrderCustomers: number;
  /** New customers whose first order is within the last validDays of data and who have no second order yet: the offer is open for them now. */
  eligibleNow: number;
  rates: { days: number; rate: number; eligible: number }[];
  medianDaysToSecondOrder: number;
  firstOrderAovMinor: number;
  /** AOV of new customers' second orders placed within validDays of the first: the orders the gift is paid on. */
  secondOrderAovMinor: number;
  secondOrdersWithinValidity: number;
  /** For comparison: every customer's second order within validDays (no burn-in), and every second order at any time. */
  allCustomersSecondOrderAovWithinMinor: number;
  allSecondOrderAovMinor: number;
  /** Second-order rate within validDays among new customers seen for long enough. */
  baseRate: number;
  baseRateEligible: number;
  /** New customers per year: newCustomers over the years of data after the burn-in. */
  newCustomersPerYear: number;
  scenarios: { low: SecondOrderScenario; base: SecondOrderScenario; high: SecondOrderScenario };
  /** The relative lift at which the gift pays for itself (Infinity when the margin on a second order is below the gift cost). */
  breakEvenLift: number;
  /** Seeded bootstrap over new customers: 90% interval of the break-even lift and of the base scenario's net. */
  uncertainty: SecondOrderUncertainty;
}

export interface SecondOrderUncertainty {
  resamples: number;
  seed: number;
  level: number;
  breakEvenLiftLow: number;
  breakEvenLiftHigh: number;
  netLowMinor: number;
  netHighMinor: number;
  /** Share of resamples whose break-even lift is below the assumed lift (the gift pays at the assumed lift). */
  probabilityPays: number;
}

/**
 * The lift at which a second-order gift breaks even. With N new customers, base rate r and
 * relative lift L, the gift is paid on N r (1 + L) orders of which N r L are extra, each
 * earning m x AOV2: net = N r L m AOV2 - N r (1 + L) G = 0 gives L* = G / (m AOV2 - G),
 * whatever N and r. Infinity when an extra order earns no more than the gift costs.
 * @example
 * breakEvenLift(500, 0.5, 5000); // 500 / (2500 - 500) = 0.25
 */
export function breakEvenLift(giftCostMinor: number, margin: number, secondOrderAovMinor: number): number {
  // The margin one extra second order brings, net of the gift it also gets.
  const perExtraOrder = margin * secondOrderAovMinor - giftCostMinor;
  return perExtraOrder > 0 ? giftCostMinor / perExtraOrder : Infinity;
}

/** One new customer as the bootstrap sees it. */
interface CohortCustomer {
  /** Value of the second order when it came within validDays of the first, else NaN. */
  secondWithinMinor: number;
  /** Whether the first order is at least validDays before the data end (counts in the base rate). */
  rateEligible: boolean;
}

/**
 * Percentile bootstrap over customers (Efron & Tibshirani 1993, ch. 13;
 * https://en.wikipedia.org/wiki/Bootstrapping_(statistics)): resample the new customers with
 * replacement; in each resample recompute AOV2 (second orders within the validity window), the
 * base rate, the break-even lift G / (m AOV2 - G) and the base scenario's net; the 5th and
 * 95th percentiles give a 90% interval. Seeded, so the same data give the same interval.
 * @example
 * secondOrderBootstrap(cohort, { giftCostMinor: 500, margin: 0.4, lift: 0.15, newCustomersPerYear: 1000, resamples: 1000, seed: 1 });
 */
export function secondOrderBootstrap(
  cohort: readonly CohortCustomer[],
  options: { giftCostMinor: number; margin: number; lift: number; newCustomersPerYear: number; resamples: number; seed: number },
): SecondOrderUncertainty {
  const { giftCostMinor, margin, lift, newCustomersPerYear, resamples, seed } = options;
  const level = 0.9;
  const empty = { resamples, seed, level, breakEvenLiftLow: NaN, breakEvenLiftHigh: NaN, netLowMinor: NaN, netHighMinor: NaN, probabilityPays: NaN };
  if (cohort.length === 0) return empty;
  const rng = createRng(seed);
  const lifts = new Float64Array(resamples);
  const nets = new Float64Array(resamples);
  let pays = 0;
  for (let r = 0; r < resamples; r++) {
    // Draw as many customers as there are, with replacement.
    let secondSum = 0;
    let secondCount = 0;
    let rateEligible = 0;
    let rateReturned = 0;
    for (let k = 0; k < cohort.length; k++) {
      const c = cohort[randomInt(rng, cohort.length)];
      const returned = !Number.isNaN(c.secondWithinMinor);
      if (returned) {
        secondSum += c.secondWithinMinor;
        secondCount++;
      }
      if (c.rateEligible) {
        rateEligible++;
        if (returned) rateReturned++;
      }
    }
    // The resample's AOV2, break-even lift and net at the assumed lift.
    const aov2 = secondCount ? secondSum / secondCount : NaN;
    const rate = rateEligible ? rateReturned / rateEligible : NaN;
    const lStar = Number.isNaN(aov2) ? Infinity : breakEvenLift(giftCostMinor, margin, aov2);
    lifts[r] = lStar;
    const baseOrders = newCustomersPerYear * rate;
    nets[r] = baseOrders * lift * margin * aov2 - baseOrders * (1 + lift) * giftCostMinor;
    if (lStar < lift) pays++;
  }
  // Percentiles (an infinite break-even lift, from a resample where the gift never pays, sorts last; NaN nets, from a resample without a second order, sort last and are dropped).
  lifts.sort();
  const finiteNets = Float64Array.from(nets.filter((x) => !Number.isNaN(x))).sort();
  const tail = (1 - level) / 2;
  return {
    resamples,
    seed,
    level,
    breakEvenLiftLow: quantileSorted(lifts, tail),
    breakEvenLiftHigh: upperQuantileSorted(lifts, 1 - tail),
    netLowMinor: finiteNets.length ? quantileSorted(finiteNets, tail) : NaN,
    netHighMinor: finiteNets.length ? quantileSorted(finiteNets, 1 - tail) : NaN,
    probabilityPays: pays / resamples,
  };
}

/** quantileSorted that keeps an Infinity at the interpolation's upper rank (type 7 would give NaN there). */
function upperQuantileSorted(sorted: Float64Array, p: number): number {
  const hi = Math.min(Math.floor((sorted.length - 1) * p) + 1, sorted.length - 1);
  return sorted[hi] === Infinity ? Infinity : quantileSorted(sorted, p);
}

/**
 * Second-order gift economics per year of new customers. New customers are those first seen
 * after the burn-in (the first `burnInDays` of data): a customer first seen earlier may have
 * ordered before the export began. Their second orders count when placed within `validDays`
 * of the first, as the gift's validity allows. With N new customers a year and a base
 * second-order rate r within the validity window, the gift is paid on N r (1 + L) second
 * orders, of which N r L are extra; each extra order earns margin m x AOV2:
 *   net = N r L m AOV2 - N r (1 + L) G,   break-even L* = G / (m AOV2 - G).
 */
export function secondOrderGift(table: OrderTable, inputs: SecondOrderInputs): SecondOrderResult {
  const n = table.valueMinor.length;
  const validDays = inputs.validDays;
  const burnInDays = inputs.burnInDays ?? validDays;
  const window = validDays * DAY_MS;
  const timeline = customerTimeline(table);
  const end = n ? table.placedAt[n - 1] : 0;
  const start = n ? table.placedAt[0] : 0;
  const burnInEnd = start + burnInDays * DAY_MS;
  // Guest-keyed customers cannot get a once-per-customer gift; of the others, those first seen after the burn-in are the new ones.
  const isGuestKey = (c: number) => table.customerKeys?.[c]?.startsWith('guest:') ?? false;
  const isNew = (c: number) => timeline.orders[c] > 0 && !isGuestKey(c) && (burnInDays === 0 || timeline.firstAt[c] > burnInEnd);
  // First and second order values per customer (the table is in time order).
  const firstValue = new Float64Array(timeline.size).fill(NaN);
  const secondValue = new Float64Array(timeline.size).fill(NaN);
  const seen = new Int32Array(timeline.size);
  let guestOrders = 0;
  for (let i = 0; i < n; i++) {
    const c = table.customer[i];
    if (c < 0) {
      guestOrders++;
      continue;
    }
    const k = seen[c]++;
    if (k === 0) firstValue[c] = table.valueMinor[i];
    else if (k === 1) secondValue[c] = table.valueMinor[i];
  }
  const withinValidity = (c: number) => timeline.orders[c] > 1 && timeline.secondAt[c] - timeline.firstAt[c] <= window;
  // The new customers' timeline: the burned-in ones have no first order, so the rates skip them.
  const cohortFirstAt = Float64Array.from(timeline.firstAt, (t, c) => (isNew(c) ? t : NaN));
  const cohortTimeline = { size: timeline.size, firstAt: cohortFirstAt, secondAt: timeline.secondAt };
  const rateWithin = (days: number) => secondOrderRateWithin(cohortTimeline, end, days);
  const rates = [30, 60, 90, 180].map(rateWithin);
  const base = rateWithin(validDays);
  let customers = 0;
  let guestKeyCustomers = 0;
  let guestKeyOrderCount = 0;
  let newCustomers = 0;
  let oneOrderCustomers = 0;
  let eligibleNow = 0;
  const gapList: number[] = [];
  const firstValues: number[] = [];
  const cohort: CohortCustomer[] = [];
  let allSecondSum = 0;
  let allSecondCount = 0;
  let allWithinSum = 0;
  let allWithinCount = 0;
  let cohortWithinSum = 0;
  let cohortWithinCount = 0;
  for (let c = 0; c < timeline.size; c++) {
    if (timeline.orders[c] === 0) continue;
    customers++;
    if (timeline.orders[c] === 1) oneOrderCustomers++;
    if (timeline.orders[c] > 1) {
      allSecondSum += secondValue[c];
      allSecondCount++;
    }
    if (withinValidity(c)) {
      allWithinSum += secondValue[c];
      allWithinCount++;
    }
    if (isGuestKey(c)) {
      guestKeyCustomers++;
      guestKeyOrderCount += timeline.orders[c];
    }
    if (!isNew(c)) continue;
    newCustomers++;
    firstValues.push(firstValue[c]);
    if (timeline.orders[c] === 1 && timeline.firstAt[c] > end - window) eligibleNow++;
    if (timeline.orders[c] > 1) gapList.push((timeline.secondAt[c] - timeline.firstAt[c]) / DAY_MS);
    const within = withinValidity(c);
    if (within) {
      cohortWithinSum += secondValue[c];
      cohortWithinCount++;
    }
    cohort.push({ secondWithinMinor: within ? secondValue[c] : NaN, rateEligible: timeline.firstAt[c] + window <= end });
  }
  const gaps = Float64Array.from(gapList).sort();
  const years = Math.max((end - Math.max(start, burnInEnd)) / (365 * DAY_MS), 1 / 12);
  const newCustomersPerYear = newCustomers / years;
  const secondAov = cohortWithinCount ? cohortWithinSum / cohortWithinCount : NaN;
  const scenario = (lift: number): SecondOrderScenario => {
    const baseOrders = newCustomersPerYear * base.rate;
    const extra = baseOrders * lift;
    const extraMarginMinor = extra * inputs.margin * secondAov;
    const giftCostMinor = baseOrders * (1 + lift) * inputs.giftCostMinor;
    return { lift, extraSecondOrders: extra, extraMarginMinor, giftCostMinor, subsidyMinor: baseOrders * inputs.giftCostMinor, netMinor: extraMarginMinor - giftCostMinor };
  };
  return {
    customers,
    orders: n,
    guestOrders,
    guestKeyOrders: guestKeyOrderCount,
    guestKeyCustomers,
    burnInDays,
    burnInEnd,
    newCustomers,
    burnedIn: customers - guestKeyCustomers - newCustomers,
    oneOrderCustomers,
    eligibleNow,
    rates,
    medianDaysToSecondOrder: gaps.length ? medianSorted(gaps) : NaN,
    firstOrderAovMinor: firstValues.length ? sum(firstValues) / firstValues.length : NaN,
    secondOrderAovMinor: secondAov,
    secondOrdersWithinValidity: cohortWithinCount,
    allCustomersSecondOrderAovWithinMinor: allWithinCount ? allWithinSum / allWithinCount : NaN,
    allSecondOrderAovMinor: allSecondCount ? allSecondSum / allSecondCount : NaN,
    baseRate: base.rate,
    baseRateEligible: base.eligible,
    newCustomersPerYear,
    scenarios: { low: scenario(inputs.lift * 0.5), base: scenario(inputs.lift), high: scenario(inputs.lift * 1.5) },
    breakEvenLift: Number.isNaN(secondAov) ? Infinity : breakEvenLift(inputs.giftCostMinor, inputs.margin, secondAov),
    uncertainty: secondOrderBootstrap(cohort, {
      giftCostMinor: inputs.giftCostMinor, margin: inputs.margin, lift: inputs.lift, newCustomersPerYear, resamples: inputs.resamples ?? 1000, seed: inputs.seed ?? 1,
    }),
  };
}

