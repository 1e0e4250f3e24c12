/**
 * Calibration from the shop's own history: if a threshold X already ran, orders bunch just
 * above X and thin out just below it. The bunching estimator (Saez 2010; Chetty et al. 2011,
 * QJE 126(2); Kleven 2016, Annual Review of Economics 8) fits a smooth counterfactual
 * histogram outside a window around X and reads the excess above X as the orders that
 * moved. Moved orders / the counterfactual orders in the reach zone (weighted by the linear
 * response) gives the uptake p0.
 */
import { createRng, poisson } from './random.js';
import { quantileSorted, sortedCopy } from './robust.js';
import { lowerBound } from './sortedSearch.js';

export interface BunchingOptions {
  /** Histogram bin width in minor units (default: about 1/40 of the window). */
  binMinor?: number;
  /** Window below X that customers top up from (the reach), minor units. */
  reachMinor: number;
  /** Window above X where the topped-up orders land (default reach / 2). */
  aboveMinor?: number;
  /** How far either side of the window the counterfactual is fitted (default 3 x reach). */
  spanMinor?: number;
  degree?: number;
  resamples?: number;
  seed?: number;
  /**
   * Placebo thresholds for the interval (default 60; 0: the bootstrap alone): the same
   * estimate at amounts where nothing happened, away from X, measures how far the smooth
   * counterfactual misses on this shop's lumpy values (see placeboErrors).
   */
  placebos?: number;
  /** Values left out of the counterfactual's fit (a placebo's fit leaves out the real threshold's window). */
  excludeMinor?: readonly [number, number];
}

export interface BunchingResult {
  threshold: number;
  /** Estimated orders that topped up to reach X: the mean of the excess above X and the dip below. */
  movedOrders: number;
  movedOrdersLow: number;
  movedOrdersHigh: number;
  /** Orders above X in excess of the counterfactual, and orders missing below X. */
  excessAbove: number;
  missingBelow: number;
  /** Implied uptake at a tiny gap under the linear response, with its interval. */
  p0: number;
  p0Low: number;
  p0High: number;
  /** Moved orders / the counterfactual orders in [X - reach, X): the share of carts within reach that topped up, with its interval. */
  zoneShare: number;
  zoneShareLow: number;
  zoneShareHigh: number;
  reachMinor: number;
  /** Standardised excess: movedOrders / sqrt(counterfactual orders above X in the window). */
  z: number;
  /**
   * What the intervals include: 'bootstrap' (resampling the orders) or 'bootstrap and
   * placebos' (also the counterfactual's misfit, from the placebo thresholds), and how many
   * placebos were usable.
   */
  intervalSource: 'bootstrap' | 'bootstrap and placebos';
  placebosUsed: number;
  /**
   * Orders that leave below X arrive above it, so a threshold's excess and dip agree. When they
   * disagree by more than 3 x the placebos' median disagreement (and 4 standard errors), the smooth
   * counterfactual does not describe these values near X (lumps, price points) and the
   * estimate is not evidence: `consistent` is false and `inconsistency` says by how much.
   */
  consistent: boolean;
  /** (excess - dip) / sqrt(counterfactual orders in the window), and the bound from the placebos (3 x their median). */
  inconsistency: number;
  placeboInconsistency: number;
}

/** Weighted least-squares polynomial fit (normal equations with centred, scaled x; Gaussian elimination). */
function polyfit(x: number[], y: number[], degree: number, w: number[] = x.map(() => 1)): (t: number) => number {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const scale = Math.max(...x.map((v) => Math.abs(v - mean))) || 1;
  const d = degree + 1;
  const A = Array.from({ length: d }, () => new Float64Array(d + 1));
  for (let i = 0; i < x.length; i++) {
    const t = (x[i] - mean) / scale;
    const powers = new Float64Array(2 * d);
    powers[0] = 1;
    for (let k = 1; k < 2 * d; k++) powers[k] = powers[k - 1] * t;
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) A[r][c] += w[i] * powers[r + c];
      A[r][d] += w[i] * powers[r] * y[i];
    }
  }
  // Gaussian elimination with partial pivoting.
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(A[r][col]) > Math.abs(A[pivot][col])) pivot = r;
    [A[col], A[pivot]] = [A[pivot], A[col]];
    const div = A[col][col] || 1e-300;
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = A[r][col] / div;
      for (let c = col; c <= d; c++) A[r][c] -= f * A[col][c];
    }
  }
  const coef = A.map((row, r) => row[d] / (row[r] || 1e-300));
  return (v: number) => {
    const t = (v - mean) / scale;
    let result = 0;
    for (let k = d - 1; k >= 0; k--) result = result * t + coef[k];
    return result;
  };
}

