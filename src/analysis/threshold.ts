/**
 * Where should "free gift above T" (or free shipping above T) go, and does it pay?
 *
 * Model (per order of value v, over the data window):
 *  - Response: an order below T tops up with probability p(gap), gap = T - v:
 *      linear:   p = p0 (1 - gap / reach) for 0 < gap < reach, else 0;
 *      logistic: p = p0 / (1 + exp((gap - reach/2) / (reach/8))) for gap < reach, else 0;
 *      convex:   p = p0 (1 - gap / reach)^2 (most of the response close to T)
 *    (p0: uptake at a tiny gap; reach: the largest gap a customer will close).
 *  - A topped-up order ends at T + overshoot (add-ons rarely fit the gap exactly), so its
 *    extra revenue is T + overshoot - v and its extra gross margin that times the margin
 *    rate (the order's own rate when per-order margins are known).
 *  - The reward (gift cost, or the shipping fee waived) is paid on every order that ends at
 *    or above T: the orders already above T (pure subsidy) and the expected top-ups.
 *  - Net margin change = extra margin - reward cost. Expected values are computed exactly
 *    over the observed orders.
 * Uncertainty, in two parts kept apart so each can be read: a Poisson bootstrap over orders
 * (seeded) at the given p0 and reach gives the 90% interval and P(net > 0); a sweep of the
 * assumptions, p0 x {0.5, 1, 1.5} and reach x {0.5, 1, 1.5}, gives the expected net in each
 * of the nine scenarios (low = both halved, high = both x1.5).
 * For speed the bootstrap reweights orders in ~2,000 quantile bins of the sorted values
 * (every order of a bin gets the bin's Poisson weight): each bin's contribution per
 * candidate is computed exactly once, so a replicate costs bins x candidates, not orders.
 * Recommendation: the candidate with the largest expected net margin among those with
 * P(net > 0) >= 0.9.
 */
import { betaCdf, betaSample } from './beta.js';
import { createRng, poisson, poissonUniforms, type Rng, type SeededRng } from './random.js';
import { quantileSorted, sortedCopy } from './robust.js';
import { lowerBound } from './sortedSearch.js';
import { firstOrderIndex } from './sensitivity.js';

export type ResponseShape = 'linear' | 'logistic' | 'convex';

export interface ThresholdInputs {
  /** Order values in minor units (any order). */
  valueMinor: Float64Array;
  /** Per-order gross margin in minor units; when absent, `margin` (a rate) applies to every order. */
  marginMinor?: Float64Array;
  margin?: number;
  /**
   * The margin rate on a top-up's extra spend (the added item's), when the items' costs tell it;
   * absent, each order's own margin rate (or `margin`) is used for its top-up.
   */
  topUpMarginRate?: number;
  /** Reward cost per qualifying order (gift cost, or a flat shipping fee) in minor units. */
  rewardMinor: number;
  /** Free shipping: the shipping each order paid (minor units); the waived fee is this per order. */
  shippingMinor?: Float64Array;
  candidates: readonly number[];
  p0: number;
  reachMinor: number;
  overshootMinor: number;
  shape?: ResponseShape;
  resamples?: number;
  seed?: number;
  /** How many months the orders span, for per-month figures. */
  months: number;
  /** Share of P(net > 0) a recommendation needs (default 0.9). */
  confidence?: number;
  /** Skip the "what would have to be true" search (used by that search itself). */
  skipNeeded?: boolean;
  /**
   * What is not known, as a stated prior (see ThresholdPrior). When given, the expected
   * figures are expectations over it and every bootstrap replicate also draws the top-ups
   * (Poisson) and the prior's parameters; p0 and overshootMinor are then only the points the
   * assumption sweep uses. Absent: p0, reach and overshoot are taken as known.
   */
  prior?: ThresholdPrior;
}

/**
 * A prior over the response's unknowns, independent of each other:
 *  - uptake: p0 (the uptake at a tiny gap) ~ Beta(alpha, beta); absent, p0 is fixed at the input's;
 *  - reach: the reach times one of `reachScales`, each equally likely;
 *  - overshoot: uniform on [overshootLowMinor, overshootHighMinor];
 *  - returns: the share of top-up add-ons sent back (their revenue and margin are lost, the
 *    reward is not), uniform on [returnLow, returnHigh].
 */
export interface ThresholdPrior {
  uptake?: { alpha: number; beta: number };
  /**
   * From a calibration: one uptake Beta per reach scale (same order as reachScales), since
   * the moved orders a past threshold shows imply a lower uptake the longer the reach
   * (calibration.ts). Wins over `uptake` in the replicates; `uptake` is then the point
   * reach's, for the break-even's prior probability.
   */
  uptakeByReach?: readonly { alpha: number; beta: number }[];
  reachScales: readonly number[];
  /**
   * Response shapes the prior holds possible, each equally likely (absent: the input's shape
   * alone). With several, uptakeByReach holds one Beta per (shape, reach scale), shape-major.
   */
  shapes?: readonly ResponseShape[];
  overshootLowMinor: number;
  overshootHighMinor: number;
  returnLow: number;
  returnHigh: number;
}

