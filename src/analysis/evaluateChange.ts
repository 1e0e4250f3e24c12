/**
 * AOV and median order value after a rule went live against what they would have been
 * without it (issue #18), adjusted for season and trend, with a bootstrap interval. The
 * method depends on how much history there is, and the output says which:
 *
 *  - 'same months a year before' (the data reach back a year before the window just before
 *    the start): expected = the same months a year before x the shop's growth over a year,
 *    measured just before the start (the window of the post period's length before the start,
 *    against the same window a year earlier). This is a difference of year-over-year changes:
 *    the season cancels, and so does a trend that holds.
 *  - 'pre-period trend' (at least 3 whole months before the start): a Theil-Sen line through
 *    the monthly figure over the (up to) 12 months before the start, extrapolated to the post
 *    period (each month weighted by its post orders). A slope whose 95% interval (Sen's) holds
 *    0 is not extrapolated: 'pre-period level', the level of those months (a few months with
 *    one huge order would otherwise tilt the line and carry it months ahead).
 *  - 'none': fewer months: the plain before/after change, not adjusted, and said so.
 *
 * The interval: a Poisson bootstrap over orders (every order's weight redrawn as Poisson(1),
 * Hanley & MacGibbon 2006; https://en.wikipedia.org/wiki/Bootstrapping_(statistics)), every
 * figure of every window recomputed from the same weights, 2.5th-97.5th percentiles.
 */
import { createRng, poisson } from './random.js';
import { quantileSorted } from './robust.js';
import { theilSen } from './theilSen.js';
import type { OrderTable } from './types.js';
import { lowerBound } from './sortedSearch.js';
import { addMonths, MONTH_MS } from './periods.js';

export type AdjustmentMethod = 'same months a year before' | 'pre-period trend' | 'pre-period level' | 'none';

export interface StatisticChange {
  /** The post period's figure, the expected figure without the rule, and the relative change with its 95% interval. */
  actualMinor: number;
  expectedMinor: number;
  change: number;
  changeLow: number;
  changeHigh: number;
  /** The plain before/after change (the 12 months before against the post period), not adjusted. */
  plainChange: number;
}

export interface AovChange {
  method: AdjustmentMethod;
  /** The windows compared (epoch ms, [from, to)), for the output to name. */
  windows: { post: [number, number]; pre: [number, number]; postYearBefore?: [number, number]; preYearBefore?: [number, number]; trendMonths?: number; flat?: { mean: boolean; median: boolean } };
  mean: StatisticChange;
  median: StatisticChange;
  resamples: number;
}


/** A window of the table's orders (indices [from, to) in time order), with its orders by value. */
interface Window {
  from: number;
  to: number;
  byValue: Int32Array;
}

function windowOf(table: OrderTable, fromMs: number, toMs: number): Window {
  const from = lowerBound(table.placedAt, fromMs);
  const to = lowerBound(table.placedAt, toMs);
  const byValue = Int32Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => table.valueMinor[a] - table.valueMinor[b]);
  return { from, to, byValue };
}

/** Weighted mean and median of a window (weights per order, all 1 for the point). */
function figures(values: Float64Array, weights: Float64Array | null, w: Window): { mean: number; median: number } {
  let total = 0;
  let sum = 0;
  for (let i = w.from; i < w.to; i++) {
    const k = weights ? weights[i] : 1;
    total += k;
    sum += k * values[i];
  }
  if (!(total > 0)) return { mean: NaN, median: NaN };
  // The weighted median: the first value (by value) where the cumulative weight reaches half.
  let cumulative = 0;
  let median = NaN;
  for (const i of w.byValue) {
    cumulative += weights ? weights[i] : 1;
    if (cumulative >= total / 2) {
      median = values[i];
      break;
    }
  }
  return { mean: sum / total, median };
}

/**
 * A Theil-Sen line through (x, y) (theilSen.ts: the median of the pairwise slopes, so one
 * month with a huge order does not tilt it), evaluated at the points `at`, weighted.
 */
function lineAt(x: readonly number[], y: readonly number[], at: readonly { x: number; weight: number }[], flat: boolean): number {
  const line = theilSen(x, y);
  if (!line) return NaN;
  // Flat: the level of the months (their median), no slope.
  const slope = flat ? 0 : line.slope;
  const intercept = flat ? quantileSorted(Float64Array.from(y).sort(), 0.5) : line.intercept;
  let total = 0;
  let value = 0;
  for (const a of at) {
    total += a.weight;
    value += a.weight * (intercept + slope * a.x);
  }
  return total > 0 ? value / total : NaN;
}

/** Whether a Theil-Sen slope's 95% interval holds 0 (no trend to extrapolate). */
function noTrend(x: readonly number[], y: readonly number[]): boolean {
  const line = theilSen(x, y);
  return !line || !(line.low > 0 || line.high < 0);
}

/**
 * The AOV and median change after `sinceMs` (the table sorted by time), adjusted as the
 * module comment says.
 * @example
 * aovChange(table, Date.UTC(2026, 2, 1)).mean.change // e.g. 0.04: AOV 4% above what season and trend predict
 */
