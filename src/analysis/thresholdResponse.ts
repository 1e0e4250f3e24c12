/**
 * What a threshold's response rests on, from the shop's add-on prices: the reach and the
 * overshoot (their point values and sources), and the stated prior over what the history
 * cannot tell (uptake, reach spread, overshoot range, returns), with its defaults.
 */
import { betaFromRange, type BetaParameters } from './beta.js';
import { medianSorted } from './robust.js';
import { lowerBound } from './sortedSearch.js';
import type { ThresholdPrior } from './threshold.js';

export interface ResponseAssumptions {
  reachMinor: number;
  reachSource: string;
  overshootMinor: number;
  overshootSource: string;
}

/**
 * Reach and overshoot as `aov suggest-threshold` derives them (shared with the simulation
 * harness, so it scores what the command does): given values win; else, with 30 or more
 * add-on prices (the cheapest line of each multi-item order, ascending), reach is their
 * median and overshoot estimateOvershoot's; else a quarter of the anchor and half the reach.
 */
export function responseAssumptions(addOnPricesSorted: Float64Array, anchorMinor: number, given: { reachMinor?: number; overshootMinor?: number } = {}): ResponseAssumptions {
  const enough = addOnPricesSorted.length >= 30;
  let reachMinor: number;
  let reachSource: string;
  if (given.reachMinor !== undefined) {
    reachMinor = given.reachMinor;
    reachSource = '--reach';
  } else if (enough) {
    reachMinor = medianSorted(addOnPricesSorted);
    reachSource = `median value of the cheapest line in ${addOnPricesSorted.length.toLocaleString('en-US')} multi-item orders`;
  } else {
    reachMinor = Math.round(anchorMinor * 0.25);
    reachSource = 'a quarter of the anchor (too few multi-item orders with prices)';
  }
  let overshootMinor: number;
  let overshootSource: string;
  if (given.overshootMinor !== undefined) {
    overshootMinor = given.overshootMinor;
    overshootSource = '--overshoot';
  } else if (enough) {
    overshootMinor = Math.round(estimateOvershoot(addOnPricesSorted, reachMinor));
    overshootSource = 'expected add-on price above the gap it closes';
  } else {
    overshootMinor = Math.round(reachMinor / 2);
    overshootSource = 'half the reach (too few add-on prices)';
  }
  return { reachMinor, reachSource, overshootMinor, overshootSource };
}

/**
 * The default prior's ranges. Uptake at a tiny gap: 90% between 5% and 35% (a Beta by
 * betaFromRange, mean 20%): deliberately wide, since what a shop's customers do is the thing
 * its history (without a threshold) cannot tell. Returns of top-up add-ons: 3-18% (padded
 * items come back more often than others: Cachon, Gallino & Xu, "Free Shipping Is Not Free",
 * 2018). Reach: a third to three times the point (reachScales(3)): how far customers go to
 * close a gap is what the data say least about, and it moves the answer most. Overshoot: from
 * the items sold when their baskets are known (catalogueOvershoot: from the nearest item that
 * closes a gap to the sales-weighted mean of those that do), else between the add-on prices'
 * lower and upper quartile above each gap (estimateOvershootQuantile at 0.25 and 0.75).
 */
export const DEFAULT_UPTAKE_RANGE: readonly [number, number] = [0.05, 0.35];
export const DEFAULT_RETURN_RANGE: readonly [number, number] = [0.03, 0.18];
export const DEFAULT_REACH_SPREAD = 3;

/**
 * Seven reach multipliers evenly spaced in log from 1 / spread to spread (each equally likely
 * in the prior): spread 3 gives 0.33, 0.48, 0.69, 1, 1.44, 2.08, 3.
 * @example reachScales(2) // [0.5, 0.63, 0.79, 1, 1.26, 1.59, 2]
 */
export function reachScales(spread: number): number[] {
  return Array.from({ length: 7 }, (_, i) => spread ** ((i - 3) / 3));
}

export interface PriorSettings {
  /** 90% range of the uptake at a tiny gap; null: the uptake is taken as known (--uptake). */
  uptakeRange: readonly [number, number] | null;
  /** Or a Beta already fitted (from a calibration); wins over uptakeRange. */
  uptakeBeta?: BetaParameters;
  returnRange: readonly [number, number];
  /** Reach multipliers from 1 / reachSpread to reachSpread (default DEFAULT_REACH_SPREAD). */
  reachSpread?: number;
  /** --overshoot: fixed. */
  overshootMinor?: number;
  /** The items sold in the window (issue #16 point 3): the overshoot's range from the shop's own catalogue when enough baskets hold them. */
  itemSales?: ItemSales;
}