interface Histogram {
  centres: number[];
  counts: number[];
  width: number;
}

/** Counts of the sorted values in [from, to), `width` apart: only the values in range are visited (a binary search finds them). */
function histogram(sorted: Float64Array, from: number, to: number, width: number): Histogram {
  const bins = Math.max(1, Math.round((to - from) / width));
  const counts = new Array(bins).fill(0);
  const end = lowerBound(sorted, to);
  for (let k = lowerBound(sorted, from); k < end; k++) counts[Math.min(bins - 1, Math.floor((sorted[k] - from) / width))]++;
  return { centres: counts.map((_, i) => from + (i + 0.5) * width), counts, width };
}

function estimate(h: Histogram, X: number, reach: number, above: number, degree: number, exclude?: readonly [number, number]) {
  const inWindow = (c: number) => c >= X - reach && c < X + above;
  const xs: number[] = [];
  const ys: number[] = [];
  h.centres.forEach((c, i) => {
    if (!inWindow(c) && !(exclude && c >= exclude[0] && c < exclude[1])) {
      xs.push(c);
      ys.push(h.counts[i]);
    }
  });
  // Order values are close to lognormal, whose log density is a low-degree polynomial in
  // ln(value): fitting ln(count) on ln(value) extrapolates across the window far more
  // stably than a polynomial in the raw counts.
  // Weighted by the counts: a Poisson count's log has variance about 1 / count.
  const logFit = polyfit(xs.map(Math.log), ys.map((y) => Math.log(y + 0.5)), degree, ys.map((y) => y + 0.5));
  const fit = (c: number) => Math.exp(logFit(Math.log(c))) - 0.5;
  let excess = 0;
  let missing = 0;
  let counterAbove = 0;
  let weightedBelow = 0;
  let counterBelow = 0;
  h.centres.forEach((c, i) => {
    if (c >= X && c < X + above) {
      excess += h.counts[i] - fit(c);
      counterAbove += Math.max(fit(c), 0);
    } else if (c >= X - reach && c < X) {
      missing += fit(c) - h.counts[i];
      counterBelow += Math.max(fit(c), 0);
      // Linear response: the counterfactual orders at gap g top up with p0 (1 - g / reach).
      weightedBelow += Math.max(fit(c), 0) * (1 - (X - c) / reach);
    }
  });
  // Moved orders: the mean of the excess above X and the dip below it. A counterfactual fitted
  // slightly too high (or low) across the window biases the two in opposite directions, so
  // their mean cancels most of the fit error.
  return { excess, missing, moved: (excess + missing) / 2, counterAbove, weightedBelow, counterBelow };
}

/**
 * Estimates how many orders topped up to an existing threshold X, with a 95% interval that
 * holds both the resampling noise (a Poisson bootstrap of the histogram) and the
 * counterfactual's misfit (placebo thresholds): the wider of the two at each end.
 */
export function bunching(valuesMinor: Float64Array, X: number, options: BunchingOptions): BunchingResult {
  const sorted = sortedCopy(valuesMinor);
  const { counterfactualInWindow, weightedBelow, counterBelow, ...result } = bunchingSorted(sorted, X, options);
  const placebos = options.placebos ?? 60;
  if (placebos <= 0 || !Number.isFinite(result.movedOrders)) return result;
  const { errors, disagreement } = placeboErrors(sorted, X, options, placebos);
  if (errors.length < 8) return result;
  // 3 x the placebos' median (a robust scale: with a few placebos, the largest is one bad fit at the data's edge).
  const placeboInconsistency = 3 * quantileSorted(disagreement, 0.5);
  const consistent = Math.abs(result.inconsistency) <= Math.max(4, placeboInconsistency);
  // moved - e sqrt(c) for the placebo errors' 2.5% and 97.5% quantiles, c the point's counterfactual orders in the window.
  const scaleOf = Math.sqrt(Math.max(counterfactualInWindow, 1));
  const lowMoved = result.movedOrders - quantileSorted(errors, 0.975) * scaleOf;
  const highMoved = result.movedOrders - quantileSorted(errors, 0.025) * scaleOf;
  const perMoved = (x: number, per: number) => (per > 0 ? x / per : NaN);
  const weighted = weightedBelow;
  const below = counterBelow;
  return {
    ...result,
    movedOrdersLow: Math.min(result.movedOrdersLow, lowMoved),
    movedOrdersHigh: Math.max(result.movedOrdersHigh, highMoved),
    p0Low: Math.min(result.p0Low, perMoved(lowMoved, weighted)),
    p0High: Math.max(result.p0High, perMoved(highMoved, weighted)),
    zoneShareLow: Math.min(result.zoneShareLow, perMoved(lowMoved, below)),
    zoneShareHigh: Math.max(result.zoneShareHigh, perMoved(highMoved, below)),
    intervalSource: 'bootstrap and placebos',
    placebosUsed: errors.length,
    consistent,
    placeboInconsistency,
  };
}

