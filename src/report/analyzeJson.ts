/**
 * The `aov.analyze/v1` JSON document. Amounts are numbers in major units rounded to the
 * currency's decimals; ratios are rounded to 6 decimals so diffs stay meaningful.
 */
import type { CurrencyAnalysis } from '../analysis/analyzeTable.js';
import type { TrendResult } from '../analysis/trend.js';
import type { CurrencySummary } from '../analysis/summary.js';
import type { InputSummary } from '../io/load.js';
import { formatDay, formatMoney, money, ratio } from './format.js';
import { escapeJsonControls } from './visible.js';
import { trendVerdictText } from './trendVerdict.js';

export const ANALYZE_SCHEMA = 'aov.analyze/v1';

export function inputJson(input: InputSummary) {
  return {
    files: input.files,
    format: input.format,
    valueDefinition: input.valueDefinition,
    rows: input.rows,
    rowsUsed: input.rowsUsed,
    rowsExcluded: input.rowsExcluded,
    excluded: input.excluded,
    excludedOrders: input.excludedOrders,
    rejected: input.rejected,
    rejectedByReason: input.rejectedByReason,
    problems: input.problems,
    orders: input.orders,
    notes: input.notes,
    detected: input.perFile.map((f) => ({
      file: f.file,
      format: f.format,
      formatEvidence: f.formatEvidence,
      encoding: f.encoding,
      delimiter: f.delimiter,
      decimalMark: f.decimalMark,
      dateFormat: f.dateFormat,
      dateEvidence: f.dateEvidence,
      currency: f.currency,
      currencyEvidence: f.currencyEvidence,
      columns: f.columns,
      rows: f.rows,
    })),
  };
}

/** Fills the verdict's {mean}/{median}/{withoutTop} placeholders with formatted money. */
export function verdictText(s: CurrencySummary): string {
  return s.verdict
    .replace('{mean}', formatMoney(s.aov.meanMinor, s.currency, s.decimals))
    .replace('{median}', formatMoney(s.aov.medianMinor, s.currency, s.decimals))
    .replace('{withoutTop}', formatMoney(s.aovWithoutTop1PctMinor, s.currency, s.decimals));
}

export function currencyJson(s: CurrencySummary) {
  const m = (x: number) => money(x, s.decimals);
  return {
    currency: s.currency,
    from: formatDay(s.from),
    to: formatDay(s.to),
    orders: s.orders,
    revenue: m(s.revenueMinor),
    aov: {
      mean: m(s.aov.meanMinor),
      median: m(s.aov.medianMinor),
      trimmedMean: m(s.aov.trimmedMeanMinor),
      winsorizedMean: m(s.aov.winsorizedMeanMinor),
      mad: m(s.aov.madMinor),
    },
    percentiles: {
      p10: m(s.percentilesMinor.p10),
      p25: m(s.percentilesMinor.p25),
      p75: m(s.percentilesMinor.p75),
      p90: m(s.percentilesMinor.p90),
      p99: m(s.percentilesMinor.p99),
    },
    itemsPerOrder: { mean: ratio(s.itemsPerOrder.mean, 3), median: ratio(s.itemsPerOrder.median, 3) },
    unitsPerOrder: { mean: ratio(s.unitsPerOrder.mean, 3), median: ratio(s.unitsPerOrder.median, 3) },
    customers: {
      customers: s.customers.customers,
      ordersWithCustomer: s.customers.ordersWithCustomer,
      ordersWithoutCustomer: s.customers.ordersWithoutCustomer,
      repeatCustomers: s.customers.repeatCustomers,
      repeatCustomerShare: ratio(s.customers.repeatCustomerShare),
      firstOrderAov: m(s.customers.firstOrderAovMinor),
      repeatOrderAov: m(s.customers.repeatOrderAovMinor),
      repeatOrders: s.customers.repeatOrders,
    },
    largestOrder: { order: s.largestOrder.order, value: m(s.largestOrder.valueMinor), shareOfRevenue: ratio(s.largestOrder.shareOfRevenue) },
    aovWithoutTop1Pct: m(s.aovWithoutTop1PctMinor),
    top1PctOrders: s.top1PctOrders,
    monthly: s.monthly.map((p) => ({ month: p.month, orders: p.orders, revenue: m(p.revenueMinor), mean: m(p.meanMinor), median: m(p.medianMinor) })),
    verdict: verdictText(s),
  };
}

