/**
 * A simulation harness for `aov suggest-threshold` (issue #16): seeded shops whose TRUE
 * response to a threshold is known and is deliberately not aov's model, and a scorer that
 * runs aov's recommendation on each shop's simulated history and compares it with the truth.
 *
 * The true world (per shop, all drawn from the shop's seed):
 *  - Orders: either carts of catalogue items (1 + Poisson items, popularity Zipf-like,
 *    price points) or values from a 2-3 component lognormal mixture whose multi-item orders
 *    carry a catalogue add-on; AOV 20-600, 300-20,000 orders a year, margin 25-70%, gift
 *    cost (or shipping fee waived) 0.3-6% of the AOV (log-uniform).
 *  - Response: a customer below T with gap g tops up with probability u exp(-g / s), only if
 *    some catalogue item costs at least g; u (the true uptake at a tiny gap) ~ U(0.05, 0.30),
 *    s = k x the catalogue's median price (k: see SimulationWorld). aov assumes a linear or
 *    logistic fall to zero at its reach instead.
 *  - The top-up is one real catalogue item priced at least g, chosen with weight
 *    popularity x exp(-(price - g) / c), c = k2 x median price (small k2: customers pick a
 *    closer near the gap; large: by popularity alone). Overshoot = price - g, not aov's mean.
 *  - A share rho ~ U(0.03, 0.18) of top-up items comes back: its revenue and margin are lost,
 *    the gift is not.
 * The true expected net of T over a year is ordersPerYear x the mean, over a large fresh
 * sample of the shop's order values (the population), of the exact expected net per order:
 * -gift for v >= T; q(g) [(1 - rho) m E[price | g] - gift] for v < T, where E[price | g]
 * is the choice-weighted mean price of the items priced >= g (exact, by suffix sums).
 */
import { bunching } from './bunching.js';
import { candidateThresholds } from './priceRounding.js';
import { betaFromRange, betaSample } from './beta.js';
import { createRng, poisson, type Rng } from './random.js';
import { medianSorted, quantileSorted } from './robust.js';
import { calibrateUptake } from './calibration.js';
import { lowerBound } from './sortedSearch.js';
import { simulateThresholds, type ResponseShape, type ThresholdInputs, type ThresholdResult } from './threshold.js';
import { DEFAULT_REACH_SPREAD, DEFAULT_RETURN_RANGE, DEFAULT_UPTAKE_RANGE, reachScales, responseAssumptions, type ItemSales } from './thresholdResponse.js';
import { resolvePrior } from './thresholdPlan/prior.js';
import { DEFAULT_UPTAKE, type UptakeDecision } from './thresholdPlan/uptake.js';

export interface SimulatedShop {
  id: number;
  kind: 'catalogue' | 'lognormalMixture';
  ordersPerYear: number;
  margin: number;
  giftCostMinor: number;
  /** The history aov sees: a year of order values, the cheapest line of each multi-item order (ascending), and the items sold (catalogue order, with the baskets each is in). */
  history: { valueMinor: Float64Array; addOnPriceMinor: Float64Array; itemSales: ItemSales };
  truth: {
    uptake: number;
    decayScaleMinor: number;
    choiceScaleMinor: number;
    returnRate: number;
    /** Catalogue prices ascending, with each item's choice weight (popularity x exp(-price / c)). */
    itemPriceMinor: Float64Array;
    itemChoiceWeight: Float64Array;
    /** A large fresh sample of order values, ascending, for the exact expectation. */
    populationMinor: Float64Array;
  };
  /**
   * With ShopOptions.pastThreshold: a gift threshold ran through the history year, and the
   * true response moved some orders above it (history.valueMinor holds the moved values).
   */
  past?: {
    thresholdMinor: number;
    /** Orders that topped up in the history. */
    moved: number;
    /** The history's order values had no threshold run, ascending (the counterfactual). */
    counterfactualMinor: Float64Array;
  };
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
const logUniform = (rng: Rng, lo: number, hi: number) => Math.exp(uniform(rng, Math.log(lo), Math.log(hi)));

/** A standard normal draw (Box-Muller). https://en.wikipedia.org/wiki/Box%E2%80%93Muller_transform */
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-300))) * Math.cos(2 * Math.PI * rng());
}

