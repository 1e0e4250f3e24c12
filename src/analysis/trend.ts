import { bootstrapDifferences, mean, median, type BootstrapInterval } from './bootstrap.js';
import { MANN_KENDALL_MIN_N, mannKendall, type MannKendallResult } from './mannKendall.js';
import { theilSen, type TheilSenResult } from './theilSen.js';
import type { OrderTable } from './types.js';
import { medianDeviationSorted, medianSorted } from './robust.js';

/**
 * "Is AOV really rising?": order value per calendar period, a robust trend (Theil-Sen
 * slope, Mann-Kendall test) over the complete periods, the single orders that move a
 * period's mean, and the last period against the one before and a year before.
 */

export type Period = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;

/** How many periods back "the same period a year earlier" is (52 weeks and 364 days keep the weekday). */
const PERIODS_PER_YEAR: Record<Period, number> = { day: 364, week: 52, month: 12 };

/** Significance level of the trend verdict. */
const TREND_ALPHA = 0.05;

/**
 * The label of the period containing t (epoch ms of a wall-clock time read as UTC):
 * month '2011-01', ISO 8601 week '2011-W05' (weeks start on Monday; week 1 holds the
 * year's first Thursday, so 2011-01-01 is in '2010-W52'), day '2011-01-31'.
 * https://en.wikipedia.org/wiki/ISO_week_date
 *
 * @example
 * periodKey(Date.UTC(2011, 0, 31, 15), 'week'); // '2011-W05'
 */
export function periodKey(t: number, period: Period): string {
  const date = new Date(t);
  if (period === 'month') return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}`;
  if (period === 'day') return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  // The ISO week belongs to the year of its Thursday, and is numbered by that Thursday's
  // day of the year: days 1-7 are week 1, 8-14 week 2 ...
  const thursday = new Date(startOfPeriod(t, 'week') + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${pad2(week)}`;
}

/**
 * Epoch ms at which the period containing t starts (UTC midnight; Monday for weeks).
 *
 * @example
 * startOfPeriod(Date.UTC(2011, 0, 31, 15), 'week') === Date.UTC(2011, 0, 31); // a Monday
 */
