/**
 * Net Promoter Score beside AOV: NPS = % promoters (9-10) - % detractors (0-6), with a 95%
 * interval from the multinomial variance of a difference of two proportions,
 * Var(P - D) = (P + D - (P - D)^2) / n  (e.g. Rocks 2016, "Interval estimation for the net
 * promoter score", The American Statistician 70(4)).
 */

export interface NpsResult {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** In points, -100..100. */
  nps: number;
  low: number;
  high: number;
}

/**
 * @example npsOf([10, 9, 8, 3]) // { n: 4, promoters: 2, passives: 1, detractors: 1, nps: 25, ... }
 */
export function npsOf(scores: ArrayLike<number>): NpsResult {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s >= 9) promoters++;
    else if (s >= 7) passives++;
    else detractors++;
  }
  const n = promoters + passives + detractors;
  if (n === 0) return { n, promoters, passives, detractors, nps: NaN, low: NaN, high: NaN };
  const p = promoters / n;
  const d = detractors / n;
  const nps = p - d;
  const se = Math.sqrt(Math.max(p + d - nps * nps, 0) / n);
  return { n, promoters, passives, detractors, nps: nps * 100, low: (nps - 1.959964 * se) * 100, high: (nps + 1.959964 * se) * 100 };
}

/** Standard error of an NPS in points. */
export function npsStandardError(r: NpsResult): number {
  if (r.n === 0) return NaN;
  const p = r.promoters / r.n;
  const d = r.detractors / r.n;
  return Math.sqrt(Math.max(p + d - (p - d) ** 2, 0) / r.n) * 100;
}

export interface GuardResult {
  fired: boolean;
  aovChange: number;
  npsChange: number;
  z: number;
  earlier: { periods: string[]; aovMinor: number; nps: NpsResult };
  later: { periods: string[]; aovMinor: number; nps: NpsResult };
  message: string;
}

/**
 * The "too aggressive" guard: over the periods that have both orders and survey answers,
 * compare the later half with the earlier half. It fires when mean AOV rose while NPS fell
 * significantly (z < -1.96 on the difference of two independent NPS estimates).
 */
export function aovUpNpsDown(
  periods: readonly { period: string; revenueMinor: number; orders: number; scores: readonly number[] }[],
): GuardResult | null {
  const usable = periods.filter((p) => p.orders > 0 && p.scores.length > 0);
  if (usable.length < 2) return null;
  const half = Math.floor(usable.length / 2);
  const earlierPeriods = usable.slice(0, half);
  const laterPeriods = usable.slice(usable.length - half);
  const pool = (ps: typeof usable) => ({
    periods: ps.map((p) => p.period),
    aovMinor: ps.reduce((a, p) => a + p.revenueMinor, 0) / ps.reduce((a, p) => a + p.orders, 0),
    nps: npsOf(ps.flatMap((p) => p.scores)),
  });
  const earlier = pool(earlierPeriods);
  const later = pool(laterPeriods);
  const npsChange = later.nps.nps - earlier.nps.nps;
  const z = npsChange / Math.hypot(npsStandardError(earlier.nps), npsStandardError(later.nps));
  const aovChange = (later.aovMinor - earlier.aovMinor) / earlier.aovMinor;
  const fired = aovChange > 0 && z < -1.959964;
  const message = fired
    ? `AOV rose ${(aovChange * 100).toFixed(1)}% while NPS fell ${Math.abs(npsChange).toFixed(1)} points (${earlier.periods[0]}..${earlier.periods[earlier.periods.length - 1]} vs ${later.periods[0]}..${later.periods[later.periods.length - 1]}, z = ${z.toFixed(2)}): a rule may be too aggressive.`
    : z < -1.959964
      ? `NPS fell ${Math.abs(npsChange).toFixed(1)} points (z = ${z.toFixed(2)}) while AOV did not rise (${(aovChange * 100).toFixed(1)}%): satisfaction is falling, but not for a higher basket.`
      : `No sign of AOV bought with satisfaction: AOV ${aovChange >= 0 ? '+' : ''}${(aovChange * 100).toFixed(1)}%, NPS ${npsChange >= 0 ? '+' : ''}${npsChange.toFixed(1)} points (z = ${Number.isFinite(z) ? z.toFixed(2) : 'n/a'}).`;
  return { fired, aovChange, npsChange, z, earlier, later, message };
}

