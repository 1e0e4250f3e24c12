/**
 * A simulation harness for `aov evaluate` (issue #18): seeded shops from the same world as the
 * threshold harness (thresholdSimulation.ts: catalogue carts or lognormal mixtures, a true
 * response that is not aov's model), given dates, a trend, a season and a few huge orders, with
 * a gift threshold switched on at a known date. A planted shop's customers respond from that
 * date with the world's true response (u exp(-gap / s), a real catalogue item priced >= the gap);
 * a null shop is the same shop with no response. The scorer runs what `aov evaluate --threshold
 * T --since DATE` runs on the dated orders and compares it with the truth: the orders that truly
 * moved, the true uptake (the share of the post period's counterfactual carts within aov's reach
 * below T expected to top up, as trueZoneShare in the threshold harness) and, for null shops,
 * whether the verdict is "no effect".
 */
import { createRng, type Rng } from './random.js';
import { shopWorld, trueTopUp, type ShopOptions } from './thresholdSimulation.js';
import { lowerBound } from './sortedSearch.js';
import { responseAssumptions } from './thresholdResponse.js';
import type { OrderTable } from './types.js';
import { evaluateThreshold, type ThresholdEvaluation } from './evaluateThreshold.js';
import { DAY_MS, MONTH_MS } from './periods.js';

const YEAR = 365.25 * DAY_MS;
/** The simulated data start: 2024-01-01. */
const START = Date.UTC(2024, 0, 1);

export interface EvaluationShopOptions extends ShopOptions {
  /** Months of orders before the start (default 18: a year before the post period's months is there) and after it (default 6). */
  preMonths?: number;
  postMonths?: number;
  /** false: a null shop (no response to the threshold). */
  planted?: boolean;
  /**
   * Days of orders past the post period: the merchant who comes back later. The first
   * preMonths + postMonths are the same orders (every draw unchanged); the extension continues
   * each stream at the shop's order rate, trend, season and huge-order rate, the planted
   * response still on and the null still without one.
   */
  extraDays?: number;
}

