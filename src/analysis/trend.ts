import { bootstrapDifferences, mean, median, trimmedMean } from './bootstrap.js';
import { MANN_KENDALL_MIN_N, mannKendall, type MannKendallResult } from './mannKendall.js';
import { robustOutliers, type OutlierResult } from './outliers.js';
import { groupByPeriod, periodKey, PERIODS_PER_YEAR, type Period, type PeriodGroups } from './periods.js';
import { medianSorted, sortedRange, trimmedMeanSorted } from './robust.js';
import { theilSen, type TheilSenResult } from './theilSen.js';
import type { OrderTable } from './types.js';
import type { BootstrapInterval } from './bootstrap.js';

/**
 * "Is AOV really rising?": order value per calendar period, a robust trend (Theil-Sen
 * slope, Mann-Kendall test) over the complete periods, the single orders that move a
 * period's mean, and the last period against the one before and a year before.
 */

export type { Period } from './periods.js';

/** Significance level of the trend verdict. */
const TREND_ALPHA = 0.05;

export interface TrendOptions {
  period?: Period;
  /** Periods with fewer orders are shown but left out of the trend and comparisons (default 1). */
  minPeriodOrders?: number;
  /** Flag an order whose removal moves its period's mean by more than this fraction (default 0.10). */
  influenceThreshold?: number;
  /** Seed of the bootstrap PRNG (default 1). */
  seed?: number;
  /** Bootstrap resamples for the period-over-period intervals (default 2000). */
  resamples?: number;
  /** Fit the trend over partial first/last periods too (default false). */
  includePartial?: boolean;
  /** Robust z threshold for the outlier count per period (default 3.5). */
  outlierThreshold?: number;
  /** Also bootstrap the 5% trimmed mean's change in the period comparisons (default false: `aov report` asks for it, for --fail-on aov.trimmedMean). */
  trimmedMeanChange?: boolean;
}

/** Order value statistics of one period. Statistics are NaN for a period without orders. */
export interface TrendPeriod {
  /** Period label, see periodKey. */
  period: string;
  orders: number;
  revenueMinor: number;
  meanMinor: number;
  medianMinor: number;
  /** Mean after dropping floor(0.05 n) orders from each end. */
  trimmedMeanMinor: number;
  /** Orders flagged by robustOutliers (computed over the whole table). */
  outliers: number;
  /** The data start or end inside this period, so it is not fully covered. */
  partial: boolean;
}

/** A Theil-Sen line through one statistic of the series, x = period index. */
export interface TrendLine extends TheilSenResult {
  /** Median of the series values the line was fitted to (minor units). */
  level: number;
  /** slope / level: the change per period as a fraction of the typical level. */
  relativeSlope: number;
}

/** The orders whose removal moves their period's mean by more than influenceThreshold. */
export interface InfluentialOrder {
  period: string;
  /** Order id (table.orderIds). */
  order: string;
  valueMinor: number;
  /** valueMinor / the period's revenue. */
  shareOfPeriodRevenue: number;
  meanMinor: number;
  meanWithoutMinor: number;
  /** (meanWithoutMinor - meanMinor) / meanMinor: the signed relative change. */
  meanShift: number;
}

/** One period against an earlier one, with percentile bootstrap 95% intervals of the change. */
export interface PeriodComparison {
  period: string;
  against: string;
  orders: number;
  againstOrders: number;
  /** mean(period) - mean(against), minor units. */
  meanChangeMinor: BootstrapInterval;
  /** median(period) - median(against), minor units. */
  medianChangeMinor: BootstrapInterval;
  /** trimmed mean(period) - trimmed mean(against), minor units; null unless TrendOptions.trimmedMeanChange. */
  trimmedMeanChangeMinor: BootstrapInterval | null;
  /** meanChangeMinor.estimate / mean(against). */
  meanChangeRelative: number;
  /** medianChangeMinor.estimate / median(against). */
  medianChangeRelative: number;
}

