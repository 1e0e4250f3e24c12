/**
 * Bundle offers from frequent itemsets: the items' usual prices summed, a small discount
 * that keeps the bundle's gross margin above a floor, and the margin per bundle sold.
 * Without costs the margin is unknown and said to be, never invented.
 */

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
    if (margin / price >= floor) {
      return { ...base, discount: pct / 100, bundlePriceMinor: price, costMinor: cost, marginMinor: margin, marginRate: margin / price, marginKnown: true, viable: true, note: `largest discount in ${Math.round(minDiscount * 100)}-${Math.round(maxDiscount * 100)}% that keeps a ${Math.round(floor * 100)}% margin` };
    }
  }
  const price = priceAt(minDiscount);
  return {
    ...base, discount: minDiscount, bundlePriceMinor: price, costMinor: cost, marginMinor: price - cost, marginRate: (price - cost) / price, marginKnown: true, viable: false,
    note: `even a ${Math.round(minDiscount * 100)}% discount leaves a ${(((price - cost) / price) * 100).toFixed(1)}% margin, under the ${Math.round(floor * 100)}% floor`,
  };
}
