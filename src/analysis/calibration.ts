/**
 * Calibrating the uptake from a threshold that already ran (issue #16): the decision of
 * whether a bunching estimate is evidence, and the prior it becomes. Shared by
 * `aov suggest-threshold --existing-threshold/--calibrate` and the simulation harness, so the
 * harness scores what the command does.
 *
 * The estimate pins the moved orders M (see bunching.ts). Under the linear response with
 * reach R, M = p0 x W(R), W(R) = the counterfactual orders below X weighted by 1 - gap / R; so
 * each reach the prior holds possible implies its own uptake, p0(R) = M(R) / W(R). The prior
 * therefore carries one Beta per reach scale instead of an uptake independent of the reach
 * (which would count the evidence as if it said nothing about how far customers go).
 *
 * M itself depends on the reach: the estimate reads the dip in [X - R, X) and the excess in
 * [X, X + R / 2), so a reach three times the point's has moved orders from carts (and landing
 * at amounts) the point's windows never look at. Each reach scale is therefore read with its
 * own windows (M(R) from bunching at that reach). Where that reading is not evidence (the
 * excess and the dip disagree, too few orders, or more moved than the carts hold), the history
 * says nothing about that reach and the stated uptake prior stands there. Measured on the
 * simulated shops of bench/threshold-sim (seed 17, 60 shops, a truth whose response falls
 * exponentially, not linearly): with M read at the point reach for every scale, 50% of the
 * candidates' 90% intervals held the true net (the truth above the interval in 49%); with a
 * window per reach, 75%.
 */
import { betaFromRange, type BetaParameters } from './beta.js';
import { bunching, type BunchingResult } from './bunching.js';
import { topUpProbability, type ResponseShape } from './threshold.js';
import { DEFAULT_UPTAKE_RANGE } from './thresholdResponse.js';

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
  /** How each reach scale was read (in the scales' order), when used: its own moved orders, or the stated prior. */
  byReach: ReachReading[] | null;
}

export interface ReachReading {
  scale: number;
  reachMinor: number;
  /** The moved orders read with this reach's windows, and their 95% interval. */
  movedOrders: number;
  /** The uptake at a tiny gap they imply under the linear response at this reach (NaN when not read). */
  p0: number;
  movedOrdersLow: number;
  movedOrdersHigh: number;
  /** null: read from the history; else why the stated uptake prior stands at this reach. */
  priorBecause: string | null;
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
export function calibrateUptake(
  valuesMinor: Float64Array, X: number, reachMinor: number, reachScales: readonly number[],
  options: { seed?: number; resamples?: number; shapes?: readonly ResponseShape[]; priorUptake?: BetaParameters } = {},
): Calibration {
  const b = bunching(valuesMinor, X, { reachMinor, seed: options.seed, resamples: options.resamples });
  const base = { bunching: b, p0: b.p0, p0Low: Math.max(0, b.p0Low), p0High: Math.min(1, b.p0High), uptakeByReach: null, byReach: null, none: false };
  if (!Number.isFinite(b.p0)) return { ...base, used: false, refusal: 'too few orders near it to fit a counterfactual' };
  if (!b.consistent) {
    return { ...base, used: false, refusal: `the orders above it and the dip below it disagree (by ${b.inconsistency.toFixed(1)} standard errors; placebo amounts allow ${Number.isFinite(b.placeboInconsistency) ? Math.max(4, b.placeboInconsistency).toFixed(1) : '4'}): the smooth counterfactual does not fit these values, so the estimate is not evidence` };
  }
  if (b.p0 > 1) return { ...base, used: false, refusal: `it implies an uptake of ${(b.p0 * 100).toFixed(0)}%, more than all the carts in reach: not a threshold's bunching (a popular price?)` };
  const sorted = Float64Array.from(valuesMinor).sort();
  const none = !(b.p0 > 0);
  const priorUptake = options.priorUptake ?? betaFromRange(DEFAULT_UPTAKE_RANGE[0], DEFAULT_UPTAKE_RANGE[1]);
  const byReach = reachScales.map((scale): ReachReading & { reading: BunchingResult | null } => {
    const reach = reachMinor * scale;
    const r = scale === 1 ? b : bunching(valuesMinor, X, { reachMinor: reach, seed: options.seed, resamples: options.resamples });
    const priorBecause = !(Number.isFinite(r.p0) && Number.isFinite(r.movedOrdersLow) && Number.isFinite(r.movedOrdersHigh)) ? 'too few orders near it' : !r.consistent ? 'the excess above and the dip below disagree' : r.p0 > 1 ? 'more orders moved than the carts in reach hold' : null;
    return { scale, reachMinor: reach, movedOrders: r.movedOrders, p0: r.p0, movedOrdersLow: r.movedOrdersLow, movedOrdersHigh: r.movedOrdersHigh, priorBecause, reading: priorBecause === null ? r : null };
  });
  const shapes = options.shapes?.length ? options.shapes : (['linear'] as const);
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  const uptakeByReach = shapes.flatMap((shape) => byReach.map((reading) => ({ shape, reading }))).map(({ shape, reading: { reachMinor: reach, reading: r } }) => {
    if (r === null) return priorUptake;
    // The reading's own weighted counterfactual (linear), scaled to another shape by the dip
    // ratio (counterfactual / observed orders in the zone, >= 1 when orders left).
    const observed = weightedCounterfactual(sorted, X, reach, 1);
    const linearW = r.movedOrders > 0 ? r.movedOrders / r.p0 : observed;
    const w = shape === 'linear' ? linearW : weightedCounterfactual(sorted, X, reach, observed > 0 ? Math.max(1, linearW / observed) : 1, shape);
    if (!(w > 0)) return calibratedBeta(0, 0, 1);
    return calibratedBeta(r.p0 > 0 ? clamp(r.movedOrders / w) : 0, clamp(r.movedOrdersLow / w), clamp(r.movedOrdersHigh / w));
  });
  return { ...base, p0: none ? 0 : b.p0, used: true, refusal: null, none, uptakeByReach, byReach: byReach.map(({ reading: _, ...rest }) => rest) };
}