/**
 * The estimator's error where the truth is 0: moved / sqrt(counterfactual orders in the
 * window) at up to `count` placebo amounts nearest X on either side, a quarter window apart,
 * starting a window away (so X's own bunching is not in their windows) and inside the
 * 5th-95th percentile of the values, ascending. The nearest ones: the counterfactual's fit
 * depends on where in the distribution it is made. Placebo tests are the
 * bunching literature's check of the counterfactual (Kleven 2016, section 4); used here as the
 * error distribution, they turn a misfit that the bootstrap cannot see into interval width.
 */
export function placeboErrors(sorted: Float64Array, X: number, options: BunchingOptions, count: number): { errors: Float64Array; disagreement: Float64Array } {
  const reach = options.reachMinor;
  const above = options.aboveMinor ?? reach / 2;
  const lo = quantileSorted(sorted, 0.05);
  const hi = quantileSorted(sorted, 0.95);
  const step = (reach + above) / 4;
  const positions: number[] = [];
  for (let j = 0; j < count / 2 && step > 0; j++) {
    for (const P of [X - (reach + above) - j * step, X + (reach + above) + j * step]) if (P >= lo && P <= hi) positions.push(Math.round(P));
  }
  const errors: number[] = [];
  const disagreement: number[] = [];
  for (const P of positions) {
    // (the real threshold's window is left out of the placebo's fit, or its bunching would bend it)
    const r = bunchingSorted(sorted, P, { ...options, resamples: 0, excludeMinor: [X - reach, X + above] });
    if (!(Number.isFinite(r.movedOrders) && r.counterfactualInWindow > 0)) continue;
    errors.push(r.movedOrders / Math.sqrt(r.counterfactualInWindow));
    disagreement.push(Math.abs(r.inconsistency));
  }
  return { errors: Float64Array.from(errors).sort(), disagreement: Float64Array.from(disagreement).sort() };
}

function bunchingSorted(sorted: Float64Array, X: number, options: BunchingOptions): BunchingResult & { counterfactualInWindow: number; weightedBelow: number; counterBelow: number } {
  const reach = options.reachMinor;
  const above = options.aboveMinor ?? reach / 2;
  // The fit span stays away from tiny values, where the log of sparse counts is noise.
  const span = Math.min(options.spanMinor ?? 3 * reach, Math.max(0, X - reach - X / 4));
  const width = options.binMinor ?? Math.max(1, Math.round((reach + above) / 40));
  const degree = options.degree ?? 3;
  const from = X - reach - span;
  const to = X + above + span;
  const base = histogram(sorted, from, to, width);
  const point = estimate(base, X, reach, above, degree, options.excludeMinor);
  // Bootstrap: Poisson(count) per histogram bin is the same as resampling orders.
  const rng = createRng(options.seed ?? 1);
  const resamples = options.resamples ?? 500;
  const moved = new Float64Array(resamples);
  const p0s = new Float64Array(resamples);
  const shares = new Float64Array(resamples);
  for (let s = 0; s < resamples; s++) {
    const counts = base.counts.map((c) => poisson(rng, c));
    const e = estimate({ ...base, counts }, X, reach, above, degree, options.excludeMinor);
    moved[s] = e.moved;
    p0s[s] = e.weightedBelow > 0 ? e.moved / e.weightedBelow : NaN;
    shares[s] = e.counterBelow > 0 ? e.moved / e.counterBelow : NaN;
  }
  const finiteShares = Float64Array.from(shares.filter(Number.isFinite)).sort();
  moved.sort();
  const finiteP0 = Float64Array.from(p0s.filter(Number.isFinite)).sort();
  const inconsistency = (point.excess - point.missing) / Math.sqrt(Math.max(point.counterAbove + point.counterBelow, 1));
  return {
    threshold: X,
    movedOrders: point.moved,
    movedOrdersLow: quantileSorted(moved, 0.025),
    movedOrdersHigh: quantileSorted(moved, 0.975),
    excessAbove: point.excess,
    missingBelow: point.missing,
    p0: point.weightedBelow > 0 ? point.moved / point.weightedBelow : NaN,
    p0Low: quantileSorted(finiteP0, 0.025),
    p0High: quantileSorted(finiteP0, 0.975),
    zoneShare: point.counterBelow > 0 ? point.moved / point.counterBelow : NaN,
    zoneShareLow: quantileSorted(finiteShares, 0.025),
    zoneShareHigh: quantileSorted(finiteShares, 0.975),
    reachMinor: reach,
    z: point.counterAbove > 0 ? point.moved / Math.sqrt(point.counterAbove) : NaN,
    intervalSource: 'bootstrap',
    placebosUsed: 0,
    consistent: Math.abs(inconsistency) <= 4,
    inconsistency,
    placeboInconsistency: NaN,
    counterfactualInWindow: point.counterAbove + point.counterBelow,
    weightedBelow: point.weightedBelow,
    counterBelow: point.counterBelow,
  };
}


