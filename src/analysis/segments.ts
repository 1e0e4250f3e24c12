/**
 * The same summary per segment (country, channel, new vs returning, or any column),
 * sorted by revenue; segments with fewer than `minOrders` orders are pooled as "other" so
 * that a handful of orders never reads as a finding.
 */
import { medianSorted, sum, trimmedMeanSorted } from './robust.js';
import type { OrderTable } from './types.js';

export interface SegmentSummary {
  segment: string;
  orders: number;
  revenueMinor: number;
  shareOfRevenue: number;
  meanMinor: number;
  medianMinor: number;
  trimmedMeanMinor: number;
  /** For "other": how many segments were pooled. */
  pooled?: number;
}

/** new / returning label per order: returning when the customer has an earlier order in the data; guests are "no customer key". */
export function newVsReturning(table: OrderTable): string[] {
  const seen = new Set<number>();
  const labels: string[] = new Array(table.valueMinor.length);
  for (let i = 0; i < labels.length; i++) {
    const c = table.customer[i];
    if (c < 0) labels[i] = 'no customer key';
    else if (seen.has(c)) labels[i] = 'returning';
    else {
      seen.add(c);
      labels[i] = 'new';
    }
  }
  return labels;
}

export function segmentSummaries(table: OrderTable, labels: readonly string[], minOrders = 30): SegmentSummary[] {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const key = labels[i] || '(empty)';
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(table.valueMinor[i]);
  }
  const total = sum(table.valueMinor);
  const big: [string, number[]][] = [];
  const small: number[] = [];
  let pooled = 0;
  for (const [key, values] of groups) {
    if (values.length >= minOrders) big.push([key, values]);
    else {
      for (const v of values) small.push(v);
      pooled++;
    }
  }
  const describe = (segment: string, values: number[], extra?: number): SegmentSummary => {
    const sorted = Float64Array.from(values).sort();
    const revenueMinor = sum(sorted);
    return {
      segment,
      orders: sorted.length,
      revenueMinor,
      shareOfRevenue: total ? revenueMinor / total : NaN,
      meanMinor: revenueMinor / sorted.length,
      medianMinor: medianSorted(sorted),
      trimmedMeanMinor: trimmedMeanSorted(sorted, 0.05),
      ...(extra !== undefined ? { pooled: extra } : {}),
    };
  };
  const result = big.map(([key, values]) => describe(key, values));
  // By revenue, ties by name, so the order is the same on every run.
  result.sort((a, b) => b.revenueMinor - a.revenueMinor || a.segment.localeCompare(b.segment));
  if (small.length) result.push(describe('other', small, pooled));
  return result;
}
