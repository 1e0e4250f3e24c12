/** What the threshold plan reads from the baskets: add-on prices (the reach) and items (gap fillers). */
import { gapFillers, type GapFillerItem, type GapFillerSuggestion } from '../gapFillers.js';
import type { ItemSales } from '../thresholdResponse.js';
import type { BasketOrderRows, BasketTable, OrderTable } from '../types.js';
import { rootRows } from '../window.js';

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
  /** The basket of each add-on price, aligned with addOnPriceMinor, when the loader knows it. */
  addOnBaskets?: Int32Array;
  /** Each basket's order row in the loaded tables, when the loader knows it. */
  orderRows?: BasketOrderRows;
}

/**
 * The items sold in the window's baskets (the catalogue a top-up draws from): each priced
 * item's usual unit price, ascending, and the window's baskets it is in; none in another
 * currency or without item prices.
 */
export function windowItemSales(table: OrderTable, baskets: ThresholdBaskets | undefined): ItemSales | undefined {
  const price = baskets?.baskets.itemPriceMinor;
  if (!baskets || !price || baskets.priceCurrency !== table.currency) return undefined;
  const inWindow = windowBaskets(table, baskets);
  const sold = new Float64Array(price.length);
  const { offsets, items } = baskets.baskets;
  for (let b = 0; b < inWindow.length; b++) {
    if (!inWindow[b]) continue;
    for (let k = offsets[b]; k < offsets[b + 1]; k++) sold[items[k]]++;
  }
  const priced = Array.from(price.keys()).filter((i) => sold[i] > 0 && Number.isFinite(price[i]) && price[i] > 0);
  // Ascending price; ties by item number, so the order does not depend on the sort.
  priced.sort((a, b) => price[a] - price[b] || a - b);
  return { priceMinor: Float64Array.from(priced, (i) => price[i]), baskets: Float64Array.from(priced, (i) => sold[i]) };
}

export type LabelledGapFiller = GapFillerSuggestion & { label: string; name: string };

/**
 * The window table's root among the tables the baskets' order rows point into, and its index
 * there; undefined when the loader gave no rows or the table does not come from those tables.
 */
type RowsOf = { rows: BasketOrderRows; index: number; root: OrderTable; inRoot: Uint8Array };
const rowsOfKept = new WeakMap<OrderTable, { baskets: ThresholdBaskets; found: RowsOf | undefined }>();
function rowsOf(table: OrderTable, baskets: ThresholdBaskets): RowsOf | undefined {
  // (once per window table and basket set: the mask and the gap fillers both read it)
  const kept = rowsOfKept.get(table);
  if (kept && kept.baskets === baskets) return kept.found;
  const found = findRows(table, baskets);
  rowsOfKept.set(table, { baskets, found });
  return found;
}

function findRows(table: OrderTable, baskets: ThresholdBaskets): RowsOf | undefined {
  const rows = baskets.orderRows;
  const lineage = rootRows(table);
  const index = rows ? rows.tables.indexOf(lineage.root) : -1;
  if (!rows || index < 0 || rows.table.length !== baskets.orderIds.length) return undefined;
  const inRoot = new Uint8Array(lineage.root.valueMinor.length);
  if (lineage.rows) for (const r of lineage.rows) inRoot[r] = 1;
  else inRoot.fill(1, lineage.start, lineage.start + lineage.count);
  return { rows, index, root: lineage.root, inRoot };
}

/**
 * Which baskets are the window's orders (1) and which not (0), built once per window table and
 * basket set: the add-ons and the items sold both filter by it. By order row when the loader
 * gave each basket's (a few typed-array reads per basket); else by a set of the window's order
 * ids (at 4M orders half of a warm run: hashing millions of id strings).
 */
const windowMasks = new WeakMap<OrderTable, { baskets: ThresholdBaskets; mask: Uint8Array }>();
function windowBaskets(table: OrderTable, baskets: ThresholdBaskets): Uint8Array {
  const kept = windowMasks.get(table);
  if (kept && kept.baskets === baskets) return kept.mask;
  const mask = new Uint8Array(baskets.orderIds.length);
  const byRow = rowsOf(table, baskets);
  if (byRow) {
    const { rows, index, inRoot } = byRow;
    for (let b = 0; b < mask.length; b++) if (rows.table[b] === index && inRoot[rows.row[b]]) mask[b] = 1;
  } else {
    const ids = new Set(table.orderIds);
    baskets.orderIds.forEach((id, b) => {
      if (ids.has(id)) mask[b] = 1;
    });
  }
  windowMasks.set(table, { baskets, mask });
  return mask;
}

/** The add-on prices of the orders in the window (the arrays are sorted by price, so the filtered one is too); none in another currency. */
export function windowAddOns(table: OrderTable, baskets: ThresholdBaskets | undefined): Float64Array {
  if (!baskets || baskets.priceCurrency !== table.currency) return new Float64Array(0);
  const addOnBaskets = baskets.addOnBaskets;
  if (addOnBaskets && addOnBaskets.length === baskets.addOnPriceMinor.length) {
    const inWindow = windowBaskets(table, baskets);
    return baskets.addOnPriceMinor.filter((_, k) => inWindow[addOnBaskets[k]] === 1);
  }
  const inWindow = new Set(table.orderIds);
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
  const inZone = (v: number) => !(v < lo || v >= threshold);
  // Each basket's cart value when it is a window order within reach below the threshold: by
  // order row when the loader gave them, else by order id (a few percent of the orders: a small
  // map, looked up once per basket).
  const byRow = rowsOf(table, baskets);
  let zoneValueOf: (b: number) => number | undefined;
  if (byRow) {
    const { rows, index, root, inRoot } = byRow;
    zoneValueOf = (b) => {
      if (rows.table[b] !== index || !inRoot[rows.row[b]]) return undefined;
      const v = root.valueMinor[rows.row[b]];
      return inZone(v) ? v : undefined;
    };
  } else {
    const zoneValue = new Map<string, number>();
    for (let i = 0; i < table.orderIds.length; i++) if (inZone(table.valueMinor[i])) zoneValue.set(table.orderIds.at(i)!, table.valueMinor[i]);
    zoneValueOf = (b) => zoneValue.get(baskets.orderIds[b]);
  }
  const gaps: number[] = [];
  const attach = new Float64Array(baskets.baskets.itemLabels.length);
  let zoneCarts = 0;
  for (let b = 0; b < baskets.orderIds.length; b++) {
    const v = zoneValueOf(b);
    if (v === undefined) continue;
    zoneCarts++;
    gaps.push(threshold - v);
    for (let k = baskets.baskets.offsets[b]; k < baskets.baskets.offsets[b + 1]; k++) attach[baskets.baskets.items[k]]++;
  }
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