export interface Candidate {
  threshold: number;
  aboveAovPct: number;
  shareAlreadyAbove: number;
  ordersInReach: number;
  /** Orders in the reach zone credited with no top-up: in free-shipping mode, those that paid no shipping. */
  ordersInReachNotCredited: number;
  expectedTopUps: number;
  projectedAovMinor: number;
  incrementalRevenueMinor: number;
  incrementalMarginMinor: number;
  rewardCostMinor: number;
  expectedNetMarginMinor: number;
  netPerMonthMinor: number;
  netLowMinor: number;
  netHighMinor: number;
  probabilityPositive: number;
  /**
   * P(the expected net > 0): the same replicates without the randomness of which orders top up
   * in one window, i.e. the chance the rule pays on average, given what is not known (the
   * orders' distribution and the prior). probabilityPositive is about the net one 12-month
   * window realises, so it is nearer 0.5. Equal to it without a prior.
   */
  probabilityMeanPositive: number;
  /** Expected net with p0 and reach both halved (low) and both x1.5 (high). */
  sweepLowMinor: number;
  sweepHighMinor: number;
  /** Expected net per scenario: sweep[i][j] for p0 x {0.5, 1, 1.5}[i] and reach x {0.5, 1, 1.5}[j]. */
  sweep: number[][];
  /** The uptake p0 at which the expected net is zero (the other unknowns at their expectations); null if no uptake up to 1 pays. */
  breakEvenUptake: number | null;
  /** The same as the share of the carts within reach below the threshold that top up. */
  breakEvenZoneShare: number | null;
  /** P(p0 >= break-even) under the uptake prior (null without one). */
  priorProbabilityAboveBreakEven: number | null;
  /**
   * Which unknown of the prior decides whether this candidate pays: one entry per unknown the
   * prior lets vary, largest index first (empty without a prior). See UnknownSensitivity.
   */
  sensitivity: UnknownSensitivity[];
}

/** An unknown the prior integrates over. */
export type PriorUnknown = 'uptake' | 'reach' | 'overshoot' | 'returns' | 'shape';

/**
 * How much one unknown decides P(net > 0): the first-order sensitivity index of "the net is
 * positive" to it over the replicates (sensitivity.ts), and P(net > 0) among the replicates
 * with the unknown in its lowest and in its highest group (values in the unknown's own units:
 * a share for uptake and returns, minor units for reach and overshoot).
 */
export interface UnknownSensitivity {
  unknown: PriorUnknown;
  index: number;
  low: { from: number; to: number; probabilityPositive: number };
  high: { from: number; to: number; probabilityPositive: number };
}

export interface Recommendation {
  threshold: number;
  expectedNetMarginMinor: number;
  probabilityPositive: number;
  /** Why it: the largest expected net among `qualifying` of `candidates` candidates with P(net > 0) >= `confidence`. */
  qualifying: number;
  candidates: number;
  confidence: number;
  /** Whether it still pays with half the uptake and half the reach (the sweep's low corner). */
  paysAtHalf: boolean;
}

/**
 * Why there is no recommendation: no order to simulate, no candidate expected to pay (the
 * reward on orders already above outweighs the margin on the extra spend), or none with
 * P(net > 0) >= `confidence` (the best with `bestProbability`).
 */
export type NoRecommendation =
  | { kind: 'no orders' }
  | { kind: 'none pays' }
  | { kind: 'not confident'; confidence: number; bestProbability: number };

export interface WhatWouldHaveToBeTrue {
  /** The uptake p0 at which the best candidate reaches P(net > 0) >= 0.9 (null if none up to 1). */
  uptakeNeeded: number | null;
  /** The reward cost at which it does (null if even a free reward does not). */
  rewardCostNeededMinor: number | null;
  threshold: number;
}

export interface ThresholdResult {
  orders: number;
  baseAovMinor: number;
  candidates: Candidate[];
  recommendation: Recommendation | null;
  /** When there is no recommendation: why (src/report/thresholdRender.ts words it), and what would have to be true. */
  noRecommendation: NoRecommendation | null;
  needed: WhatWouldHaveToBeTrue | null;
  tooFewOrders: boolean;
}

/** p(gap) for one order. */
export function topUpProbability(gap: number, p0: number, reach: number, shape: ResponseShape): number {
  if (gap <= 0 || gap >= reach || reach <= 0) return 0;
  if (shape === 'linear') return p0 * (1 - gap / reach);
  if (shape === 'convex') return p0 * (1 - gap / reach) ** 2;
  return p0 / (1 + Math.exp((gap - reach / 2) / (reach / 8)));
}

const BINS = 2000;
const SCENARIOS = [0.5, 1, 1.5];

/** Under this many orders a threshold cannot be told apart from chance: the result says so, and the plan refuses without --force. */
export const MIN_RELIABLE_ORDERS = 100;

