/**
 * How many orders a threshold moved, measured after it went live (issue #18): the orders the
 * post period has just above the threshold in excess of a counterfactual, and the orders it
 * lacks just below, where the counterfactual is the shop's own orders BEFORE the start, scaled
 * to the post period. This is the bunching estimator (Saez 2010; Kleven 2016, Annual Review of
 * Economics 8) with the pre-period as its counterfactual instead of a fitted smooth curve: a
 * "difference-in-bunching" design (Kleven 2016, section 5). Catalogue prices that make spikes
 * in order values (a popular item at 49.90) are in both periods, so they cancel instead of
 * reading as bunching: the price points #16 had to work around are the counterfactual's own.
 *
 * The scaling is local: the ratio of post to pre orders in a flank on either side of the
 * window, linear in value across it, so that a trend or a season that shifts the distribution
 * (more orders, larger carts) is not read as an effect. The moved orders are the mean of the
 * excess above and the dip below (a scaling slightly off biases the two in opposite
 * directions, so their mean cancels most of it, as in bunching.ts).
 *
 * The interval holds the counting noise of both periods (a Poisson bootstrap of the binned
 * orders) and, like bunching.ts, the scaling's misfit on this shop's values: the same estimate
 * at placebo amounts where nothing happened, standardised by their own bootstrap spread; when
 * those errors are larger than the bootstrap says (root mean square above 1), the interval is
 * widened by that factor.
 */
import { createRng, poisson } from './random.js';
import { quantileSorted } from './robust.js';
import { lowerBound } from './sortedSearch.js';

export interface DifferenceBunchingOptions {
  /** aov's reach: the uptake is the moved orders over the counterfactual carts in [T - reach, T). */
  reachMinor: number;
  /** The window below the threshold the moved orders are counted from (default: twice the reach). */
  belowMinor?: number;
  /** The window above it where they land (default: twice the reach). */
  aboveMinor?: number;
  /** Each flank's width, where the post/pre ratio is read (default: the reach). */
  flankMinor?: number;
  resamples?: number;
  seed?: number;
  /** Placebo amounts for the misfit (default 40; 0: the bootstrap alone). */
  placebos?: number;
  /**
   * The wider windows the upper end is also read from, as a multiple of belowMinor and
   * aboveMinor (default 1.5; 1: none): a response that reaches further than the windows.
   */
  widerWindows?: number;
}

export interface DifferenceBunching {
  thresholdMinor: number;
  reachMinor: number;
  belowMinor: number;
  aboveMinor: number;
  flankMinor: number;
  /**
   * Orders that moved across the threshold: the mean of the excess and the dip, and its 95%
   * interval. The upper end is the larger of this window's (movedOrdersHighWindow) and that of
   * windows `widerWindows` times as wide (movedOrdersHighWider, NaN when not measured).
   */
  movedOrders: number;
  movedOrdersLow: number;
  movedOrdersHigh: number;
  movedOrdersHighWindow: number;
  movedOrdersHighWider: number;
  /** The wider windows below and above T (equal to belowMinor and aboveMinor when none was read). */
  widerBelowMinor: number;
  widerAboveMinor: number;
  /** Post-period orders above the threshold in excess of the counterfactual, and missing below it. */
  excessAbove: number;
  missingBelow: number;
  /** Counterfactual post orders in [T - reach, T) (the carts within reach), [T - below, T) and [T, T + above). */
  counterfactualInReach: number;
  counterfactualBelow: number;
  counterfactualAbove: number;
  /** Observed post orders in the same two windows. */
  observedBelow: number;
  observedAbove: number;
  /** The share of the carts within aov's reach below T that topped up (uptakeOf), with its 95% interval. */
  uptake: number;
  uptakeLow: number;
  uptakeHigh: number;
  /** What the interval holds; the placebos' root-mean-square standardised error (1 = the bootstrap is right) and how many were usable. */
  intervalSource: 'bootstrap' | 'bootstrap and placebos';
  placeboInflation: number;
  placebosUsed: number;
  /**
   * The uptake's standard deviation from the post period's counting noise alone and from the
   * pre period's alone (bootstraps redrawing one side), times the placebo factor: how the
   * interval would narrow with more post orders (the pre part stays).
   */
  uptakeSdPost: number;
  uptakeSdPre: number;
  /**
   * Orders that leave below T arrive above it, so the excess and the dip agree whether or not
   * the threshold worked. `inconsistency` is (excess - dip) in bootstrap standard deviations;
   * beyond `inconsistencyAllowed` (4, or 3 x the placebos' median when larger, as bunching.ts
   * decides) the orders around T changed shape between the periods in a way the scaling does
   * not follow, and the estimate is not evidence: `consistent` is false.
   */
  consistent: boolean;
  inconsistency: number;
  inconsistencyAllowed: number;
  /** The post/pre ratio at the two flanks (post orders per pre order). */
  ratioLow: number;
  ratioHigh: number;
}

