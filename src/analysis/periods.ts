/**
 * Calendar periods of order times (epoch ms of a wall-clock time read as UTC): their labels,
 * boundaries, and the orders of a table grouped by period.
 */
import { upperBound } from './sortedSearch.js';

export type Period = 'day' | 'week' | 'month';

export const DAY_MS = 86_400_000;

/** The mean length of a Gregorian month (365.2425 / 12 days), for rates per month. */
export const MONTH_MS = 30.436875 * DAY_MS;

/** How many periods back "the same period a year earlier" is (52 weeks and 364 days keep the weekday). */
export const PERIODS_PER_YEAR: Record<Period, number> = { day: 364, week: 52, month: 12 };

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

/**
 * Shifts a time by whole calendar months on the UTC wall clock (negative: back); a day past
 * the end of the target month rolls over, as Date.UTC does.
 * @example addMonths(Date.UTC(2024, 2, 15, 9), -12) === Date.UTC(2023, 2, 15, 9); // true
 */
export function addMonths(t: number, months: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** The orders of a table grouped by calendar period, from the first order's period to the last's. */
export interface PeriodGroups {
  /** starts[p] .. starts[p + 1] is period p (epoch ms); starts has one entry more than periods. */
  starts: number[];
  /** Order indices of period p: members[offsets[p] .. offsets[p + 1]), in table order. */
  members: Int32Array;
  offsets: Int32Array;
  /** The data start after the first period's first day / end before the last period's last day. */
  firstPartial: boolean;
  lastPartial: boolean;
}

/**
 * Groups order indices by period with a counting sort (table order kept within a period).
 * Orders without a usable time are left out; null when no order has one.
 *
 * @example
 * groupByPeriod(Float64Array.of(Date.UTC(2011, 0, 5), Date.UTC(2011, 2, 1)), 'month')!.starts.length; // 4 (Jan, Feb, Mar + end)
 */
export function groupByPeriod(placedAt: ArrayLike<number>, period: Period): PeriodGroups | null {
  // The first and last usable times (the contract sorts by time, but this does not rely on it).
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < placedAt.length; i++) {
    const t = placedAt[i];
    if (Number.isFinite(t)) {
      if (t < first) first = t;
      if (t > last) last = t;
    }
  }
  if (first === Infinity) return null;

  // Period boundaries, empty periods included (so a period's index honours gaps).
  const starts: number[] = [startOfPeriod(first, period)];
  while (starts[starts.length - 1] <= last) starts.push(endOfPeriod(starts[starts.length - 1], period));
  const periodCount = starts.length - 1;

  // Counting sort of the order indices by period.
  const periodOf = new Int32Array(placedAt.length).fill(-1);
  const offsets = new Int32Array(periodCount + 1);
  for (let i = 0; i < placedAt.length; i++) {
    if (!Number.isFinite(placedAt[i])) continue;
    const p = upperBound(starts, placedAt[i]) - 1;
    periodOf[i] = p;
    offsets[p + 1]++;
  }
  for (let p = 0; p < periodCount; p++) offsets[p + 1] += offsets[p];
  const members = new Int32Array(offsets[periodCount]);
  const cursor = offsets.slice(0, periodCount);
  for (let i = 0; i < placedAt.length; i++) if (periodOf[i] >= 0) members[cursor[periodOf[i]]++] = i;

  // Coverage: are the first and last periods whole?
  const firstPartial = startOfPeriod(first, 'day') > starts[0];
  const lastPartial = startOfPeriod(last, 'day') + DAY_MS < starts[periodCount];
  return { starts, members, offsets, firstPartial, lastPartial };
}
