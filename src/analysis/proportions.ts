/**
 * Two independent proportions before and after a rule started: their difference with a 95%
 * interval, the two-sided test of no change, and the sample size a given change needs.
 */
import { normalCdf, normalQuantile } from './normal.js';

export interface ProportionChange {
  before: number;
  after: number;
  /** after - before, and its 95% interval (Wald with the unpooled standard error). */
  change: number;
  low: number;
  high: number;
  /** Two-sided p-value of the z-test with the pooled proportion (no change under the null). */
  p: number;
}

/**
 * The change from x0 / n0 to x1 / n1. Interval: Wald, difference +- 1.96 sqrt(p0 q0 / n0 +
 * p1 q1 / n1); test: z = (p1 - p0) / sqrt(p (1 - p) (1 / n0 + 1 / n1)) with the pooled p
 * (https://en.wikipedia.org/wiki/Two-proportion_Z-test). NaN where a group is empty.
 * @example
 * proportionChange(30, 100, 45, 100) // change 0.15, interval about 0.017 to 0.283, p about 0.028
 */
export function proportionChange(x0: number, n0: number, x1: number, n1: number): ProportionChange {
  const p0 = n0 > 0 ? x0 / n0 : NaN;
  const p1 = n1 > 0 ? x1 / n1 : NaN;
  const change = p1 - p0;
  const z95 = normalQuantile(0.975);
  // The interval's standard error: each group's own proportion.
  const se = Math.sqrt((p0 * (1 - p0)) / n0 + (p1 * (1 - p1)) / n1);
  // The test's: the pooled proportion, as no change assumes.
  const pooled = (x0 + x1) / (n0 + n1);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));
  const p = se0 > 0 ? 2 * normalCdf(-Math.abs(change) / se0) : change === 0 ? 1 : 0;
  return { before: p0, after: p1, change, low: change - z95 * se, high: change + z95 * se, p };
}

/**
 * The group size after the change needed to see a relative rise `lift` in a proportion p0
 * measured on n0, at the 5% level (two-sided) with 80% power: the n1 for which
 * (z_0.975 + z_0.8) sqrt(p0 q0 / n0 + p1 q1 / n1) = p1 - p0, p1 = p0 (1 + lift) (Fleiss,
 * Levin & Paik 2003, ch. 4, with unequal groups). Infinity when n0 alone is too small.
 * @example
 * proportionSampleSize(0.3, 4000, 0.1) // 3,557 (p0 0.30 -> 0.33)
 */
export function proportionSampleSize(p0: number, n0: number, lift: number): number {
  const p1 = Math.min(0.999, p0 * (1 + lift));
  const z = normalQuantile(0.975) + normalQuantile(0.8);
  const room = ((p1 - p0) / z) ** 2 - (p0 * (1 - p0)) / n0;
  if (!(room > 0) || !(p0 > 0)) return Infinity;
  return Math.ceil((p1 * (1 - p1)) / room);
}

/**
 * What a before/after change in a proportion (proportionChange) says of a relative rise `lift`
 * (issue #18): detected (the 95% interval above 0); ruled out (an equivalence test, Schuirmann
 * 1987: the interval's upper end below p0 x lift, so a rise that large is excluded at 2.5%
 * one-sided); or neither, with the group size after that should decide it: the power size
 * (proportionSampleSize) until it is reached, then twice the group so far (the estimate moves
 * as it grows); Infinity only when the group before alone keeps the upper end above the lift
 * (z_0.975 sqrt(p0 q0 / n0) >= p0 x lift).
 * @example
 * proportionDecision({ before: 0.3, low: -0.02, high: 0.025 }, 4000, 5000, 0.1) // ruled out: 0.025 < 0.03
 */
export function proportionDecision(change: Pick<ProportionChange, 'before' | 'low' | 'high'>, n0: number, nNow: number, lift: number): { detected: boolean; ruledOut: boolean; needed: number } {
  const p0 = change.before;
  const detected = change.low > 0;
  const ruledOut = !detected && change.high < p0 * lift;
  if (detected || ruledOut) return { detected, ruledOut, needed: nNow };
  const power = proportionSampleSize(p0, n0, lift);
  if (Number.isFinite(power) && nNow < power) return { detected, ruledOut, needed: power };
  const floor = normalQuantile(0.975) * Math.sqrt((p0 * (1 - p0)) / n0);
  return { detected, ruledOut, needed: floor >= p0 * lift || !(p0 > 0) ? Infinity : Math.max(nNow + 1, 2 * nNow) };
}