/** Binned orders: count and value sum per bin, over [from, from + bins x width). */
interface Bins {
  from: number;
  width: number;
  count: Float64Array;
  sum: Float64Array;
}

function binOrders(sorted: Float64Array, from: number, width: number, bins: number): Bins {
  const count = new Float64Array(bins);
  const sum = new Float64Array(bins);
  for (let i = lowerBound(sorted, from); i < sorted.length; i++) {
    const b = Math.floor((sorted[i] - from) / width);
    if (b >= bins) break;
    count[b]++;
    sum[b] += sorted[i];
  }
  return { from, width, count, sum };
}

/** The layout of one estimate, in bins: left flank, below, above, right flank. */
interface Layout {
  leftFlank: [number, number];
  zone: [number, number];
  below: [number, number];
  above: [number, number];
  rightFlank: [number, number];
}

interface Point {
  moved: number;
  cfZone: number;
  /** Counterfactual less observed post orders in [T - reach, T): the moved orders that came from within the reach. */
  missingZone: number;
  excess: number;
  missing: number;
  cfBelow: number;
  cfAbove: number;
  obsBelow: number;
  obsAbove: number;
  ratioLow: number;
  ratioHigh: number;
}

/**
 * One estimate from binned counts (the bin sums give each bin's mean value, where the linear
 * ratio is read). pre and post counts may be bootstrap draws.
 */
function estimateFromBins(pre: Bins, preCount: ArrayLike<number>, post: Bins, postCount: ArrayLike<number>, layout: Layout): Point {
  const mean = (bins: Bins, b: number) => (bins.count[b] > 0 ? bins.sum[b] / bins.count[b] : bins.from + (b + 0.5) * bins.width);
  const total = (count: ArrayLike<number>, [a, b]: [number, number]) => {
    let n = 0;
    for (let k = a; k < b; k++) n += count[k];
    return n;
  };
  const centre = ([a, b]: [number, number]) => pre.from + ((a + b) / 2) * pre.width;
  // The post/pre ratio at each flank, linear in value between their centres.
  const ratioLow = total(postCount, layout.leftFlank) / total(preCount, layout.leftFlank);
  const ratioHigh = total(postCount, layout.rightFlank) / total(preCount, layout.rightFlank);
  const cLow = centre(layout.leftFlank);
  const cHigh = centre(layout.rightFlank);
  const ratioAt = (v: number) => ratioLow + ((ratioHigh - ratioLow) * (v - cLow)) / (cHigh - cLow);
  // Counterfactual post orders in a range of bins: each pre bin's orders times the ratio at its mean value.
  const counterfactual = ([a, b]: [number, number]) => {
    let n = 0;
    for (let k = a; k < b; k++) if (preCount[k] > 0) n += preCount[k] * Math.max(0, ratioAt(mean(pre, k)));
    return n;
  };
  const cfBelow = counterfactual(layout.below);
  const cfZone = counterfactual(layout.zone);
  const missingZone = cfZone - total(postCount, layout.zone);
  const cfAbove = counterfactual(layout.above);
  const obsBelow = total(postCount, layout.below);
  const obsAbove = total(postCount, layout.above);
  const missing = cfBelow - obsBelow;
  const excess = obsAbove - cfAbove;
  return { moved: (missing + excess) / 2, cfZone, missingZone, excess, missing, cfBelow, cfAbove, obsBelow, obsAbove, ratioLow, ratioHigh };
}

