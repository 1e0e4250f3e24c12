/**
 * Bundle offers from frequent itemsets: the items' usual prices summed, a small discount
 * that keeps the bundle's gross margin above a floor, and the margin per bundle sold.
 * Without costs the margin is unknown and said to be, never invented.
 */
import { betaCdf, betaQuantile } from './beta.js';
import {
  breakEvenElasticity as breakEvenElasticityOf, lognormalQuantile, probabilityAbove, responseMean, responseQuantile, responseValue,
  type CappedResponse, type Elasticity,
} from './bundleResponse.js';
import type { BasketTable } from './types.js';

/** P(net > 0) a bundle offer needs to go into a rules file (the bar of a threshold and a second-order gift). */
export const BUNDLE_RULE_BAR = 0.9;

export interface OfferOptions {
  /** Discount range tried, largest first within it (defaults 0.05 to 0.10 in 0.01 steps). */
  minDiscount?: number;
  maxDiscount?: number;
  /** Gross margin the bundle must keep (default 0.30). */
  minBundleMargin?: number;
}

export interface BundleOffer {
  items: number[];
  supportCount: number;
  support: number;
  listPriceMinor: number;
  discount: number;
  bundlePriceMinor: number;
  costMinor: number | null;
  marginMinor: number | null;
  marginRate: number | null;
  marginKnown: boolean;
  viable: boolean;
  note: string;
  /** What the offer gives away and earns over the baskets seen (set by the caller that has the baskets). */
  economics?: OfferEconomics;
  /** How the discount was chosen (chooseOffer). */
  discountChoice?: DiscountChoice;
}

/**
 * @example bundleOffer([0, 1], 10, 0.1, Float64Array.of(1000, 500), Float64Array.of(400, 200)).discount // 0.1
 */
export function bundleOffer(
  items: number[],
  supportCount: number,
  support: number,
  priceMinor: Float64Array,
  costMinor: Float64Array | undefined,
  options: OfferOptions = {},
): BundleOffer {
  const minDiscount = options.minDiscount ?? 0.05;
  const maxDiscount = options.maxDiscount ?? 0.1;
  const floor = options.minBundleMargin ?? 0.3;
  let list = 0;
  let cost = 0;
  let costKnown = costMinor !== undefined;
  for (const i of items) {
    list += priceMinor[i];
    if (!costMinor || !Number.isFinite(costMinor[i])) costKnown = false;
    else cost += costMinor[i];
  }
  const base = { items, supportCount, support, listPriceMinor: list };
  if (!Number.isFinite(list) || list <= 0) {
    return { ...base, discount: 0, bundlePriceMinor: NaN, costMinor: null, marginMinor: null, marginRate: null, marginKnown: false, viable: false, note: 'no usual price for every item: no bundle price' };
  }
  const priceAt = (d: number) => Math.floor(list * (1 - d));
  if (!costKnown) {
    return {
      ...base, discount: minDiscount, bundlePriceMinor: priceAt(minDiscount), costMinor: null, marginMinor: null, marginRate: null, marginKnown: false, viable: true,
      note: `costs unknown: the smallest discount (${Math.round(minDiscount * 100)}%) is suggested and margins are not computed (give --costs or a cost column)`,
    };
  }
  // The largest discount in range (whole percents) that keeps the floor.
  for (let pct = Math.round(maxDiscount * 100); pct >= Math.round(minDiscount * 100); pct--) {
    const price = priceAt(pct / 100);
    const margin = price - cost;
    // Exact: costs carry sub-cent digits (84.5 minor units), and 0.3 x price is compared, not a rounded rate.
    if (margin >= floor * price - 1e-9) {
      return { ...base, discount: pct / 100, bundlePriceMinor: price, costMinor: cost, marginMinor: margin, marginRate: margin / price, marginKnown: true, viable: true, note: `largest discount in ${Math.round(minDiscount * 100)}-${Math.round(maxDiscount * 100)}% that keeps a ${Math.round(floor * 100)}% margin` };
    }
  }
  const price = priceAt(minDiscount);
  return {
    ...base, discount: minDiscount, bundlePriceMinor: price, costMinor: cost, marginMinor: price - cost, marginRate: (price - cost) / price, marginKnown: true, viable: false,
    note: `even a ${Math.round(minDiscount * 100)}% discount leaves a ${(((price - cost) / price) * 100).toFixed(1)}% margin, under the ${Math.round(floor * 100)}% floor`,
  };
}

