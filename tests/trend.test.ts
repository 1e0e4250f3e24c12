import { spawnSync } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { robustOutliers } from '../src/analysis/outliers.js';
import { periodKey } from '../src/analysis/periods.js';
import { trendSeries } from '../src/analysis/trend.js';
import type { OrderTable } from '../src/analysis/types.js';
import { DATA, ROOT } from './helpers.js';
import { trendVerdictText } from '../src/report/trendVerdict.js';

/** A table from readable rows [orderId, wall-clock time 'YYYY-MM-DD HH:MM', valueMinor]. */
function orderTable(rows: Array<[string, string, number]>): OrderTable {
  const sorted = [...rows].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1));
  const n = sorted.length;
  return {
    currency: 'GBP',
    decimals: 2,
    orderIds: sorted.map((row) => row[0]),
    valueMinor: Float64Array.from(sorted, (row) => row[2]),
    placedAt: Float64Array.from(sorted, (row) => Date.parse(row[1].replace(' ', 'T') + 'Z')),
    customer: new Int32Array(n).fill(-1),
    customerCount: 0,
    itemCount: new Int32Array(n).fill(1),
    units: new Float64Array(n).fill(1),
  };
}

/** Three orders per month, at value median - 100, median, median + 100, covering each month fully. */
function monthlyTable(year: number, medians: Array<number | null>): OrderTable {
  const rows: Array<[string, string, number]> = [];
  medians.forEach((medianValue, m) => {
    if (medianValue === null) return;
    const month = String(m + 1).padStart(2, '0');
    const lastDay = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    rows.push([`${month}-a`, `${year}-${month}-01 09:00`, medianValue - 100]);
    rows.push([`${month}-b`, `${year}-${month}-10 12:00`, medianValue]);
    rows.push([`${month}-c`, `${year}-${month}-${lastDay} 18:00`, medianValue + 100]);
  });
  return orderTable(rows);
}

describe('periodKey', () => {
  it('labels months, days and ISO weeks, including weeks that straddle a new year', () => {
    const t = (iso: string) => Date.parse(iso + 'T12:00:00Z');
    expect(periodKey(t('2011-01-31'), 'month')).toBe('2011-01');
    expect(periodKey(t('2011-01-31'), 'day')).toBe('2011-01-31');
    // ISO calendar (Wikipedia "ISO week date" examples and any ISO calendar):
    expect(periodKey(t('2011-01-31'), 'week')).toBe('2011-W05');
    expect(periodKey(t('2011-01-01'), 'week')).toBe('2010-W52'); // a Saturday
    expect(periodKey(t('2011-01-03'), 'week')).toBe('2011-W01'); // the first Monday
    expect(periodKey(t('2008-12-29'), 'week')).toBe('2009-W01'); // Monday of 2009-W01
    expect(periodKey(t('2010-01-03'), 'week')).toBe('2009-W53'); // Sunday of 2009-W53
    expect(periodKey(Date.parse('2011-01-02T23:59:59Z'), 'week')).toBe('2010-W52');
  });
});