/** Index into cumulative weights (ascending, last = total) by a uniform draw. */
function pick(cumulative: Float64Array, rng: Rng): number {
  const target = rng() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A price point in minor units: x.99, x.00 or x.50 above 10, whole cents below. */
function pricePoint(minor: number, style: number): number {
  if (minor < 1000) return Math.max(50, Math.round(minor / 10) * 10 - (style === 0 ? 1 : 0));
  const units = Math.max(1, Math.round(minor / 100));
  if (style === 0) return units * 100 - 1;
  if (style === 1) return units * 100;
  return Math.round(minor / 50) * 50;
}

export interface OrderSource {
  /**
   * Draws one order: its value, and the cheapest line value when it has two or more lines (else
   * NaN), and its lines. `scale` (default 1) scales the order's expected value: a trend or a
   * season (carts of catalogue items get more lines; mixture values are multiplied). `sold`,
   * when given, counts the baskets each catalogue item (ascending price) is in; it draws no
   * random number, so the orders are the same with or without it.
   */
  draw(rng: Rng, scale?: number, sold?: Float64Array): { value: number; addOn: number; lines: number };
}

/** Generates shop `id` of a benchmark seeded by `seed`: the same (seed, id) always gives the same shop. */
/**
 * How far customers reach and how cheap a closer they pick, relative to the catalogue's
 * median price m: 'cautious' (the default) decay scale s ~ U(0.15, 0.6) m and choice scale
 * c ~ U(0.1, 1) m (customers search for an item near the gap, as Chen & Ngwe 2018 find:
 * "consumers incur search costs to meet this threshold exactly"); 'generous' s ~ U(0.3, 1.2) m,
 * c ~ U(0.3, 3) m (large gaps get closed, closers picked mostly by popularity); 'mixed' (the
 * benchmark's default) s ~ logU(0.15, 1.2) m, c ~ logU(0.1, 3) m, spanning both; 'prior': the
 * uptake, reach and returns drawn from aov's own stated prior (the shape still exponential,
 * the choice scale as in 'mixed'), the world in which a coherent P(net > 0) must be calibrated.
 */
export type SimulationWorld = 'mixed' | 'cautious' | 'generous' | 'prior';

export interface ShopOptions {
  populationSize?: number;
  world?: SimulationWorld;
  /** The true uptake's range (default 0.05-0.30), to score a world outside the prior. */
  trueUptakeRange?: readonly [number, number];
  /** Orders a year (default 300-20,000, log-uniform), to score larger or smaller shops; the same draw, so the rest of the shop is unchanged. */
  ordersRange?: readonly [number, number];
  /**
   * A gift threshold already ran through the history year, at a round amount 10-35% above
   * the AOV: the true response moved orders above it, which calibration (bunching) reads.
   */
  pastThreshold?: boolean;
}

/**
 * A simulated shop's world, before any history is drawn: its catalogue, how it draws an order,
 * its economics and its true response to a threshold. generateShop draws a year of history from
 * it; the evaluation harness (evaluateSimulation.ts) draws a dated history with a threshold
 * switched on part-way. The same (seed, id) always gives the same world.
 */
export interface ShopWorld {
  kind: SimulatedShop['kind'];
  ordersPerYear: number;
  margin: number;
  giftCostMinor: number;
  source: OrderSource;
  uptake: number;
  decayScaleMinor: number;
  choiceScaleMinor: number;
  returnRate: number;
  itemPriceMinor: Float64Array;
  itemChoiceWeight: Float64Array;
  /** The shop's random stream after the truth's draws (world 'prior' draws its truth from it in generateShop). */
  rng: Rng;
}

export function shopWorld(seed: number, id: number, options: ShopOptions = {}): ShopWorld {
  const rng = createRng((seed * 1_000_003 + id * 7919) >>> 0);
  const kind: SimulatedShop['kind'] = rng() < 0.5 ? 'catalogue' : 'lognormalMixture';
  const aovMinor = logUniform(rng, 20, 600) * 100;
  const ordersPerYear = Math.round(logUniform(rng, options.ordersRange?.[0] ?? 300, options.ordersRange?.[1] ?? 20_000));
  const margin = uniform(rng, 0.25, 0.7);
  const giftCostMinor = Math.max(1, Math.round(aovMinor * logUniform(rng, 0.003, 0.06)));
  const style = Math.floor(rng() * 3);

  // The catalogue: lognormal prices around a median, Zipf-like popularity in a random order.
  const itemsPerCart = uniform(rng, 1.3, 3.5);
  const items = Math.round(logUniform(rng, 15, 300));
  const priceSigma = uniform(rng, 0.4, 1.1);
  // Lognormal mean = median exp(sigma^2 / 2): the catalogue median that gives the AOV for catalogue carts.
  const medianPrice = kind === 'catalogue' ? aovMinor / itemsPerCart / Math.exp((priceSigma * priceSigma) / 2) : aovMinor * uniform(rng, 0.15, 0.5);
  const zipf = uniform(rng, 0.6, 1.2);
  const raw = Array.from({ length: items }, () => pricePoint(medianPrice * Math.exp(priceSigma * normal(rng)), style));
  // Popularity ranks in a random order (Fisher-Yates).
  const rank = Array.from({ length: items }, (_, i) => i);
  for (let i = items - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [rank[i], rank[j]] = [rank[j], rank[i]];
  }
  const popularity = raw.map((_, i) => 1 / (rank[i] + 1) ** zipf);
  // Cheap items are a little more popular in most shops.
  const cheapBias = uniform(rng, 0, 0.6);
  for (let i = 0; i < items; i++) popularity[i] *= (medianPrice / raw[i]) ** cheapBias;
  const order = raw.map((_, i) => i).sort((a, b) => raw[a] - raw[b]);
  const itemPriceMinor = Float64Array.from(order, (i) => raw[i]);
  const itemPopularity = Float64Array.from(order, (i) => popularity[i]);
  const popularityCumulative = new Float64Array(items);
  itemPopularity.reduce((acc, w, i) => (popularityCumulative[i] = acc + w), 0);
  const catalogueMedian = medianSorted(itemPriceMinor);

  let source: OrderSource;
  if (kind === 'catalogue') {
    const doubleQuantity = uniform(rng, 0, 0.2);
    source = {
      draw(r, scale = 1, sold) {
        const lines = 1 + poisson(r, Math.max(0, itemsPerCart * scale - 1));
        let value = 0;
        let cheapest = Infinity;
        const picked: number[] = [];
        for (let l = 0; l < lines; l++) {
          const item = pick(popularityCumulative, r);
          const line = itemPriceMinor[item] * (r() < doubleQuantity ? 2 : 1);
          value += line;
          cheapest = Math.min(cheapest, line);
          if (sold && !picked.includes(item)) picked.push(item);
        }
        for (const item of picked) sold![item]++;
        return { value, addOn: lines >= 2 ? cheapest : NaN, lines };
      },
    };
  } else {
    const components = 2 + Math.floor(rng() * 2);
    const weights = Array.from({ length: components }, () => uniform(rng, 0.2, 1));
    const sigmas = Array.from({ length: components }, () => uniform(rng, 0.3, 0.9));
    const spread = Array.from({ length: components }, () => Math.exp(uniform(rng, -0.8, 0.8)));
    // Scale the medians so the mixture's mean is the AOV.
    const total = weights.reduce((a, b) => a + b, 0);
    const rawMean = weights.reduce((a, w, k) => a + (w / total) * spread[k] * Math.exp((sigmas[k] * sigmas[k]) / 2), 0);
    const medians = spread.map((x) => (x * aovMinor) / rawMean);
    const cumulative = new Float64Array(components);
    weights.reduce((acc, w, k) => (cumulative[k] = acc + w), 0);
    const multiItemShare = uniform(rng, 0.3, 0.7);
    source = {
      draw(r, scale = 1, sold) {
        const k = pick(cumulative, r);
        const value = Math.max(100, Math.round(medians[k] * scale * Math.exp(sigmas[k] * normal(r))));
        if (r() >= multiItemShare) return { value, addOn: NaN, lines: 1 };
        // The add-on: a catalogue item at most half the order (the cheapest item if none is).
        // (Only the add-on is a catalogue item here: the rest of the order's value has no items.)
        let item = pick(popularityCumulative, r);
        for (let tries = 0; itemPriceMinor[item] > value / 2 && tries < 20; tries++) item = pick(popularityCumulative, r);
        if (itemPriceMinor[item] > value / 2) item = 0;
        if (sold) sold[item]++;
        return { value, addOn: itemPriceMinor[item], lines: 2 };
      },
    };
  }

  // Truth parameters, drawn after the shape so the history does not depend on them.
  const uptake = uniform(rng, options.trueUptakeRange?.[0] ?? 0.05, options.trueUptakeRange?.[1] ?? 0.3);
  const world = options.world ?? 'mixed';
  const decayScale = world === 'generous' ? uniform(rng, 0.3, 1.2) : world === 'cautious' ? uniform(rng, 0.15, 0.6) : logUniform(rng, 0.15, 1.2);
  const choiceScale = world === 'generous' ? uniform(rng, 0.3, 3) : world === 'cautious' ? uniform(rng, 0.1, 1) : logUniform(rng, 0.1, 3);
  const decayScaleMinor = decayScale * catalogueMedian;
  const choiceScaleMinor = choiceScale * catalogueMedian;
  const returnRate = uniform(rng, 0.03, 0.18);
  const itemChoiceWeight = Float64Array.from(itemPriceMinor, (p, i) => itemPopularity[i] * Math.exp(-p / choiceScaleMinor));

  return { kind, ordersPerYear, margin, giftCostMinor, source, uptake, decayScaleMinor, choiceScaleMinor, returnRate, itemPriceMinor, itemChoiceWeight, rng };
}

export function generateShop(seed: number, id: number, options: ShopOptions = {}): SimulatedShop {
  const world = shopWorld(seed, id, options);
  const { kind, ordersPerYear, margin, giftCostMinor, source, choiceScaleMinor, itemPriceMinor, itemChoiceWeight } = world;
  let { uptake, decayScaleMinor, returnRate } = world;
  // The history (its own random stream: it does not depend on the truth).
  const historyRng = createRng((seed * 31 + id * 104_729 + 1) >>> 0);
  const valueMinor = new Float64Array(ordersPerYear);
  const addOnMinor = new Float64Array(ordersPerYear);
  // The baskets each catalogue item is in (what the command's windowItemSales counts).
  const sold = new Float64Array(itemPriceMinor.length);
  for (let i = 0; i < ordersPerYear; i++) {
    const o = source.draw(historyRng, 1, sold);
    valueMinor[i] = o.value;
    addOnMinor[i] = o.addOn;
  }
  const addOns = Array.from(addOnMinor).filter(Number.isFinite);
  const addOnPriceMinor = Float64Array.from(addOns).sort();

  if (options.world === 'prior') {
    // aov's stated prior is the truth's distribution, its shape is not: the uptake from the
    // prior's Beta; the reach R = the point reach aov derives from this history x a
    // log-uniform scale over the prior's span; the exponential's scale s = R / 2 gives the
    // same expected top-ups as aov's linear fall over R (u R / 2 = u s), but a tail past R.
    const anchorMinor = valueMinor.reduce((a, b) => a + b, 0) / ordersPerYear;
    const pointReachMinor = responseAssumptions(addOnPriceMinor, anchorMinor).reachMinor;
    const beta = betaFromRange(DEFAULT_UPTAKE_RANGE[0], DEFAULT_UPTAKE_RANGE[1]);
    // (drawn from the shop's own stream where shopWorld left it)
    const rng = world.rng;
    uptake = options.trueUptakeRange ? uptake : betaSample(rng, beta.alpha, beta.beta);
    const scale = DEFAULT_REACH_SPREAD ** uniform(rng, -1, 1);
    decayScaleMinor = (pointReachMinor * scale) / 2;
    returnRate = uniform(rng, DEFAULT_RETURN_RANGE[0], DEFAULT_RETURN_RANGE[1]);
  }

  let past: SimulatedShop['past'];
  if (options.pastThreshold) past = applyPastThreshold(seed, id, valueMinor.reduce((a, b) => a + b, 0) / ordersPerYear, valueMinor, addOnMinor, { uptake, decayScaleMinor, itemPriceMinor, itemChoiceWeight });
  const populationRng = createRng((seed * 131 + id * 15_485_863 + 2) >>> 0);
  const populationMinor = new Float64Array(options.populationSize ?? 60_000);
  for (let i = 0; i < populationMinor.length; i++) populationMinor[i] = source.draw(populationRng).value;
  populationMinor.sort();
  return {
    id, kind, ordersPerYear, margin, giftCostMinor,
    history: { valueMinor, addOnPriceMinor, itemSales: { priceMinor: itemPriceMinor, baskets: sold } },
    truth: { uptake, decayScaleMinor, choiceScaleMinor, returnRate, itemPriceMinor, itemChoiceWeight, populationMinor },
    past,
  };
}

/** Choice-weight suffix sums over the ascending catalogue: weightSuffix[k] = sum of weights of items k..n-1. */
function suffixSums(itemPriceMinor: Float64Array, itemChoiceWeight: Float64Array) {
  const n = itemPriceMinor.length;
  const weightSuffix = new Float64Array(n + 1);
  const priceSuffix = new Float64Array(n + 1);
  for (let k = n - 1; k >= 0; k--) {
    weightSuffix[k] = weightSuffix[k + 1] + itemChoiceWeight[k];
    priceSuffix[k] = priceSuffix[k + 1] + itemChoiceWeight[k] * itemPriceMinor[k];
  }
  return { weightSuffix, priceSuffix };
}

/** First item priced at least `gap` (n if none). */
const firstItemAtLeast = (itemPriceMinor: Float64Array, gap: number) => lowerBound(itemPriceMinor, gap);

/**
 * The true response as a draw: an order of value v below T (gap g) tops up with probability
 * u exp(-g / s) by one catalogue item priced >= g, chosen by choice weight; returns the price
 * added (0: no top-up). No random number is drawn when v >= T or no item closes the gap.
 */
export function trueTopUp(truth: { uptake: number; decayScaleMinor: number; itemPriceMinor: Float64Array; itemChoiceWeight: Float64Array }): (rng: Rng, valueMinor: number, thresholdMinor: number) => number {
  const { itemPriceMinor, itemChoiceWeight } = truth;
  const n = itemPriceMinor.length;
  const cumulative = new Float64Array(n);
  itemChoiceWeight.reduce((acc, w, k) => (cumulative[k] = acc + w), 0);
  return (rng, v, thresholdMinor) => {
    if (v >= thresholdMinor) return 0;
    const gap = thresholdMinor - v;
    const first = firstItemAtLeast(itemPriceMinor, gap);
    if (first === n) return 0;
    if (rng() >= truth.uptake * Math.exp(-gap / truth.decayScaleMinor)) return 0;
    // An item priced >= gap by choice weight: a draw on the cumulative weights from `first`.
    const before = first > 0 ? cumulative[first - 1] : 0;
    const target = before + rng() * (cumulative[n - 1] - before);
    let lo = first;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return itemPriceMinor[lo];
  };
}

/**
 * Runs a threshold through the history (in place): each order below T0 tops up with the true
 * probability u exp(-gap / s) by one catalogue item priced >= gap (drawn by choice weight),
 * which becomes the order's cheapest line when it is cheaper. T0 is a round amount (a multiple
 * of 5 units, or 1 below an AOV of 50) 10-35% above the history's AOV without it.
 */
function applyPastThreshold(
  seed: number, id: number, aovMinor: number, valueMinor: Float64Array, addOnMinor: Float64Array,
  truth: { uptake: number; decayScaleMinor: number; itemPriceMinor: Float64Array; itemChoiceWeight: Float64Array },
): NonNullable<SimulatedShop['past']> {
  const rng = createRng((seed * 977 + id * 65_537 + 3) >>> 0);
  const unit = aovMinor < 5000 ? 100 : 500;
  const thresholdMinor = Math.max(unit, Math.round((aovMinor * uniform(rng, 1.1, 1.35)) / unit) * unit);
  const counterfactualMinor = Float64Array.from(valueMinor).sort();
  const topUp = trueTopUp(truth);
  let moved = 0;
  // addOnMinor: each order's cheapest line (NaN for a single-item order, whose one line is its value).
  for (let i = 0; i < valueMinor.length; i++) {
    const v = valueMinor[i];
    const price = topUp(rng, v, thresholdMinor);
    if (price === 0) continue;
    valueMinor[i] = v + price;
    addOnMinor[i] = Math.min(price, Number.isFinite(addOnMinor[i]) ? addOnMinor[i] : v);
    moved++;
  }
  return { thresholdMinor, moved, counterfactualMinor };
}

/**
 * The true uptake as the share of the counterfactual history's orders in [T0 - reach, T0)
 * expected to top up: the mean of u exp(-gap / s) over them (0 where no item closes the gap).
 * This is the quantity a bunching estimate with that reach measures (moved / orders in reach).
 */
export function trueZoneShare(shop: SimulatedShop, reachMinor: number): number {
  if (!shop.past) return NaN;
  const { thresholdMinor, counterfactualMinor } = shop.past;
  const { uptake, decayScaleMinor, itemPriceMinor } = shop.truth;
  const top = itemPriceMinor[itemPriceMinor.length - 1];
  let inZone = 0;
  let expected = 0;
  for (const v of counterfactualMinor) {
    if (v < thresholdMinor - reachMinor || v >= thresholdMinor) continue;
    inZone++;
    const gap = thresholdMinor - v;
    if (top >= gap) expected += uptake * Math.exp(-gap / decayScaleMinor);
  }
  return inZone ? expected / inZone : NaN;
}

/**
 * The shop's true expected net margin of "gift above T" over a year (minor units): exact
 * expectation of the true model over the population sample, scaled to ordersPerYear.
 */
export function trueExpectedNet(shop: SimulatedShop, thresholdMinor: number): number {
  const { uptake, decayScaleMinor, returnRate, itemPriceMinor, itemChoiceWeight, populationMinor } = shop.truth;
  const n = itemPriceMinor.length;
  // Suffix sums of weight and weight x price: E[price | price >= g] in O(log n).
  const { weightSuffix, priceSuffix } = suffixSums(itemPriceMinor, itemChoiceWeight);
  let total = 0;
  for (const v of populationMinor) {
    if (v >= thresholdMinor) {
      total -= shop.giftCostMinor;
      continue;
    }
    const gap = thresholdMinor - v;
    const lo = firstItemAtLeast(itemPriceMinor, gap);
    if (lo === n || weightSuffix[lo] <= 0) continue;
    const expectedPrice = priceSuffix[lo] / weightSuffix[lo];
    const q = uptake * Math.exp(-gap / decayScaleMinor);
    total += q * ((1 - returnRate) * shop.margin * expectedPrice - shop.giftCostMinor);
  }
  return (total / populationMinor.length) * shop.ordersPerYear;
}

/**
 * legacy: `--no-prior`; prior: the default prior; calibrated: the default prior, with the
 * uptake calibrated at the shop's past threshold (`--existing-threshold T0`) when the
 * calibration is used (shops generated with pastThreshold).
 */
export type SimulationModel = 'legacy' | 'prior' | 'calibrated';

export interface RecommendOptions {
  model: SimulationModel;
  /** Prior model only: the uptake prior's 90% range and the reach spread (defaults: the command's). */
  uptakeRange?: readonly [number, number];
  reachSpread?: number;
  /** The overshoot from the add-on prices' quartiles, as before issue #16's catalogue overshoot (default: from the items sold, the command's). */
  addOnOvershoot?: boolean;
  /** Response shapes the prior mixes (default: linear alone, the command's). */
  shapes?: readonly ResponseShape[];
  resamples?: number;
  seed?: number;
}

/** What `aov suggest-threshold --margin m --gift-cost g` (defaults otherwise) runs on a shop's history. */
export function recommendForShop(shop: SimulatedShop, options: RecommendOptions): { candidates: number[]; result: ThresholdResult; inputs: ThresholdInputs } {
  const values = shop.history.valueMinor;
  let total = 0;
  for (const v of values) total += v;
  const anchorMinor = total / values.length;
  // The command's defaults: --range 15-30 above the mean, --step 1, --round 1, 12 months.
  const candidates = candidateThresholds(anchorMinor, 2, 0.15, 0.3, 0.01, '1');
  const assumed = responseAssumptions(shop.history.addOnPriceMinor, anchorMinor);
  const inputs: ThresholdInputs = {
    valueMinor: values, margin: shop.margin, rewardMinor: shop.giftCostMinor, candidates,
    p0: DEFAULT_UPTAKE, reachMinor: assumed.reachMinor, overshootMinor: assumed.overshootMinor,
    resamples: options.resamples ?? 1000, seed: options.seed ?? 1, months: 12, skipNeeded: true,
  };
  if (options.model === 'prior' || options.model === 'calibrated') {
    // The command's defaults since issue #16: the stated prior, its means as the points.
    const scales = reachScales(options.reachSpread ?? DEFAULT_REACH_SPREAD);
    // (what --existing-threshold T0 runs: the command's calibration and prior steps, thresholdPlan/)
    const calibration = options.model === 'calibrated' && shop.past ? calibrateUptake(values, shop.past.thresholdMinor, assumed.reachMinor, scales, {
      seed: options.seed, shapes: options.shapes,
      priorUptake: betaFromRange(...(options.uptakeRange ?? DEFAULT_UPTAKE_RANGE)),
    }) : null;
    const uptake: UptakeDecision = { p0: DEFAULT_UPTAKE, source: '', calibration, calibrated: calibration?.used === true, detected: [], notes: [] };
    const prior = resolvePrior(shop.history.addOnPriceMinor, assumed.reachMinor, scales, uptake, {
      uptakeRange: options.uptakeRange ?? DEFAULT_UPTAKE_RANGE, returnRange: DEFAULT_RETURN_RANGE, reachSpread: options.reachSpread,
      itemSales: options.addOnOvershoot ? undefined : shop.history.itemSales,
    });
    if (options.shapes && options.shapes.length > 1) prior.prior.shapes = options.shapes;
    inputs.prior = prior.prior;
    inputs.overshootMinor = prior.overshootMinor;
    inputs.p0 = prior.p0;
  }
  return { candidates, result: simulateThresholds(inputs), inputs };
}

export interface ShopScore {
  id: number;
  kind: SimulatedShop['kind'];
  orders: number;
  aovMajor: number;
  trueUptake: number;
  /** Best true net over the candidates (minor units per year) and where. */
  trueBestNet: number;
  trueBestThreshold: number;
  recommended: number | null;
  probabilityPositive: number | null;
  claimedNet: number | null;
  trueNetAtRecommendation: number | null;
  /** (true best - true at recommendation) / true best, when the true best is positive and something was recommended. */
  regret: number | null;
  /** The recommendation's 90% interval contains its true net. */
  recommendedIntervalCovers: boolean | null;
  /** Intervals of all candidates that contain their true net, of all candidates. */
  intervalsCovering: number;
  intervals: number;
  /** Per candidate: the claimed expected net, P(net > 0) and the true net, for other decision rules. */
  claimedNets: number[];
  probabilities: number[];
  /** Per candidate: P(the expected net > 0), without one window's top-up randomness. */
  meanProbabilities: number[];
  trueNets: number[];
}

/** Runs the recommendation on one shop and compares it with the truth. */
export function scoreShop(shop: SimulatedShop, options: RecommendOptions): ShopScore {
  const { candidates, result } = recommendForShop(shop, options);
  const trueNets = candidates.map((t) => trueExpectedNet(shop, t));
  let bestIndex = 0;
  trueNets.forEach((net, i) => (net > trueNets[bestIndex] ? (bestIndex = i) : 0));
  const trueBestNet = trueNets[bestIndex];
  const rec = result.recommendation;
  const recIndex = rec ? candidates.indexOf(rec.threshold) : -1;
  const recCandidate = recIndex >= 0 ? result.candidates[recIndex] : null;
  const trueAtRec = recIndex >= 0 ? trueNets[recIndex] : null;
  let covering = 0;
  result.candidates.forEach((c, i) => (c.netLowMinor <= trueNets[i] && trueNets[i] <= c.netHighMinor ? covering++ : 0));
  let total = 0;
  for (const v of shop.history.valueMinor) total += v;
  return {
    id: shop.id, kind: shop.kind, orders: shop.ordersPerYear, aovMajor: total / shop.history.valueMinor.length / 100, trueUptake: shop.truth.uptake,
    trueBestNet, trueBestThreshold: candidates[bestIndex],
    recommended: rec ? rec.threshold : null,
    probabilityPositive: rec ? rec.probabilityPositive : null,
    claimedNet: rec ? rec.expectedNetMarginMinor : null,
    trueNetAtRecommendation: trueAtRec,
    regret: trueAtRec !== null && trueBestNet > 0 ? (trueBestNet - trueAtRec) / trueBestNet : null,
    recommendedIntervalCovers: recCandidate && trueAtRec !== null ? recCandidate.netLowMinor <= trueAtRec && trueAtRec <= recCandidate.netHighMinor : null,
    intervalsCovering: covering,
    intervals: result.candidates.length,
    claimedNets: result.candidates.map((c) => c.expectedNetMarginMinor),
    probabilities: result.candidates.map((c) => c.probabilityPositive),
    meanProbabilities: result.candidates.map((c) => c.probabilityMeanPositive),
    trueNets,
  };
}

export interface SimulationSummary {
  model: SimulationModel;
  shops: number;
  /** Shops where some candidate truly pays (true best net > 0). */
  shopsWithProfitableCandidate: number;
  /** Recommendations (all made at P(net > 0) >= 0.9). */
  recommended: number;
  recommendedTrulyPositive: number;
  /** recommendedTrulyPositive / recommended: the target is >= 0.9. */
  precision: number;
  /** Median regret over recommendations where the true best is positive (target < 0.15). */
  medianRegret: number;
  /** Median regret over shops with a profitable candidate, a missed one counting as regret 1. */
  medianRegretAllProfitable: number;
  /** Recommendations whose 90% interval contains the true net. */
  recommendedIntervalsCovering: number;
  /** Share of all candidates' 90% intervals that contain the true net. */
  candidateCoverage: number;
  /** Median of claimed / true net over recommendations with a positive true net. */
  medianClaimedOverTrue: number;
  /** Sum over shops of the true net at the recommendation (0 without one) / sum of the positive true bests: the profit a merchant following every answer keeps, of what an oracle would. */
  capturedProfitShare: number;
  /** Sum of the true losses of recommendations that lose money, / the same oracle sum. */
  lossShare: number;
  /** The same model's answers under other confidence levels (largest expected net among P >= level, expected net > 0). */
  rules: DecisionRuleSummary[];
  /** Is P(net > 0) calibrated? Each shop's best claimed candidate, binned by its P. */
  reliability: ReliabilityBin[];
  /** The same for P(expected net > 0) (the truth scored is the expected net), and the decision rules on it. */
  meanReliability: ReliabilityBin[];
  meanRules: DecisionRuleSummary[];
}

/** Shops whose best claimed candidate has P(net > 0) in [from, to): their mean P and the share that truly pay. */
export interface ReliabilityBin {
  from: number;
  to: number;
  shops: number;
  meanProbability: number;
  trulyPositive: number;
}

/**
 * A reliability table (the calibration of a probability forecast: Murphy & Winkler 1977;
 * https://en.wikipedia.org/wiki/Calibration_(statistics)) of P(net > 0): each shop once, at the
 * candidate with the largest claimed expected net (the one a merchant would act on), in bins
 * of P; a calibrated P has a share truly paying close to its mean P in every bin. The truth
 * is the candidate's true expected net > 0.
 */
export function reliability(scores: readonly ShopScore[], edges: readonly number[] = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0000001], which: 'probabilities' | 'meanProbabilities' = 'probabilities'): ReliabilityBin[] {
  const bins = edges.slice(0, -1).map((from, i) => ({ from, to: Math.min(1, edges[i + 1]), shops: 0, sum: 0, positive: 0 }));
  for (const s of scores) {
    if (!s.claimedNets.length) continue;
    let best = 0;
    s.claimedNets.forEach((net, i) => (net > s.claimedNets[best] ? (best = i) : 0));
    const p = s[which][best];
    const bin = bins.find((b, i) => p >= edges[i] && p < edges[i + 1]);
    if (!bin) continue;
    bin.shops++;
    bin.sum += p;
    if (s.trueNets[best] > 0) bin.positive++;
  }
  return bins.map((b) => ({ from: b.from, to: b.to, shops: b.shops, meanProbability: b.shops ? b.sum / b.shops : NaN, trulyPositive: b.shops ? b.positive / b.shops : NaN }));
}

