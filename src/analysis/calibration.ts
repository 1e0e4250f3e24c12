/**
 * Calibrating the uptake from a threshold that already ran (issue #16): the decision of
 * whether a bunching estimate is evidence, and the prior it becomes. Shared by
 * `aov suggest-threshold --existing-threshold/--calibrate` and the simulation harness, so the
 * harness scores what the command does.
 *
 * The estimate pins the moved orders M (see bunching.ts). Under the linear response with
 * reach R, M = p0 x W(R), W(R) = the counterfactual orders below X weighted by 1 - gap / R; so
 * each reach the prior holds possible implies its own uptake, p0(R) = M / W(R): a longer reach
 * spreads the same moved orders over more carts. The prior therefore carries one Beta per
 * reach scale, all from the same M and its interval, instead of an uptake independent of
 * the reach (which would count the evidence as if it said nothing about how far customers go).
 */
import { betaFromRange, type BetaParameters } from './beta.js';
import { bunching, type BunchingResult } from './bunching.js';
import { topUpProbability, type ResponseShape } from './threshold.js';

export interface Calibration {
  bunching: BunchingResult;
  /** Whether the estimate is used: false with the reason in `refusal`. */
  used: boolean;
  refusal: string | null;
  /** No orders moved (estimate <= 0): the uptake is about 0, up to p0High. */
  none: boolean;
  /** The uptake at a tiny gap at the point reach, and its 95% interval (clamped to [0, 1]). */
  p0: number;
  p0Low: number;
  p0High: number;
  /** One Beta per (shape, reach scale), shape-major (one shape: per reach scale, in the scales' order), when used. */
  uptakeByReach: BetaParameters[] | null;
}

/**
 * A Beta centred on an estimate with its 95% interval's half-width, inside (0, 1); an estimate
 * of about 0 keeps a prior from near 0 up to its upper bound (at least 1%).
 */
export function calibratedBeta(estimate: number, low: number, high: number): BetaParameters {
  const half = Math.max((high - low) / 2, 1e-4);
  if (estimate > 0) return betaFromRange(Math.max(1e-4, Math.min(estimate - half, 1 - 2e-4)), Math.min(1 - 1e-4, Math.max(estimate + half, 2e-4)), 0.95);
  return betaFromRange(1e-4, Math.min(1 - 1e-4, Math.max(high, 0.01)), 0.95);
}

/**
 * W(R) for a reach R: the orders observed in [X - R, X), weighted by 1 - gap / R, scaled up by
 * the dip the estimate found (the moved orders came from there), as the counterfactual.
 */
function weightedCounterfactual(sorted: Float64Array, X: number, reach: number, dipRatio: number, shape: ResponseShape = 'linear'): number {
  let w = 0;
  for (const v of sorted) {
    if (v >= X) break;
    if (v < X - reach) continue;
    w += topUpProbability(X - v, 1, reach, shape);
  }
  return w * dipRatio;
}

/**
 * Reads the bunching at X and decides whether it is evidence: refused when the excess above
 * and the dip below disagree beyond what the placebos show (the counterfactual does not fit),
 * or when more orders moved than the carts in reach hold (p0 > 1: a popular price, not a
 * threshold). Else the moved orders become one uptake Beta per reach scale.
 */
export function calibrateUptake(valuesMinor: Float64Array, X: number, reachMinor: number, reachScales: readonly number[], options: { seed?: number; resamples?: number; shapes?: readonly ResponseShape[] } = {}): Calibration {
  const b = bunching(valuesMinor, X, { reachMinor, seed: options.seed, resamples: options.resamples });
  const base = { bunching: b, p0: b.p0, p0Low: Math.max(0, b.p0Low), p0High: Math.min(1, b.p0High), uptakeByReach: null, none: false };
  if (!Number.isFinite(b.p0)) return { ...base, used: false, refusal: 'too few orders near it to fit a counterfactual' };
  if (!b.consistent) {
    return { ...base, used: false, refusal: `the orders above it and the dip below it disagree (by ${b.inconsistency.toFixed(1)} standard errors; placebo amounts allow ${Number.isFinite(b.placeboInconsistency) ? Math.max(4, b.placeboInconsistency).toFixed(1) : '4'}): the smooth counterfactual does not fit these values, so the estimate is not evidence` };
  }
  if (b.p0 > 1) return { ...base, used: false, refusal: `it implies an uptake of ${(b.p0 * 100).toFixed(0)}%, more than all the carts in reach: not a threshold's bunching (a popular price?)` };
  const sorted = Float64Array.from(valuesMinor).sort();
  // The dip ratio: counterfactual / observed orders in the point zone (>= 1 when orders left).
  const observed = weightedCounterfactual(sorted, X, reachMinor, 1);
  const pointW = b.movedOrders > 0 ? b.movedOrders / b.p0 : observed;
  const dipRatio = observed > 0 ? Math.max(1, pointW / observed) : 1;
  const none = !(b.p0 > 0);
  const shapes = options.shapes?.length ? options.shapes : (['linear'] as const);
  const uptakeByReach = shapes.flatMap((shape) => reachScales.map((scale) => ({ shape, scale }))).map(({ shape, scale }) => {
    // (the point, linear at the reach itself, is the bunching fit's own weighted counterfactual)
    const w = scale === 1 && shape === 'linear' ? pointW : weightedCounterfactual(sorted, X, reachMinor * scale, dipRatio, shape);
    if (!(w > 0)) return calibratedBeta(0, 0, 1);
    const clamp = (x: number) => Math.min(1, Math.max(0, x));
    return calibratedBeta(none ? 0 : clamp(b.movedOrders / w), clamp(b.movedOrdersLow / w), clamp(b.movedOrdersHigh / w));
  });
  return { ...base, p0: none ? 0 : b.p0, used: true, refusal: null, none, uptakeByReach };
}