interface Geometry {
  zone: number;
  reach: number;
  above: number;
  flank: number;
  width: number;
}

function geometryOf(options: DifferenceBunchingOptions): Geometry {
  const zone = options.reachMinor;
  const reach = options.belowMinor ?? 2 * zone;
  const above = options.aboveMinor ?? 2 * zone;
  const flank = options.flankMinor ?? zone;
  // About 20 bins across aov's reach: fine enough for the linear ratio, coarse enough to be cheap.
  return { zone, reach, above, flank, width: Math.max(1, zone / 20) };
}

/**
 * The windows below T shrunk (in proportion, the reach with them) so that the left flank starts
 * at no less than a tenth of T: a reach as large as the threshold (a shop whose add-ons cost as
 * much as its orders) would otherwise reach below zero.
 */
function fitBelow(g: Geometry, T: number): Geometry {
  const room = 0.9 * T;
  const need = g.reach + g.flank;
  if (need <= room) return g;
  const k = room / need;
  return { ...g, zone: g.zone * k, reach: g.reach * k, flank: g.flank * k, width: Math.max(1, (g.zone * k) / 20) };
}

/** Bins for an estimate at X, and its layout; the bin edges fall on X. */
function prepare(preSorted: Float64Array, postSorted: Float64Array, X: number, g: Geometry) {
  const binsOf = (length: number) => Math.max(1, Math.round(length / g.width));
  const nLeft = binsOf(g.flank);
  const nZone = binsOf(g.zone);
  const width = g.zone / nZone;
  const nBelow = Math.max(nZone, Math.round(g.reach / width));
  const nAbove = Math.max(1, Math.round(g.above / width));
  const nRight = nLeft;
  const from = X - nBelow * width - nLeft * width;
  const bins = nLeft + nBelow + nAbove + nRight;
  const layout: Layout = {
    leftFlank: [0, nLeft],
    zone: [nLeft + nBelow - nZone, nLeft + nBelow],
    below: [nLeft, nLeft + nBelow],
    above: [nLeft + nBelow, nLeft + nBelow + nAbove],
    rightFlank: [nLeft + nBelow + nAbove, bins],
  };
  return { pre: binOrders(preSorted, from, width, bins), post: binOrders(postSorted, from, width, bins), layout };
}

/** The orders of one stratum (single-item or multi-item orders) in both periods, ascending. */
export interface Stratum {
  pre: Float64Array;
  post: Float64Array;
}

type Prepared = ReturnType<typeof prepare>;

/** The strata's estimates summed: each stratum scaled by its own flank ratios. */
function estimateStrata(prepared: readonly Prepared[], counts?: readonly { pre: ArrayLike<number>; post: ArrayLike<number> }[]): Point {
  const sum: Point = { moved: 0, cfZone: 0, missingZone: 0, excess: 0, missing: 0, cfBelow: 0, cfAbove: 0, obsBelow: 0, obsAbove: 0, ratioLow: NaN, ratioHigh: NaN };
  let used = 0;
  prepared.forEach((p, k) => {
    const e = estimateFromBins(p.pre, counts ? counts[k].pre : p.pre.count, p.post, counts ? counts[k].post : p.post.count, p.layout);
    // A stratum with no pre orders in a flank cannot be scaled: it is left out (it has few orders near T).
    if (!Number.isFinite(e.moved)) return;
    used++;
    for (const key of ['moved', 'cfZone', 'missingZone', 'excess', 'missing', 'cfBelow', 'cfAbove', 'obsBelow', 'obsAbove'] as const) sum[key] += e[key];
    if (k === 0 || !Number.isFinite(sum.ratioLow)) {
      sum.ratioLow = e.ratioLow;
      sum.ratioHigh = e.ratioHigh;
    }
  });
  return used ? sum : { ...sum, moved: NaN };
}

