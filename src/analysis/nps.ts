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
    : `No sign of AOV bought with satisfaction: AOV ${aovChange >= 0 ? '+' : ''}${(aovChange * 100).toFixed(1)}%, NPS ${npsChange >= 0 ? '+' : ''}${npsChange.toFixed(1)} points (z = ${Number.isFinite(z) ? z.toFixed(2) : 'n/a'}).`;
  return { fired, aovChange, npsChange, z, earlier, later, message };
}