export interface EvaluationShop {
  id: number;
  planted: boolean;
  kind: 'catalogue' | 'lognormalMixture';
  table: OrderTable;
  sinceMs: number;
  thresholdMinor: number;
  margin: number;
  giftCostMinor: number;
  /** The cheapest line of each multi-item pre-period order, ascending (what the command reads the reach from). */
  preAddOnPriceMinor: Float64Array;
  truth: {
    /** Post-period orders that topped up. */
    moved: number;
    /** The expected share of post-period counterfactual carts in [T - reach, T) that top up, at aov's reach. */
    zoneShare: number;
    reachMinor: number;
    uptake: number;
    /** Spend the moved orders added. */
    addedSpendMinor: number;
    /** The value trend (per year) and the season's amplitudes. */
    trendPerYear: number;
    valueSeason: number;
    /** The order-value scale at time t (the trend times the season): what a counterfactual order placed then is drawn at. */
    valueScaleAt: (t: number) => number;
    volumeSeason: number;
    hugeOrders: number;
  };
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();

/** Shop `id` of benchmark `seed`, dated, with a threshold from a known date (planted or null). */
export function generateEvaluationShop(seed: number, id: number, options: EvaluationShopOptions = {}): EvaluationShop {
  const world = shopWorld(seed, id, options);
  const planted = options.planted ?? true;
  const preMonths = options.preMonths ?? 18;
  const postMonths = options.postMonths ?? 6;
  // The dating and the shop's drift, from their own stream (the same for the planted and the null twin).
  const rng = createRng((seed * 7_368_787 + id * 2_750_159 + 5) >>> 0);
  const trendPerYear = uniform(rng, -0.15, 0.25);
  const valueSeason = uniform(rng, 0, 0.15);
  const volumeSeason = uniform(rng, 0, 0.4);
  const valuePhase = uniform(rng, 0, 2 * Math.PI);
  const volumePhase = uniform(rng, 0, 2 * Math.PI);
  const sinceMs = Date.UTC(2024, preMonths, 1);
  const endMs = Date.UTC(2024, preMonths + postMonths, 1);
  const years = (endMs - START) / YEAR;
  const baseTotal = Math.round(world.ordersPerYear * years);
  const seasonAt = (t: number) => 1 + volumeSeason * Math.sin((2 * Math.PI * (t - START)) / YEAR + volumePhase);
  // Order times: uniform, thinned by the season of volume (rejection sampling).
  const times: number[] = [];
  while (times.length < baseTotal) {
    const t = START + rng() * (endMs - START);
    if (rng() * (1 + volumeSeason) < seasonAt(t)) times.push(t);
  }
  times.sort((a, b) => a - b);
  // The extension: a Poisson process at the same rate (orders a year times the season), thinned
  // from its peak rate, from a stream of its own so that the orders before endMs are untouched.
  const extendedEndMs = endMs + (options.extraDays ?? 0) * DAY_MS;
  const extensionRng = createRng((seed * 7_368_787 + id * 2_750_159 + 29) >>> 0);
  const peakRate = (world.ordersPerYear * (1 + volumeSeason)) / YEAR;
  for (let t = endMs; ;) {
    t += -Math.log(1 - extensionRng()) / peakRate;
    if (t >= extendedEndMs) break;
    if (extensionRng() * (1 + volumeSeason) < seasonAt(t)) times.push(t);
  }
  const total = times.length;
  const scaleAt = (t: number) => {
    const y = (t - START) / YEAR;
    return Math.exp(trendPerYear * y) * (1 + valueSeason * Math.sin(2 * Math.PI * y + valuePhase));
  };
  // The orders, their counterfactual values (no threshold).
  const orderRng = createRng((seed * 31 + id * 104_729 + 11) >>> 0);
  const value = new Float64Array(total);
  const lines = new Int32Array(total);
  const addOn = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    const o = world.source.draw(orderRng, scaleAt(times[i]));
    value[i] = o.value;
    lines[i] = o.lines;
    addOn[i] = o.addOn;
  }
  // A few huge orders (a trade buyer, a corporate gift): 2-6 at 20-100 x the AOV, any time.
  let sum = 0;
  for (let i = 0; i < baseTotal; i++) sum += value[i];
  const aov = sum / baseTotal;
  const hugeRng = createRng((seed * 613 + id * 1_299_709 + 13) >>> 0);
  const baseHugeOrders = 2 + Math.floor(hugeRng() * 5);
  const makeHuge = (i: number) => {
    value[i] = Math.round(aov * Math.exp(uniform(hugeRng, Math.log(20), Math.log(100))));
    lines[i] = Math.max(lines[i], 5);
  };
  for (let k = 0; k < baseHugeOrders; k++) makeHuge(Math.floor(hugeRng() * baseTotal));
  // In the extension, huge orders at the same rate (a Poisson process), each on the order nearest after its time.
  let hugeOrders = baseHugeOrders;
  const timeColumn = Float64Array.from(times);
  for (let t = endMs; total > baseTotal;) {
    t += (-Math.log(1 - hugeRng()) * (endMs - START)) / baseHugeOrders;
    const i = lowerBound(timeColumn, t);
    if (t >= extendedEndMs || i >= total) break;
    makeHuge(i);
    hugeOrders++;
  }
  // The threshold: a round amount 10-35% above the pre-period AOV (as the threshold harness's past threshold).
  const first = lowerBound(timeColumn, sinceMs);
  let preSum = 0;
  for (let i = 0; i < first; i++) preSum += Math.min(value[i], 10 * aov);
  const preAov = preSum / Math.max(1, first);
  const unit = preAov < 5000 ? 100 : 500;
  const thresholdMinor = Math.max(unit, Math.round((preAov * uniform(rng, 1.1, 1.35)) / unit) * unit);
  // aov's reach, from the pre-period's add-on prices of the last 12 months (what the command reads).
  const preFrom = Date.UTC(2024, preMonths - 12, 1);
  const preAddOns = Float64Array.from(addOn.filter((a, i) => Number.isFinite(a) && times[i] >= preFrom && times[i] < sinceMs)).sort();
  const reachMinor = responseAssumptions(preAddOns, preAov).reachMinor;
  // The truth's expected zone share over the post period's counterfactual carts.
  const top = world.itemPriceMinor[world.itemPriceMinor.length - 1];
  let inZone = 0;
  let expected = 0;
  for (let i = first; i < total; i++) {
    const v = value[i];
    if (v < thresholdMinor - reachMinor || v >= thresholdMinor) continue;
    inZone++;
    const gap = thresholdMinor - v;
    if (top >= gap) expected += world.uptake * Math.exp(-gap / world.decayScaleMinor);
  }
  // The response, from the start date.
  let moved = 0;
  let addedSpendMinor = 0;
  if (planted) {
    const topUp = trueTopUp(world);
    const responseRng = createRng((seed * 977 + id * 65_537 + 17) >>> 0);
    for (let i = first; i < total; i++) {
      const price = topUp(responseRng, value[i], thresholdMinor);
      if (price === 0) continue;
      value[i] += price;
      lines[i] = Math.max(2, lines[i] + 1);
      moved++;
      addedSpendMinor += price;
    }
  }
  const table: OrderTable = {
    currency: 'XXX', decimals: 2,
    orderIds: Array.from({ length: total }, (_, i) => `#${i + 1}`),
    valueMinor: value, placedAt: timeColumn,
    customer: new Int32Array(total).fill(-1), customerCount: 0,
    itemCount: lines, units: Float64Array.from(lines),
  };
  return {
    id, planted, kind: world.kind, table, sinceMs, thresholdMinor, margin: world.margin, giftCostMinor: world.giftCostMinor, preAddOnPriceMinor: preAddOns,
    truth: { moved, zoneShare: inZone ? expected / inZone : NaN, reachMinor, uptake: world.uptake, addedSpendMinor, trendPerYear, valueSeason, valueScaleAt: scaleAt, volumeSeason, hugeOrders },
  };
}