interface Draws {
  moved: Float64Array;
  /** Excess minus dip: zero in expectation whether or not the threshold worked. */
  disagreement: Float64Array;
  uptake: Float64Array;
}

/** A Poisson bootstrap of the binned orders of both periods (Hanley & MacGibbon 2006): each bin's count redrawn as Poisson(count). */
function bootstrapBins(prepared: readonly Prepared[], resamples: number, seed: number, redraw: 'both' | 'pre' | 'post' = 'both'): Draws {
  const rng = createRng(seed);
  const counts = prepared.map((p) => ({ pre: new Float64Array(p.pre.count.length), post: new Float64Array(p.post.count.length) }));
  const draws: Draws = { moved: new Float64Array(resamples), disagreement: new Float64Array(resamples), uptake: new Float64Array(resamples) };
  for (let s = 0; s < resamples; s++) {
    prepared.forEach((p, j) => {
      const c = counts[j];
      for (let k = 0; k < c.pre.length; k++) c.pre[k] = redraw === 'post' ? p.pre.count[k] : poisson(rng, p.pre.count[k]);
      for (let k = 0; k < c.post.length; k++) c.post[k] = redraw === 'pre' ? p.post.count[k] : poisson(rng, p.post.count[k]);
    });
    const e = estimateStrata(prepared, counts);
    draws.moved[s] = e.moved;
    draws.disagreement[s] = e.excess - e.missing;
    draws.uptake[s] = uptakeOf(e);
  }
  return draws;
}

/** The fewest pre orders a flank's ratio is read from (see differenceBunching). */
export const MIN_FLANK_ORDERS = 5;

const mergeSorted = (arrays: readonly Float64Array[]) => Float64Array.from(arrays.flatMap((a) => Array.from(a))).sort();

/**
 * The uptake: the share of the carts within aov's reach below T that topped up. The moved
 * orders (the mean of excess and dip) count carts from the whole window below, 2 reaches deep,
 * and customers who close a gap beyond aov's reach are outside its model; so the moved orders
 * are scaled by the part of the dip that lies within the reach (clamped to 0-1), then divided
 * by the counterfactual carts there. (Seed 18 of the harness, 100 shops: within 30% of the
 * truth in 19, against 14 for moved / carts in reach and 16 for the dip in reach alone.)
 */
function uptakeOf(e: Point): number {
  if (!(e.cfZone > 0)) return NaN;
  const inReach = e.missing !== 0 ? Math.min(1, Math.max(0, e.missingZone / e.missing)) : 0;
  return (e.moved * inReach) / e.cfZone;
}

const finiteSorted = (a: Float64Array) => Float64Array.from(a.filter(Number.isFinite)).sort();

/**
 * The moved orders at threshold T, measured on post-period order values against the
 * pre-period's (both ascending, minor units).
 * @example
 * differenceBunching(preSorted, postSorted, 6000, { reachMinor: 1500 }).movedOrders // about the orders that topped up to 60.00
 */
export function differenceBunching(strata: readonly Stratum[], thresholdMinor: number, options: DifferenceBunchingOptions): DifferenceBunching {
  return measure(strata, thresholdMinor, options, false);
}