export function aovChange(table: OrderTable, sinceMs: number, options: { resamples?: number; seed?: number } = {}): AovChange {
  const n = table.valueMinor.length;
  const resamples = options.resamples ?? 1000;
  const start = n ? table.placedAt[0] : sinceMs;
  const end = n ? table.placedAt[n - 1] + 1 : sinceMs;
  const postMonths = Math.max(1, Math.round((end - sinceMs) / MONTH_MS));
  const post = windowOf(table, sinceMs, end);
  const preFrom = Math.max(start, addMonths(sinceMs, -12));
  const pre = windowOf(table, preFrom, sinceMs);
  // The window of the post period's length just before the start, and both a year earlier.
  const recentFrom = addMonths(sinceMs, -Math.min(postMonths, 12));
  const yearBefore = addMonths(sinceMs, -12);
  const canYearOverYear = postMonths <= 12 && start <= addMonths(recentFrom, -12);
  let method: AdjustmentMethod;
  const windows: AovChange['windows'] = { post: [sinceMs, end], pre: [preFrom, sinceMs] };
  let expected: (weights: Float64Array | null) => { mean: number; median: number };
  if (canYearOverYear) {
    method = 'same months a year before';
    const recent = windowOf(table, recentFrom, sinceMs);
    const postYearBefore = windowOf(table, yearBefore, addMonths(end, -12));
    const recentYearBefore = windowOf(table, addMonths(recentFrom, -12), yearBefore);
    windows.postYearBefore = [yearBefore, addMonths(end, -12)];
    windows.preYearBefore = [addMonths(recentFrom, -12), yearBefore];
    windows.pre = [recentFrom, sinceMs];
    expected = (weights) => {
      const a = figures(table.valueMinor, weights, postYearBefore);
      const r = figures(table.valueMinor, weights, recent);
      const ra = figures(table.valueMinor, weights, recentYearBefore);
      return { mean: (a.mean * r.mean) / ra.mean, median: (a.median * r.median) / ra.median };
    };
  } else {
    // Whole calendar months before the start (the first, partial one left out).
    const months: Window[] = [];
    const monthStarts: number[] = [];
    for (let m = 1; m <= 12; m++) {
      const from = addMonths(sinceMs, -m);
      if (from < start) break;
      months.unshift(windowOf(table, from, addMonths(from, 1)));
      monthStarts.unshift(from);
    }
    if (months.length >= 3) {
      windows.trendMonths = months.length;
      windows.pre = [monthStarts[0], sinceMs];
      // The post period's months, weighted by their orders, on the same month axis.
      const postAt: { x: number; weight: number }[] = [];
      for (let from = sinceMs; from < end; from = addMonths(from, 1)) {
        const w = windowOf(table, from, addMonths(from, 1));
        postAt.push({ x: (from - sinceMs) / MONTH_MS, weight: w.to - w.from });
      }
      const x = monthStarts.map((t) => (t - sinceMs) / MONTH_MS);
      // Whether each figure has a trend is decided once, on the data (not per resample).
      const pointFigures = months.map((w) => figures(table.valueMinor, null, w));
      const flatMean = noTrend(x, pointFigures.map((v) => v.mean));
      const flatMedian = noTrend(x, pointFigures.map((v) => v.median));
      method = flatMean && flatMedian ? 'pre-period level' : 'pre-period trend';
      windows.flat = { mean: flatMean, median: flatMedian };
      expected = (weights) => {
        const f = months.map((w) => figures(table.valueMinor, weights, w));
        return { mean: lineAt(x, f.map((v) => v.mean), postAt, flatMean), median: lineAt(x, f.map((v) => v.median), postAt, flatMedian) };
      };
    } else {
      method = 'none';
      expected = (weights) => figures(table.valueMinor, weights, pre);
    }
  }
  const point = figures(table.valueMinor, null, post);
  const plainBefore = figures(table.valueMinor, null, windowOf(table, preFrom, sinceMs));
  const expectedPoint = expected(null);
  // The bootstrap: one Poisson(1) weight per order, every window recomputed.
  const rng = createRng(options.seed ?? 1);
  const weights = new Float64Array(n);
  const meanChanges = new Float64Array(resamples);
  const medianChanges = new Float64Array(resamples);
  for (let s = 0; s < resamples; s++) {
    for (let i = 0; i < n; i++) weights[i] = poisson(rng, 1);
    const a = figures(table.valueMinor, weights, post);
    const e = expected(weights);
    meanChanges[s] = a.mean / e.mean - 1;
    medianChanges[s] = a.median / e.median - 1;
  }
  const interval = (draws: Float64Array) => {
    const sorted = Float64Array.from(draws.filter(Number.isFinite)).sort();
    return sorted.length ? [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)] : [NaN, NaN];
  };
  const [meanLow, meanHigh] = interval(meanChanges);
  const [medianLow, medianHigh] = interval(medianChanges);
  return {
    method, windows, resamples,
    mean: { actualMinor: point.mean, expectedMinor: expectedPoint.mean, change: point.mean / expectedPoint.mean - 1, changeLow: meanLow, changeHigh: meanHigh, plainChange: point.mean / plainBefore.mean - 1 },
    median: { actualMinor: point.median, expectedMinor: expectedPoint.median, change: point.median / expectedPoint.median - 1, changeLow: medianLow, changeHigh: medianHigh, plainChange: point.median / plainBefore.median - 1 },
  };
}
