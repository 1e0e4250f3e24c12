/** What the threshold plan reads from the baskets: add-on prices (the reach) and items (gap fillers). */
import { gapFillers, type GapFillerItem, type GapFillerSuggestion } from '../gapFillers.js';
import type { ItemSales } from '../thresholdResponse.js';
import type { BasketTable, OrderTable } from '../types.js';

/** The part of the loader's basket result the plan reads (src/io/baskets.ts BasketResult has it). */
export interface ThresholdBaskets {
  baskets: BasketTable;
  /** Order id of each basket, aligned with baskets.offsets. */
  orderIds: readonly string[];
  /** Item label -> product name. */
  itemNames: readonly string[];
  /** The currency the item prices are in. */
  priceCurrency: string;
  /** The cheapest line of each multi-item order, ascending, and its order. */
  addOnPriceMinor: Float64Array;
  addOnOrderIds: readonly string[];
}

/**
 * The items sold in the window's baskets (the catalogue a top-up draws from): each priced
 * item's usual unit price, ascending, and the window's baskets it is in; none in another
 * currency or without item prices.
 */
export function windowItemSales(table: OrderTable, baskets: ThresholdBaskets | undefined): ItemSales | undefined {
  const price = baskets?.baskets.itemPriceMinor;
  if (!baskets || !price || baskets.priceCurrency !== table.currency) return undefined;
  const inWindow = windowIds(table);
  const sold = new Float64Array(price.length);
  const { offsets, items } = baskets.baskets;
  baskets.orderIds.forEach((id, b) => {
    if (!inWindow.has(id)) return;
    for (let k = offsets[b]; k < offsets[b + 1]; k++) sold[items[k]]++;
  });
  const priced = Array.from(price.keys()).filter((i) => sold[i] > 0 && Number.isFinite(price[i]) && price[i] > 0);
  // Ascending price; ties by item number, so the order does not depend on the sort.
  priced.sort((a, b) => price[a] - price[b] || a - b);
  return { priceMinor: Float64Array.from(priced, (i) => price[i]), baskets: Float64Array.from(priced, (i) => sold[i]) };
}

export type LabelledGapFiller = GapFillerSuggestion & { label: string; name: string };

/**
 * The window's order ids as a set, built once per window table: the add-ons and the items sold
 * both filter by it, and at 4M orders a set of their ids is a quarter of a warm run.
 */
const windowIdSets = new WeakMap<OrderTable, Set<string>>();
function windowIds(table: OrderTable): Set<string> {
  let ids = windowIdSets.get(table);
  if (!ids) windowIdSets.set(table, (ids = new Set(table.orderIds)));
  return ids;
}

/** The add-on prices of the orders in the window (the arrays are sorted by price, so the filtered one is too); none in another currency. */
export function windowAddOns(table: OrderTable, baskets: ThresholdBaskets | undefined): Float64Array {
  if (!baskets || baskets.priceCurrency !== table.currency) return new Float64Array(0);
  const inWindow = windowIds(table);
  return baskets.addOnPriceMinor.filter((_, k) => inWindow.has(baskets.addOnOrderIds[k]));
}

/**
 * Gap fillers for a threshold: items priced to close the gaps of the carts within reach below
 * it, ranked by how often they are in those carts (attach rate), with their margin when the
 * item's cost is known.
 */
export function thresholdGapFillers(table: OrderTable, baskets: ThresholdBaskets | undefined, threshold: number, reachMinor: number): LabelledGapFiller[] {
  if (!baskets || baskets.priceCurrency !== table.currency) return [];
  const lo = threshold - reachMinor;
  // The carts within reach below the threshold, by order id (a few percent of the orders: a
  // small map, looked up once per basket).
  const zoneValue = new Map<string, number>();
  for (let i = 0; i < table.orderIds.length; i++) {
    const v = table.valueMinor[i];
    if (!(v < lo || v >= threshold)) zoneValue.set(table.orderIds[i], v);
  }
  const gaps: number[] = [];
  const attach = new Float64Array(baskets.baskets.itemLabels.length);
  let zoneCarts = 0;
  baskets.orderIds.forEach((id, b) => {
    const v = zoneValue.get(id);
    if (v === undefined) return;
    zoneCarts++;
    gaps.push(threshold - v);
    for (let k = baskets.baskets.offsets[b]; k < baskets.baskets.offsets[b + 1]; k++) attach[baskets.baskets.items[k]]++;
  });
  const price = baskets.baskets.itemPriceMinor!;
  const cost = baskets.baskets.itemCostMinor;
  const items: GapFillerItem[] = baskets.baskets.itemLabels
    .map((_, i) => ({
      item: i,
      priceMinor: price[i],
      marginMinor: cost && Number.isFinite(cost[i]) ? price[i] - cost[i] : null,
      attachRate: zoneCarts ? attach[i] / zoneCarts : 0,
    }))
    .filter((it) => Number.isFinite(it.priceMinor) && it.priceMinor > 0);
  return gapFillers(Float64Array.from(gaps), items).map((g) => ({ ...g, label: baskets.baskets.itemLabels[g.item], name: baskets.itemNames[g.item] }));
}

export interface TopUpMargin {
  /** Sales-weighted margin rate of the items a top-up adds. */
  rate: number;
  /** Items it is computed over, and the price they are up to (minor units). */
  items: number;
  maxPriceMinor: number;
}

/** Share of the candidate items' sales that must have a known cost for their margin to be used. */
export const TOP_UP_COST_COVERAGE = 0.8;

/**
 * The margin a top-up earns is the added item's, not the cart's: a cheap add-on (socks, a
 * sample, a snack) often carries a different margin from the order it tops up. With item costs
 * known, it is the sales-weighted margin rate, sum f (price - cost) / sum f price, over the
 * items a top-up can add: those priced up to twice the reach (a gap below the reach, closed by
 * an item priced at the gap plus an overshoot), f = the baskets each is in. Null when fewer
 * than TOP_UP_COST_COVERAGE of those items' sales have a cost, or in another currency: then
 * each order's own margin rate (or --margin) is used.
 */
export function topUpMargin(table: OrderTable, baskets: ThresholdBaskets | undefined, reachMinor: number): TopUpMargin | null {
  if (!baskets || baskets.priceCurrency !== table.currency) return null;
  const price = baskets.baskets.itemPriceMinor;
  const cost = baskets.baskets.itemCostMinor;
  if (!price || !cost) return null;
  const sold = new Float64Array(baskets.baskets.itemLabels.length);
  for (const item of baskets.baskets.items) sold[item]++;
  const maxPriceMinor = 2 * reachMinor;
  let weight = 0;
  let costed = 0;
  let revenue = 0;
  let margin = 0;
  let items = 0;
  for (let i = 0; i < sold.length; i++) {
    if (!(sold[i] > 0 && Number.isFinite(price[i]) && price[i] > 0 && price[i] <= maxPriceMinor)) continue;
    weight += sold[i];
    if (!Number.isFinite(cost[i])) continue;
    costed += sold[i];
    revenue += sold[i] * price[i];
    margin += sold[i] * (price[i] - cost[i]);
    items++;
  }
  if (!(weight > 0) || costed < TOP_UP_COST_COVERAGE * weight || !(revenue > 0)) return null;
  return { rate: margin / revenue, items, maxPriceMinor };
}