/** differenceBunching; `upperOnly`: the wider windows' reading, of which only the upper end is used (no per-period spreads). */
function measure(strata: readonly Stratum[], thresholdMinor: number, options: DifferenceBunchingOptions, upperOnly: boolean): DifferenceBunching {
  const g = fitBelow(geometryOf(options), thresholdMinor);
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 1;
  // 1. The point estimate, each stratum scaled by its own flanks.
  let prepared = strata.map((st) => prepare(st.pre, st.post, thresholdMinor, g));
  const flankOrders = (p: Prepared, [a, b]: [number, number]) => p.pre.count.slice(a, b).reduce((x, y) => x + y, 0);
  // A stratum too thin to scale by its own flanks (under 10 pre orders in one): one pooled stratum instead.
  if (strata.length > 1 && prepared.some((p) => flankOrders(p, p.layout.leftFlank) < 10 || flankOrders(p, p.layout.rightFlank) < 10)) {
    strata = [{ pre: mergeSorted(strata.map((st) => st.pre)), post: mergeSorted(strata.map((st) => st.post)) }];
    prepared = strata.map((st) => prepare(st.pre, st.post, thresholdMinor, g));
  }
  // Pooled and still under MIN_FLANK_ORDERS pre orders in a flank (a threshold near the bottom
  // or the top of the shop's values): not measured. The bootstrap redraws such a flank as 0 in
  // over e^-5 = 0.7% of its draws, and those draws (an infinite ratio) drop out, so its interval
  // is no longer honest; and the ratio of a handful of orders, stretched across the window,
  // makes counterfactuals of many times the shop's orders (the shared Shopify export at 200.00,
  // 2 orders in its lower flank: -9,196 moved of 2,211).
  prepared = prepared.filter((p) => flankOrders(p, p.layout.leftFlank) >= MIN_FLANK_ORDERS && flankOrders(p, p.layout.rightFlank) >= MIN_FLANK_ORDERS);
  const point = estimateStrata(prepared);
  // 2. The bootstrap.
  const draws = bootstrapBins(prepared, resamples, seed);
  const moved = finiteSorted(draws.moved);
  const uptake = finiteSorted(draws.uptake);
  // 3. The placebos: how far the estimate misses where nothing happened, in bootstrap standard deviations.
  const placebos = options.placebos ?? 40;
  const { errors, disagreements } = placebos > 0 ? placeboErrors(strata, thresholdMinor, g, placebos, seed) : { errors: [], disagreements: [] };
  const usable = errors.length >= 8;
  const sdOfSorted = (sorted: Float64Array) => (sorted.length >= 20 ? (quantileSorted(sorted, 0.8413) - quantileSorted(sorted, 0.1587)) / 2 : NaN);
  const disagreementSd = sdOfSorted(finiteSorted(draws.disagreement));
  const inconsistency = disagreementSd > 0 ? (point.excess - point.missing) / disagreementSd : 0;
  const placeboDisagreement = usable ? quantileSorted(Float64Array.from(disagreements.map(Math.abs)).sort(), 0.5) : 0;
  const inconsistencyAllowed = Math.max(4, 3 * placeboDisagreement);
  const inflation = usable ? Math.max(1, Math.sqrt(errors.reduce((a, z) => a + z * z, 0) / errors.length)) : 1;
  // 4. The interval: the bootstrap's, widened about the point by the placebos' factor.
  const widen = (sorted: Float64Array, at: number) => {
    if (sorted.length === 0) return [NaN, NaN] as const;
    const lo = quantileSorted(sorted, 0.025);
    const hi = quantileSorted(sorted, 0.975);
    return [at - inflation * (at - lo), at + inflation * (hi - at)] as const;
  };
  const [movedLow, movedHighWindow] = widen(moved, point.moved);
  // 5. The upper end: the larger of this window's and wider windows'. A response that reaches
  // further below the threshold than the window, or lands further above it, is missed by the
  // window, so the estimate can only be low for it; the windows' width is an assumption, and
  // the interval holds what the wider ones read.
  const wider = options.widerWindows ?? 1.5;
  const wide = wider > 1 && Number.isFinite(movedHighWindow)
    ? measure(strata, thresholdMinor, { ...options, belowMinor: g.reach * wider, aboveMinor: g.above * wider, reachMinor: g.zone, flankMinor: g.flank, widerWindows: 1 }, true)
    : null;
  const movedHighWide = wide && Number.isFinite(wide.movedOrdersHigh) ? wide.movedOrdersHigh : NaN;
  const movedHigh = Number.isFinite(movedHighWide) ? Math.max(movedHighWindow, movedHighWide) : movedHighWindow;
  const uptakePoint = uptakeOf(point);
  const [uptakeLow, uptakeHigh] = widen(uptake, uptakePoint);
  const sdOf = (redraw: 'pre' | 'post') => {
    const u = finiteSorted(bootstrapBins(prepared, 300, seed + 2, redraw).uptake);
    return u.length ? (inflation * (quantileSorted(u, 0.8413) - quantileSorted(u, 0.1587))) / 2 : NaN;
  };
  return {
    thresholdMinor, reachMinor: g.zone, belowMinor: g.reach, aboveMinor: g.above, flankMinor: g.flank,
    movedOrders: point.moved, movedOrdersLow: movedLow, movedOrdersHigh: movedHigh,
    movedOrdersHighWindow: movedHighWindow, movedOrdersHighWider: movedHighWide,
    widerBelowMinor: wide ? wide.belowMinor : g.reach, widerAboveMinor: wide ? wide.aboveMinor : g.above,
    excessAbove: point.excess, missingBelow: point.missing,
    counterfactualInReach: point.cfZone, counterfactualBelow: point.cfBelow, counterfactualAbove: point.cfAbove, observedBelow: point.obsBelow, observedAbove: point.obsAbove,
    uptake: uptakePoint, uptakeLow, uptakeHigh,
    intervalSource: usable ? 'bootstrap and placebos' : 'bootstrap',
    placeboInflation: inflation, placebosUsed: usable ? errors.length : 0,
    uptakeSdPost: upperOnly ? NaN : sdOf('post'), uptakeSdPre: upperOnly ? NaN : sdOf('pre'),
    consistent: Math.abs(inconsistency) <= inconsistencyAllowed, inconsistency, inconsistencyAllowed,
    ratioLow: point.ratioLow, ratioHigh: point.ratioHigh,
  };
}