export interface SurveyAnswerLike {
  customerKey: string;
  score: number;
  answeredAt: number;
}

export interface NpsBesideAov {
  answers: number;
  matched: number;
  unmatched: number;
  overall: NpsResult;
  monthly: { month: string; orders: number; meanMinor: number; nps: NpsResult }[];
  /** Members of a spend tier vs everyone else (customers keyed like the orders). */
  byTier: { members: NpsResult; others: NpsResult } | null;
  /** Customers with at least one order at or above the threshold vs those without. */
  byThreshold: { threshold: number; reached: NpsResult; notReached: NpsResult } | null;
  guard: GuardResult | null;
}

function month(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * NPS per month beside AOV, by tier and by threshold reached. Answers are matched to the
 * orders' customer keys (lower-cased); unmatched answers still count in `overall` and the
 * monthly NPS (they are real customers' answers) and are reported.
 */
export function npsBesideAov(
  table: { valueMinor: Float64Array; placedAt: Float64Array; customer: Int32Array; customerKeys?: readonly string[] },
  answers: readonly SurveyAnswerLike[],
  options: { tierMinSpendMinor?: number; thresholdMinor?: number } = {},
): NpsBesideAov {
  if (!table.customerKeys) throw new Error('internal: npsBesideAov needs the customer keys (load with customerKeys: true)');
  const keyIndex = new Map<string, number>();
  table.customerKeys.forEach((k, i) => keyIndex.set(k.toLowerCase(), i));
  const spend = new Map<number, number>();
  const reached = new Set<number>();
  const ordersByMonth = new Map<string, { orders: number; revenue: number }>();
  for (let i = 0; i < table.valueMinor.length; i++) {
    const m = month(table.placedAt[i]);
    const entry = ordersByMonth.get(m) ?? { orders: 0, revenue: 0 };
    entry.orders++;
    entry.revenue += table.valueMinor[i];
    ordersByMonth.set(m, entry);
    const c = table.customer[i];
    if (c < 0) continue;
    spend.set(c, (spend.get(c) ?? 0) + table.valueMinor[i]);
    if (options.thresholdMinor !== undefined && table.valueMinor[i] >= options.thresholdMinor) reached.add(c);
  }
  const scoresByMonth = new Map<string, number[]>();
  const tierScores: number[] = [];
  const otherScores: number[] = [];
  const reachedScores: number[] = [];
  const notReachedScores: number[] = [];
  let matched = 0;
  for (const a of answers) {
    const m = month(a.answeredAt);
    let list = scoresByMonth.get(m);
    if (!list) scoresByMonth.set(m, (list = []));
    list.push(a.score);
    const c = keyIndex.get(a.customerKey.toLowerCase());
    if (c === undefined) continue;
    matched++;
    if (options.tierMinSpendMinor !== undefined) ((spend.get(c) ?? 0) >= options.tierMinSpendMinor ? tierScores : otherScores).push(a.score);
    if (options.thresholdMinor !== undefined) (reached.has(c) ? reachedScores : notReachedScores).push(a.score);
  }
  const months = [...new Set([...ordersByMonth.keys(), ...scoresByMonth.keys()])].sort();
  const monthly = months.map((m) => {
    const o = ordersByMonth.get(m) ?? { orders: 0, revenue: 0 };
    return { month: m, orders: o.orders, meanMinor: o.orders ? o.revenue / o.orders : NaN, nps: npsOf(scoresByMonth.get(m) ?? []) };
  });
  return {
    answers: answers.length,
    matched,
    unmatched: answers.length - matched,
    overall: npsOf(answers.map((a) => a.score)),
    monthly,
    byTier: options.tierMinSpendMinor !== undefined ? { members: npsOf(tierScores), others: npsOf(otherScores) } : null,
    byThreshold: options.thresholdMinor !== undefined ? { threshold: options.thresholdMinor, reached: npsOf(reachedScores), notReached: npsOf(notReachedScores) } : null,
    guard: aovUpNpsDown(
      months.map((m) => ({ period: m, revenueMinor: ordersByMonth.get(m)?.revenue ?? 0, orders: ordersByMonth.get(m)?.orders ?? 0, scores: scoresByMonth.get(m) ?? [] })),
    ),
  };
}