/** The items sold in the window: their usual unit prices, ascending, and the baskets each is in (aligned). */
export interface ItemSales {
  priceMinor: Float64Array;
  baskets: Float64Array;
}

/** Baskets the items must be in, all told, for their prices to set the overshoot (as the 30 add-on prices do). */
export const MIN_ITEM_SALES_BASKETS = 30;

/**
 * The overshoot's range from the shop's own items (issue #16 point 3: "a top-up adds an item
 * that actually closes the gap, from the prices and popularity of items sold"). A customer
 * with a gap g adds one item priced at least g; which one is what the history cannot tell, so
 * the range spans the two ends of how customers choose it, each averaged over gaps g uniform
 * on (0, reach):
 *  - low: the cheapest item sold that closes g, minus g (customers who search for the item
 *    that just fits: Chen & Ngwe, HBS Working Paper 19-034, 2018, "consumers incur search
 *    costs to meet this threshold exactly");
 *  - high: the mean price of the items that close g, weighted by the baskets each is in,
 *    minus g (customers who add what the shop's customers usually buy, without searching).
 * The expected margin of a top-up is linear in its overshoot, so each end is a mean (the
 * expectation under that behaviour), not a median; its tail is bounded by what sold.
 * Null with fewer than MIN_ITEM_SALES_BASKETS basket-items or when no item closes any gap.
 * @example
 * // items at 5.00 (sold in 30 baskets) and 20.00 (10): a gap of up to 4.00 is closed by 5.00 at
 * // the nearest, by (30 x 5 + 10 x 20) / 40 = 8.75 by sales
 * catalogueOvershoot({ priceMinor: Float64Array.of(500, 2000), baskets: Float64Array.of(30, 10) }, 400);
 * // { lowMinor: 300, highMinor: 675, items: 2, baskets: 40 }
 */
export function catalogueOvershoot(sales: ItemSales, reachMinor: number): { lowMinor: number; highMinor: number; items: number; baskets: number } | null {
  const n = sales.priceMinor.length;
  let baskets = 0;
  let items = 0;
  for (let k = 0; k < n; k++) {
    if (sales.baskets[k] > 0 && sales.priceMinor[k] > 0) {
      baskets += sales.baskets[k];
      items++;
    }
  }
  if (baskets < MIN_ITEM_SALES_BASKETS || reachMinor <= 0) return null;
  // Suffix sums of weight and weight x price over the ascending prices: the weighted mean of the items >= g in O(log n).
  const weightSuffix = new Float64Array(n + 1);
  const priceSuffix = new Float64Array(n + 1);
  // nearest[k]: the first item at or after k that sold (an item in the list with no basket is not a closer).
  const nearest = new Float64Array(n + 1).fill(NaN);
  for (let k = n - 1; k >= 0; k--) {
    const w = sales.baskets[k] > 0 && sales.priceMinor[k] > 0 ? sales.baskets[k] : 0;
    weightSuffix[k] = weightSuffix[k + 1] + w;
    priceSuffix[k] = priceSuffix[k + 1] + w * sales.priceMinor[k];
    nearest[k] = w > 0 ? sales.priceMinor[k] : nearest[k + 1];
  }
  const grid = 200;
  let low = 0;
  let high = 0;
  let counted = 0;
  for (let i = 0; i < grid; i++) {
    const g = ((i + 0.5) / grid) * reachMinor;
    const start = lowerBound(sales.priceMinor, g);
    if (!(weightSuffix[start] > 0)) continue;
    low += nearest[start] - g;
    high += priceSuffix[start] / weightSuffix[start] - g;
    counted++;
  }
  if (!counted) return null;
  return { lowMinor: Math.round(low / counted), highMinor: Math.round(high / counted), items, baskets };
}

