/**
 * Net Promoter Score beside AOV: NPS = % promoters (9-10) - % detractors (0-6), a difference
 * of two proportions of one multinomial sample, with a 95% adjusted Wald interval (below).
 */
import { periodKey } from './periods.js';

export interface NpsResult {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** In points, -100..100: the plain share of promoters minus the share of detractors. */
  nps: number;
  /** The 95% adjusted Wald interval (npsAdjustedWald), in points, always within -100..100. */
  low: number;
  high: number;
}

export interface NpsInterval {
  /** The adjusted estimate the interval is centred on, in points (not the plain NPS). */
  center: number;
  /** Its standard error, in points. */
  standardError: number;
  low: number;
  high: number;
}

const Z95 = 1.959964;

/**
 * Adjusted Wald interval for the Net Promoter Score (Rocks 2016, "Interval estimation for the
 * 'net promoter score'", The American Statistician 70(4), 365-372; arXiv:1601.07235): add 3/4 of
 * a promoter, 3/4 of a detractor and 3/2 of a passive (n + 3 answers), then take the Wald
 * interval of the difference of two multinomial proportions on the adjusted shares,
 * Var(P - D) = (P + D - (P - D)^2) / (n + 3). Plain Wald has [100, 100] for five promoters
 * and covers 81-93% on average at n = 5-20; this one covers about 95% from n = 5 on (Rocks 2016;
 * tests/nps.test.ts checks it by simulation). The ends are clipped to [-100, 100], the
 * range of the score, which can only raise coverage.
 * @example
 * npsAdjustedWald(5, 0, 0); // { center: 62.5, standardError: 22.96, low: 17.49, high: 100 }
 */
export function npsAdjustedWald(promoters: number, passives: number, detractors: number, z = Z95): NpsInterval {
  // The adjusted counts: 3 pseudo-answers split 3/4 promoter, 3/2 passive, 3/4 detractor.
  const adjustedN = promoters + passives + detractors + 3;
  const p = (promoters + 0.75) / adjustedN;
  const d = (detractors + 0.75) / adjustedN;
  // Wald on the adjusted shares: the multinomial variance of P - D over n + 3 answers.
  const center = p - d;
  const standardError = Math.sqrt(Math.max(p + d - center * center, 0) / adjustedN);
  // Clipped to the range of the score.
  return {
    center: center * 100,
    standardError: standardError * 100,
    low: Math.max(-1, center - z * standardError) * 100,
    high: Math.min(1, center + z * standardError) * 100,
  };
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
  const { low, high } = npsAdjustedWald(promoters, passives, detractors);
  return { n, promoters, passives, detractors, nps: ((promoters - detractors) / n) * 100, low, high };
}

/** The adjusted Wald estimate and standard error of an NPS, in points (NaN without answers). */
export function npsAdjusted(r: NpsResult): NpsInterval {
  if (r.n === 0) return { center: NaN, standardError: NaN, low: NaN, high: NaN };
  return npsAdjustedWald(r.promoters, r.passives, r.detractors);
}

export interface GuardResult {
  fired: boolean;
  aovChange: number;
  /** Plain NPS change in points (later - earlier). */
  npsChange: number;
  /** 95% interval of the change, from the two adjusted Wald estimates (clipped to -200..200). */
  npsChangeLow: number;
  npsChangeHigh: number;
  /** Adjusted change / its standard error. */
  z: number;
  earlier: { periods: string[]; aovMinor: number; nps: NpsResult };
  later: { periods: string[]; aovMinor: number; nps: NpsResult };
  message: string;
}

/**
 * The "too aggressive" guard: over the periods that have both orders and survey answers,
 * compare the later half with the earlier half. It fires when mean AOV rose while NPS fell
 * significantly: the 95% interval of the NPS change lies below 0. The change is read on the
 * same adjusted Wald estimates as each NPS interval (Rocks 2016), the two halves being
 * independent samples, as Agresti and Caffo (2000) do for two proportions: adjusted
 * difference +- 1.96 sqrt(se1^2 + se2^2).
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
  // The change on the adjusted estimates, with the standard error of a difference of independent estimates.
  const adjustedEarlier = npsAdjusted(earlier.nps);
  const adjustedLater = npsAdjusted(later.nps);
  const adjustedChange = adjustedLater.center - adjustedEarlier.center;
  const changeSe = Math.hypot(adjustedEarlier.standardError, adjustedLater.standardError);
  const z = adjustedChange / changeSe;
  const npsChangeLow = Math.max(-200, adjustedChange - Z95 * changeSe);
  const npsChangeHigh = Math.min(200, adjustedChange + Z95 * changeSe);
  const aovChange = (later.aovMinor - earlier.aovMinor) / earlier.aovMinor;
  const significantFall = npsChangeHigh < 0;
  const fired = aovChange > 0 && significantFall;
  const interval = `95% ${npsChangeLow.toFixed(1)} to ${npsChangeHigh.toFixed(1)}`;
  const message = fired
    ? `AOV rose ${(aovChange * 100).toFixed(1)}% while NPS fell ${Math.abs(npsChange).toFixed(1)} points (${interval}; ${earlier.periods[0]}..${earlier.periods[earlier.periods.length - 1]} vs ${later.periods[0]}..${later.periods[later.periods.length - 1]}): a rule may be too aggressive.`
    : significantFall
      ? `NPS fell ${Math.abs(npsChange).toFixed(1)} points (${interval}) while AOV did not rise (${(aovChange * 100).toFixed(1)}%): satisfaction is falling, but not for a higher basket.`
      : `No sign of AOV bought with satisfaction: AOV ${aovChange >= 0 ? '+' : ''}${(aovChange * 100).toFixed(1)}%, NPS ${npsChange >= 0 ? '+' : ''}${npsChange.toFixed(1)} points (${Number.isFinite(z) ? interval : 'n/a'}).`;
  return { fired, aovChange, npsChange, npsChangeLow, npsChangeHigh, z, earlier, later, message };
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

const month = (t: number) => periodKey(t, 'month');

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