export interface DecisionRuleSummary {
  confidence: number;
  recommended: number;
  precision: number;
  medianRegret: number;
  capturedProfitShare: number;
}

/** Re-decides every shop at a confidence level from its candidates' claimed nets and P. */
function decisionRule(scores: readonly ShopScore[], confidence: number, which: 'probabilities' | 'meanProbabilities' = 'probabilities'): DecisionRuleSummary {
  let recommended = 0;
  let positive = 0;
  let oracle = 0;
  let captured = 0;
  const regrets: number[] = [];
  for (const s of scores) {
    oracle += Math.max(0, s.trueBestNet);
    let pick = -1;
    s.claimedNets.forEach((net, i) => {
      if (s[which][i] >= confidence && net > 0 && (pick < 0 || net > s.claimedNets[pick])) pick = i;
    });
    if (pick < 0) continue;
    recommended++;
    if (s.trueNets[pick] > 0) positive++;
    captured += s.trueNets[pick];
    if (s.trueBestNet > 0) regrets.push((s.trueBestNet - s.trueNets[pick]) / s.trueBestNet);
  }
  return { confidence, recommended, precision: recommended ? positive / recommended : NaN, medianRegret: median(regrets), capturedProfitShare: oracle > 0 ? captured / oracle : NaN };
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  return quantileSorted(Float64Array.from(values).sort(), 0.5);
}