/**
 * The uplift: the share of baskets holding part of a bundle that would complete it at the
 * bundle price. Not measured by past orders (no offer ran), so it is an assumption: a
 * point (`known`) or a Beta prior from a stated 90% range, as a threshold's uptake. It does
 * not depend on the discount (--bundle-uplift); the default model does (OfferResponse).
 */
export type UpliftAssumption = { kind: 'known'; uplift: number } | { kind: 'prior'; alpha: number; beta: number; low: number; high: number };

/**
 * How part baskets respond to an offer: a flat uplift (the same share at any discount), or a
 * price elasticity, so that the uplift rises with the discount (bundleResponse.ts).
 */
export type OfferResponse = { model: 'flat'; uplift: UpliftAssumption } | { model: 'elasticity'; elasticity: Elasticity };

export interface OfferEconomics {
  /** Baskets that already hold every item: the offer only gives them the discount. */
  basketsWithAll: number;
  /** Baskets holding some but not all items: the ones an offer can move. */
  basketsWithPart: number;
  /** Discount given to the baskets that already buy it all (list - bundle price, each), minor units. */
  discountGivenMinor: number;
  /**
   * Margin gained if every part basket completed the bundle: per basket, the bundle price
   * minus what it paid for the items it had, minus the cost of the items it adds. Null
   * without costs.
   */
  completionGainMinor: number | null;
  /** The uplift at which the offer breaks even: discountGiven / completionGain (null: never, or unknown). */
  breakEvenUplift: number | null;
  /** Net = uplift x completionGain - discountGiven, at the assumption's mean and its 5% and 95% points. */
  expectedNetMinor: number | null;
  netLowMinor: number | null;
  netHighMinor: number | null;
  /** P(net > 0) = P(uplift > break-even) under the prior (1 or 0 when known; null without costs). */
  probabilityPays: number | null;
  /** Which response model the net assumes (absent: flat, before the elasticity model). */
  model?: 'flat' | 'elasticity';
  /** The share of part baskets expected to complete at this discount (the model's mean). */
  expectedUplift?: number;
  /** Elasticity model: the elasticity above which the offer pays (null: never, always, or unknown). */
  breakEvenElasticity?: number | null;
}

/**
 * How many baskets hold each combination of a bundle's items: a bit per item (bit k for
 * items[k]), the mask's count; baskets holding none are left out.
 * @example heldCounts([0, 1], { offsets: Int32Array.of(0, 2, 3), items: Int32Array.of(0, 1, 0), itemLabels: ['A', 'B'] }) // Map { 3 => 1, 1 => 1 }
 */
export function heldCounts(items: readonly number[], baskets: BasketTable): Map<number, number> {
  const position = new Int32Array(baskets.itemLabels.length).fill(-1);
  items.forEach((item, k) => (position[item] = k));
  const heldCount = new Map<number, number>();
  for (let b = 0; b + 1 < baskets.offsets.length; b++) {
    let mask = 0;
    for (let k = baskets.offsets[b]; k < baskets.offsets[b + 1]; k++) {
      const at = position[baskets.items[k]];
      if (at >= 0) mask |= 1 << at;
    }
    if (mask) heldCount.set(mask, (heldCount.get(mask) ?? 0) + 1);
  }
  return heldCount;
}