export interface EvaluationScore {
  id: number;
  planted: boolean;
  kind: EvaluationShop['kind'];
  orders: number;
  postOrders: number;
  thresholdMinor: number;
  trueMoved: number;
  moved: number;
  movedLow: number;
  movedHigh: number;
  covers: boolean;
  trueUptake: number;
  uptake: number;
  uptakeLow: number;
  uptakeHigh: number;
  within30: boolean;
  uptakeCovers: boolean;
  effect: ThresholdEvaluation['effect'];
  verdict: ThresholdEvaluation['verdict']['action'];
  reason: ThresholdEvaluation['verdict']['reason'];
  /** The true net over the post period: the margin on the spend the moved orders truly added, less the rewards paid. */
  trueNetMinor: number;
  inflation: number;
  placebos: number;
  /** (excess - dip) in bootstrap standard deviations, the excess above and the dip below (differenceBunching). */
  inconsistency: number;
  excessAbove: number;
  missingBelow: number;
  trueAddedSpendMinor: number;
  addedSpendMinor: number;
  /** Months of orders after the start when scored, and the orders a day in them. */
  postMonths: number;
  postOrdersPerDay: number;
  /** When too early: the more orders aov asked for (Infinity: however long it runs). */
  moreOrders: number;
  /** What aov says of its uptake: the 95% interval's half-width over the estimate, and whether that is within its ±30% (uptakePrecision). */
  uptakeRelativeHalfWidth: number;
  saysPrecise: boolean;
  /** --until-ready: the evaluations run (1: the first was not too early), and why it stopped. */
  rounds: number;
  stopped: 'verdict' | 'cap' | 'never ready';
}

export interface ScoreOptions {
  resamples?: number;
  seed?: number;
  windows?: { below: number; above: number; flank: number };
  /** Months before the start the counterfactual is read from (evaluateThreshold's COUNTERFACTUAL_MONTHS by default). */
  counterfactualMonths?: number;
}