/** Summarises shop scores into the figures. */
export function summarise(model: SimulationModel, scores: readonly ShopScore[]): SimulationSummary {
  const recs = scores.filter((s) => s.recommended !== null);
  const positive = recs.filter((s) => (s.trueNetAtRecommendation ?? 0) > 0);
  const profitable = scores.filter((s) => s.trueBestNet > 0);
  let covering = 0;
  let intervals = 0;
  let oracle = 0;
  let captured = 0;
  let lost = 0;
  for (const s of scores) {
    oracle += Math.max(0, s.trueBestNet);
    captured += s.trueNetAtRecommendation ?? 0;
    lost += Math.max(0, -(s.trueNetAtRecommendation ?? 0));
    covering += s.intervalsCovering;
    intervals += s.intervals;
  }
  return {
    model,
    shops: scores.length,
    shopsWithProfitableCandidate: profitable.length,
    recommended: recs.length,
    recommendedTrulyPositive: positive.length,
    precision: recs.length ? positive.length / recs.length : NaN,
    medianRegret: median(recs.filter((s) => s.regret !== null).map((s) => s.regret!)),
    medianRegretAllProfitable: median(profitable.map((s) => (s.regret === null ? 1 : s.regret))),
    recommendedIntervalsCovering: recs.filter((s) => s.recommendedIntervalCovers).length,
    candidateCoverage: intervals ? covering / intervals : NaN,
    medianClaimedOverTrue: median(positive.map((s) => s.claimedNet! / s.trueNetAtRecommendation!)),
    capturedProfitShare: oracle > 0 ? captured / oracle : NaN,
    lossShare: oracle > 0 ? lost / oracle : NaN,
    rules: [0, 0.5, 0.7, 0.8, 0.9].map((level) => decisionRule(scores, level)),
    reliability: reliability(scores),
    meanReliability: reliability(scores, undefined, 'meanProbabilities'),
    meanRules: [0.5, 0.7, 0.8, 0.9].map((level) => decisionRule(scores, level, 'meanProbabilities')),
  };
}

