/**
 * Products, not variants: which SKUs are sizes or colours of one product, from what the
 * export says (a parent product id: WooCommerce's product_id beside variation_id,
 * PrestaShop's product_id beside product_attribute_id; Shopify writes a line's name as
 * "Product - Variant") and what the catalogue
 * shows (SKUs that differ only in case, or in a size or a letter suffix shared by two SKUs
 * or more). Baskets then hold products, so two sizes of one shoe are never a "bundle".
 *
 * Deliberately not used: a shared leading word of the names ("HERB MARKER THYME", "HERB
 * MARKER MINT"). A name stem is as often a series a merchandiser sells as a set as a product
 * in colours, and sets are told apart from complements by how they are bought (sets.ts).
 */
import type { BasketTable } from './types.js';

export interface CatalogueItem {
  /** The item's label in the baskets: a SKU, or the name when the line had no SKU. */
  label: string;
  /** Its most frequent name ('' if none). */
  name: string;
  /** Lines it is on. */
  lines: number;
  /** The parent product id the export gives (WooCommerce, PrestaShop): it decides over every heuristic. */
  parent?: string | null;
}

export interface ProductGrouping {
  /** Product of each item (index into labels). */
  productOf: Int32Array;
  /** Each product's label: the label of its member with the most lines (ties: smallest label). */
  labels: string[];
  /** Each product's name: the product part of a "Product - Variant" name, or its members' most frequent name. */
  names: string[];
  /** Lines of each product (its members' sum). */
  lines: Float64Array;
  /** The member with the most lines: its price and cost stand for the product's. */
  representative: Int32Array;
  /** Members of each product, most lines first. */
  members: number[][];
  /** Products of two members or more that the export's parent product id grouped. */
  parentGrouped: number;
}

export interface GroupingOptions {
  /** Names are "Product - Variant" (Shopify's Lineitem name): the part before the last " - " is the product. */
  variantNames?: boolean;
}

/** A size at the end of a SKU after a separator: 34, 10.5, XS..XXXL, 2XL, OS. */
const SIZE_SUFFIX = /^(.+?)[-_/ .]+(XXS|XS|S|M|L|XL|XXL|XXXL|[2-6]XL|OS|\d{1,3}(?:\.5)?)$/;
/** Online Retail's colour or design letters after a numeric stock code: 85099B, 15056BL. */
const LETTER_SUFFIX = /^(\d{3,})([A-Z]{1,2})$/;
/** "Greyson Noir - 34" -> "Greyson Noir" (greedy: the last " - " separates the variant). */
const VARIANT_NAME = /^(.+) - (.+)$/;

const normalName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Groups items into products. A suffix is taken off only when two SKUs or more share what is
 * left, so "BIS-1" alone stays itself.
 * @example groupProducts([{ label: '85123A', name: 'HEART', lines: 2302 }, { label: '85123a', name: 'HEART', lines: 67 }, { label: '22423', name: 'CAKESTAND', lines: 2000 }]).labels
 * // ['22423', '85123A']
 */
export function groupProducts(items: readonly CatalogueItem[], options: GroupingOptions = {}): ProductGrouping {
  // Step 1: a first key per item: the export's parent product id, else the product part of a
  // variant name, else the SKU in upper case.
  const first = items.map((item) => {
    if (item.parent) return { key: `parent:${item.parent}`, productName: null, sku: null };
    const isName = item.label === item.name;
    if (options.variantNames && item.name) {
      const m = VARIANT_NAME.exec(item.name.trim());
      if (m) return { key: `name:${normalName(m[1])}`, productName: m[1].trim(), sku: null };
    }
    if (isName || !item.label) return { key: `name:${normalName(item.label || item.name)}`, productName: null, sku: null };
    return { key: `sku:${item.label.trim().toUpperCase()}`, productName: null, sku: item.label.trim().toUpperCase() };
  });
  // Step 2: SKU suffixes (a size, then Online Retail's letters), each taken off where the stem is shared.
  const skus = new Set(first.filter((f) => f.sku !== null).map((f) => f.sku!));
  for (const suffix of [SIZE_SUFFIX, LETTER_SUFFIX]) {
    const stemOf = new Map<string, string>();
    const sharing = new Map<string, Set<string>>();
    for (const sku of skus) {
      const m = suffix.exec(sku);
      if (!m) continue;
      stemOf.set(sku, m[1]);
      sharing.set(m[1], (sharing.get(m[1]) ?? new Set()).add(sku));
    }
    // The bare stem as a SKU of its own counts as one of the family (84029 beside 84029E).
    for (const [stem, family] of sharing) if (skus.has(stem)) family.add(stem);
    const renamed = new Map<string, string>();
    for (const [sku, stem] of stemOf) if (sharing.get(stem)!.size >= 2) renamed.set(sku, stem);
    for (const f of first) {
      if (f.sku !== null && renamed.has(f.sku)) {
        f.sku = renamed.get(f.sku)!;
        f.key = `sku:${f.sku}`;
      }
    }
    for (const [sku, stem] of renamed) {
      skus.delete(sku);
      skus.add(stem);
    }
  }
  // Step 3: products numbered in the order of their labels; the label and name by lines.
  const byKey = new Map<string, number[]>();
  first.forEach((f, i) => byKey.set(f.key, [...(byKey.get(f.key) ?? []), i]));
  const groups = [...byKey.values()].map((members) =>
    members.sort((a, b) => items[b].lines - items[a].lines || compareText(items[a].label, items[b].label)),
  );
  groups.sort((x, y) => compareText(items[x[0]].label, items[y[0]].label));
  const productOf = new Int32Array(items.length);
  const names: string[] = [];
  const lines = new Float64Array(groups.length);
  let parentGrouped = 0;
  groups.forEach((members, p) => {
    const nameLines = new Map<string, number>();
    for (const i of members) {
      productOf[i] = p;
      lines[p] += items[i].lines;
      const name = first[i].productName ?? items[i].name;
      if (name) nameLines.set(name, (nameLines.get(name) ?? 0) + items[i].lines);
    }
    const byParent = first[members[0]].key.startsWith('parent:');
    if (byParent && members.length > 1) parentGrouped++;
    // Variations named "Hoodie - Navy, M" and "Hoodie - Grey, L" under one parent: the product is "Hoodie".
    names.push((byParent && members.length > 1 ? sharedProductName(members.map((i) => items[i].name)) : null)
      ?? [...nameLines].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0]?.[0] ?? items[members[0]].label);
  });
  return {
    productOf, labels: groups.map((m) => items[m[0]].label), names, lines,
    representative: Int32Array.from(groups.map((m) => m[0])), members: groups, parentGrouped,
  };
}

