/**
 * The headline summary of one currency's orders: AOV and its robust twins, spread,
 * basket size, customers, the largest order's weight, and a monthly series.
 */
import { customerMetrics, type CustomerMetrics } from './customers.js';
import { madSorted, meanAndMedianOfCounts, medianSorted, quantileSorted, sortedOnce, sortedRange, sum, trimmedMeanSorted, winsorizedMeanSorted } from './robust.js';
import { periodKey } from './periods.js';
import type { OrderTable } from './types.js';

export interface MonthPoint {
  month: string;
  orders: number;
  revenueMinor: number;
  meanMinor: number;
  medianMinor: number;
}

export interface CurrencySummary {
  currency: string;
  decimals: number;
  orders: number;
  revenueMinor: number;
  from: number;
  to: number;
  aov: {
    meanMinor: number;
    medianMinor: number;
    trimmedMeanMinor: number;
    winsorizedMeanMinor: number;
    madMinor: number;
  };
  percentilesMinor: { p10: number; p25: number; p75: number; p90: number; p99: number };
  itemsPerOrder: { mean: number; median: number };
  unitsPerOrder: { mean: number; median: number };
  customers: {
    customers: number;
    ordersWithCustomer: number;
    ordersWithoutCustomer: number;
    repeatCustomers: number;
    repeatCustomerShare: number;
    firstOrderAovMinor: number;
    repeatOrderAovMinor: number;
    repeatOrders: number;
  };
  largestOrder: { order: string; valueMinor: number; shareOfRevenue: number };
  /** Mean AOV without the largest 1% of orders (ceil(1% x n) removed). */
  aovWithoutTop1PctMinor: number;
  top1PctOrders: number;
  monthly: MonthPoint[];
  verdict: string;
}

export function summarize(table: OrderTable): CurrencySummary {
  return summarizeWithCustomers(table, customerMetrics(table));
}

/** summarize, reusing customer metrics the caller already computed (one pass over the orders). */
export function summarizeWithCustomers(table: OrderTable, customers: CustomerMetrics): CurrencySummary {
  const n = table.valueMinor.length;
  const sorted = sortedOnce(table.valueMinor);
  const revenueMinor = sum(sorted);
  const meanMinor = revenueMinor / n;
  const medianMinor = medianSorted(sorted);

  // The largest order: ties go to the earliest (lowest index).
  let largest = 0;
  for (let i = 1; i < n; i++) if (table.valueMinor[i] > table.valueMinor[largest]) largest = i;

  const top = Math.ceil(n * 0.01);
  let withoutTop = 0;
  for (let i = 0; i < n - top; i++) withoutTop += sorted[i];

  const items = meanAndMedianOfCounts(table.itemCount);
  const units = meanAndMedianOfCounts(table.units);
  const monthly = monthlySeries(table);
  const from = table.placedAt[0];
  const to = table.placedAt[n - 1];
  const summary: CurrencySummary = {
    currency: table.currency,
    decimals: table.decimals,
    orders: n,
    revenueMinor,
    from,
    to,
    aov: {
      meanMinor,
      medianMinor,
      trimmedMeanMinor: trimmedMeanSorted(sorted, 0.05),
      winsorizedMeanMinor: winsorizedMeanSorted(sorted, 0.05),
      madMinor: madSorted(sorted),
    },
    percentilesMinor: {
      p10: quantileSorted(sorted, 0.1),
      p25: quantileSorted(sorted, 0.25),
      p75: quantileSorted(sorted, 0.75),
      p90: quantileSorted(sorted, 0.9),
      p99: quantileSorted(sorted, 0.99),
    },
    itemsPerOrder: { mean: items.mean, median: items.median },
    unitsPerOrder: { mean: units.mean, median: units.median },
    customers: {
      customers: customers.customers,
      ordersWithCustomer: customers.ordersWithCustomer,
      ordersWithoutCustomer: customers.ordersWithoutCustomer,
      repeatCustomers: customers.repeatCustomers,
      repeatCustomerShare: customers.repeatRate,
      firstOrderAovMinor: customers.firstOrderAovMinor,
      repeatOrderAovMinor: customers.repeatOrderAovMinor,
      repeatOrders: customers.repeatOrders,
    },
    largestOrder: { order: table.orderIds.at(largest)!, valueMinor: table.valueMinor[largest], shareOfRevenue: table.valueMinor[largest] / revenueMinor },
    aovWithoutTop1PctMinor: n - top > 0 ? withoutTop / (n - top) : NaN,
    top1PctOrders: top,
    monthly,
    verdict: '',
  };
  summary.verdict = verdict(summary);
  return summary;
}

