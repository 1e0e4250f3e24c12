/**
 * Customer metrics over the data window: how many customers, how often they come back,
 * how long until the second order, and how revenue splits between first and repeat
 * orders. "First order" means the first order seen in the data: a customer who bought
 * before the export starts looks new (said in the output).
 */
import { medianSorted, quantileSorted, sum } from './robust.js';
import type { OrderTable } from './types.js';

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

const DAY = 86_400_000;

export function customerMetrics(table: OrderTable): CustomerMetrics {
  const n = table.valueMinor.length;
  const first = new Map<number, number>();
  const second = new Map<number, number>();
  const spend = new Map<number, number>();
  const count = new Map<number, number>();
  let withCustomer = 0;
  let repeatRevenue = 0;
  let repeatOrders = 0;
  let customerRevenue = 0;
  for (let i = 0; i < n; i++) {
    const c = table.customer[i];
    if (c < 0) continue;
    withCustomer++;
    const value = table.valueMinor[i];
    customerRevenue += value;
    spend.set(c, (spend.get(c) ?? 0) + value);
    const seen = count.get(c) ?? 0;
    count.set(c, seen + 1);
    // The table is sorted by time, so the first occurrence is the first order.
    if (seen === 0) first.set(c, table.placedAt[i]);
    else {
      repeatRevenue += value;
      repeatOrders++;
      if (seen === 1) second.set(c, table.placedAt[i]);
    }
  }
  const customers = count.size;
  const gaps = Float64Array.from([...second.entries()].map(([c, t]) => (t - first.get(c)!) / DAY)).sort();
  const spends = Float64Array.from(spend.values()).sort();
  const topCount = Math.ceil(customers * 0.1);
  let topSpend = 0;
  for (let i = spends.length - topCount; i < spends.length; i++) topSpend += spends[i];
  const end = n ? table.placedAt[n - 1] : 0;
  const secondOrderWithin = [30, 60, 90, 180].map((days) => secondOrderRateWithin(first, second, end, days));
  return {
    customers,
    ordersWithCustomer: withCustomer,
    ordersWithoutCustomer: n - withCustomer,
    ordersPerCustomer: customers ? withCustomer / customers : NaN,
    repeatRate: customers ? second.size / customers : NaN,
    secondOrderRate: customers ? second.size / customers : NaN,
    medianDaysToSecondOrder: gaps.length ? medianSorted(gaps) : NaN,
    repeatRevenueShare: customerRevenue ? repeatRevenue / customerRevenue : NaN,
    repeatCustomers: second.size,
    firstOrderAovMinor: first.size ? (customerRevenue - repeatRevenue) / first.size : NaN,
    repeatOrderAovMinor: repeatOrders ? repeatRevenue / repeatOrders : NaN,
    repeatOrders,
    valuePerCustomer: {
      meanMinor: customers ? sum(spends) / customers : NaN,
      medianMinor: customers ? quantileSorted(spends, 0.5) : NaN,
      topDecileShare: customerRevenue ? topSpend / customerRevenue : NaN,
    },
    secondOrderWithin,
  };
}

/**
 * Second-order rate within `days` of the first order, among customers whose first order is
 * at least `days` before the data end (only they had the chance to come back in time).
 */
export function secondOrderRateWithin(first: ReadonlyMap<number, number>, second: ReadonlyMap<number, number>, end: number, days: number) {
  let eligible = 0;
  let returned = 0;
  for (const [c, t] of first) {
    if (t + days * DAY > end) continue;
    eligible++;
    const s = second.get(c);
    if (s !== undefined && s - t <= days * DAY) returned++;
  }
  return { days, rate: eligible ? returned / eligible : NaN, eligible };
}