export interface TrendResult {
  period: Period;
  series: TrendPeriod[];
  /** Null when fewer than 4 periods qualify for the trend. */
  theilSen: { median: TrendLine | null; mean: TrendLine | null };
  mannKendall: { median: MannKendallResult | null; mean: MannKendallResult | null };
  /** Periods the trend was fitted to. */
  trendPeriods: string[];
  /** Partial periods left out of the trend (empty when includePartial). */
  partialExcluded: string[];
  /** Periods with orders, but fewer than minPeriodOrders, left out of the trend. */
  lowVolumeExcluded: string[];
  influence: InfluentialOrder[];
  periodOverPeriod: { last: PeriodComparison | null; yearOverYear: PeriodComparison | null };
  outlierRule: string;
  /** What the trend test says, as data (src/report/trendVerdict.ts words it). */
  verdict: TrendVerdict;
}

/**
 * The trend verdict: too few periods to test (how many were used, of `needed`), a significant
 * trend in the median series (its direction, the Theil-Sen slope relative to the level, the
 * Mann-Kendall p), or none (the p).
 */
export type TrendVerdict =
  | { kind: 'too few periods'; period: Period; periodsUsed: number; includePartial: boolean; needed: number }
  | { kind: 'trend'; period: Period; direction: 'rising' | 'falling'; relativeSlope: number; p: number }
  | { kind: 'no trend'; period: Period; p: number };

/**
 * Order value per period and whether it trends. Periods run from the one holding the
 * first order to the one holding the last, empty ones included (orders 0, NaN
 * statistics), so the Theil-Sen x (the period index) honours gaps. The trend is fitted
 * to periods that have at least max(1, minPeriodOrders) orders and, unless
 * includePartial, are fully covered by the data: the first period counts as covered
 * when the first order falls on its first calendar day, the last when the last order
 * falls on its last calendar day (data ending 2011-12-09 leave December 2011 partial;
 * day periods are never partial).
 *
 * The verdict follows Mann-Kendall on the median series at alpha = 0.05 and sizes the
 * change as the Theil-Sen slope over the median of the period medians.
 *
 * @example
 * trendSeries(table, { period: 'month' }).verdict;
 * // { kind: 'trend', period: 'month', direction: 'rising', relativeSlope: 0.021, p: 0.01 }
 */
export function trendSeries(table: OrderTable, options: TrendOptions = {}): TrendResult {
  const period = options.period ?? 'month';
  const minPeriodOrders = Math.max(1, options.minPeriodOrders ?? 1);
  const includePartial = options.includePartial ?? false;

  // 1. Outliers over the whole table; the orders grouped by period.
  const outliers = robustOutliers(table.valueMinor, { threshold: options.outlierThreshold });
  const groups = groupByPeriod(table.placedAt, period);
  if (groups === null) return emptyResult(period, outliers.rule, includePartial);

  // 2. Each period's statistics and its most influential order.
  const { series, periodValues } = periodStatistics(table, groups, period, outliers);
  const influence = influentialOrders(table, groups, series, options.influenceThreshold ?? 0.1);

  // 3. The robust trend over the qualifying periods.
  const fit = trendFit(series, minPeriodOrders, includePartial);

  // 4. The last complete period against the one before and a year before.
  const periodOverPeriod = lastPeriodComparisons(series, periodValues, minPeriodOrders, PERIODS_PER_YEAR[period], {
    seed: options.seed ?? 1,
    resamples: options.resamples ?? 2000,
    trimmedMean: options.trimmedMeanChange ?? false,
  });

  return {
    period,
    series,
    theilSen: fit.theilSen,
    mannKendall: fit.mannKendall,
    trendPeriods: fit.trendPeriods,
    partialExcluded: fit.partialExcluded,
    lowVolumeExcluded: fit.lowVolumeExcluded,
    influence,
    periodOverPeriod,
    outlierRule: outliers.rule,
    verdict: verdict(period, fit.trendPeriods.length, includePartial, fit.theilSen.median, fit.mannKendall.median),
  };
}