export function startOfPeriod(t: number, period: Period): number {
  const date = new Date(t);
  const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (period === 'day') return dayStart;
  if (period === 'week') return dayStart - ((date.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * Epoch ms at which the period starting at `start` ends (the next one starts).
 *
 * @example
 * endOfPeriod(Date.UTC(2011, 11, 1), 'month') === Date.UTC(2012, 0, 1); // true
 */
export function endOfPeriod(start: number, period: Period): number {
  if (period === 'day') return start + DAY_MS;
  if (period === 'week') return start + 7 * DAY_MS;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

// ---------------------------------------------------------------------------------------
// Outliers

export interface OutlierResult {
  /** 1 for an outlying order, 0 otherwise (non-positive values are never flagged). */
  flags: Uint8Array;
  /** Median of ln(valueMinor) over orders with a positive value. */
  median: number;
  /** Median absolute deviation of ln(valueMinor) from that median. */
  mad: number;
  /** Orders below this value (minor units) are flagged; 0 when none can be. */
  lowMinor: number;
  /** Orders above this value (minor units) are flagged; Infinity when none can be. */
  highMinor: number;
  /** The rule in words, for the report. */
  rule: string;
}

/** Scale that makes the mean absolute deviation estimate sigma for normal data: sqrt(pi/2). */
const MEAN_ABSOLUTE_DEVIATION_SCALE = 1.253314;

/**
 * Flags unusual orders with the modified z-score of Iglewicz & Hoaglin on the log of
 * the order value (order values are roughly lognormal, so the log is where "3.5 robust
 * standard deviations" means the same on both sides):
 *   z = 0.6745 (ln x - median) / MAD, outlier when |z| > threshold (3.5 recommended).
 * When MAD = 0 (over half the orders share one value) the mean absolute deviation takes
 * its place: z = (ln x - median) / (1.253314 MeanAD), as IBM SPSS and Iglewicz & Hoaglin's
 * successors do; when that is 0 too, every order has the same value and none is flagged.
 * B. Iglewicz and D. C. Hoaglin, "How to Detect and Handle Outliers" (ASQC, 1993), ch. 3;
 * https://www.itl.nist.gov/div898/handbook/eda/section3/eda35h.htm
 *
 * Orders with value <= 0 (free orders, adjustments) have no logarithm: they are left out
 * of the median and MAD and never flagged.
 *
 * @example
 * robustOutliers(Float64Array.of(1000, 1100, 1200, 1300, 90000)).flags; // [0, 0, 0, 0, 1]
 * // ln values 6.91 7.00 7.09 7.17 11.41: median 7.09, MAD 0.087, z of 90000 = 0.6745*4.32/0.087 = 33.5
 */
export function robustOutliers(valueMinor: ArrayLike<number>, options: { threshold?: number } = {}): OutlierResult {
  const threshold = options.threshold ?? 3.5;
  const flags = new Uint8Array(valueMinor.length);

  // Work on the log scale, over positive values only.
  let positive = 0;
  for (let i = 0; i < valueMinor.length; i++) if (valueMinor[i] > 0) positive++;
  if (positive === 0) {
    return { flags, median: NaN, mad: NaN, lowMinor: 0, highMinor: Infinity, rule: 'no order with a positive value: no outliers' };
  }
  const sortedLogs = new Float64Array(positive);
  for (let i = 0, k = 0; i < valueMinor.length; i++) if (valueMinor[i] > 0) sortedLogs[k++] = Math.log(valueMinor[i]);
  sortedLogs.sort();
  const center = medianSorted(sortedLogs);
  const mad = medianDeviationSorted(sortedLogs, center);

  // The robust standard deviation: MAD / 0.6745, or the scaled mean absolute deviation.
  let sigma: number;
  let rule: string;
  if (mad > 0) {
    sigma = mad / 0.6745;
    rule = `robust z-score on log order value: |0.6745 (ln x - median) / MAD| > ${threshold} (Iglewicz & Hoaglin)`;
  } else {
    let totalDeviation = 0;
    for (let i = 0; i < sortedLogs.length; i++) totalDeviation += Math.abs(sortedLogs[i] - center);
    const meanAbsoluteDeviation = totalDeviation / sortedLogs.length;
    sigma = MEAN_ABSOLUTE_DEVIATION_SCALE * meanAbsoluteDeviation;
    rule =
      sigma > 0
        ? `robust z-score on log order value with MAD = 0 (over half the orders share one value): |(ln x - median) / (1.253314 mean absolute deviation)| > ${threshold}`
        : 'all order values are equal: no outliers';
  }
  if (!(sigma > 0)) return { flags, median: center, mad, lowMinor: 0, highMinor: Infinity, rule };

  // |z| > threshold is the same as ln x outside median +- threshold sigma.
  const lowLog = center - threshold * sigma;
  const highLog = center + threshold * sigma;
  for (let i = 0; i < valueMinor.length; i++) {
    const value = valueMinor[i];
    if (value > 0) {
      const logValue = Math.log(value);
      if (logValue < lowLog || logValue > highLog) flags[i] = 1;
    }
  }
  return { flags, median: center, mad, lowMinor: Math.exp(lowLog), highMinor: Math.exp(highLog), rule };
}

// ---------------------------------------------------------------------------------------
// Trend

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
  verdict: string;
}

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
 * // 'median AOV rising about 2.1% a month (Mann-Kendall p = 0.01)'
 */
export function trendSeries(table: OrderTable, options: TrendOptions = {}): TrendResult {
  const period = options.period ?? 'month';
  const minPeriodOrders = Math.max(1, options.minPeriodOrders ?? 1);
  const influenceThreshold = options.influenceThreshold ?? 0.1;
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? 2000;
  const includePartial = options.includePartial ?? false;
  const { valueMinor, placedAt } = table;

  // Orders with a usable time; the contract sorts by time, but min/max do not rely on it.
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < placedAt.length; i++) {
    const t = placedAt[i];
    if (Number.isFinite(t)) {
      if (t < first) first = t;
      if (t > last) last = t;
    }
  }
  const outliers = robustOutliers(valueMinor, { threshold: options.outlierThreshold });
  if (first === Infinity) return emptyResult(period, outliers.rule, includePartial);

  // Period boundaries: starts[p] .. starts[p + 1] is period p.
  const starts: number[] = [startOfPeriod(first, period)];
  while (starts[starts.length - 1] <= last) starts.push(endOfPeriod(starts[starts.length - 1], period));
  const periodCount = starts.length - 1;

  // Group order indices by period (a counting sort keeps time order within a period).
  const periodOf = new Int32Array(placedAt.length).fill(-1);
  const counts = new Int32Array(periodCount + 1);
  for (let i = 0; i < placedAt.length; i++) {
    if (!Number.isFinite(placedAt[i])) continue;
    const p = upperBound(starts, placedAt[i]) - 1;
    periodOf[i] = p;
    counts[p + 1]++;
  }
  const offsets = counts;
  for (let p = 0; p < periodCount; p++) offsets[p + 1] += offsets[p];
  const members = new Int32Array(offsets[periodCount]);
  const cursor = offsets.slice(0, periodCount);
  for (let i = 0; i < placedAt.length; i++) if (periodOf[i] >= 0) members[cursor[periodOf[i]]++] = i;

  // Coverage: are the first and last periods whole?
  const firstPartial = startOfPeriod(first, 'day') > starts[0];
  const lastPartial = startOfPeriod(last, 'day') + DAY_MS < starts[periodCount];

  const series: TrendPeriod[] = [];
  const influence: InfluentialOrder[] = [];
  const periodValues: Float64Array[] = [];
  for (let p = 0; p < periodCount; p++) {
    const values = new Float64Array(offsets[p + 1] - offsets[p]);
    let revenueMinor = 0;
    let outlierCount = 0;
    for (let k = offsets[p]; k < offsets[p + 1]; k++) {
      values[k - offsets[p]] = valueMinor[members[k]];
      revenueMinor += valueMinor[members[k]];
      outlierCount += outliers.flags[members[k]];
    }
    periodValues.push(values);
    const orders = values.length;
    const meanMinor = revenueMinor / orders;
    const sorted = values.slice().sort();
    series.push({
      period: periodKey(starts[p], period),
      orders,
      revenueMinor,
      meanMinor: orders > 0 ? meanMinor : NaN,
      medianMinor: medianSorted(sorted),
      trimmedMeanMinor: trimmedMeanOfSorted(sorted, 0.05),
      outliers: outlierCount,
      partial: (p === 0 && firstPartial) || (p === periodCount - 1 && lastPartial),
    });

    // Influence: removing x moves the mean by (mean - x)/(n - 1), so the order farthest
    // from the mean moves it most (the earliest such order on a tie).
    if (orders >= 2 && meanMinor > 0) {
      let pick = offsets[p];
      for (let k = offsets[p] + 1; k < offsets[p + 1]; k++) {
        if (Math.abs(valueMinor[members[k]] - meanMinor) > Math.abs(valueMinor[members[pick]] - meanMinor)) pick = k;
      }
      const order = members[pick];
      const meanWithoutMinor = (revenueMinor - valueMinor[order]) / (orders - 1);
      const meanShift = (meanWithoutMinor - meanMinor) / meanMinor;
      if (Math.abs(meanShift) > influenceThreshold) {
        influence.push({
          period: series[p].period,
          order: table.orderIds[order],
          valueMinor: valueMinor[order],
          shareOfPeriodRevenue: valueMinor[order] / revenueMinor,
          meanMinor,
          meanWithoutMinor,
          meanShift,
        });
      }
    }
  }

  // Which periods the trend may use.
  const partialExcluded: string[] = [];
  const lowVolumeExcluded: string[] = [];
  const comparable = series.map((row) => row.orders >= minPeriodOrders && !row.partial);
  const inTrend = series.map((row) => {
    if (row.orders === 0) return false;
    if (row.orders < minPeriodOrders) {
      lowVolumeExcluded.push(row.period);
      return false;
    }
    if (row.partial && !includePartial) {
      partialExcluded.push(row.period);
      return false;
    }
    return true;
  });

  // Theil-Sen and Mann-Kendall over the qualifying periods, x = period index.
  const x: number[] = [];
  const medians: number[] = [];
  const means: number[] = [];
  const trendPeriods: string[] = [];
  series.forEach((row, p) => {
    if (!inTrend[p]) return;
    x.push(p);
    medians.push(row.medianMinor);
    means.push(row.meanMinor);
    trendPeriods.push(row.period);
  });
  const enough = x.length >= MANN_KENDALL_MIN_N;
  const theilSenResult = {
    median: enough ? trendLine(x, medians) : null,
    mean: enough ? trendLine(x, means) : null,
  };
  const mannKendallResult = {
    median: enough ? mannKendall(medians) : null,
    mean: enough ? mannKendall(means) : null,
  };

  // Period over period: the last complete period against the one before and a year before.
  let lastComplete = -1;
  for (let p = periodCount - 1; p >= 0 && lastComplete < 0; p--) if (comparable[p]) lastComplete = p;
  const compare = (earlier: number, comparisonSeed: number): PeriodComparison | null => {
    if (lastComplete < 0 || earlier < 0 || !comparable[earlier]) return null;
    return comparePeriods(series[lastComplete], periodValues[lastComplete], series[earlier], periodValues[earlier], {
      seed: comparisonSeed,
      resamples,
    });
  };
  const periodOverPeriod = {
    last: compare(lastComplete - 1, seed),
    yearOverYear: compare(lastComplete - PERIODS_PER_YEAR[period], seed + 1),
  };

  return {
    period,
    series,
    theilSen: theilSenResult,
    mannKendall: mannKendallResult,
    trendPeriods,
    partialExcluded,
    lowVolumeExcluded,
    influence,
    periodOverPeriod,
    outlierRule: outliers.rule,
    verdict: verdict(period, x.length, includePartial, theilSenResult.median, mannKendallResult.median),
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
  options: { seed: number; resamples: number },
): PeriodComparison {
  // One set of resamples serves both statistics.
  const change = bootstrapDifferences(againstValues, values, { mean, median }, options);
  return {
    period: row.period,
    against: againstRow.period,
    orders: row.orders,
    againstOrders: againstRow.orders,
    meanChangeMinor: change.mean,
    medianChangeMinor: change.median,
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
): string {
  if (line === null || test === null) {
    const described = `${periodsUsed} ${includePartial ? '' : 'complete '}${period}${periodsUsed === 1 ? '' : 's'}`;
    return `too few periods for a trend (${described}; need ${MANN_KENDALL_MIN_N})`;
  }
  if (test.p < TREND_ALPHA && test.s !== 0) {
    const direction = test.s > 0 ? 'rising' : 'falling';
    const percent = Math.abs(line.relativeSlope * 100).toFixed(1);
    return `median AOV ${direction} about ${percent}% a ${period} (Mann-Kendall p ${formatP(test.p)})`;
  }
  return `no significant trend in median AOV (p ${formatP(test.p)})`;
}

/** 'p = 0.43', 'p = 0.004', 'p < 0.001'. */
function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return `= ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
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

/** Mean of the sorted values after dropping floor(fraction n) from each end; NaN when empty. */
function trimmedMeanOfSorted(sorted: Float64Array, fraction: number): number {
  const cut = Math.floor(fraction * sorted.length);
  let total = 0;
  for (let i = cut; i < sorted.length - cut; i++) total += sorted[i];
  return total / (sorted.length - 2 * cut);
}

/** First index whose value is greater than target (values ascending). */
function upperBound(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle] <= target) low = middle + 1;
    else high = middle;
  }
  return low;
}