/**
 * The leading " - " parts every name shares: "Hoodie" of "Hoodie - Navy, M" and "Hoodie -
 * Grey, L" (WooCommerce), "Pull marin" of "Pull marin - Taille : M - Couleur : Bleu" and its
 * size L (PrestaShop); null when the names share no first part.
 * @example sharedProductName(['Hoodie - Navy, M', 'Hoodie - Grey, L']) // 'Hoodie'
 */
export function sharedProductName(names: readonly string[]): string | null {
  const parts = names.map((name) => name.trim().split(' - ').map((part) => part.trim()));
  let shared = 0;
  while (parts.every((p) => shared < p.length && p[shared] === parts[0][shared])) shared++;
  return shared > 0 && parts[0][0] ? parts[0].slice(0, shared).join(' - ') : null;
}

/** Code-point order (not locale): the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The baskets with items replaced by their products: a basket with two sizes of one product
 * holds the product once.
 * @example productBaskets({ offsets: Int32Array.of(0, 2), items: Int32Array.of(0, 1), itemLabels: ['a', 'A'] }, Int32Array.of(0, 0), ['A']).items // Int32Array [0]
 */
export function productBaskets(baskets: BasketTable, productOf: Int32Array, labels: readonly string[], representative?: Int32Array): BasketTable {
  const n = baskets.offsets.length - 1;
  const offsets = new Int32Array(n + 1);
  const items = new Int32Array(baskets.items.length);
  let at = 0;
  const scratch: number[] = [];
  for (let b = 0; b < n; b++) {
    scratch.length = 0;
    for (let k = baskets.offsets[b]; k < baskets.offsets[b + 1]; k++) scratch.push(productOf[baskets.items[k]]);
    scratch.sort((x, y) => x - y);
    for (let k = 0; k < scratch.length; k++) if (k === 0 || scratch[k] !== scratch[k - 1]) items[at++] = scratch[k];
    offsets[b + 1] = at;
  }
  const pick = (values: Float64Array | undefined) => (values && representative ? Float64Array.from(representative, (i) => values[i]) : undefined);
  return { offsets, items: items.slice(0, at), itemLabels: labels, itemPriceMinor: pick(baskets.itemPriceMinor), itemCostMinor: pick(baskets.itemCostMinor) };
}

export interface ItemMatch {
  item: number;
  lines: number;
}

export interface ResolvedItem {
  item: number;
  /** How the text matched: the item's own label, a variant's SKU, or a name. */
  by: 'label' | 'variant' | 'name';
  /** Every item the text matched, most lines first (the first is the one chosen). */
  matches: ItemMatch[];
}

/**
 * `--for TEXT`: the item whose label is TEXT; else the product one of whose SKUs is TEXT
 * (any case); else, among the items carrying TEXT as a name (any case), the one on the most
 * lines (ties: smallest label), so a name resolves to the best-selling SKU, not to a rare
 * lower-case copy (85123A on 2,302 lines, not 85123a on 67). Null when nothing matches.
 * @example resolveItem('heart', ['85123A', '85123a'], [1000, 60], [{ item: 0, name: 'HEART', lines: 1000 }, { item: 1, name: 'HEART', lines: 60 }]).item // 0
 */
export function resolveItem(
  text: string,
  labels: readonly string[],
  lines: ArrayLike<number>,
  aliases: readonly { item: number; name: string; lines: number }[],
  memberLabels?: readonly (readonly string[])[],
): ResolvedItem | null {
  const rank = (found: Iterable<number>): ItemMatch[] =>
    [...new Set(found)].map((item) => ({ item, lines: lines[item] })).sort((a, b) => b.lines - a.lines || compareText(labels[a.item], labels[b.item]));
  const exact = labels.indexOf(text);
  if (exact >= 0) return { item: exact, by: 'label', matches: [{ item: exact, lines: lines[exact] }] };
  const wanted = normalName(text);
  const bySku = labels.map((label, i) => ({ i, skus: memberLabels?.[i] ?? [label] })).filter((x) => x.skus.some((s) => normalName(s) === wanted)).map((x) => x.i);
  if (bySku.length) {
    const matches = rank(bySku);
    return { item: matches[0].item, by: memberLabels ? 'variant' : 'label', matches };
  }
  const byName = aliases.filter((a) => normalName(a.name) === wanted).map((a) => a.item);
  if (!byName.length) return null;
  const matches = rank(byName);
  return { item: matches[0].item, by: 'name', matches };
}
