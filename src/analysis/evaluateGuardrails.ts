/**
 * Guardrails on a rule (issue #18): a rule that raises AOV by cutting how often customers order,
 * or by annoying them, is not a win. Orders per customer in equal windows before and after the
 * start (customers with an account or email; guest checkouts cannot be counted per customer),
 * with a bootstrap interval over customers; NPS before and after (answers dated before and
 * after the start), each with its adjusted Wald interval, and the change with a normal
 * interval from their standard errors.
 */
import { normalQuantile } from './normal.js';
import { npsAdjusted, npsOf, type NpsResult, type SurveyAnswerLike } from './nps.js';
import { createRng, poisson } from './random.js';
import { quantileSorted } from './robust.js';
import type { OrderTable } from './types.js';
import { DAY_MS } from './periods.js';

export interface OrdersPerCustomer {
  /** The windows' length: the post period's, at most a year. */
  days: number;
  before: number;
  after: number;
  customersBefore: number;
  customersAfter: number;
  /** after / before - 1, with a 95% interval (Poisson bootstrap over customers). */
  change: number;
  low: number;
  high: number;
}

export interface NpsChange {
  before: NpsResult;
  after: NpsResult;
  /** After - before in points, with a 95% interval (the adjusted Wald standard errors, independent samples). */
  change: number;
  low: number;
  high: number;
}

export interface Guardrails {
  sinceMs: number;
  ordersPerCustomer: OrdersPerCustomer | null;
  nps: NpsChange | null;
  /** Orders per customer fell (interval below 0) while AOV went up: the AOV gain may come from fewer, larger orders. */
  frequencyWarning: boolean;
  /** NPS fell (interval below 0) while AOV went up: the AOV-up/NPS-down warning. */
  npsWarning: boolean;
}

export function ordersPerCustomer(table: OrderTable, sinceMs: number, options: { resamples?: number; seed?: number } = {}): OrdersPerCustomer | null {
  const n = table.valueMinor.length;
  if (n === 0) return null;
  const end = table.placedAt[n - 1] + 1;
  const days = Math.min(365, (end - sinceMs) / DAY_MS);
  const from = sinceMs - days * DAY_MS;
  const to = sinceMs + days * DAY_MS;
  if (table.placedAt[0] > from + DAY_MS || days < 1) return null;
  const isGuest = (c: number) => table.customerKeys?.[c]?.startsWith('guest:') ?? false;
  // Orders per customer in each window.
  const counts = [new Map<number, number>(), new Map<number, number>()];
  for (let i = 0; i < n; i++) {
    const t = table.placedAt[i];
    const c = table.customer[i];
    if (c < 0 || isGuest(c) || t < from || t >= to) continue;
    const m = counts[t >= sinceMs ? 1 : 0];
    m.set(c, (m.get(c) ?? 0) + 1);
  }
  const [b, a] = counts.map((m) => [...m.values()]);
  if (b.length === 0 || a.length === 0) return null;
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const point = mean(a) / mean(b) - 1;
  // Poisson bootstrap over customers: each customer's weight redrawn as Poisson(1).
  const rng = createRng(options.seed ?? 1);
  const resamples = options.resamples ?? 500;
  const draws: number[] = [];
  const weighted = (xs: number[]) => {
    let w = 0;
    let s = 0;
    for (const x of xs) {
      const k = poisson(rng, 1);
      w += k;
      s += k * x;
    }
    return w > 0 ? s / w : NaN;
  };
  for (let r = 0; r < resamples; r++) {
    const change = weighted(a) / weighted(b) - 1;
    if (Number.isFinite(change)) draws.push(change);
  }
  const sorted = Float64Array.from(draws).sort();
  return {
    days, before: mean(b), after: mean(a), customersBefore: b.length, customersAfter: a.length,
    change: point, low: quantileSorted(sorted, 0.025), high: quantileSorted(sorted, 0.975),
  };
}

export function npsChange(answers: readonly SurveyAnswerLike[], sinceMs: number): NpsChange | null {
  const before = npsOf(answers.filter((x) => x.answeredAt < sinceMs).map((x) => x.score));
  const after = npsOf(answers.filter((x) => x.answeredAt >= sinceMs).map((x) => x.score));
  if (before.n === 0 || after.n === 0) return null;
  const z = normalQuantile(0.975);
  const se = Math.hypot(npsAdjusted(before).standardError, npsAdjusted(after).standardError);
  const change = after.nps - before.nps;
  return { before, after, change, low: change - z * se, high: change + z * se };
}

/** The guardrails beside the AOV change after the start (relative, adjusted; null when not measured). */
export function guardrails(table: OrderTable, sinceMs: number, aovChange: number | null, answers?: readonly SurveyAnswerLike[]): Guardrails {
  const frequency = ordersPerCustomer(table, sinceMs);
  const nps = answers ? npsChange(answers, sinceMs) : null;
  const aovUp = aovChange !== null && aovChange > 0;
  return {
    sinceMs, ordersPerCustomer: frequency, nps,
    frequencyWarning: aovUp && frequency !== null && frequency.high < 0,
    npsWarning: aovUp && nps !== null && nps.high < 0,
  };
}