interface Prepared {
  sorted: Float64Array;
  /** The margin rate a top-up of each order earns: topUpMarginRate, else the order's own. */
  topUpRate: Float64Array;
  reward: Float64Array;
  /**
   * 1 for an order that would top up for the reward, 0 for one that cannot: in free-shipping
   * mode an order that paid no shipping (shipped free already: a zone, a promotion, pickup)
   * has no reason to add anything. undefined: every order can.
   */
  responds?: Uint8Array;
  binOf: Int32Array;
  binSize: Float64Array;
  bins: number;
}

// The "what would have to be true" search simulates the same orders some 30 times: the sort
// is done once per value array (keyed by the array itself: loaded value arrays are never
// modified; a window or a subset is a new array).
const sortedCache = new WeakMap<Float64Array, Float64Array>();
const orderCache = new WeakMap<Float64Array, Uint32Array>();

function sortedValues(values: Float64Array): Float64Array {
  let sorted = sortedCache.get(values);
  if (!sorted) sortedCache.set(values, (sorted = sortedCopy(values)));
  return sorted;
}

function valueOrder(values: Float64Array): Uint32Array {
  let order = orderCache.get(values);
  if (!order) orderCache.set(values, (order = Uint32Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b)));
  return order;
}

/** Sorts orders by value once, with their margin rates and reward costs alongside. */
function prepare(x: ThresholdInputs): Prepared {
  const n = x.valueMinor.length;
  let sorted: Float64Array;
  let responds: Uint8Array | undefined;
  const marginRate = new Float64Array(n);
  const reward = new Float64Array(n);
  if (!x.marginMinor && !x.shippingMinor) {
    // The common case needs no index sort: one typed-array sort of the values.
    sorted = sortedValues(x.valueMinor);
    marginRate.fill(x.margin ?? 0);
    reward.fill(x.rewardMinor);
  } else {
    const order = valueOrder(x.valueMinor);
    sorted = new Float64Array(n);
    if (x.shippingMinor) responds = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      sorted[k] = x.valueMinor[i];
      marginRate[k] = x.marginMinor ? (x.valueMinor[i] > 0 ? x.marginMinor[i] / x.valueMinor[i] : 0) : (x.margin ?? 0);
      reward[k] = x.shippingMinor ? (Number.isFinite(x.shippingMinor[i]) ? x.shippingMinor[i] : x.rewardMinor) : x.rewardMinor;
      // (an order whose shipping is unknown is charged the flat fee, so it has a reason to top up)
      if (responds) responds[k] = reward[k] > 0 ? 1 : 0;
    }
  }
  const bins = Math.min(BINS, Math.max(1, n));
  const binOf = new Int32Array(n);
  const binSize = new Float64Array(bins);
  for (let k = 0; k < n; k++) {
    const b = Math.min(bins - 1, Math.floor((k * bins) / n));
    binOf[k] = b;
    binSize[b]++;
  }
  const topUpRate = x.topUpMarginRate !== undefined ? new Float64Array(n).fill(x.topUpMarginRate) : marginRate;
  return { sorted, topUpRate, reward, responds, binOf, binSize, bins };
}

interface CandidateParts {
  topUps: number;
  extraRevenue: number;
  extraMargin: number;
  /** Reward paid on the top-ups (p0-scaled) and on the orders already above. */
  topUpReward: number;
  aboveReward: number;
  above: number;
  inReach: number;
  /** Orders in the reach zone that cannot top up (free shipping: they paid no shipping). */
  silent: number;
}

/**
 * Exact expected parts of one candidate, optionally accumulated per bin: `gain` the top-ups'
 * (call it at p0 = 1 for that), `above` the reward on the orders already above. With
 * `skipAbove` the orders above are not walked (their figures come back as 0): a reach
 * scenario's call only wants the zone's gain, and the above part is the same for every reach.
 */
function candidateParts(
  prep: Prepared,
  threshold: number,
  p0: number,
  reach: number,
  overshoot: number,
  shape: ResponseShape,
  perBin?: { gain?: Float64Array; above?: Float64Array; skipAbove?: boolean },
): CandidateParts {
  const { sorted, topUpRate, reward, responds, binOf } = prep;
  const start = lowerBound(sorted, threshold - reach);
  const aboveStart = lowerBound(sorted, threshold);
  let topUps = 0;
  let extraRevenue = 0;
  let extraMargin = 0;
  let topUpReward = 0;
  let silent = 0;
  for (let k = start; k < aboveStart; k++) {
    if (responds && !responds[k]) {
      silent++;
      continue;
    }
    const p = topUpProbability(threshold - sorted[k], p0, reach, shape);
    if (p === 0) continue;
    const lift = threshold + overshoot - sorted[k];
    topUps += p;
    extraRevenue += p * lift;
    extraMargin += p * lift * topUpRate[k];
    topUpReward += p * reward[k];
    if (perBin?.gain) perBin.gain[binOf[k]] += p * (lift * topUpRate[k] - reward[k]);
  }
  let aboveReward = 0;
  if (!perBin?.skipAbove) {
    for (let k = aboveStart; k < sorted.length; k++) {
      aboveReward += reward[k];
      if (perBin?.above) perBin.above[binOf[k]] += reward[k];
    }
  }
  return { topUps, extraRevenue, extraMargin, topUpReward, aboveReward, above: sorted.length - aboveStart, inReach: aboveStart - start, silent };
}