/** Scores shops 0..count-1 of benchmark `seed` under one model. */
export function runSimulation(seed: number, count: number, options: RecommendOptions & ShopOptions): { scores: ShopScore[]; summary: SimulationSummary } {
  const scores: ShopScore[] = [];
  for (let id = 0; id < count; id++) scores.push(scoreShop(generateShop(seed, id, options), options));
  return { scores, summary: summarise(options.model, scores) };
}

export interface CalibrationScore {
  id: number;
  orders: number;
  thresholdMinor: number;
  reachMinor: number;
  /** Orders that truly moved in the history, and aov's estimate with its 95% interval. */
  trueMoved: number;
  moved: number;
  movedLow: number;
  movedHigh: number;
  /** The share of carts within reach below T0 that top up: truly (expected) and estimated. */
  trueShare: number;
  share: number;
  shareLow: number;
  shareHigh: number;
  /** |estimate / truth - 1| <= 0.3. */
  within30: boolean;
  covers: boolean;
  /** aov uses the calibration (its excess and dip agree, see BunchingResult.consistent, and the uptake is at most 1). */
  used: boolean;
  /** The 95% interval's half-width is at most 30% of the estimate: the calibration claims that precision. */
  precise: boolean;
}

/** Runs aov's calibration (`--existing-threshold T0`, the command's reach) on a shop with a past threshold and compares it with the truth. */
export function scoreCalibration(shop: SimulatedShop, options: { resamples?: number; seed?: number } = {}): CalibrationScore {
  if (!shop.past) throw new Error('scoreCalibration needs a shop generated with pastThreshold');
  const values = shop.history.valueMinor;
  let total = 0;
  for (const v of values) total += v;
  const assumed = responseAssumptions(shop.history.addOnPriceMinor, total / values.length);
  const r = bunching(values, shop.past.thresholdMinor, { reachMinor: assumed.reachMinor, resamples: options.resamples ?? 300, seed: options.seed ?? 1 });
  const trueShare = trueZoneShare(shop, assumed.reachMinor);
  return {
    id: shop.id, orders: shop.ordersPerYear, thresholdMinor: shop.past.thresholdMinor, reachMinor: assumed.reachMinor,
    trueMoved: shop.past.moved, moved: r.movedOrders, movedLow: r.movedOrdersLow, movedHigh: r.movedOrdersHigh,
    trueShare, share: r.zoneShare, shareLow: r.zoneShareLow, shareHigh: r.zoneShareHigh,
    within30: Math.abs(r.zoneShare / trueShare - 1) <= 0.3,
    covers: r.zoneShareLow <= trueShare && trueShare <= r.zoneShareHigh,
    used: r.consistent && r.p0 <= 1,
    precise: r.zoneShare > 0 && (r.zoneShareHigh - r.zoneShareLow) / 2 <= 0.3 * r.zoneShare,
  };
}

export interface CalibrationSummary {
  shops: number;
  within30: number;
  covers: number;
  used: number;
  usedWithin30: number;
  usedCovers: number;
  /** Shops with at least 100 truly moved orders: where a year's counts can pin the uptake to +-30% at all. */
  informative: number;
  informativeWithin30: number;
}

export function summariseCalibration(scores: readonly CalibrationScore[]): CalibrationSummary {
  const count = (f: (s: CalibrationScore) => boolean) => scores.filter(f).length;
  return {
    shops: scores.length,
    within30: count((s) => s.within30),
    covers: count((s) => s.covers),
    used: count((s) => s.used),
    usedWithin30: count((s) => s.used && s.within30),
    usedCovers: count((s) => s.used && s.covers),
    informative: count((s) => s.trueMoved >= 100),
    informativeWithin30: count((s) => s.trueMoved >= 100 && s.within30),
  };
}
