import { describe, expect, it } from 'vitest';
import { offerEconomics } from '../src/analysis/bundleOffers.js';
import { groupProducts, productBaskets, resolveItem, sharedProductName } from '../src/analysis/products.js';
import { distinctNames, truncateMiddle } from '../src/report/format.js';

const item = (label: string, name: string, lines: number) => ({ label, name, lines });

describe('groupProducts', () => {
  it('groups SKUs that differ in case, a size suffix or a shared letter suffix, and nothing else', () => {
    const g = groupProducts([
      item('85123A', 'WHITE HEART', 2302), item('85123a', 'WHITE HEART', 67), // case
      item('85099B', 'JUMBO BAG RED', 2000), item('85099F', 'JUMBO BAG STRAWBERRY', 500), // letters on a shared code
      item('22423', 'CAKESTAND', 2000), // no suffix
      item('1026_NOIR_32', 'Greyson Noir', 30), item('1026_NOIR_34', 'Greyson Noir', 40), // sizes
      item('BIS-1', 'Biscuits', 300), // a suffix no other SKU shares: kept
      item('TEA-M', 'Tea', 10), item('TEA-L', 'Tea', 5), // letter sizes
    ]);
    const productOf = (i: number) => g.labels[g.productOf[i]];
    expect([0, 1].map(productOf)).toEqual(['85123A', '85123A']);
    expect([2, 3].map(productOf)).toEqual(['85099B', '85099B']);
    expect(productOf(4)).toBe('22423');
    expect([5, 6].map(productOf)).toEqual(['1026_NOIR_34', '1026_NOIR_34']);
    expect(productOf(7)).toBe('BIS-1');
    expect([8, 9].map(productOf)).toEqual(['TEA-M', 'TEA-M']);
    expect(g.labels).toHaveLength(6);
    // Named by the name on the most lines, summed over the members.
    expect(g.names[g.productOf[2]]).toBe('JUMBO BAG RED');
  });

  it('takes the product from Shopify "Product - Variant" names, and not from a shared leading word', () => {
    const g = groupProducts([
      item('G-29', 'Greyson Noir - 29', 10), item('G-30', 'Greyson Noir - 30', 12), item('GI-30', 'Greyson Ink - 30', 5),
      item('H1', 'HERB MARKER MINT', 5), item('H2', 'HERB MARKER BASIL', 5),
    ], { variantNames: true });
    // Products are numbered in the order of their labels (each its best-selling member): G-30, GI-30, H1, H2.
    expect(g.names).toEqual(['Greyson Noir', 'Greyson Ink', 'HERB MARKER MINT', 'HERB MARKER BASIL']);
    expect(g.labels).toEqual(['G-30', 'GI-30', 'H1', 'H2']);
  });

  it('groups by the export\'s parent product id over every heuristic, and names the product by the names\' shared first part', () => {
    const g = groupProducts([
      { ...item('HD-7731', 'Hoodie - Navy, M', 5), parent: '501' }, { ...item('HD-7748', 'Hoodie - Grey, L', 5), parent: '501' },
      // Same stem and a size suffix, but two parents: two products.
      { ...item('CAP-S', 'Cap', 3), parent: '700' }, { ...item('CAP-M', 'Cap', 4), parent: '701' },
      item('MUG-S', 'Mug', 2), item('MUG-M', 'Mug', 2), // no parent: the size suffix still groups
    ]);
    expect(g.labels).toEqual(['CAP-M', 'CAP-S', 'HD-7731', 'MUG-M']);
    expect(g.names[g.productOf[0]]).toBe('Hoodie');
    expect(g.productOf[0]).toBe(g.productOf[1]);
    expect(g.productOf[2]).not.toBe(g.productOf[3]);
    expect(g.productOf[4]).toBe(g.productOf[5]);
    expect(g.parentGrouped).toBe(1);
  });

  it('finds the leading " - " parts every name shares', () => {
    expect(sharedProductName(['Hoodie - Navy, M', 'Hoodie - Grey, L'])).toBe('Hoodie');
    expect(sharedProductName(['Pull marin - Taille : M - Couleur : Bleu', 'Pull marin - Taille : L - Couleur : Bleu'])).toBe('Pull marin');
    expect(sharedProductName(['Hoodie', 'Hoodie - Navy'])).toBe('Hoodie');
    expect(sharedProductName(['Hoodie - Navy', 'Sweater - Navy'])).toBeNull();
  });

  it('holds a product once in a basket that had two of its variants, with the best-seller\'s price', () => {
    const baskets = { offsets: Int32Array.of(0, 3), items: Int32Array.of(0, 1, 2), itemLabels: ['A-S', 'A-M', 'B'], itemPriceMinor: Float64Array.of(900, 1000, 500) };
    const g = groupProducts([item('A-S', 'A', 1), item('A-M', 'A', 3), item('B', 'B', 1)]);
    const grouped = productBaskets(baskets, g.productOf, g.labels, g.representative);
    expect(Array.from(grouped.items)).toEqual([0, 1]);
    expect(grouped.itemLabels).toEqual(['A-M', 'B']);
    expect(Array.from(grouped.itemPriceMinor!)).toEqual([1000, 500]);
  });
});