/** Orders, revenue, mean, median, 5% trimmed mean and outliers of each period (empty ones NaN). */
function periodStatistics(table: OrderTable, groups: PeriodGroups, period: Period, outliers: OutlierResult): { series: TrendPeriod[]; periodValues: Float64Array[] } {
  const { starts, members, offsets, firstPartial, lastPartial } = groups;
  const periodCount = starts.length - 1;
  const series: TrendPeriod[] = [];
  const periodValues: Float64Array[] = [];
  for (let p = 0; p < periodCount; p++) {
    const values = new Float64Array(offsets[p + 1] - offsets[p]);
    let revenueMinor = 0;
    let outlierCount = 0;
    for (let k = offsets[p]; k < offsets[p + 1]; k++) {
      values[k - offsets[p]] = table.valueMinor[members[k]];
      revenueMinor += table.valueMinor[members[k]];
      outlierCount += outliers.flags[members[k]];
    }
    periodValues.push(values);
    const orders = values.length;
    // (a period that is one run of the table, as with orders sorted by time, shares its sort with the monthly series)
    const run = orders > 0 && members[offsets[p + 1] - 1] - members[offsets[p]] === orders - 1;
    const sorted = run && table.valueMinor instanceof Float64Array ? sortedRange(table.valueMinor, members[offsets[p]], members[offsets[p]] + orders) : values.slice().sort();
    series.push({
      period: periodKey(starts[p], period),
      orders,
      revenueMinor,
      meanMinor: orders > 0 ? revenueMinor / orders : NaN,
      medianMinor: medianSorted(sorted),
      trimmedMeanMinor: trimmedMeanSorted(sorted, 0.05),
      outliers: outlierCount,
      partial: (p === 0 && firstPartial) || (p === periodCount - 1 && lastPartial),
    });
  }
  return { series, periodValues };
}

/**
 * Per period, the order whose removal moves the mean most, when it moves it by more than
 * the threshold: removing x moves the mean by (mean - x)/(n - 1), so it is the order
 * farthest from the mean (the earliest such order on a tie).
 */
function influentialOrders(table: OrderTable, groups: PeriodGroups, series: readonly TrendPeriod[], influenceThreshold: number): InfluentialOrder[] {
  const { valueMinor } = table;
  const { members, offsets } = groups;
  const influence: InfluentialOrder[] = [];
  series.forEach((row, p) => {
    const { orders, revenueMinor, meanMinor } = row;
    if (orders < 2 || !(meanMinor > 0)) return;
    let pick = offsets[p];
    for (let k = offsets[p] + 1; k < offsets[p + 1]; k++) {
      if (Math.abs(valueMinor[members[k]] - meanMinor) > Math.abs(valueMinor[members[pick]] - meanMinor)) pick = k;
    }
    const order = members[pick];
    const meanWithoutMinor = (revenueMinor - valueMinor[order]) / (orders - 1);
    const meanShift = (meanWithoutMinor - meanMinor) / meanMinor;
    if (Math.abs(meanShift) > influenceThreshold) {
      influence.push({
        period: row.period,
        order: table.orderIds.at(order)!,
        valueMinor: valueMinor[order],
        shareOfPeriodRevenue: valueMinor[order] / revenueMinor,
        meanMinor,
        meanWithoutMinor,
        meanShift,
      });
    }
  });
  return influence;
}

interface TrendFit {
  theilSen: TrendResult['theilSen'];
  mannKendall: TrendResult['mannKendall'];
  trendPeriods: string[];
  partialExcluded: string[];
  lowVolumeExcluded: string[];
}

/**
 * Theil-Sen and Mann-Kendall over the periods with orders, at least minPeriodOrders of
 * them and (unless includePartial) fully covered; x = the period's index, so gaps count.
 */
