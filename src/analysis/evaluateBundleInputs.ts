/**
 * What a bundle evaluation reads of the baskets: the baskets by product (SKUs grouped as
 * `aov bundles` groups them), each item of the rule as a product (its product label, else the
 * product of its SKU), the products' names, and each basket's order time.
 */
import { groupProducts, productBaskets } from './products.js';
import type { BasketTable, OrderTable } from './types.js';

/** The baskets as the import gives them (src/io/baskets.ts BasketResult), the fields read here. */
export interface EvaluatedBaskets {
  baskets: BasketTable;
  orderIds: readonly string[];
  itemNames: readonly string[];
  itemLines: Float64Array;
  /** The export's parent product id per item (WooCommerce, PrestaShop), null where it gives none. */
  itemParents: readonly (string | null)[];
  variantNames: boolean;
}

export type BundleEvaluationInputs =
  | { kind: 'found'; products: BasketTable; times: Float64Array; items: number[]; names: string[] }
  /** Items of the rule in no basket, by SKU or product. */
  | { kind: 'missing'; missing: string[] };

/** The rule's items as products of the baskets, with the order time of each basket (NaN for an order not in the table). */
export function bundleEvaluationInputs(b: EvaluatedBaskets, table: Pick<OrderTable, 'orderIds' | 'placedAt'>, ruleItems: readonly string[]): BundleEvaluationInputs {
  const grouping = groupProducts(b.baskets.itemLabels.map((label, i) => ({ label, name: b.itemNames[i] ?? '', lines: b.itemLines[i], parent: b.itemParents[i] })), { variantNames: b.variantNames });
  const items = ruleItems.map((item) => {
    const sku = b.baskets.itemLabels.indexOf(item);
    const byLabel = grouping.labels.indexOf(item);
    return byLabel >= 0 ? byLabel : sku >= 0 ? grouping.productOf[sku] : -1;
  });
  const missing = ruleItems.filter((_, k) => items[k] < 0);
  if (missing.length) return { kind: 'missing', missing };
  const products = productBaskets(b.baskets, grouping.productOf, grouping.labels, grouping.representative);
  const timeOf = new Map<string, number>();
  for (let i = 0; i < table.orderIds.length; i++) timeOf.set(table.orderIds.at(i)!, table.placedAt[i]);
  const times = Float64Array.from(b.orderIds, (id) => timeOf.get(id) ?? NaN);
  return { kind: 'found', products, times, items, names: items.map((i) => grouping.names[i]) };
}