export interface DetectedThreshold {
  threshold: number;
  movedOrders: number;
  z: number;
}

/**
 * Scans round amounts (multiples of 5, 10, 25, 50, 100 currency units between the 10th and
 * 90th percentile) for significant bunching (z > 4 with a dip below): likely thresholds
 * that already ran.
 */
export function detectThresholds(valuesMinor: Float64Array, decimals: number, reachMinor: number): DetectedThreshold[] {
  const sorted = sortedCopy(valuesMinor);
  if (sorted.length < 500) return [];
  const unit = 10 ** decimals;
  const lo = quantileSorted(sorted, 0.1);
  const hi = quantileSorted(sorted, 0.9);
  const candidates = new Set<number>();
  for (const step of [5, 10, 25, 50, 100]) {
    for (let x = Math.ceil(lo / (step * unit)) * step * unit; x <= hi; x += step * unit) candidates.add(x);
  }
  // Placebo thresholds (Kleven 2016, section 4: bunching at points where nothing happens):
  // the same statistic at non-round amounts across the same range. Real order values are
  // lumpy (catalogue prices, common two-item carts), so the Poisson z overstates evidence; a
  // round amount counts only when its z beats the placebos' 99th percentile (and 4).
  const placeboZ: number[] = [];
  const placeboStep = (hi - lo) / 101;
  for (let k = 0; k < 100 && placeboStep > 0; k++) {
    const X = Math.round(lo + (k + 0.5) * placeboStep) + 0.37 * unit;
    const r = bunchingSorted(sorted, X, { reachMinor, resamples: 0 });
    if (Number.isFinite(r.z)) placeboZ.push(r.z);
  }
  placeboZ.sort((a, b) => a - b);
  const zNeeded = Math.max(4, placeboZ.length ? quantileSorted(Float64Array.from(placeboZ), 0.99) : 4);
  const found: DetectedThreshold[] = [];
  for (const X of [...candidates].sort((a, b) => a - b)) {
    const r = bunchingSorted(sorted, X, { reachMinor, resamples: 0 });
    if (!(r.z > zNeeded && r.excessAbove > 0 && r.missingBelow > 0)) continue;
    // A threshold leaves a dip below it too; a popular price point (single-item orders at
    // exactly 15.00) is a spike on one value with no dip. Require both signs of bunching.
    const below = countBetween(sorted, X - reachMinor, X);
    if (r.missingBelow < 2 * Math.sqrt(Math.max(below, 1))) continue;
    const above = reachMinor / 2;
    const { total, largestValueCount } = valuesBetween(sorted, X, X + above);
    if (largestValueCount > 0.5 * Math.max(r.excessAbove, 1) && largestValueCount > 0.2 * total) continue;
    found.push({ threshold: X, movedOrders: r.movedOrders, z: r.z });
  }
  return found.sort((a, b) => b.z - a.z).slice(0, 5);
}

function countBetween(sorted: Float64Array, lo: number, hi: number): number {
  let n = 0;
  for (const v of sorted) if (v >= lo && v < hi) n++;
  return n;
}

/** Orders in [lo, hi) and how many share the most common exact value. */
function valuesBetween(sorted: Float64Array, lo: number, hi: number): { total: number; largestValueCount: number } {
  let total = 0;
  let run = 0;
  let largest = 0;
  let previous = NaN;
  for (const v of sorted) {
    if (v < lo || v >= hi) continue;
    total++;
    run = v === previous ? run + 1 : 1;
    previous = v;
    if (run > largest) largest = run;
  }
  return { total, largestValueCount: largest };
}