/**
 * Standardised errors of the estimate at placebo amounts: moved / its bootstrap standard
 * deviation at up to `count` amounts nearest T on either side, a quarter window apart, whose
 * whole span (flanks included) stays clear of T's window and inside the 5th-95th percentile of
 * the post values (Kleven 2016, section 4, placebo thresholds). Where nothing happened, these are
 * draws of the estimator's error; a root mean square above 1 says the bootstrap alone is too narrow.
 */
function placeboErrors(strata: readonly Stratum[], T: number, g: Geometry, count: number, seed: number): { errors: number[]; disagreements: number[] } {
  const all = Float64Array.from(strata.flatMap((st) => Array.from(st.post))).sort();
  if (all.length < 20) return { errors: [], disagreements: [] };
  const lo = quantileSorted(all, 0.01);
  const hi = quantileSorted(all, 0.99);
  const step = (g.reach + g.above) / 4;
  const positions: number[] = [];
  // A placebo's span [P - reach - flank, P + above + flank) must stay clear of T's window [T - reach, T + above).
  const clearBelow = g.reach + g.above + g.flank;
  const clearAbove = g.reach + g.above + g.flank;
  for (let j = 0; positions.length < count && j < 4 * count; j++) {
    for (const P of [T - clearBelow - j * step, T + clearAbove + j * step]) {
      if (P - g.reach - g.flank >= lo && P + g.above + g.flank <= hi && positions.length < count) positions.push(P);
    }
  }
  const errors: number[] = [];
  const disagreements: number[] = [];
  for (const P of positions) {
    const prepared = strata.map((st) => prepare(st.pre, st.post, P, g));
    const point = estimateStrata(prepared);
    if (!Number.isFinite(point.moved)) continue;
    const boot = bootstrapBins(prepared, 200, seed + 1);
    const draws = finiteSorted(boot.moved);
    if (draws.length < 100) continue;
    const sd = (quantileSorted(draws, 0.8413) - quantileSorted(draws, 0.1587)) / 2;
    const gaps = finiteSorted(boot.disagreement);
    const gapSd = (quantileSorted(gaps, 0.8413) - quantileSorted(gaps, 0.1587)) / 2;
    if (sd > 0) errors.push(point.moved / sd);
    if (gapSd > 0) disagreements.push((point.excess - point.missing) / gapSd);
  }
  return { errors, disagreements };
}