function trendFit(series: readonly TrendPeriod[], minPeriodOrders: number, includePartial: boolean): TrendFit {
  const partialExcluded: string[] = [];
  const lowVolumeExcluded: string[] = [];
  const x: number[] = [];
  const medians: number[] = [];
  const means: number[] = [];
  const trendPeriods: string[] = [];
  series.forEach((row, p) => {
    if (row.orders === 0) return;
    if (row.orders < minPeriodOrders) {
      lowVolumeExcluded.push(row.period);
      return;
    }
    if (row.partial && !includePartial) {
      partialExcluded.push(row.period);
      return;
    }
    x.push(p);
    medians.push(row.medianMinor);
    means.push(row.meanMinor);
    trendPeriods.push(row.period);
  });
  const enough = x.length >= MANN_KENDALL_MIN_N;
  return {
    theilSen: { median: enough ? trendLine(x, medians) : null, mean: enough ? trendLine(x, means) : null },
    mannKendall: { median: enough ? mannKendall(medians) : null, mean: enough ? mannKendall(means) : null },
    trendPeriods,
    partialExcluded,
    lowVolumeExcluded,
  };
}

/**
 * The last complete period (enough orders, fully covered) against the period before it and
 * the one a year before, each when that one is complete too.
 */
function lastPeriodComparisons(
  series: readonly TrendPeriod[],
  periodValues: readonly Float64Array[],
  minPeriodOrders: number,
  periodsPerYear: number,
  options: { seed: number; resamples: number; trimmedMean: boolean },
): TrendResult['periodOverPeriod'] {
  const comparable = series.map((row) => row.orders >= minPeriodOrders && !row.partial);
  const lastComplete = comparable.lastIndexOf(true);
  const compare = (earlier: number, seed: number): PeriodComparison | null => {
    if (lastComplete < 0 || earlier < 0 || !comparable[earlier]) return null;
    return comparePeriods(series[lastComplete], periodValues[lastComplete], series[earlier], periodValues[earlier], { seed, resamples: options.resamples, trimmedMean: options.trimmedMean });
  };
  return {
    last: compare(lastComplete - 1, options.seed),
    yearOverYear: compare(lastComplete - periodsPerYear, options.seed + 1),
  };
}

function trendLine(x: number[], y: number[]): TrendLine | null {
  const line = theilSen(x, y);
  if (line === null) return null;
  const level = medianSorted(Float64Array.from(y).sort());
  return { ...line, level, relativeSlope: line.slope / level };
}

function comparePeriods(
  row: TrendPeriod,
  values: Float64Array,
  againstRow: TrendPeriod,
  againstValues: Float64Array,
  options: { seed: number; resamples: number; trimmedMean: boolean },
): PeriodComparison {
  // One set of resamples serves every statistic. The trimmed mean rides on the same draws (the
  // resampler draws the same positions whatever it computes), so mean and median are unchanged by it.
  const change = options.trimmedMean
    ? bootstrapDifferences(againstValues, values, { mean, median, trimmedMean }, options)
    : { ...bootstrapDifferences(againstValues, values, { mean, median }, options), trimmedMean: null };
  return {
    period: row.period,
    against: againstRow.period,
    orders: row.orders,
    againstOrders: againstRow.orders,
    meanChangeMinor: change.mean,
    medianChangeMinor: change.median,
    trimmedMeanChangeMinor: change.trimmedMean,
    meanChangeRelative: change.mean.estimate / againstRow.meanMinor,
    medianChangeRelative: change.median.estimate / againstRow.medianMinor,
  };
}

function verdict(
  period: Period,
  periodsUsed: number,
  includePartial: boolean,
  line: TrendLine | null,
  test: MannKendallResult | null,
): TrendVerdict {
  if (line === null || test === null) return { kind: 'too few periods', period, periodsUsed, includePartial, needed: MANN_KENDALL_MIN_N };
  if (test.p < TREND_ALPHA && test.s !== 0) return { kind: 'trend', period, direction: test.s > 0 ? 'rising' : 'falling', relativeSlope: line.relativeSlope, p: test.p };
  return { kind: 'no trend', period, p: test.p };
}

function emptyResult(period: Period, outlierRule: string, includePartial: boolean): TrendResult {
  return {
    period,
    series: [],
    theilSen: { median: null, mean: null },
    mannKendall: { median: null, mean: null },
    trendPeriods: [],
    partialExcluded: [],
    lowVolumeExcluded: [],
    influence: [],
    periodOverPeriod: { last: null, yearOverYear: null },
    outlierRule,
    verdict: verdict(period, 0, includePartial, null, null),
  };
}