/** Orders, revenue, mean and median per calendar month of the export's own wall-clock time. */
export function monthlySeries(table: OrderTable): MonthPoint[] {
  const n = table.valueMinor.length;
  let sortedByTime = true;
  for (let i = 1; i < n && sortedByTime; i++) if (table.placedAt[i] < table.placedAt[i - 1]) sortedByTime = false;
  if (sortedByTime) {
    // The usual case (tables come sorted by time): months are runs, found without a key per order.
    const points: MonthPoint[] = [];
    for (let i = 0; i < n; ) {
      const start = new Date(table.placedAt[i]);
      const end = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
      let j = i;
      while (j < n && table.placedAt[j] < end) j++;
      if (j === i) j = i + 1; // a NaN time: a month of its own rather than no progress
      const values = sortedRange(table.valueMinor, i, j);
      const revenueMinor = sum(values);
      points.push({ month: periodKey(table.placedAt[i], 'month'), orders: values.length, revenueMinor, meanMinor: revenueMinor / values.length, medianMinor: medianSorted(values) });
      i = j;
    }
    return points;
  }
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = periodKey(table.placedAt[i], 'month');
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(table.valueMinor[i]);
  }
  return [...groups.keys()].sort().map((month) => {
    const values = Float64Array.from(groups.get(month)!).sort();
    const revenueMinor = sum(values);
    return { month, orders: values.length, revenueMinor, meanMinor: revenueMinor / values.length, medianMinor: medianSorted(values) };
  });
}

/** A plain-language sentence on what the mean hides. Amounts are left as {mean}/{median} placeholders for the renderer's money format. */
function verdict(s: CurrencySummary): string {
  const ratio = s.aov.meanMinor / s.aov.medianMinor;
  if (ratio > 1.25) {
    // "The top 1%" only where it is about 1% (100 orders or more); else the orders it counts.
    const top = topShareWords(s.top1PctOrders, s.orders, 0.01, 'order');
    const one = top.startsWith('the largest');
    return `AOV {mean}, but the median order is {median}: a few large orders pull the mean up (${top} ${one ? 'brings' : 'bring'} ${pct(topShare(s))} of revenue; without ${one ? 'it' : 'them'} AOV is {withoutTop}).`;
  }
  if (ratio < 0.8) return `AOV {mean}, below the median order of {median}: many small orders pull the mean down.`;
  return `AOV {mean}; the median order is {median}, close to the mean, so the average is a fair picture of a typical order.`;
}

/**
 * "the top 1% of orders" when `count` (ceil(share x total)) is within a tenth of share x total,
 * otherwise the count itself: on 3 orders "the top 1%" is 1 order, a third of them.
 * @example
 * topShareWords(27, 2694, 0.01, 'order'); // 'the top 1% of orders'
 * topShareWords(1, 3, 0.01, 'order'); // 'the largest of the 3 orders'
 * topShareWords(2, 14, 0.1, 'customer'); // 'the top 2 of 14 customers'
 */
export function topShareWords(count: number, total: number, share: number, noun: string): string {
  if (Math.abs(count - share * total) <= 0.1 * share * total) return `the top ${Math.round(share * 100)}% of ${noun}s`;
  return count === 1 ? `the largest of the ${total} ${noun}s` : `the top ${count} of ${total} ${noun}s`;
}

function topShare(s: CurrencySummary): number {
  const withoutTopRevenue = s.aovWithoutTop1PctMinor * (s.orders - s.top1PctOrders);
  return (s.revenueMinor - withoutTopRevenue) / s.revenueMinor;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