export function analyzeJson(input: InputSummary, analyses: readonly CurrencyAnalysis[]) {
  return { schema: ANALYZE_SCHEMA, input: inputJson(input), currencies: analyses.map(currencyAnalysisJson) };
}

export function currencyAnalysisJson(a: CurrencyAnalysis) {
  const s = a.summary;
  const m = (x: number) => money(x, s.decimals);
  const base = currencyJson(s);
  const c = a.customers;
  return {
    ...base,
    customers: {
      ...base.customers,
      ordersPerCustomer: ratio(c.ordersPerCustomer, 3),
      repeatRate: ratio(c.repeatRate),
      secondOrderRate: ratio(c.secondOrderRate),
      medianDaysToSecondOrder: ratio(c.medianDaysToSecondOrder, 1),
      repeatRevenueShare: ratio(c.repeatRevenueShare),
      valuePerCustomer: { mean: m(c.valuePerCustomer.meanMinor), median: m(c.valuePerCustomer.medianMinor), topDecileShare: ratio(c.valuePerCustomer.topDecileShare) },
      secondOrderWithin: c.secondOrderWithin.map((w) => ({ days: w.days, rate: ratio(w.rate), eligible: w.eligible })),
      note: 'first order = first order seen in the data; customers who bought before the export starts look new',
    },
    segments: a.segments
      ? {
          by: a.segments.by,
          minOrders: a.segments.minOrders,
          segments: a.segments.segments.map((g) => ({
            segment: g.segment, orders: g.orders, revenue: m(g.revenueMinor), shareOfRevenue: ratio(g.shareOfRevenue),
            mean: m(g.meanMinor), median: m(g.medianMinor), trimmedMean: m(g.trimmedMeanMinor), ...(g.pooled !== undefined ? { pooled: g.pooled } : {}),
          })),
        }
      : null,
    trend: trendJson(a.trend, s.decimals),
    warnings: a.warnings,
  };
}

export function trendJson(t: TrendResult, decimals: number) {
  const m = (x: number) => money(x, decimals);
  const line = (l: TrendResult['theilSen']['median']) =>
    l ? { slope: ratio(l.slope / 10 ** decimals, 6), low: ratio(l.low / 10 ** decimals, 6), high: ratio(l.high / 10 ** decimals, 6), relativeSlope: ratio(l.relativeSlope), n: l.n } : null;
  const mk = (k: TrendResult['mannKendall']['median']) => (k ? { s: k.s, tau: ratio(k.tau), z: ratio(k.z), p: ratio(k.p) } : null);
  const change = (c: TrendResult['periodOverPeriod']['last']) =>
    c
      ? {
          period: c.period, against: c.against, orders: c.orders, againstOrders: c.againstOrders,
          meanChange: { estimate: m(c.meanChangeMinor.estimate), low: m(c.meanChangeMinor.low), high: m(c.meanChangeMinor.high), relative: ratio(c.meanChangeRelative) },
          medianChange: { estimate: m(c.medianChangeMinor.estimate), low: m(c.medianChangeMinor.low), high: m(c.medianChangeMinor.high), relative: ratio(c.medianChangeRelative) },
        }
      : null;
  return {
    period: t.period,
    series: t.series.map((p) => ({
      period: p.period, orders: p.orders, revenue: m(p.revenueMinor), mean: m(p.meanMinor), median: m(p.medianMinor),
      trimmedMean: m(p.trimmedMeanMinor), outliers: p.outliers, partial: p.partial,
    })),
    theilSen: { median: line(t.theilSen.median), mean: line(t.theilSen.mean) },
    mannKendall: { median: mk(t.mannKendall.median), mean: mk(t.mannKendall.mean) },
    trendPeriods: t.trendPeriods,
    partialExcluded: t.partialExcluded,
    lowVolumeExcluded: t.lowVolumeExcluded,
    influence: t.influence.map((i) => ({
      period: i.period, order: i.order, value: m(i.valueMinor), shareOfPeriodRevenue: ratio(i.shareOfPeriodRevenue), mean: m(i.meanMinor), meanWithout: m(i.meanWithoutMinor), meanShift: ratio(i.meanShift),
    })),
    periodOverPeriod: { last: change(t.periodOverPeriod.last), yearOverYear: change(t.periodOverPeriod.yearOverYear) },
    outlierRule: t.outlierRule,
    verdict: trendVerdictText(t.verdict),
  };
}

/** Stable JSON text: two-space indent and a final newline. */
export function stringify(document: unknown): string {
  return `${escapeJsonControls(JSON.stringify(document, null, 2))}\n`;
}