/**
 * One candidate at one reach, per bin, at p0 = 1, for the prior model: the expected top-ups
 * (sum of p), their gap revenue (sum p (T - v)), gap margin (sum p (T - v) m), margin rate
 * (sum p m) and reward (sum p reward), bins firstBin .. firstBin + length - 1. The net of a
 * bin with top-up count k, overshoot o and return share rho is then
 * k ((1 - rho)(gapMargin + o rate) - reward) / topUps (the bin's average top-up).
 */
interface ZoneBins {
  firstBin: number;
  topUps: Float64Array;
  gapRevenue: Float64Array;
  gapMargin: Float64Array;
  rate: Float64Array;
  reward: Float64Array;
  /** Orders in [T - reach, T) that can top up. */
  inReach: number;
}

function zoneBins(prep: Prepared, threshold: number, reach: number, shape: ResponseShape): ZoneBins {
  const { sorted, topUpRate, reward, responds, binOf } = prep;
  const start = lowerBound(sorted, threshold - reach);
  const end = lowerBound(sorted, threshold);
  const firstBin = start < end ? binOf[start] : 0;
  const length = start < end ? binOf[end - 1] - firstBin + 1 : 0;
  const z: ZoneBins = { firstBin, topUps: new Float64Array(length), gapRevenue: new Float64Array(length), gapMargin: new Float64Array(length), rate: new Float64Array(length), reward: new Float64Array(length), inReach: end - start };
  for (let k = start; k < end; k++) {
    if (responds && !responds[k]) {
      z.inReach--;
      continue;
    }
    const gap = threshold - sorted[k];
    const p = topUpProbability(gap, 1, reach, shape);
    if (p === 0) continue;
    const b = binOf[k] - firstBin;
    z.topUps[b] += p;
    z.gapRevenue[b] += p * gap;
    z.gapMargin[b] += p * gap * topUpRate[k];
    z.rate[b] += p * topUpRate[k];
    z.reward[b] += p * reward[k];
  }
  return z;
}

const total = (values: Float64Array) => values.reduce((a, b) => a + b, 0);

/** A uniform draw on [low, high]. */
const uniformOn = (rng: Rng, low: number, high: number) => low + (high - low) * rng();

/** A candidate's expected figures: at the point assumptions, or averaged over the prior. */
interface ExpectedFigures {
  topUps: number;
  incrementalRevenueMinor: number;
  incrementalMarginMinor: number;
  rewardCostMinor: number;
  breakEvenUptake: number | null;
  breakEvenZoneShare: number | null;
  priorProbabilityAboveBreakEven: number | null;
}

/** The replicates' nets per candidate (`meanNets`: without which orders top up; the same arrays without a prior) and, with a prior, which unknown decides. */
interface Replicates {
  nets: Float64Array[];
  meanNets: Float64Array[];
  sensitivity: UnknownSensitivity[][];
}

export function simulateThresholds(x: ThresholdInputs): ThresholdResult {
  const n = x.valueMinor.length;
  let revenue = 0;
  for (const v of x.valueMinor) revenue += v;
  const baseAovMinor = n ? revenue / n : NaN;
  const tooFewOrders = n < MIN_RELIABLE_ORDERS;
  if (n === 0 || !(baseAovMinor > 0)) {
    return { orders: n, baseAovMinor, candidates: [], recommendation: null, noRecommendation: { kind: 'no orders' }, needed: null, tooFewOrders };
  }
  return simulatePrepared(x, prepare(x), revenue);
}

/**
 * What the "what would have to be true" search keeps across its passes (which change only p0
 * or the reward): the prepared orders, and with a prior the response cases' zones of the
 * passes that keep the reward (a zone does not depend on p0).
 */
interface Reuse {
  zones?: ZoneBins[][];
}

