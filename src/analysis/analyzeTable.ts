/**
 * Everything `aov analyze` says about one currency's orders, from the pure pieces:
 * the summary, customers, segments (with --by) and applicability warnings.
 */
import { customerMetrics, type CustomerMetrics } from './customers.js';
import { newVsReturning, segmentSummaries, type SegmentSummary } from './segments.js';
import { summarizeWithCustomers, type CurrencySummary } from './summary.js';
import { trendSeries, type TrendOptions, type TrendResult } from './trend.js';
import type { OrderTable } from './types.js';
import { applicabilityWarnings, type Warning } from './warnings.js';

export interface AnalyzeOptions {
  trend?: TrendOptions;
  /** Segment by: new-vs-returning, country, channel/source, currency, or the loaded `segment` column. */
  by?: string;
  minSegmentOrders?: number;
}

export interface CurrencyAnalysis {
  summary: CurrencySummary;
  customers: CustomerMetrics;
  segments: { by: string; minOrders: number; segments: SegmentSummary[] } | null;
  trend: TrendResult;
  warnings: Warning[];
}

export function segmentLabels(table: OrderTable, by: string): string[] {
  if (by === 'new-vs-returning') return newVsReturning(table);
  if (by === 'currency') return Array.from({ length: table.orderIds.length }, () => table.currency);
  const column = by === 'country' ? 'country' : by === 'channel' || by === 'source' ? 'source' : 'segment';
  const values = table.segments?.[column];
  return values ? [...values] : Array.from({ length: table.orderIds.length }, () => '');
}

export function analyzeTable(table: OrderTable, options: AnalyzeOptions = {}): CurrencyAnalysis {
  const customers = customerMetrics(table);
  const summary = summarizeWithCustomers(table, customers);
  const minOrders = options.minSegmentOrders ?? 30;
  const segments = options.by ? { by: options.by, minOrders, segments: segmentSummaries(table, segmentLabels(table, options.by), minOrders) } : null;
  // Orders per month over complete months: drop the first and last month when the data start or end inside them.
  const months = summary.monthly;
  const complete = months.length > 2 ? months.slice(1, -1) : months;
  const ordersPerMonth = complete.length ? complete.reduce((a, m) => a + m.orders, 0) / complete.length : NaN;
  let marginPerOrderMinor: number | undefined;
  if (table.marginMinor) {
    let total = 0;
    for (const m of table.marginMinor) total += m;
    marginPerOrderMinor = total / table.marginMinor.length;
  }
  const warnings = applicabilityWarnings({
    currency: table.currency,
    decimals: table.decimals,
    ordersPerMonth,
    meanMinor: summary.aov.meanMinor,
    marginPerOrderMinor,
    repeatRate: customers.customers > 0 ? customers.repeatRate : undefined,
  });
  const trend = trendSeries(table, options.trend ?? {});
  return { summary, customers, segments, trend, warnings };
}