/** Runs the evaluation on one shop (what `aov evaluate --threshold T --since DATE --gift-cost g --margin m` runs) and scores it. */
export function scoreEvaluation(shop: EvaluationShop, options: ScoreOptions = {}): EvaluationScore {
  const e = evaluateThreshold(shop.table, {
    sinceMs: shop.sinceMs, thresholdMinor: shop.thresholdMinor, preAddOnPriceMinor: shop.preAddOnPriceMinor,
    reward: { rewardMinor: shop.giftCostMinor, source: '--gift-cost' }, margin: { rate: shop.margin, source: '--margin' },
    resamples: options.resamples ?? 500, seed: options.seed ?? 1, windows: options.windows, counterfactualMonths: options.counterfactualMonths,
  });
  const b = e.bunching;
  const t = shop.truth;
  return {
    id: shop.id, planted: shop.planted, kind: shop.kind, orders: shop.table.valueMinor.length, postOrders: e.post.orders, thresholdMinor: shop.thresholdMinor,
    trueMoved: t.moved, moved: b?.movedOrders ?? NaN, movedLow: b?.movedOrdersLow ?? NaN, movedHigh: b?.movedOrdersHigh ?? NaN,
    covers: b ? b.movedOrdersLow <= t.moved && t.moved <= b.movedOrdersHigh : false,
    trueUptake: t.zoneShare, uptake: b?.uptake ?? NaN, uptakeLow: b?.uptakeLow ?? NaN, uptakeHigh: b?.uptakeHigh ?? NaN,
    within30: b ? Math.abs(b.uptake / t.zoneShare - 1) <= 0.3 : false,
    uptakeCovers: b ? b.uptakeLow <= t.zoneShare && t.zoneShare <= b.uptakeHigh : false,
    effect: e.effect, verdict: e.verdict.action, reason: e.verdict.reason,
    trueNetMinor: shop.margin * t.addedSpendMinor - e.post.atOrAbove * shop.giftCostMinor,
    inflation: b?.placeboInflation ?? NaN, placebos: b?.placebosUsed ?? 0,
    inconsistency: b?.inconsistency ?? NaN, excessAbove: b?.excessAbove ?? NaN, missingBelow: b?.missingBelow ?? NaN,
    trueAddedSpendMinor: t.addedSpendMinor, addedSpendMinor: e.economics ? e.economics.extraMarginMinor / shop.margin : NaN,
    postMonths: e.post.days * DAY_MS / MONTH_MS, postOrdersPerDay: e.post.days > 0 ? e.post.orders / e.post.days : 0,
    moreOrders: e.tooEarly ? e.tooEarly.moreOrders : 0,
    uptakeRelativeHalfWidth: e.uptakePrecision?.relativeHalfWidth ?? NaN, saysPrecise: e.uptakePrecision?.precise ?? false,
    rounds: 1, stopped: e.verdict.action === 'wait' ? (Number.isFinite(e.tooEarly?.moreOrders ?? Infinity) ? 'cap' : 'never ready') : 'verdict',
  };
}

/** --until-ready's cap: months after the start a merchant comes back up to. */
export const UNTIL_READY_MONTHS = 24;

/**
 * What a merchant experiences who comes back when told: while the evaluation says "too early:
 * N more orders needed", the shop's post period is extended by the days N orders take at the
 * rate of its post period so far (the same shop, the first months unchanged: extraDays), up to
 * `capMonths` after the start, and the verdict it then gets is scored. "However long it runs"
 * (the pre period too short) is taken at its word: no return.
 */
export function scoreUntilReady(seed: number, id: number, options: EvaluationShopOptions & ScoreOptions & { capMonths?: number }): EvaluationScore {
  const preMonths = options.preMonths ?? 18;
  const postMonths = options.postMonths ?? 6;
  const capDays = (Date.UTC(2024, preMonths + (options.capMonths ?? UNTIL_READY_MONTHS), 1) - Date.UTC(2024, preMonths + postMonths, 1)) / DAY_MS;
  let extraDays = 0;
  for (let rounds = 1; ; rounds++) {
    const score = scoreEvaluation(generateEvaluationShop(seed, id, { ...options, extraDays }), options);
    if (score.verdict !== 'wait' || !Number.isFinite(score.moreOrders) || extraDays >= capDays || !(score.postOrdersPerDay > 0)) {
      return { ...score, rounds, stopped: score.verdict !== 'wait' ? 'verdict' : Number.isFinite(score.moreOrders) ? 'cap' : 'never ready' };
    }
    // At least a day more: "1 more order" still means coming back.
    extraDays = Math.min(capDays, extraDays + Math.max(1, Math.ceil(score.moreOrders / score.postOrdersPerDay)));
  }
}