/** simulateThresholds on orders already prepared (n > 0, `revenue` their total value). */
function simulatePrepared(x: ThresholdInputs, prep: Prepared, revenue: number, reuse?: Reuse): ThresholdResult {
  const n = x.valueMinor.length;
  const shape = x.shape ?? 'linear';
  const resamples = x.resamples ?? 1000;
  const confidence = x.confidence ?? 0.9;
  const baseAovMinor = revenue / n;
  const tooFewOrders = n < MIN_RELIABLE_ORDERS;
  const C = x.candidates.length;
  const B = prep.bins;

  // Step 1: each candidate's exact parts at the point assumptions, and its per-bin
  // contributions at p0 = 1 for each reach scenario: gain = margin - reward on top-ups.
  const gain = SCENARIOS.map(() => x.candidates.map(() => new Float64Array(B)));
  const above = x.candidates.map(() => new Float64Array(B));
  // (the orders above are walked once per candidate, by the point's call)
  const parts = x.candidates.map((threshold, c) => {
    const point = candidateParts(prep, threshold, x.p0, x.reachMinor, x.overshootMinor, shape, { above: above[c] });
    SCENARIOS.forEach((reachScale, r) => {
      candidateParts(prep, threshold, 1, x.reachMinor * reachScale, x.overshootMinor, shape, { gain: gain[r][c], skipAbove: true });
    });
    return point;
  });
  // Step 2: the assumption sweep, exactly: net = sum over bins of p0 x gain - reward above.
  const sweeps = x.candidates.map((_, c) => {
    let aboveTotal = 0;
    for (let b = 0; b < B; b++) aboveTotal += above[c][b];
    return SCENARIOS.map((p0Scale) =>
      SCENARIOS.map((_, r) => {
        let g = 0;
        for (let b = 0; b < B; b++) g += gain[r][c][b];
        return x.p0 * p0Scale * g - aboveTotal;
      }),
    );
  });

  // Step 3: the expected figures and the replicates, with the prior or at the point assumptions.
  const rng = createRng(x.seed ?? 1);
  let expected: ExpectedFigures[];
  let replicates: Replicates;
  if (x.prior) {
    const cases = priorCases(x, x.prior, prep, shape, reuse?.zones);
    if (reuse && !reuse.zones) reuse.zones = cases.zones;
    expected = priorExpectations(x, x.prior, prep, cases, above, shape);
    replicates = priorReplicates(x, x.prior, prep, cases, above, rng, resamples);
  } else {
    expected = parts.map((p, c) => pointExpectations(x, prep, p, x.candidates[c], gain[1][c], above[c], shape));
    replicates = bootstrapReplicates(x, prep, gain[1], above, rng, resamples);
  }

  // Step 4: each candidate built once, from its parts, sweep, expectations and replicates.
  const candidates: Candidate[] = x.candidates.map((threshold, c) => {
    const e = expected[c];
    const net = e.incrementalMarginMinor - e.rewardCostMinor;
    const spread = replicateSpread(replicates.nets[c], replicates.meanNets[c]);
    return {
      threshold,
      aboveAovPct: threshold / baseAovMinor - 1,
      shareAlreadyAbove: parts[c].above / n,
      ordersInReach: parts[c].inReach,
      ordersInReachNotCredited: parts[c].silent,
      expectedTopUps: e.topUps,
      projectedAovMinor: (revenue + e.incrementalRevenueMinor) / n,
      incrementalRevenueMinor: e.incrementalRevenueMinor,
      incrementalMarginMinor: e.incrementalMarginMinor,
      rewardCostMinor: e.rewardCostMinor,
      expectedNetMarginMinor: net,
      netPerMonthMinor: net / Math.max(x.months, 1e-9),
      netLowMinor: spread.netLowMinor,
      netHighMinor: spread.netHighMinor,
      probabilityPositive: spread.probabilityPositive,
      probabilityMeanPositive: spread.probabilityMeanPositive,
      sweepLowMinor: sweeps[c][0][0],
      sweepHighMinor: sweeps[c][2][2],
      sweep: sweeps[c],
      breakEvenUptake: e.breakEvenUptake,
      breakEvenZoneShare: e.breakEvenZoneShare,
      priorProbabilityAboveBreakEven: e.priorProbabilityAboveBreakEven,
      sensitivity: replicates.sensitivity[c] ?? [],
    };
  });

  const qualifying = candidates.filter((c) => c.probabilityPositive >= confidence && c.expectedNetMarginMinor > 0);
  let recommendation: Recommendation | null = null;
  let noRecommendation: NoRecommendation | null = null;
  let needed: WhatWouldHaveToBeTrue | null = null;
  if (qualifying.length) {
    // Ties on net go to the lower threshold (less friction for customers).
    const best = qualifying.reduce((a, b) => (b.expectedNetMarginMinor > a.expectedNetMarginMinor ? b : a));
    recommendation = {
      threshold: best.threshold,
      expectedNetMarginMinor: best.expectedNetMarginMinor,
      probabilityPositive: best.probabilityPositive,
      qualifying: qualifying.length,
      candidates: C,
      confidence,
      paysAtHalf: best.sweepLowMinor > 0,
    };
  } else {
    const best = candidates.reduce((a, b) => (b.expectedNetMarginMinor > a.expectedNetMarginMinor ? b : a));
    noRecommendation = best.expectedNetMarginMinor <= 0 ? { kind: 'none pays' } : { kind: 'not confident', confidence, bestProbability: best.probabilityPositive };
    needed = x.skipNeeded ? null : whatWouldHaveToBeTrue(x, prep, revenue, best.threshold, confidence);
  }
  return { orders: n, baseAovMinor, candidates, recommendation, noRecommendation, needed, tooFewOrders };
}

/** The expected figures at the point assumptions; break-even from net = p0 G - A, linear in p0. */
function pointExpectations(x: ThresholdInputs, prep: Prepared, parts: CandidateParts, threshold: number, gain: Float64Array, above: Float64Array, shape: ResponseShape): ExpectedFigures {
  const figures: ExpectedFigures = {
    topUps: parts.topUps, incrementalRevenueMinor: parts.extraRevenue, incrementalMarginMinor: parts.extraMargin, rewardCostMinor: parts.aboveReward + parts.topUpReward,
    breakEvenUptake: null, breakEvenZoneShare: null, priorProbabilityAboveBreakEven: null,
  };
  const G = total(gain);
  const A = total(above);
  const zone = zoneBins(prep, threshold, x.reachMinor, shape);
  if (G > 0 && A / G <= 1) {
    figures.breakEvenUptake = A / G;
    figures.breakEvenZoneShare = zone.inReach > 0 ? (figures.breakEvenUptake * total(zone.topUps)) / zone.inReach : null;
  }
  return figures;
}

