/**
 * --fail-on rules: "aov.median:-10%" fires when median AOV falls by 10% or more against the
 * baseline; "nps:-5" when NPS falls by 5 points or more; "orders:+50%" when orders rise by
 * half or more. A percentage compares relatively, a plain number absolutely.
 */
import { AovError } from '../errors.js';
import { poissonRatioInterval } from './beta.js';
import { normalQuantile } from './normal.js';
import { npsAdjustedWald } from './nps.js';

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
  /** The 95% interval of current - previous (the metric's units) and how it was found; absent where none is known (--compare). */
  interval?: ChangeInterval | null;
  /** The orders (for nps: answers) behind previous and current, where known. */
  counts?: { previous: number; current: number };
}

export interface ChangeInterval {
  low: number;
  high: number;
  /** "bootstrap", "exact Poisson", "adjusted Wald". */
  method?: string;
}

export interface FiredAlert {
  rule: string;
  currency: string;
  metric: string;
  previous: number;
  current: number;
  change: number;
  relative: boolean;
  /** The change's 95% interval in the rule's terms (relative for a % rule), or null where none is known. */
  interval: ChangeInterval | null;
  /** Why the breach is within noise (its interval holds no change, or too few orders), or null: a real breach. */
  noise: string | null;
}

/**
 * The orders (or NPS answers) each period needs before a breach can count as more than noise:
 * under 20, a week of a small shop swings by half on its own, and the intervals themselves
 * (bootstrap, adjusted Wald) are no longer trustworthy.
 */
export const MIN_ALERT_ORDERS = 20;

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

/**
 * The rules breached, per currency, in rule order then currency order. A breach of the point
 * figures is told from noise where the change has an interval: when the change's 95% interval
 * holds 0 (the change may be nothing) or a period has under MIN_ALERT_ORDERS orders, `noise`
 * says so, and the report makes it a warning instead of a failing alert.
 */
export function evaluateRules(rules: readonly FailRule[], values: readonly MetricValue[]): FiredAlert[] {
  const fired: FiredAlert[] = [];
  for (const rule of rules) {
    for (const value of values) {
      if (value.metric !== rule.metric || value.previous === null || value.current === null) continue;
      if (rule.relative && value.previous === 0) continue;
      const scale = rule.relative ? Math.abs(value.previous) : 1;
      const change = (value.current - value.previous) / scale;
      // A small epsilon so that exactly -10.0% fires a -10% rule despite float rounding.
      const breached = rule.falls ? change <= rule.change + 1e-12 : change >= rule.change - 1e-12;
      if (!breached) continue;
      const interval = value.interval ? { ...value.interval, low: value.interval.low / scale, high: value.interval.high / scale } : null;
      fired.push({ rule: rule.text, currency: value.currency, metric: rule.metric, previous: value.previous, current: value.current, change, relative: rule.relative, interval, noise: noiseReason(value) });
    }
  }
  return fired;
}

/** Why a breached value is within noise, or null. */
function noiseReason(value: MetricValue): string | null {
  const unit = value.metric === 'nps' ? 'answers' : 'orders';
  if (value.counts && Math.min(value.counts.previous, value.counts.current) < MIN_ALERT_ORDERS) {
    return `the periods have ${value.counts.previous} and ${value.counts.current} ${unit}, under the ${MIN_ALERT_ORDERS} a change needs`;
  }
  if (value.interval && value.interval.low <= 0 && value.interval.high >= 0) return 'its 95% interval holds no change';
  return null;
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
  trend: {
    series: readonly { period: string; orders: number; partial: boolean; mean: number | null; median: number | null; trimmedMean: number | null }[];
    /** The last complete period's changes with their bootstrap intervals (reportTypes ReportPeriodChange). */
    lastChange?: { period: string; against: string } & Partial<Record<'mean' | 'median' | 'trimmedMean', { change: number; low: number; high: number } | null>> | null;
  } | null;
  nps?: { monthly: readonly { month: string; nps: number | null; n: number; promoters?: number; passives?: number; detractors?: number }[] } | null;
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
  // The trend's bootstrap intervals belong to this pair of periods only if the trend compared the same two.
  const lastChange = c.trend?.lastChange;
  const paired = lastChange && lastChange.period === last.period && lastChange.against === before.period ? lastChange : null;
  const bootstrap = (k: 'mean' | 'median' | 'trimmedMean') => {
    const block = paired?.[k];
    return block ? { low: block.low, high: block.high, method: 'bootstrap' } : null;
  };
  const counts = { previous: before.orders, current: last.orders };
  const orders = poissonRatioInterval(last.orders, before.orders);
  return [
    {
      currency: c.currency, metric: 'nps', previous: npsBefore?.nps ?? null, current: npsLast?.nps ?? null,
      interval: npsBefore && npsLast ? npsChangeInterval(npsBefore, npsLast) : null,
      ...(npsBefore && npsLast ? { counts: { previous: npsBefore.n, current: npsLast.n } } : {}),
    },
    { currency: c.currency, metric: 'aov.mean', previous: before.mean, current: last.mean, interval: bootstrap('mean'), counts },
    { currency: c.currency, metric: 'aov.median', previous: before.median, current: last.median, interval: bootstrap('median'), counts },
    { currency: c.currency, metric: 'aov.trimmedMean', previous: before.trimmedMean, current: last.trimmedMean, interval: bootstrap('trimmedMean'), counts },
    {
      currency: c.currency, metric: 'orders', previous: before.orders, current: last.orders, counts,
      // The ratio's exact interval (Poisson counts over equal periods) as an interval of the difference.
      interval: { low: before.orders * (orders.low - 1), high: before.orders * (orders.high - 1), method: 'exact Poisson' },
    },
  ];
}

/**
 * The 95% interval of NPS(after) - NPS(before), in points, from two independent months' answers:
 * each month's adjusted Wald estimate and standard error (npsAdjustedWald, Rocks 2016), and the
 * difference d = c1 - c0 +- 1.96 sqrt(se0^2 + se1^2) (the adjusted Wald interval for a
 * difference of independent estimates, as Agresti & Caffo 2000 do for two proportions),
 * clipped to [-200, 200]. Null without the answers' counts (a report from before them).
 * @example
 * npsChangeInterval({ promoters: 30, passives: 10, detractors: 10, n: 50 }, { promoters: 20, passives: 10, detractors: 20, n: 50 })
 * // { low: -69.86, high: -5.61, method: 'adjusted Wald' } (c0 = 37.74, c1 = 0, se 10.99 and 12.15)
 */
export function npsChangeInterval(
  before: { promoters?: number; passives?: number; detractors?: number },
  after: { promoters?: number; passives?: number; detractors?: number },
): ChangeInterval | null {
  const known = (m: typeof before): m is Required<typeof before> => m.promoters !== undefined && m.passives !== undefined && m.detractors !== undefined;
  if (!known(before) || !known(after)) return null;
  const b = npsAdjustedWald(before.promoters, before.passives, before.detractors);
  const a = npsAdjustedWald(after.promoters, after.passives, after.detractors);
  const center = a.center - b.center;
  const half = normalQuantile(0.975) * Math.hypot(a.standardError, b.standardError);
  return { low: Math.max(-200, center - half), high: Math.min(200, center + half), method: 'adjusted Wald' };
}
