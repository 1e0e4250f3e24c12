/**
 * --fail-on rules: "aov.median:-10%" fires when median AOV falls by 10% or more against the
 * baseline; "nps:-5" when NPS falls by 5 points or more; "orders:+50%" when orders rise by
 * half or more. A percentage compares relatively, a plain number absolutely.
 */
import { AovError } from '../errors.js';

export interface FailRule {
  text: string;
  metric: string;
  /** Negative: fire on a fall at least this large; positive: on a rise at least this large. */
  change: number;
  /** Whether the rule watches a fall ("-"), kept apart from `change` so that "-0%" (any fall) is not read as "+0%". */
  falls: boolean;
  relative: boolean;
}

export interface MetricValue {
  currency: string;
  metric: string;
  previous: number | null;
  current: number | null;
}

export interface FiredAlert {
  rule: string;
  currency: string;
  metric: string;
  previous: number;
  current: number;
  change: number;
  relative: boolean;
}

export const KNOWN_METRICS = ['aov.mean', 'aov.median', 'aov.trimmedMean', 'aov.winsorizedMean', 'orders', 'revenue', 'customers.repeatShare', 'nps'];

/** Parses "aov.median:-10%" (repeatable option values). */
export function parseFailRule(text: string): FailRule {
  const match = /^\s*([A-Za-z][\w.]*)\s*:\s*([+-])\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!match) {
    throw new AovError('E_USAGE', `--fail-on "${text}" is not METRIC:CHANGE.`, {
      hint: 'Examples: --fail-on "aov.median:-10%" (median AOV falls 10% or more), --fail-on "nps:-5" (NPS falls 5 points or more).',
    });
  }
  const [, metric, sign, amount, percent] = match;
  if (!KNOWN_METRICS.includes(metric)) {
    throw new AovError('E_USAGE', `--fail-on: unknown metric "${metric}".`, { hint: `Metrics: ${KNOWN_METRICS.join(', ')}.` });
  }
  const magnitude = Number(amount) / (percent ? 100 : 1);
  return { text: text.trim(), metric, change: sign === '-' ? -magnitude : magnitude, falls: sign === '-', relative: percent === '%' };
}

/** The rules that fire, per currency, in rule order then currency order. */
export function evaluateRules(rules: readonly FailRule[], values: readonly MetricValue[]): FiredAlert[] {
  const fired: FiredAlert[] = [];
  for (const rule of rules) {
    for (const value of values) {
      if (value.metric !== rule.metric || value.previous === null || value.current === null) continue;
      if (rule.relative && value.previous === 0) continue;
      const change = rule.relative ? (value.current - value.previous) / Math.abs(value.previous) : value.current - value.previous;
      // A small epsilon so that exactly -10.0% fires a -10% rule despite float rounding.
      const breached = rule.falls ? change <= rule.change + 1e-12 : change >= rule.change - 1e-12;
      if (breached) fired.push({ rule: rule.text, currency: value.currency, metric: rule.metric, previous: value.previous, current: value.current, change, relative: rule.relative });
    }
  }
  return fired;
}

/** One currency's headline figures at one run, as report.json carries them (major units, rounded). */
export interface HeadlineFigures {
  currency: string;
  metrics: Record<string, number | null>;
}

/** A headline metric of this run beside the compared report's, with the relative change. */
export interface MetricChange extends MetricValue {
  change: number | null;
}

/**
 * --compare: each headline metric of this run against the same currency's in an earlier report
 * (`file`, for the error). A comparison that matches no currency would compare nothing and never
 * alert, so it is refused; the currencies the earlier report lacks are returned, not compared.
 */
export function compareHeadlines(previous: readonly HeadlineFigures[], current: readonly HeadlineFigures[], file: string): { metrics: MetricChange[]; notCompared: string[] } {
  const before = new Map<string, Record<string, number | null>>();
  for (const p of previous) if (!before.has(p.currency)) before.set(p.currency, p.metrics);
  if (!current.some((c) => before.has(c.currency))) {
    throw new AovError('E_BAD_VALUE', `${file} shares no currency with this run (it has ${[...before.keys()].join(', ') || 'none'}; this run ${current.map((c) => c.currency).join(', ')}): there is nothing to compare.`, {
      hint: 'Compare with a report of the same shop, or drop --compare.',
      context: { file },
    });
  }
  const metrics: MetricChange[] = [];
  for (const c of current) {
    const then = before.get(c.currency) ?? {};
    for (const [metric, value] of Object.entries(c.metrics)) {
      const prev = then[metric] ?? null;
      metrics.push({ currency: c.currency, metric, previous: prev, current: value, change: prev && value !== null ? (value - prev) / Math.abs(prev) : null });
    }
  }
  return { metrics, notCompared: current.filter((c) => !before.has(c.currency)).map((c) => c.currency) };
}

/** One currency's trend and NPS as report.json carries them: what period over period reads. */
export interface PeriodFigures {
  currency: string;
  /** The data's last day (YYYY-MM-DD...). */
  to: string;
  trend: { series: readonly { orders: number; partial: boolean; mean: number | null; median: number | null; trimmedMean: number | null }[] } | null;
  nps?: { monthly: readonly { month: string; nps: number | null; n: number }[] } | null;
}

/** The last day of a month "2024-02" -> "2024-02-29". */
const lastDayOfMonth = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

/** Without --compare: the last complete period against the one before it (none with fewer than two). */
export function periodOverPeriod(c: PeriodFigures): MetricValue[] {
  const complete = (c.trend?.series ?? []).filter((p) => !p.partial && p.orders > 0);
  if (complete.length < 2) return [];
  const [before, last] = complete.slice(-2);
  // NPS is kept by month whatever --period is: its last two complete months with answers
  // (the data's last month is partial unless the data reaches its last day).
  const lastDay = c.to.slice(0, 10);
  const npsMonths = (c.nps?.monthly ?? []).filter((m) => m.n > 0 && (m.month < lastDay.slice(0, 7) || lastDayOfMonth(m.month) === lastDay));
  const [npsBefore, npsLast] = npsMonths.length >= 2 ? npsMonths.slice(-2) : [undefined, undefined];
  return [
    { currency: c.currency, metric: 'nps', previous: npsBefore?.nps ?? null, current: npsLast?.nps ?? null },
    { currency: c.currency, metric: 'aov.mean', previous: before.mean, current: last.mean },
    { currency: c.currency, metric: 'aov.median', previous: before.median, current: last.median },
    { currency: c.currency, metric: 'aov.trimmedMean', previous: before.trimmedMean, current: last.trimmedMean },
    { currency: c.currency, metric: 'orders', previous: before.orders, current: last.orders },
  ];
}