describe('robustOutliers', () => {
  it('flags the one order far out on the log scale', () => {
    // ln values 6.908 7.003 7.090 7.170 11.408: median ln 1200 = 7.090, absolute
    // deviations 0.182 0.087 0 0.080 4.317 -> MAD 0.087 (= ln 1200/1100).
    // z(90000) = 0.6745 * 4.317 / 0.087 = 33.5 > 3.5; z(1000) = 0.6745 * 0.182 / 0.087 = 1.41.
    const result = robustOutliers(Float64Array.of(1000, 1100, 1200, 1300, 90000));
    expect(Array.from(result.flags)).toEqual([0, 0, 0, 0, 1]);
    expect(result.median).toBeCloseTo(Math.log(1200), 12);
    expect(result.mad).toBeCloseTo(Math.log(1200 / 1100), 12);
    // Bounds: exp(ln 1200 +- 3.5 * MAD / 0.6745).
    expect(result.highMinor).toBeCloseTo(Math.exp(Math.log(1200) + (3.5 * Math.log(1200 / 1100)) / 0.6745), 6);
  });

  it('falls back to the mean absolute deviation when MAD is 0', () => {
    // Six orders of 1000, one of 1100, one of 50000: MAD = 0. Mean absolute deviation of
    // the logs = (ln 1.1 + ln 50)/8 = (0.09531 + 3.91202)/8 = 0.50092, sigma = 1.253314 *
    // 0.50092 = 0.62781: z(1100) = 0.152, z(50000) = 6.23 -> only 50000 is flagged.
    const result = robustOutliers(Float64Array.of(1000, 1000, 1000, 1000, 1000, 1000, 1100, 50000));
    expect(result.mad).toBe(0);
    expect(Array.from(result.flags)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(result.rule).toContain('MAD = 0');
  });

  it('flags nothing when all values are equal, and never flags non-positive values', () => {
    expect(Array.from(robustOutliers(Float64Array.of(500, 500, 500)).flags)).toEqual([0, 0, 0]);
    const withZero = robustOutliers(Float64Array.of(0, -300, 1000, 1010, 1020, 990));
    expect(withZero.flags[0]).toBe(0);
    expect(withZero.flags[1]).toBe(0);
    // The median is taken over the four positive values only: logs of 990 1000 1010 1020,
    // so the middle two are ln 1000 and ln 1010.
    expect(withZero.median).toBeCloseTo((Math.log(1000) + Math.log(1010)) / 2, 12);
  });

  it('honours a custom threshold', () => {
    // z(1000) = 1.41 from the first case: flagged at threshold 1, not at 3.5.
    const values = Float64Array.of(1000, 1100, 1200, 1300, 90000);
    expect(Array.from(robustOutliers(values, { threshold: 1 }).flags)).toEqual([1, 0, 0, 0, 1]);
  });
});

describe('trendSeries on a tiny hand-made table', () => {
  // January fully covered (first order on the 1st), February, March empty, April partial
  // (last order on April 5th).
  const table = orderTable([
    ['A1', '2011-01-01 10:00', 1000],
    ['A2', '2011-01-15 11:00', 2000],
    ['A3', '2011-01-31 12:00', 3000],
    ['B1', '2011-02-10 09:00', 1500],
    ['B2', '2011-02-20 09:00', 2500],
    ['D1', '2011-04-02 09:00', 4000],
    ['D2', '2011-04-05 09:00', 5000],
  ]);
  const result = trendSeries(table, { resamples: 200 });

  it('lists every month from the first order to the last, empty ones included', () => {
    // Jan: 1000 2000 3000 -> revenue 6000, mean = median = 2000; trimmed: floor(0.15) = 0 cut.
    // Feb: 1500 2500 -> 4000, 2000, 2000. Mar: nothing. Apr: 4000 5000 -> 9000, 4500, 4500.
    expect(result.series.map((row) => [row.period, row.orders, row.revenueMinor, row.meanMinor, row.medianMinor, row.trimmedMeanMinor, row.partial])).toEqual([
      ['2011-01', 3, 6000, 2000, 2000, 2000, false],
      ['2011-02', 2, 4000, 2000, 2000, 2000, false],
      ['2011-03', 0, 0, NaN, NaN, NaN, false],
      ['2011-04', 2, 9000, 4500, 4500, 4500, true],
    ]);
  });

  it('leaves the partial month out of the trend and says there are too few periods', () => {
    expect(result.partialExcluded).toEqual(['2011-04']);
    expect(result.trendPeriods).toEqual(['2011-01', '2011-02']);
    expect(result.theilSen).toEqual({ median: null, mean: null });
    expect(result.mannKendall).toEqual({ median: null, mean: null });
    expect(trendVerdictText(result.verdict)).toBe('too few periods for a trend (2 complete months; need 4)');
  });

  it('picks, per month, the order whose removal moves the mean most', () => {
    // Jan: 1000 and 3000 tie at 1000 from the mean; the earlier (A1) is reported. Without
    // it the mean is 2500: shift +25%. Feb: B1 (1500), mean without 2500: +25%.
    // Apr: D1 (4000) and D2 tie; D1, mean without 5000: +11.1% > 10%.
    expect(result.influence.map((row) => [row.period, row.order, row.valueMinor, row.meanWithoutMinor])).toEqual([
      ['2011-01', 'A1', 1000, 2500],
      ['2011-02', 'B1', 1500, 2500],
      ['2011-04', 'D1', 4000, 5000],
    ]);
    expect(result.influence[0].shareOfPeriodRevenue).toBeCloseTo(1000 / 6000, 12);
    expect(result.influence[2].meanShift).toBeCloseTo(500 / 4500, 12);
  });

  it('compares the last complete month with the month before', () => {
    // Last complete month is February (March is empty, April partial); the one before is
    // January. Means 2000 vs 2000 and medians 2000 vs 2000: estimates 0.
    const last = result.periodOverPeriod.last!;
    expect([last.period, last.against, last.orders, last.againstOrders]).toEqual(['2011-02', '2011-01', 2, 3]);
    expect(last.meanChangeMinor.estimate).toBe(0);
    expect(last.medianChangeMinor.estimate).toBe(0);
    expect(result.periodOverPeriod.yearOverYear).toBeNull();
  });

  it('fits partial months too when asked', () => {
    const withPartial = trendSeries(table, { includePartial: true, resamples: 50 });
    expect(withPartial.partialExcluded).toEqual([]);
    expect(withPartial.trendPeriods).toEqual(['2011-01', '2011-02', '2011-04']);
    expect(trendVerdictText(withPartial.verdict)).toBe('too few periods for a trend (3 months; need 4)');
  });

  it('leaves thin months out when minPeriodOrders is set', () => {
    const thin = trendSeries(table, { minPeriodOrders: 3, resamples: 50 });
    expect(thin.lowVolumeExcluded).toEqual(['2011-02', '2011-04']);
    expect(thin.trendPeriods).toEqual(['2011-01']);
    expect(thin.periodOverPeriod.last).toBeNull();
  });
});

describe('trendSeries trimmed mean', () => {
  it('drops floor(5% of n) orders from each end before averaging', () => {
    // 20 orders worth 10 i^2, i = 1..20: floor(0.05 * 20) = 1 from each end leaves
    // i = 2..19, sum 10 * (19*20*39/6 - 1) = 24,690 over 18 orders = 1371.67.
    // (A 10% trim would give 10 * (2109 - 5)/16 = 1315.)
    const rows: Array<[string, string, number]> = [];
    for (let i = 1; i <= 20; i++) rows.push([`o${i}`, `2011-01-${String(i).padStart(2, '0')} 10:00`, 10 * i * i]);
    const result = trendSeries(orderTable(rows), { resamples: 20 });
    expect(result.series[0].trimmedMeanMinor).toBeCloseTo(24_690 / 18, 9);
  });
});

describe('trendSeries trend and verdict', () => {
  it('reports a steady rise with Theil-Sen slope, Mann-Kendall p and the percent per month', () => {
    // Medians 1000 1020 ... 1100 over six full months: every pairwise slope is 20, so
    // slope = low = high = 20 and intercept 1000. Level = median of medians = 1050, so
    // 20/1050 = 1.9% a month. MK: S = 15, Var = 6*5*17/18 = 28.333, z = 14/5.3229 = 2.6301,
    // p = 0.0085 (normal table) -> printed as 0.009.
    const result = trendSeries(monthlyTable(2011, [1000, 1020, 1040, 1060, 1080, 1100]), { resamples: 50 });
    expect(result.partialExcluded).toEqual([]);
    expect(result.theilSen.median).toMatchObject({ n: 6, slope: 20, intercept: 1000, low: 20, high: 20, level: 1050 });
    expect(result.theilSen.median!.relativeSlope).toBeCloseTo(20 / 1050, 12);
    expect(result.mannKendall.median).toMatchObject({ n: 6, s: 15 });
    expect(result.mannKendall.median!.p).toBeCloseTo(0.008535, 5);
    // Values are symmetric around each median, so the mean series is the same.
    expect(result.theilSen.mean!.slope).toBe(20);
    expect(trendVerdictText(result.verdict)).toBe('median AOV rising about 1.9% a month (Mann-Kendall p = 0.009)');
  });

  it('says falling for a steady fall', () => {
    // Medians 1100 ... 1000: slope -20, S = -15, p = 0.0085 as above.
    const result = trendSeries(monthlyTable(2011, [1100, 1080, 1060, 1040, 1020, 1000]), { resamples: 50 });
    expect(trendVerdictText(result.verdict)).toBe('median AOV falling about 1.9% a month (Mann-Kendall p = 0.009)');
  });

  it('finds no significant trend in a series that goes up and down', () => {
    // Medians 1000 1100 1000 1100 1000 1100: S = 3, Var = 21, p = 0.66 (see the Mann-Kendall tests).
    const result = trendSeries(monthlyTable(2011, [1000, 1100, 1000, 1100, 1000, 1100]), { resamples: 50 });
    expect(result.mannKendall.median!.s).toBe(3);
    expect(trendVerdictText(result.verdict)).toBe('no significant trend in median AOV (p = 0.66)');
  });

  it('keeps the calendar spacing when a month has no orders', () => {
    // March empty: medians 1000 + 20 x at x = 0 1 3 4 5. With x = period index every pairwise
    // slope is 20; had the gap been closed up (x = 0..4) the median slope would be 25.8. MK over 5 values:
    // S = 10, Var = 16.667, z = 9/4.0825 = 2.2045, p = 0.0275 -> 0.03. Level = 1060 -> 1.9%.
    const result = trendSeries(monthlyTable(2011, [1000, 1020, null, 1060, 1080, 1100]), { resamples: 50 });
    expect(result.series[2]).toMatchObject({ period: '2011-03', orders: 0 });
    expect(result.theilSen.median).toMatchObject({ n: 5, slope: 20, level: 1060 });
    expect(trendVerdictText(result.verdict)).toBe('median AOV rising about 1.9% a month (Mann-Kendall p = 0.03)');
  });
});

describe('trendSeries influence', () => {
  it('finds the planted huge order and reports its pull on the month', () => {
    // January: 1000 1010 1020 1030, mean 1015; removing 1000 gives 1020 (+0.5%): not flagged.
    // February: 20 orders 1000, 1010, ..., 1190 (sum 21,900) plus one of 100,000 (sum 121,900,
    // n 21, mean 5804.76). Without it: 21,900/20 = 1095, a shift of -81.1%;
    // its share of February revenue is 100,000/121,900 = 82.0%.
    // Trimmed mean: floor(0.05 * 21) = 1 from each end -> (121,900 - 1000 - 100,000)/19 = 1100.
    // Median: the 11th of 21 sorted values = 1100.
    const rows: Array<[string, string, number]> = [
      ['J1', '2011-01-01 10:00', 1000],
      ['J2', '2011-01-10 10:00', 1010],
      ['J3', '2011-01-20 10:00', 1020],
      ['J4', '2011-01-31 10:00', 1030],
    ];
    for (let i = 0; i < 20; i++) rows.push([`F${String(i).padStart(2, '0')}`, `2011-02-${String(1 + i).padStart(2, '0')} 10:00`, 1000 + 10 * i]);
    rows.push(['BIG', '2011-02-28 15:00', 100_000]);
    const result = trendSeries(orderTable(rows), { resamples: 50 });
    expect(result.influence).toHaveLength(1);
    const planted = result.influence[0];
    expect([planted.period, planted.order, planted.valueMinor]).toEqual(['2011-02', 'BIG', 100_000]);
    expect(planted.meanMinor).toBeCloseTo(121_900 / 21, 9);
    expect(planted.meanWithoutMinor).toBe(1095);
    expect(planted.meanShift).toBeCloseTo((1095 - 121_900 / 21) / (121_900 / 21), 12);
    expect(planted.shareOfPeriodRevenue).toBeCloseTo(100_000 / 121_900, 12);
    const february = result.series[1];
    expect(february).toMatchObject({ orders: 21, revenueMinor: 121_900, medianMinor: 1100, trimmedMeanMinor: 1100 });
    // The log-scale outlier rule flags only the planted order (all others are within 20% of each other).
    expect(result.series.map((row) => row.outliers)).toEqual([0, 1]);
  });

  it('uses a stricter or looser threshold when told', () => {
    const table = orderTable([
      ['A', '2011-01-01 10:00', 1000],
      ['B', '2011-01-02 10:00', 1000],
      ['C', '2011-01-31 10:00', 1300],
    ]);
    // Mean 1100; removing C gives 1000: -9.1%. Flagged at 5%, not at the default 10%.
    expect(trendSeries(table, { resamples: 20 }).influence).toEqual([]);
    expect(trendSeries(table, { influenceThreshold: 0.05, resamples: 20 }).influence.map((row) => row.order)).toEqual(['C']);
  });
});

describe('trendSeries period over period', () => {
  // Fourteen full months, Jan 2010 to Feb 2011, two orders each: [v, v + 100].
  const rows: Array<[string, string, number]> = [];
  for (let m = 0; m < 14; m++) {
    const year = 2010 + Math.floor(m / 12);
    const month = String((m % 12) + 1).padStart(2, '0');
    const lastDay = new Date(Date.UTC(year, (m % 12) + 1, 0)).getUTCDate();
    const base = m === 1 ? 1000 : m === 12 ? 1200 : m === 13 ? 1500 : 1100;
    rows.push([`${m}-a`, `${year}-${month}-01 10:00`, base]);
    rows.push([`${m}-b`, `${year}-${month}-${lastDay} 10:00`, base + 100]);
  }
  const table = orderTable(rows);

  it('compares the last month with the month before and the same month a year earlier', () => {
    // Feb 2011: 1500 1600 (mean = median = 1550). Jan 2011: 1200 1300 (1250).
    // Feb 2010: 1000 1100 (1050). Changes: 300 (+24.0%) and 500 (+47.6%).
    const result = trendSeries(table, { seed: 7, resamples: 400 });
    const { last, yearOverYear } = result.periodOverPeriod;
    expect([last!.period, last!.against]).toEqual(['2011-02', '2011-01']);
    expect(last!.meanChangeMinor.estimate).toBe(300);
    expect(last!.medianChangeMinor.estimate).toBe(300);
    expect(last!.meanChangeRelative).toBeCloseTo(300 / 1250, 12);
    expect([yearOverYear!.period, yearOverYear!.against]).toEqual(['2011-02', '2010-02']);
    expect(yearOverYear!.meanChangeMinor.estimate).toBe(500);
    expect(yearOverYear!.medianChangeRelative).toBeCloseTo(500 / 1050, 12);
    // With two orders a side, resampled means lie in {b - a : a in {1200, 1250, 1300}, b in
    // {1500, 1550, 1600}} = [200, 400]; the interval must sit inside that range and hold 300.
    expect(last!.meanChangeMinor.low).toBeGreaterThanOrEqual(200);
    expect(last!.meanChangeMinor.high).toBeLessThanOrEqual(400);
    expect(last!.meanChangeMinor.low).toBeLessThan(300);
    expect(last!.meanChangeMinor.high).toBeGreaterThan(300);
  });

  it('gives the same intervals for the same seed', () => {
    const first = trendSeries(table, { seed: 3, resamples: 300 });
    const again = trendSeries(table, { seed: 3, resamples: 300 });
    expect(again.periodOverPeriod).toEqual(first.periodOverPeriod);
  });
});

describe('trendSeries by week and day', () => {
  it('marks the first and last week partial when the data start and end mid-week', () => {
    // 2010-12-01 is a Wednesday (week 2010-W48 runs Mon Nov 29 - Sun Dec 5); the last order,
    // Friday 2010-12-24, leaves 2010-W51 (Dec 20-26) short of its Sunday.
    const rows: Array<[string, string, number]> = [];
    for (let day = 1; day <= 24; day++) rows.push([`o${day}`, `2010-12-${String(day).padStart(2, '0')} 12:00`, 1000 + day]);
    const result = trendSeries(orderTable(rows), { period: 'week', resamples: 20 });
    expect(result.series.map((row) => [row.period, row.orders, row.partial])).toEqual([
      ['2010-W48', 5, true],
      ['2010-W49', 7, false],
      ['2010-W50', 7, false],
      ['2010-W51', 5, true],
    ]);
    expect(result.partialExcluded).toEqual(['2010-W48', '2010-W51']);
    expect(trendVerdictText(result.verdict)).toBe('too few periods for a trend (2 complete weeks; need 4)');
  });

  it('never calls a day partial', () => {
    const table = orderTable([
      ['a', '2011-03-01 23:00', 100],
      ['b', '2011-03-03 01:00', 200],
    ]);
    const result = trendSeries(table, { period: 'day', resamples: 20 });
    expect(result.series.map((row) => [row.period, row.orders, row.partial])).toEqual([
      ['2011-03-01', 1, false],
      ['2011-03-02', 0, false],
      ['2011-03-03', 1, false],
    ]);
  });
});

describe('trendSeries on an empty table', () => {
  it('returns an empty series and the too-few verdict', () => {
    const result = trendSeries(orderTable([]));
    expect(result.series).toEqual([]);
    expect(trendVerdictText(result.verdict)).toBe('too few periods for a trend (0 complete months; need 4)');
  });
});

const MONTHLY_ORDERS = [1559, 1086, 1100, 1454, 1246, 1681, 1533, 1475, 1361, 1837, 2040, 2769, 819];
const MONTHLY_MEDIANS = [25895, 30732.5, 30424.5, 30000, 30181, 30545, 29420, 30410, 30602, 32612, 31386, 30060, 30054];
const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('trendSeries on the UCI Online Retail data', () => {
  it.skipIf(!hasPython)(`the pinned monthly series, Theil-Sen and Mann-Kendall figures are what tests/oracles/online_retail.py prints${hasPython ? '' : ' (skipped: no python3)'}`, () => {
    const run = spawnSync('python3', [path.join(ROOT, 'tests', 'oracles', 'online_retail.py'), path.join(DATA, 'online_retail.csv.gz')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const monthly = JSON.parse(run.stdout).monthly as { month: string; orders: number; medianMinor: number }[];
    expect(monthly.map((m) => m.month)).toEqual(['2010-12', ...Array.from({ length: 12 }, (_, i) => `2011-${String(i + 1).padStart(2, '0')}`)]);
    expect(monthly.map((m) => m.orders)).toEqual(MONTHLY_ORDERS);
    expect(monthly.map((m) => m.medianMinor)).toEqual(MONTHLY_MEDIANS);
    // The Theil-Sen and Mann-Kendall figures pinned in the next test.
    const trend = JSON.parse(run.stdout).trend;
    expect(trend).toMatchObject({ n: 12, s: 18 });
    expect(trend.slope).toBeCloseTo(120.29375, 9);
    expect(trend.intercept).toBeCloseTo(29669.7375, 6);
    expect(trend.variance).toBeCloseTo((12 * 11 * 29) / 18, 9);
    expect(trend.p).toBeCloseTo(0.243722, 6);
  }, 120_000);

  const file = path.join(DATA, 'online_retail.csv.gz');

  /** Orders as the reference figures define them: invoices not starting with C, Quantity > 0, UnitPrice > 0. */
  async function loadOnlineRetail(): Promise<OrderTable> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    // Columns: order_id, placed_at_ms (wall clock read as UTC), value_minor (pence).
    const reader = await connection.runAndReadAll(`
      SELECT InvoiceNo AS order_id,
             epoch_ms(min(InvoiceDate)) AS placed_at_ms,
             round(sum(Quantity * UnitPrice) * 100) AS value_minor
      FROM read_csv('${file}', header = true, all_varchar = false)
      WHERE NOT starts_with(InvoiceNo, 'C') AND Quantity > 0 AND UnitPrice > 0
      GROUP BY InvoiceNo
      ORDER BY placed_at_ms, order_id`);
    const rows = reader.getRowsJS() as Array<[string, bigint | number, number]>;
    connection.closeSync();
    const n = rows.length;
    return {
      currency: 'GBP',
      decimals: 2,
      orderIds: rows.map((row) => String(row[0])),
      valueMinor: Float64Array.from(rows, (row) => Number(row[2])),
      placedAt: Float64Array.from(rows, (row) => Number(row[1])),
      customer: new Int32Array(n).fill(-1),
      customerCount: 0,
      itemCount: new Int32Array(n),
      units: new Float64Array(n),
    };
  }

  it('matches an independent Python computation of the monthly series, trend and big orders', async () => {
    const table = await loadOnlineRetail();
    // 19,960 orders (../shared/data/README.md reference figures).
    expect(table.orderIds.length).toBe(19_960);
    const result = trendSeries(table, { period: 'month' });
    // Orders and medians per month from a plain-Python pass over the CSV (csv module,
    // statistics.median), independent of this code: tests/oracles/online_retail.py, which the
    // next test runs against these pinned numbers.
    expect(result.series.map((row) => row.orders)).toEqual(MONTHLY_ORDERS);
    expect(result.series.map((row) => row.medianMinor)).toEqual(MONTHLY_MEDIANS);
    // Data end 2011-12-09: December 2011 is partial and left out.
    expect(result.partialExcluded).toEqual(['2011-12']);
    // scipy.stats.theilslopes(medians[:12], range(12), method='joint'):
    // slope 120.29375, intercept 29669.7375, interval -53.75 .. 435.333.
    expect(result.theilSen.median!.slope).toBeCloseTo(120.29375, 9);
    expect(result.theilSen.median!.intercept).toBeCloseTo(29669.7375, 6);
    expect(result.theilSen.median!.low).toBeCloseTo(-53.75, 9);
    expect(result.theilSen.median!.high).toBeCloseTo(435.3333333333333, 9);
    // Mann-Kendall by hand-written Python (tests/oracles/online_retail.py): S = 18, Var = 12*11*29/18 = 212.667, p = 0.2437.
    expect(result.mannKendall.median).toMatchObject({ n: 12, s: 18 });
    expect(result.mannKendall.median!.p).toBeCloseTo(0.243722, 6);
    expect(trendVerdictText(result.verdict)).toBe('no significant trend in median AOV (p = 0.24)');
    // The two famous single orders: 74,215 storage jars (541431, GBP 77,183.60) and
    // 80,995 paper craft birds (581483, GBP 168,469.60).
    expect(result.influence.map((row) => [row.period, row.order, row.valueMinor])).toEqual([
      ['2011-01', '541431', 7_718_360],
      ['2011-12', '581483', 16_846_960],
    ]);
  });
});