/**
 * heldCounts of a pair without a scan: from the baskets holding each item and those holding
 * both (a pair's own counts, when the miner skipped no basket). Empty combinations are left out, as a scan would.
 * @example pairHeldCounts(100, 140, 40) // Map { 1 => 60, 2 => 100, 3 => 40 }
 */
export function pairHeldCounts(basketsWithA: number, basketsWithB: number, basketsWithBoth: number): Map<number, number> {
  const counts: [number, number][] = [[1, basketsWithA - basketsWithBoth], [2, basketsWithB - basketsWithBoth], [3, basketsWithBoth]];
  return new Map(counts.filter(([, n]) => n > 0));
}

/**
 * What an offer gives away and what it can earn over the baskets seen. Costs are exact
 * minor units (84.5 for 0.845: a cost is not rounded to the cent before a margin is judged).
 * @example
 * // A (10.00, cost 4.00) + B (5.00, cost 2.00) at 13.50: one basket with both, one with A only.
 * offerEconomics([0, 1], { offsets: Int32Array.of(0, 2, 3), items: Int32Array.of(0, 1, 0), itemLabels: ['A', 'B'] }, Float64Array.of(1000, 500), Float64Array.of(400, 200), 1350, { kind: 'known', uplift: 0.5 })
 * // discountGiven 150; gain 1350 - 1000 - 200 = 150; net 0.5 x 150 - 150 = -75
 * // With { model: 'elasticity', elasticity: { kind: 'known', value: 2 } }: the A-only basket's cut on B is
 * // 150 / 500 = 0.3, odds 1 / 1, uplift min(1, 2 x 0.3) = 0.6: net 0.6 x 150 - 150 = -60
 */