export interface EvaluationSummary {
  shops: number;
  /** Planted shops: the moved-orders 95% interval holds the truth (target >= 90%). */
  covers: number;
  /** Planted shops: the uptake within 30% of the truth (target >= 80%), and its interval holding it. */
  within30: number;
  uptakeCovers: number;
  /** Planted shops with at least 100 truly moved orders, and of those within 30%. */
  informative: number;
  informativeWithin30: number;
  /** Planted shops where aov says its uptake is within ±30% (uptakePrecision), and of those within 30% of the truth. */
  saysPrecise: number;
  saysPreciseWithin30: number;
  /** Planted shops whose effect was detected; too early. */
  detected: number;
  plantedTooEarly: number;
  /** Null shops: "no effect" (a 10% uptake ruled out, or "stop: it cannot pay"; target >= 90%), a false alarm (effect detected), too early (and not stopped). */
  nullNoEffect: number;
  /** Of those, the ones that ruled out a 10% uptake (effect none; the rest: cannot pay, effect still too early). */
  nullRuledOut: number;
  /** Planted shops told "stop: it cannot pay", and of those the ones whose true net is above 0 (wrongly stopped). */
  plantedCannotPay: number;
  plantedCannotPayButPays: number;
  nullFalseAlarm: number;
  nullTooEarly: number;
  /** Shops still too early when scored that were told "however long it runs" (the rest of too early stopped at the end or the cap). */
  plantedNeverReady: number;
  nullNeverReady: number;
}

export function summariseEvaluation(planted: readonly EvaluationScore[], nulls: readonly EvaluationScore[]): EvaluationSummary {
  const count = <T>(list: readonly T[], f: (s: T) => boolean) => list.filter(f).length;
  return {
    shops: planted.length,
    covers: count(planted, (s) => s.covers),
    within30: count(planted, (s) => s.within30),
    uptakeCovers: count(planted, (s) => s.uptakeCovers),
    informative: count(planted, (s) => s.trueMoved >= 100),
    informativeWithin30: count(planted, (s) => s.trueMoved >= 100 && s.within30),
    saysPrecise: count(planted, (s) => s.saysPrecise),
    saysPreciseWithin30: count(planted, (s) => s.saysPrecise && s.within30),
    detected: count(planted, (s) => s.effect === 'detected'),
    plantedTooEarly: count(planted, (s) => s.verdict === 'wait'),
    nullNoEffect: count(nulls, (s) => s.effect === 'none' || s.reason === 'cannotPay'),
    nullRuledOut: count(nulls, (s) => s.effect === 'none'),
    plantedCannotPay: count(planted, (s) => s.reason === 'cannotPay'),
    plantedCannotPayButPays: count(planted, (s) => s.reason === 'cannotPay' && s.trueNetMinor > 0),
    nullFalseAlarm: count(nulls, (s) => s.effect === 'detected'),
    nullTooEarly: count(nulls, (s) => s.verdict === 'wait'),
    plantedNeverReady: count(planted, (s) => s.verdict === 'wait' && s.stopped === 'never ready'),
    nullNeverReady: count(nulls, (s) => s.verdict === 'wait' && s.stopped === 'never ready'),
  };
}

/**
 * Scores shops 0..count-1 of benchmark `seed`, each planted and null; `untilReady`: each
 * coming back when told until it gets a verdict or `capMonths` (scoreUntilReady).
 */
export function runEvaluationSimulation(seed: number, count: number, options: EvaluationShopOptions & ScoreOptions & { untilReady?: boolean; capMonths?: number } = {}) {
  const planted: EvaluationScore[] = [];
  const nulls: EvaluationScore[] = [];
  const score = (id: number, isPlanted: boolean) => options.untilReady
    ? scoreUntilReady(seed, id, { ...options, planted: isPlanted })
    : scoreEvaluation(generateEvaluationShop(seed, id, { ...options, planted: isPlanted }), options);
  for (let id = 0; id < count; id++) {
    planted.push(score(id, true));
    nulls.push(score(id, false));
  }
  return { planted, nulls, summary: summariseEvaluation(planted, nulls) };
}