describe('resolveItem', () => {
  const labels = ['85123A', '85123a', '22423'];
  const lines = [2302, 67, 2000];
  const aliases = [{ item: 0, name: 'WHITE HEART', lines: 2302 }, { item: 1, name: 'WHITE HEART', lines: 67 }, { item: 2, name: 'CAKESTAND', lines: 2000 }];

  it('prefers the exact label, then a name on the most lines, in any case', () => {
    expect(resolveItem('85123a', labels, lines, aliases)!.item).toBe(1);
    const byName = resolveItem('white heart', labels, lines, aliases)!;
    expect(byName).toEqual({ item: 0, by: 'name', matches: [{ item: 0, lines: 2302 }, { item: 1, lines: 67 }] });
    expect(resolveItem('nothing', labels, lines, aliases)).toBeNull();
  });

  it('finds a product from one of its variants\' SKUs', () => {
    const r = resolveItem('85123a', ['85123A'], [2369], [{ item: 0, name: 'WHITE HEART', lines: 2369 }], [['85123A', '85123a']]);
    expect(r).toEqual({ item: 0, by: 'variant', matches: [{ item: 0, lines: 2369 }] });
  });
});

describe('names in 80 columns', () => {
  it('cuts in the middle, keeping the end that tells a series apart', () => {
    expect(truncateMiddle('REGENCY CAKESTAND 3 TIER WITH CAKE SERVER', 20)).toBe('REGENCY C…AKE SERVER');
    expect(truncateMiddle('SHORT', 20)).toBe('SHORT');
  });

  it('never gives two ids the same text', () => {
    const names = distinctNames([['A1', 'WHITE HEART'], ['a1', 'WHITE HEART'], ['X', 'OTHER']], 20);
    expect(names.get('A1')).toBe('WHITE HEART (A1)');
    expect(names.get('a1')).toBe('WHITE HEART (a1)');
    expect(names.get('X')).toBe('OTHER');
  });
});

describe('offerEconomics', () => {
  it('nets the gain of part baskets completing a triple against the discount to the full ones', () => {
    // Items 0, 1, 2 at 10.00, 5.00, 2.00 (costs 4.00, 2.00, 0.50); bundle 15.30 (10% off 17.00).
    // Baskets: {0,1,2}, {0,1}, {2}, {3}. Full: 1, gives 170. {0,1} completes: 1530 - 1500 - 50 = -20.
    // {2} completes: 1530 - 200 - 400 - 200 = 730. Gain 710; at uplift 0.5: 355 - 170 = 185.
    const baskets = { offsets: Int32Array.of(0, 3, 5, 6, 7), items: Int32Array.of(0, 1, 2, 0, 1, 2, 3), itemLabels: ['a', 'b', 'c', 'd'] };
    const e = offerEconomics([0, 1, 2], baskets, Float64Array.of(1000, 500, 200, 100), Float64Array.of(400, 200, 50, 10), 1530, { kind: 'known', uplift: 0.5 });
    expect(e).toMatchObject({ basketsWithAll: 1, basketsWithPart: 2, discountGivenMinor: 170, completionGainMinor: 710, expectedNetMinor: 185, probabilityPays: 1 });
    expect(e.breakEvenUplift).toBeCloseTo(170 / 710, 12);
  });

  it('knows what it gives away without costs, and not what it earns', () => {
    const baskets = { offsets: Int32Array.of(0, 2, 3), items: Int32Array.of(0, 1, 0), itemLabels: ['a', 'b'] };
    const e = offerEconomics([0, 1], baskets, Float64Array.of(1000, 500), undefined, 1350, { kind: 'known', uplift: 0.1 });
    expect(e.discountGivenMinor).toBe(150);
    expect(e.expectedNetMinor).toBeNull();
  });
});
