/**
 * Customer metrics over the data window: how many customers, how often they come back,
 * how long until the second order, and how revenue splits between first and repeat
 * orders. "First order" means the first order seen in the data: a customer who bought
 * before the export starts looks new (said in the output).
 */
import { medianSorted, quantileSorted, sortInPlace, sum } from './robust.js';
import type { OrderTable } from './types.js';
import { DAY_MS } from './periods.js';

export interface CustomerMetrics {
  customers: number;
  ordersWithCustomer: number;
  ordersWithoutCustomer: number;
  /** Mean orders per customer. */
  ordersPerCustomer: number;
  /** Customers with two or more orders / customers (the same as the second-order rate over the window). */
  repeatRate: number;
  secondOrderRate: number;
  /** Median days between a customer's first and second order (customers with two or more). */
  medianDaysToSecondOrder: number;
  /** Revenue of orders that are not the customer's first / revenue of orders with a customer. */
  repeatRevenueShare: number;
  /** Historic customer value: revenue per customer over the window. */
  valuePerCustomer: { meanMinor: number; medianMinor: number; topDecileShare: number };
  /** Customers with two or more orders. */
  repeatCustomers: number;
  /** AOV of customers' first orders in the data, and of their later ones. */
  firstOrderAovMinor: number;
  repeatOrderAovMinor: number;
  repeatOrders: number;
  /** Second-order rate of first-time customers within 30/60/90/180 days, among those seen long enough. */
  secondOrderWithin: { days: number; rate: number; eligible: number }[];
}

/**
 * Per customer number: when the first and second orders were placed (NaN when none), the
 * number of orders and the spend. Customer numbers are dense (0 .. max), so typed arrays
 * replace maps: a million orders take one pass with no hashing.
 */
export interface CustomerTimeline {
  size: number;
  firstAt: Float64Array;
  secondAt: Float64Array;
  orders: Int32Array;
  spend: Float64Array;
}

export function customerTimeline(table: OrderTable): CustomerTimeline {
  return timelineAndSplit(table).timeline;
}

/** First against repeat orders, summed in order of time (the same sums however they are reached). */
interface RevenueSplit {
  withCustomer: number;
  customerRevenue: number;
  repeatRevenue: number;
  repeatOrders: number;
}

/** The timeline and, from the same pass over the orders, the first/repeat split. */
function timelineAndSplit(table: OrderTable): { timeline: CustomerTimeline; split: RevenueSplit } {
  let size = 0;
  for (let i = 0; i < table.customer.length; i++) if (table.customer[i] >= size) size = table.customer[i] + 1;
  const firstAt = new Float64Array(size).fill(NaN);
  const secondAt = new Float64Array(size).fill(NaN);
  const orders = new Int32Array(size);
  const spend = new Float64Array(size);
  let withCustomer = 0;
  let customerRevenue = 0;
  let repeatRevenue = 0;
  let repeatOrders = 0;
  // The table is sorted by time, so a customer's first occurrence is the first order.
  for (let i = 0; i < table.customer.length; i++) {
    const c = table.customer[i];
    if (c < 0) continue;
    const seen = orders[c]++;
    const value = table.valueMinor[i];
    spend[c] += value;
    withCustomer++;
    customerRevenue += value;
    if (seen === 0) firstAt[c] = table.placedAt[i];
    else {
      if (seen === 1) secondAt[c] = table.placedAt[i];
      repeatRevenue += value;
      repeatOrders++;
    }
  }
  return { timeline: { size, firstAt, secondAt, orders, spend }, split: { withCustomer, customerRevenue, repeatRevenue, repeatOrders } };
}

export function customerMetrics(table: OrderTable): CustomerMetrics {
  const n = table.valueMinor.length;
  const { timeline, split } = timelineAndSplit(table);
  const { withCustomer, customerRevenue, repeatRevenue, repeatOrders } = split;
  let customers = 0;
  let repeatCustomers = 0;
  // (typed arrays cut to length: 2.6 million customers are no list of boxed numbers)
  const spendList = new Float64Array(timeline.size);
  const gapList = new Float64Array(timeline.size);
  for (let c = 0; c < timeline.size; c++) {
    if (timeline.orders[c] === 0) continue;
    spendList[customers++] = timeline.spend[c];
    if (timeline.orders[c] > 1) gapList[repeatCustomers++] = timeline.secondAt[c] - timeline.firstAt[c];
  }
  const firstCount = customers;
  // Sorted as whole milliseconds (by radix: 2.6 million spends and a million gaps at 10M
  // lines), then turned into days: dividing by a constant keeps the order, and each day count
  // is the same division as before, so the same bits.
  const gaps = sortInPlace(gapList.subarray(0, repeatCustomers));
  for (let i = 0; i < gaps.length; i++) gaps[i] /= DAY_MS;
  const spends = sortInPlace(spendList.subarray(0, customers));
  const topCount = Math.ceil(customers * 0.1);
  let topSpend = 0;
  for (let i = spends.length - topCount; i < spends.length; i++) topSpend += spends[i];
  const end = n ? table.placedAt[n - 1] : 0;
  const secondOrderWithin = [30, 60, 90, 180].map((days) => secondOrderRateWithin(timeline, end, days));
  return {
    customers,
    ordersWithCustomer: withCustomer,
    ordersWithoutCustomer: n - withCustomer,
    ordersPerCustomer: customers ? withCustomer / customers : NaN,
    repeatRate: customers ? repeatCustomers / customers : NaN,
    secondOrderRate: customers ? repeatCustomers / customers : NaN,
    medianDaysToSecondOrder: gaps.length ? medianSorted(gaps) : NaN,
    repeatRevenueShare: customerRevenue ? repeatRevenue / customerRevenue : NaN,
    repeatCustomers,
    firstOrderAovMinor: firstCount ? (customerRevenue - repeatRevenue) / firstCount : NaN,
    repeatOrderAovMinor: repeatOrders ? repeatRevenue / repeatOrders : NaN,
    repeatOrders,
    valuePerCustomer: {
      meanMinor: customers ? sum(spends) / customers : NaN,
      medianMinor: customers ? medianSorted(spends) : NaN,
      topDecileShare: customerRevenue ? topSpend / customerRevenue : NaN,
    },
    secondOrderWithin,
  };
}

/**
 * Second-order rate within `days` of the first order, among customers whose first order is
 * at least `days` before the data end (only they had the chance to come back in time).
 */
export function secondOrderRateWithin(timeline: Pick<CustomerTimeline, 'size' | 'firstAt' | 'secondAt'>, end: number, days: number) {
  let eligible = 0;
  let returned = 0;
  for (let c = 0; c < timeline.size; c++) {
    const t = timeline.firstAt[c];
    if (Number.isNaN(t) || t + days * DAY_MS > end) continue;
    eligible++;
    const s = timeline.secondAt[c];
    if (!Number.isNaN(s) && s - t <= days * DAY_MS) returned++;
  }
  return { days, rate: eligible ? returned / eligible : NaN, eligible };
}