/** Bootstrap over orders at the given assumptions: Poisson weights per bin. */
function bootstrapReplicates(x: ThresholdInputs, prep: Prepared, gain: readonly Float64Array[], above: readonly Float64Array[], rng: SeededRng, resamples: number): Replicates {
  const B = prep.bins;
  const nets = x.candidates.map(() => new Float64Array(resamples));
  const weight = new Float64Array(B);
  const p0 = x.p0;
  // Each candidate sums from its first bin with a gain or a reward (the terms before are +-0).
  const from = gain.map((g, c) => Math.min(firstNonZero(g), firstNonZero(above[c])));
  const firstUsed = Math.min(...from);
  for (let s = 0; s < resamples; s++) {
    drawWeights(rng, prep, firstUsed, weight);
    for (let c = 0; c < nets.length; c++) {
      const g = gain[c];
      const a = above[c];
      let net = 0;
      for (let b = from[c]; b < B; b++) net += weight[b] * (p0 * g[b] - a[b]);
      nets[c][s] = net;
    }
  }
  return { nets, meanNets: nets, sensitivity: [] };
}

/**
 * The first bin with a non-zero value (values.length when none). A replicate's sum may start
 * there: the terms before are weight x (+-0) = +-0, and a sum that starts at +0 stays +0 when
 * they are added (it can never be -0: x - x is +0), so skipping them changes no bit.
 */
function firstNonZero(values: Float64Array): number {
  for (let b = 0; b < values.length; b++) if (values[b] !== 0) return b;
  return values.length;
}

/**
 * One replicate's Poisson weight per bin (Hanley & MacGibbon 2006). The bins below
 * `firstUsed` are read by no candidate (see firstNonZero): their draws are skipped where
 * the draw takes a fixed count of uniforms (SeededRng.skip), their weights left 0, and every
 * later draw of the stream is the one drawing them would give.
 */
function drawWeights(rng: SeededRng, prep: Prepared, firstUsed: number, weight: Float64Array): void {
  let skipped = 0;
  for (let b = 0; b < prep.bins; b++) {
    const size = prep.binSize[b];
    if (b < firstUsed) {
      const uniforms = poissonUniforms(size);
      if (uniforms !== null) {
        skipped += uniforms;
        continue;
      }
    }
    if (skipped) rng.skip(skipped);
    skipped = 0;
    weight[b] = size > 0 ? poisson(rng, size) / size : 0;
  }
  if (skipped) rng.skip(skipped);
}

/** A candidate's 90% interval and P(net > 0) over its replicates (sorts `nets` in place). */
function replicateSpread(nets: Float64Array, meanNets: Float64Array) {
  const resamples = nets.length;
  let meanPositive = 0;
  for (const v of meanNets) if (v > 0) meanPositive++;
  const sorted = nets.sort();
  let positive = 0;
  for (const v of sorted) if (v > 0) positive++;
  return { netLowMinor: quantileSorted(sorted, 0.05), netHighMinor: quantileSorted(sorted, 0.95), probabilityPositive: positive / resamples, probabilityMeanPositive: meanPositive / resamples };
}

/** The prior's response cases (every shape and reach scale, shape-major, each equally likely) and each candidate's zones in them. */
interface PriorCases {
  scales: readonly number[];
  shapes: readonly ResponseShape[];
  cases: { shape: ResponseShape; scale: number }[];
  meanP0: number;
  /** The uptake's Beta per case, when a calibration gives one per reach. */
  byReach: ThresholdPrior['uptakeByReach'] | null;
  /** Per case: the uptake's mean there, as a multiple of the point's (1 without a calibration). */
  ratio: number[];
  zones: ZoneBins[][];
}

const betaMean = (b: { alpha: number; beta: number }) => b.alpha / (b.alpha + b.beta);

function priorCases(x: ThresholdInputs, prior: ThresholdPrior, prep: Prepared, shape: ResponseShape, knownZones?: ZoneBins[][]): PriorCases {
  const scales = prior.reachScales.length ? prior.reachScales : [1];
  const shapes = prior.shapes?.length ? prior.shapes : [shape];
  const cases = shapes.flatMap((caseShape) => scales.map((scale) => ({ shape: caseShape, scale })));
  const meanP0 = prior.uptake ? betaMean(prior.uptake) : x.p0;
  const byReach = prior.uptakeByReach && prior.uptakeByReach.length === cases.length ? prior.uptakeByReach : null;
  const ratio = cases.map((_, r) => (byReach && meanP0 > 0 ? betaMean(byReach[r]) / meanP0 : 1));
  const zones = knownZones ?? x.candidates.map((threshold) => cases.map((k) => zoneBins(prep, threshold, x.reachMinor * k.scale, k.shape)));
  return { scales, shapes, cases, meanP0, byReach, ratio, zones };
}