/** The prior `aov suggest-threshold` uses, and the overshoot point (its mean) with where it comes from. */
export function thresholdPrior(addOnPricesSorted: Float64Array, reachMinor: number, settings: PriorSettings): { prior: ThresholdPrior; overshootMinor: number; overshootSource: string; overshootBasis: string; overshootFromData: boolean } {
  let low: number;
  let high: number;
  let overshootSource: string;
  // The source in a few words, for the terminal's prior line.
  let overshootBasis: string;
  const catalogue = settings.overshootMinor === undefined && settings.itemSales ? catalogueOvershoot(settings.itemSales, reachMinor) : null;
  if (settings.overshootMinor !== undefined) {
    low = high = settings.overshootMinor;
    overshootSource = overshootBasis = '--overshoot';
  } else if (catalogue) {
    low = catalogue.lowMinor;
    high = catalogue.highMinor;
    overshootSource = `from the ${catalogue.items.toLocaleString('en-US')} items sold (${catalogue.baskets.toLocaleString('en-US')} times, once a basket): between the cheapest item that closes each gap (customers who search) and the mean of those that do, weighted by sales (customers who add what they usually buy)`;
    overshootBasis = `from the ${catalogue.items.toLocaleString('en-US')} items sold`;
  } else if (addOnPricesSorted.length >= 30) {
    low = Math.round(estimateOvershootQuantile(addOnPricesSorted, reachMinor, 0.25));
    high = Math.round(estimateOvershootQuantile(addOnPricesSorted, reachMinor, 0.75));
    overshootSource = 'between the lower and upper quartile of the add-on prices above the gap';
    overshootBasis = 'add-on price quartiles';
  } else {
    low = Math.round(reachMinor / 4);
    high = Math.round((reachMinor * 3) / 4);
    overshootSource = 'a quarter to three quarters of the reach (too few add-on prices)';
    overshootBasis = 'a share of the reach';
  }
  const uptake = settings.uptakeBeta ?? (settings.uptakeRange ? betaFromRange(settings.uptakeRange[0], settings.uptakeRange[1]) : undefined);
  return {
    prior: { uptake, reachScales: reachScales(settings.reachSpread ?? DEFAULT_REACH_SPREAD), overshootLowMinor: low, overshootHighMinor: high, returnLow: settings.returnRange[0], returnHigh: settings.returnRange[1] },
    overshootMinor: Math.round((low + high) / 2),
    overshootSource,
    overshootBasis,
    overshootFromData: settings.overshootMinor === undefined && (catalogue !== null || addOnPricesSorted.length >= 30),
  };
}

/**
 * Expected overshoot of a top-up: for a gap g uniform on (0, reach), the customer adds an
 * item whose price p is drawn from the add-on prices that close the gap (p >= g); the
 * overshoot is E[p - g]. Computed on a grid of 200 gaps over the sorted add-on prices.
 */
export function estimateOvershoot(addOnPricesSorted: Float64Array, reachMinor: number): number {
  const n = addOnPricesSorted.length;
  if (n === 0 || reachMinor <= 0) return 0;
  // Suffix sums give the mean of prices >= g in O(log n) per gap.
  const suffix = new Float64Array(n + 1);
  for (let k = n - 1; k >= 0; k--) suffix[k] = suffix[k + 1] + addOnPricesSorted[k];
  return averageOverGaps(addOnPricesSorted, reachMinor, (start, count, g) => suffix[start] / count - g);
}

/**
 * The average over a grid of 200 gaps g uniform on (0, reach) of `overshoot(start, count, g)`,
 * where prices[start..] (count of them) are the add-ons that close g; gaps no add-on closes
 * are left out.
 */
function averageOverGaps(addOnPricesSorted: Float64Array, reachMinor: number, overshoot: (start: number, count: number, g: number) => number): number {
  const grid = 200;
  let total = 0;
  let counted = 0;
  for (let i = 0; i < grid; i++) {
    const g = ((i + 0.5) / grid) * reachMinor;
    const start = lowerBound(addOnPricesSorted, g);
    const count = addOnPricesSorted.length - start;
    if (count === 0) continue;
    total += overshoot(start, count, g);
    counted++;
  }
  return counted ? total / counted : 0;
}

/**
 * A robust overshoot: for a gap g uniform on (0, reach), the q-quantile of p - g over the
 * add-on prices p that close it (p >= g), averaged over the gaps (q = 0.5: the median
 * overshoot). The mean (estimateOvershoot) follows the add-ons' heavy right tail: a few
 * dear items make most of it, and the customers who pad a cart to reach a threshold look for
 * an item near the gap (Chen & Ngwe, "Shipping Fees and Product Assortment in Online
 * Retail", Harvard Business School Working Paper 19-034, 2018: "consumers incur search costs
 * to meet this threshold exactly").
 * Quantiles by linear interpolation (Hyndman & Fan type 7), on a grid of 200 gaps.
 * @example
 * estimateOvershootQuantile(Float64Array.of(1000, 1000, 1000), 1000, 0.5); // 500: E[10 - g]
 */
export function estimateOvershootQuantile(addOnPricesSorted: Float64Array, reachMinor: number, q: number): number {
  const n = addOnPricesSorted.length;
  if (n === 0 || reachMinor <= 0) return 0;
  // For each gap, the type-7 quantile of the sorted suffix of prices that close it, minus the gap.
  return averageOverGaps(addOnPricesSorted, reachMinor, (start, count, g) => {
    const h = (count - 1) * q;
    const lo = start + Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    return addOnPricesSorted[lo] + (h - Math.floor(h)) * (addOnPricesSorted[hi] - addOnPricesSorted[lo]) - g;
  });
}