export function offerEconomics(
  items: readonly number[],
  baskets: BasketTable,
  priceMinor: Float64Array,
  costMinor: Float64Array | undefined,
  bundlePriceMinor: number,
  response: UpliftAssumption | OfferResponse,
  held?: ReadonlyMap<number, number>,
): OfferEconomics {
  // Step 1: per basket, which of the items it holds (a bit per item; bundles have few), unless
  // the caller counted it already (heldCounts, pairHeldCounts).
  const full = (1 << items.length) - 1;
  const heldCount = held ?? heldCounts(items, baskets);
  // Step 2: the discount the baskets with everything get for nothing.
  const listMinor = items.reduce((sum, i) => sum + priceMinor[i], 0);
  const basketsWithAll = heldCount.get(full) ?? 0;
  const discountGivenMinor = basketsWithAll * (listMinor - bundlePriceMinor);
  // Step 3: what a part basket adds by completing: the bundle price for what it had, plus the added
  // items' cost; and (elasticity model) how strongly its effective price cut moves it.
  const costsKnown = costMinor !== undefined && items.every((i) => Number.isFinite(costMinor[i]));
  let basketsWithPart = 0;
  let gain = 0;
  const terms: { weight: number; slope: number; baskets: number }[] = [];
  for (const [mask, count] of [...heldCount].sort((x, y) => x[0] - y[0])) {
    if (mask === full) continue;
    basketsWithPart += count;
    let paid = 0;
    let addedCost = 0;
    let missingList = 0;
    items.forEach((item, k) => {
      if (mask & (1 << k)) paid += priceMinor[item];
      else {
        addedCost += costsKnown ? costMinor![item] : 0;
        missingList += priceMinor[item];
      }
    });
    // cut_H: the discount as a share of what the missing items cost; odds_H: of the baskets holding
    // at least H, those that hold it all against those that do not.
    let holdingAtLeast = 0;
    for (const [other, n] of heldCount) if ((other & mask) === mask) holdingAtLeast += n;
    const cut = missingList > 0 ? (listMinor - bundlePriceMinor) / missingList : 0;
    const odds = basketsWithAll / (holdingAtLeast - basketsWithAll);
    const perBasket = bundlePriceMinor - paid - addedCost;
    if (costsKnown) gain += count * perBasket;
    terms.push({ weight: count * perBasket, slope: Math.max(0, cut * odds), baskets: count });
  }
  const base = { basketsWithAll, basketsWithPart, discountGivenMinor };
  const model = 'model' in response ? response.model : 'flat';
  if (!costsKnown) return { ...base, completionGainMinor: null, breakEvenUplift: null, expectedNetMinor: null, netLowMinor: null, netHighMinor: null, probabilityPays: null, model };
  const breakEven = gain > 0 ? discountGivenMinor / gain : null;
  const withGain = { ...base, completionGainMinor: gain, breakEvenUplift: breakEven, model };
  if ('model' in response && response.model === 'elasticity') {
    // Step 4 (elasticity): net is piecewise linear in the elasticity; exact under its lognormal prior.
    const f: CappedResponse = { constant: -discountGivenMinor, terms };
    const completions: CappedResponse = { constant: 0, terms: terms.map((t) => ({ weight: t.baskets, slope: t.slope })) };
    const share = (n: number) => (basketsWithPart > 0 ? n / basketsWithPart : 0);
    const breakEvenElasticity = breakEvenElasticityOf(f);
    const e = response.elasticity;
    if (e.kind === 'known') {
      const value = responseValue(f, e.value);
      return { ...withGain, expectedNetMinor: value, netLowMinor: value, netHighMinor: value, probabilityPays: value > 0 ? 1 : 0, expectedUplift: share(responseValue(completions, e.value)), breakEvenElasticity };
    }
    const [low, high] = [responseQuantile(f, 0.05, e.mu, e.sigma), responseQuantile(f, 0.95, e.mu, e.sigma)];
    return {
      ...withGain, expectedNetMinor: responseMean(f, e.mu, e.sigma), netLowMinor: low, netHighMinor: high,
      probabilityPays: probabilityAbove(f, 0, e.mu, e.sigma), expectedUplift: share(responseMean(completions, e.mu, e.sigma)), breakEvenElasticity,
    };
  }
  // Step 4 (flat): net is linear in the uplift, so its mean and quantiles are the uplift's, mapped.
  const uplift = 'model' in response ? (response as { uplift: UpliftAssumption }).uplift : response;
  const net = (u: number) => u * gain - discountGivenMinor;
  if (uplift.kind === 'known') {
    const value = net(uplift.uplift);
    return { ...withGain, expectedNetMinor: value, netLowMinor: value, netHighMinor: value, probabilityPays: value > 0 ? 1 : 0, expectedUplift: uplift.uplift };
  }
  const { alpha, beta } = uplift;
  const [q05, q95] = [betaQuantile(0.05, alpha, beta), betaQuantile(0.95, alpha, beta)];
  return {
    ...withGain,
    expectedNetMinor: net(alpha / (alpha + beta)),
    netLowMinor: Math.min(net(q05), net(q95)), netHighMinor: Math.max(net(q05), net(q95)),
    probabilityPays: breakEven === null ? (discountGivenMinor < 0 ? 1 : 0) : breakEven >= 1 ? 0 : 1 - betaCdf(breakEven, alpha, beta),
    expectedUplift: alpha / (alpha + beta),
  };
}

/** Why an offer has the discount it has (chooseOffer). */
export interface DiscountChoice {
  /** Every discount tried that keeps the margin floor, with its expected net (minor units). */
  candidates: { discount: number; bundlePriceMinor: number; expectedNetMinor: number }[];
  /**
   * What decides the choice: 'elasticity' when the best discount differs at the two ends of
   * the elasticity's 90% range; 'model' when the response model picks it at both ends;
   * 'marginFloor' when only one discount keeps the floor; 'noCosts' when margins are unknown.
   */
  decidedBy: 'elasticity' | 'model' | 'marginFloor' | 'noCosts';
  /** Elasticity prior: the best discount at its 5% and 95% points. */
  bestAtLow?: number;
  bestAtHigh?: number;
}