/**
 * The prior model's expected figures: the average over the response cases at the other
 * unknowns' means (exact: the unknowns are independent, so the expectation of each product is
 * the product of expectations); break-even from net = p0 G - A, linear in p0.
 */
function priorExpectations(x: ThresholdInputs, prior: ThresholdPrior, prep: Prepared, { cases, meanP0, ratio, zones }: PriorCases, above: readonly Float64Array[], shape: ResponseShape): ExpectedFigures[] {
  const meanOvershoot = (prior.overshootLowMinor + prior.overshootHighMinor) / 2;
  const meanReturn = (prior.returnLow + prior.returnHigh) / 2;
  return x.candidates.map((threshold, c) => {
    const aboveTotal = total(above[c]);
    let topUps = 0;
    let extraRevenue = 0;
    let extraMargin = 0;
    let topUpReward = 0;
    zones[c].forEach((z, r) => {
      const P = ratio[r] * total(z.topUps);
      topUps += P;
      extraRevenue += ratio[r] * (1 - meanReturn) * (total(z.gapRevenue) + meanOvershoot * total(z.topUps));
      extraMargin += ratio[r] * (1 - meanReturn) * (total(z.gapMargin) + meanOvershoot * total(z.rate));
      topUpReward += ratio[r] * total(z.reward);
    });
    const k = cases.length;
    const figures: ExpectedFigures = {
      topUps: (meanP0 * topUps) / k, incrementalRevenueMinor: (meanP0 * extraRevenue) / k, incrementalMarginMinor: (meanP0 * extraMargin) / k,
      rewardCostMinor: aboveTotal + (meanP0 * topUpReward) / k, breakEvenUptake: null, breakEvenZoneShare: null, priorProbabilityAboveBreakEven: null,
    };
    const G = (extraMargin - topUpReward) / k;
    const pointZone = zoneBins(prep, threshold, x.reachMinor, shape);
    if (G > 0 && aboveTotal / G <= 1) {
      const p0 = aboveTotal / G;
      figures.breakEvenUptake = p0;
      figures.breakEvenZoneShare = pointZone.inReach > 0 ? (p0 * total(pointZone.topUps)) / pointZone.inReach : null;
      figures.priorProbabilityAboveBreakEven = prior.uptake ? 1 - betaCdf(p0, prior.uptake.alpha, prior.uptake.beta) : null;
    } else if (prior.uptake) {
      figures.priorProbabilityAboveBreakEven = 0;
    }
    return figures;
  });
}

/**
 * The prior model's replicates, which integrate (a) the orders (a Poisson bootstrap, Hanley &
 * MacGibbon 2006, by bin as above), (b) which orders top up (a Poisson count per bin with mean
 * weight x p0 x the bin's top-ups at p0 = 1, the Poisson limit of the sum of the orders'
 * Bernoulli draws, Le Cam 1960) and (c) the prior's parameters (one draw of p0, reach scale,
 * overshoot and return share per replicate). The net of a replicate is a draw of the net the
 * window will realise, so the 90% interval and P(net > 0) cover all three.
 */
function priorReplicates(x: ThresholdInputs, prior: ThresholdPrior, prep: Prepared, { scales, shapes, byReach, zones }: PriorCases, above: readonly Float64Array[], rng: SeededRng, resamples: number): Replicates {
  const B = prep.bins;
  const C = x.candidates.length;
  const nets = x.candidates.map(() => new Float64Array(resamples));
  const meanNets = x.candidates.map(() => new Float64Array(resamples));
  const weight = new Float64Array(B);
  // The bins a candidate reads: its zones' (in any case) and those with orders above it (each
  // candidate's reward sum starts at its first: the terms before are +-0).
  const aboveFrom = above.map(firstNonZero);
  const firstUsed = Math.min(...aboveFrom, ...zones.flat().map((z) => (z.topUps.length ? z.firstBin : B)));
  // Each replicate's draw of each unknown, for which of them decides the answer.
  const draws: Record<PriorUnknown, Float64Array> = {
    uptake: new Float64Array(resamples), reach: new Float64Array(resamples),
    overshoot: new Float64Array(resamples), returns: new Float64Array(resamples), shape: new Float64Array(resamples),
  };
  for (let s = 0; s < resamples; s++) {
    // (a) the orders, (c) the unknowns, then (b) the top-ups per bin.
    drawWeights(rng, prep, firstUsed, weight);
    const drawn = prior.uptake ? betaSample(rng, prior.uptake.alpha, prior.uptake.beta) : x.p0;
    const scaleIndex = Math.min(scales.length - 1, Math.floor(rng() * scales.length));
    // (a shape is drawn only when there are several, so one shape keeps the stream of before)
    const shapeIndex = shapes.length > 1 ? Math.min(shapes.length - 1, Math.floor(rng() * shapes.length)) : 0;
    const r = shapeIndex * scales.length + scaleIndex;
    // (the point reach's draw is made in every replicate, so the stream is the same with or without byReach)
    const p0 = byReach ? betaSample(rng, byReach[r].alpha, byReach[r].beta) : drawn;
    const overshoot = uniformOn(rng, prior.overshootLowMinor, prior.overshootHighMinor);
    const keep = 1 - uniformOn(rng, prior.returnLow, prior.returnHigh);
    draws.uptake[s] = p0;
    draws.reach[s] = x.reachMinor * scales[scaleIndex];
    draws.shape[s] = shapeIndex;
    draws.overshoot[s] = overshoot;
    draws.returns[s] = 1 - keep;
    for (let c = 0; c < C; c++) {
      const a = above[c];
      let net = 0;
      for (let b = aboveFrom[c]; b < B; b++) net -= weight[b] * a[b];
      const z = zones[c][r];
      let meanNet = net;
      for (let j = 0; j < z.topUps.length; j++) {
        const mean = weight[z.firstBin + j] * p0 * z.topUps[j];
        if (!(mean > 0)) continue;
        const perBin = keep * (z.gapMargin[j] + overshoot * z.rate[j]) - z.reward[j];
        meanNet += (mean * perBin) / z.topUps[j];
        const count = poisson(rng, mean);
        if (count === 0) continue;
        net += (count * perBin) / z.topUps[j];
      }
      nets[c][s] = net;
      meanNets[c][s] = meanNet;
    }
  }
  // Only the unknowns the prior lets vary.
  const varying: PriorUnknown[] = [];
  if (prior.uptake || byReach) varying.push('uptake');
  if (scales.length > 1) varying.push('reach');
  if (shapes.length > 1) varying.push('shape');
  if (prior.overshootHighMinor > prior.overshootLowMinor) varying.push('overshoot');
  if (prior.returnHigh > prior.returnLow) varying.push('returns');
  const positive = new Float64Array(resamples);
  const sensitivity = nets.map((candidateNets) => {
    for (let s = 0; s < resamples; s++) positive[s] = candidateNets[s] > 0 ? 1 : 0;
    return varying
      .map((unknown): UnknownSensitivity => {
        // Five groups of replicates (the reach: one per scale, seven).
        const { index, groups } = firstOrderIndex(draws[unknown], positive, unknown === 'reach' ? scales.length : 5);
        const side = (g: (typeof groups)[number]) => ({ from: g.low, to: g.high, probabilityPositive: g.meanY });
        return { unknown, index: Number.isFinite(index) ? index : 0, low: side(groups[0]), high: side(groups[groups.length - 1]) };
      })
      .sort((a, b) => b.index - a.index || varying.indexOf(a.unknown) - varying.indexOf(b.unknown));
  });
  return { nets, meanNets, sensitivity };
}

/**
 * Bisection on uptake and on reward cost for one threshold: the value at which the
 * simulation reaches P(net > 0) >= confidence (fewer resamples: this is a guide).
 * Up to 28 passes over the same orders: they are prepared once (`prep`, the caller's), and
 * the reward passes get a copy with the reward changed, as prepare() would build it.
 */
function whatWouldHaveToBeTrue(x: ThresholdInputs, prep: Prepared, revenue: number, threshold: number, confidence: number): WhatWouldHaveToBeTrue {
  // The uptake passes share one threshold and reward, so their zones are built once.
  const uptakeReuse: Reuse = {};
  // The reward passes refill one array (a pass reads it only while it runs).
  let passReward: Float64Array | undefined;
  const passes = (override: { p0: number } | { rewardMinor: number }) => {
    // With a prior, the uptake searched for is taken as known (the other unknowns stay uncertain).
    const prior = x.prior && 'p0' in override ? { ...x.prior, uptake: undefined } : x.prior;
    const inputs: ThresholdInputs = { ...x, prior, ...override, candidates: [threshold], resamples: 300, confidence: 2, skipNeeded: true };
    // (only searched without shipping costs, so every order's reward is the flat one: prepare()'s fill)
    const passPrep = 'rewardMinor' in override ? { ...prep, reward: (passReward ??= new Float64Array(prep.sorted.length)).fill(override.rewardMinor) } : prep;
    const r = simulatePrepared(inputs, passPrep, revenue, 'p0' in override ? uptakeReuse : undefined);
    const c = r.candidates[0];
    return c.probabilityPositive >= confidence && c.expectedNetMarginMinor > 0;
  };
  let uptakeNeeded: number | null = null;
  if (passes({ p0: 1 })) {
    let lo = x.p0;
    let hi = 1;
    for (let i = 0; i < 12; i++) {
      const mid = (lo + hi) / 2;
      if (passes({ p0: mid })) hi = mid;
      else lo = mid;
    }
    uptakeNeeded = hi;
  }
  let rewardCostNeededMinor: number | null = null;
  if (!x.shippingMinor && passes({ rewardMinor: 0 })) {
    let lo = 0;
    let hi = x.rewardMinor;
    for (let i = 0; i < 14; i++) {
      const mid = (lo + hi) / 2;
      if (passes({ rewardMinor: mid })) lo = mid;
      else hi = mid;
    }
    rewardCostNeededMinor = Math.floor(lo);
  }
  return { uptakeNeeded, rewardCostNeededMinor, threshold };
}