/**
 * The offer at the discount, of the whole percents in range that keep the margin floor, with
 * the best expected net under the response (ties: the smaller discount). Without costs: the
 * smallest discount, as bundleOffer. The economics of the chosen discount are attached.
 */
export function chooseOffer(
  items: number[],
  supportCount: number,
  support: number,
  baskets: BasketTable,
  priceMinor: Float64Array,
  costMinor: Float64Array | undefined,
  options: OfferOptions,
  response: OfferResponse,
  held?: ReadonlyMap<number, number>,
): BundleOffer {
  const minPct = Math.round((options.minDiscount ?? 0.05) * 100);
  const maxPct = Math.round((options.maxDiscount ?? 0.1) * 100);
  // Step 1: each discount's offer; those that keep the floor are candidates.
  const offers: BundleOffer[] = [];
  for (let pct = minPct; pct <= maxPct; pct++) {
    const offer = bundleOffer(items, supportCount, support, priceMinor, costMinor, { ...options, minDiscount: pct / 100, maxDiscount: pct / 100 });
    if (offer.viable && offer.marginKnown) offers.push(offer);
  }
  const fallback = bundleOffer(items, supportCount, support, priceMinor, costMinor, options);
  if (!offers.length || !Number.isFinite(fallback.bundlePriceMinor)) {
    if (Number.isFinite(fallback.bundlePriceMinor)) {
      fallback.economics = offerEconomics(items, baskets, priceMinor, costMinor, fallback.bundlePriceMinor, response, held);
      // Without costs, the smallest discount (bundleOffer's rule); with costs none keeps the floor.
      if (!fallback.marginKnown) fallback.discountChoice = { candidates: [], decidedBy: 'noCosts' };
    }
    return fallback;
  }
  // Step 2: each candidate's expected net under the response; the best wins, ties to the smaller discount.
  const heldCount = held ?? heldCounts(items, baskets);
  const scored = offers.map((offer) => ({ offer, economics: offerEconomics(items, baskets, priceMinor, costMinor, offer.bundlePriceMinor, response, heldCount) }));
  const bestBy = (net: (k: number) => number) => scored.reduce((best, _, k) => (net(k) > net(best) + 1e-9 ? k : best), 0);
  const best = bestBy((k) => scored[k].economics.expectedNetMinor ?? -Infinity);
  // Step 3: which assumption decides: the best at each end of the elasticity's 90% range.
  let choice: DiscountChoice = {
    candidates: scored.map(({ offer, economics }) => ({ discount: offer.discount, bundlePriceMinor: offer.bundlePriceMinor, expectedNetMinor: economics.expectedNetMinor ?? NaN })),
    decidedBy: scored.length === 1 ? 'marginFloor' : 'model',
  };
  if (scored.length > 1 && response.model === 'elasticity' && response.elasticity.kind === 'prior') {
    const e = response.elasticity;
    const at = (value: number) => scored[bestBy((k) => offerEconomics(items, baskets, priceMinor, costMinor, scored[k].offer.bundlePriceMinor, { model: 'elasticity', elasticity: { kind: 'known', value } }, heldCount).expectedNetMinor!)].offer.discount;
    const [bestAtLow, bestAtHigh] = [at(lognormalQuantile(0.05, e.mu, e.sigma)), at(lognormalQuantile(0.95, e.mu, e.sigma))];
    choice = { ...choice, decidedBy: bestAtLow === bestAtHigh ? 'model' : 'elasticity', bestAtLow, bestAtHigh };
  }
  const chosen = scored[best].offer;
  chosen.economics = scored[best].economics;
  chosen.discountChoice = choice;
  chosen.note = `of ${offers.map((o) => `${Math.round(o.discount * 100)}%`).join(', ')} (those in ${minPct}-${maxPct}% that keep a ${Math.round((options.minBundleMargin ?? 0.3) * 100)}% margin), the best expected net`;
  return chosen;
}
