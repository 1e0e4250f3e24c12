/**
 * `aov bundles` as a merchandiser reads it (#17): names that can be told apart in 80
 * columns, counts that say what they count, larger itemsets shown, no offers without
 * prices, a support that finds something when the asked one finds nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadOrders } from '../src/io/load.js';
import { DATA, fixture, runAov, tempDir } from './helpers.js';

/** A basket file (one basket per line, comma-separated items) in a scratch folder. */
function basketFile(baskets: string[][]): string {
  const file = path.join(tempDir('aov-baskets-'), 'baskets.csv');
  writeFileSync(file, `${baskets.map((b) => b.join(',')).join('\n')}\n`);
  return file;
}

/** An order-lines CSV (Order ID, SKU, Product, Quantity, Unit Price, Currency) in a scratch folder. */
function ordersFile(lines: [order: string, sku: string, product: string, price: string][], extraHeader = '', extra: (i: number) => string = () => ''): string {
  const file = path.join(tempDir('aov-orders-'), 'orders.csv');
  const rows = [`Order ID,Order Date,SKU,Product,Quantity,Unit Price,Currency${extraHeader}`];
  lines.forEach(([order, sku, product, price], i) => rows.push(`${order},2024-01-01,${sku},${product},1,${price},EUR${extra(i)}`));
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

/** Terminal text with its wrapping undone, for sentences. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

const repeat = <T>(n: number, make: (i: number) => T[]): T[] => Array.from({ length: n }, (_, i) => make(i)).flat();

describe('bundles: names a person can read (#17)', () => {
  it('prints every line within 80 columns on Online Retail and keeps the end of names that differ at the end', () => {
    const result = runAov(['bundles', path.join(DATA, 'online_retail.csv.gz'), '--currency', 'GBP', '--item', 'sku', '--max-size', '3']);
    expect(result.code).toBe(0);
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    // The old 17-character cut printed both as "REGENCY TEA PLAT…".
    expect(result.stdout).toContain('REGENCY TEA PLATE GREEN');
    expect(result.stdout).toContain('REGENCY TEA PLATE PINK');
    // No costs in Online Retail: the text may not claim the discount was chosen by its net.
    const text = result.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Without costs no discount can be weighed by its net: each offer shows the smallest in --bundle-discount.');
    expect(text).not.toContain('with the best expected net that keeps the margin floor');
  });

  it('never prints two different items the same: a shared name gets its SKU, a long name is cut in the middle', () => {
    const long = 'EXTRA LARGE VINTAGE ENAMEL GARDEN WATERING CAN';
    const lines = repeat(30, (i) => [
      [`O${i}`, 'HH-A', 'WHITE HEART', '2.00'], [`O${i}`, 'hh-a', 'WHITE HEART', '2.00'],
      [`O${i}`, 'CAN-R', `${long} RED`, '9.00'], [`O${i}`, 'CAN-B', `${long} BLUE`, '9.00'],
    ] as [string, string, string, string][]);
    // 30 more baskets of other things, so that the four are significantly together.
    lines.push(...repeat(30, (i) => [[`P${i}`, `OTHER-${i}`, `Other ${i}`, '1.00']] as [string, string, string, string][]));
    const result = runAov(['bundles', ordersFile(lines), '--item', 'sku', '--min-support', '10']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('WHITE HEART (HH-A)');
    expect(result.stdout).toContain('WHITE HEART (hh-a)');
    // Cut in the middle: the colour at the end survives, so RED and BLUE stay apart.
    expect(result.stdout).toMatch(/EXTRA LARGE.*….* RED/);
    expect(result.stdout).toMatch(/EXTRA LARGE.*….* BLUE/);
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('bundles: counts that say what they count (#17)', () => {
  // Three pairs, each in 20 baskets, each item alone in 20 more (complements, not sets: 50% each way),
  // and 100 baskets of other things: all three pass the q filter.
  const baskets = [
    ...['ab', 'cd', 'ef'].flatMap(([x, y]) => [...repeat(20, () => [[x, y]]), ...repeat(20, () => [[x], [y]])]),
    ...repeat(100, (i) => [[`filler${i}`]]),
  ];

  it('calls the display cap a cap, not a filter', () => {
    const result = runAov(['bundles', basketFile(baskets), '--format', 'baskets', '--min-support', '10', '--top', '2']);
    expect(result.code).toBe(0);
    expect(flat(result.stdout)).toContain('3 of 3 frequent pairs pass the filters');
    expect(flat(result.stdout)).toContain('showing the top 2 by lift');
  });

  it('shows itemsets of three items when --max-size 3 mines them', () => {
    // {x, y, z} in 15 baskets; {x, y} alone in 5 more.
    const file = basketFile([...repeat(15, () => [['x', 'y', 'z']]), ...repeat(5, () => [['x', 'y']]), ...repeat(20, () => [['w']])]);
    const result = runAov(['bundles', file, '--format', 'baskets', '--min-support', '10', '--max-size', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Itemsets of 3 or more items (1, most frequent first)');
    expect(result.stdout).toMatch(/x \+ y \+ z +15 +37\.50%/);
  });

  it('prints no offers table for price-less baskets (Groceries) and says why', () => {
    const result = runAov(['bundles', path.join(DATA, 'groceries.csv'), '--format', 'baskets']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('(-0%)');
    expect(result.stdout).not.toContain('Bundle offers');
    expect(flat(result.stdout)).toContain('No bundle offers: the baskets carry no item prices');
  });

  it('says which support would find pairs when none reaches the asked one', () => {
    // Pair k (k = 1..15) is in k baskets: the strongest in 15, the 10th strongest in 6.
    const file = basketFile(repeat(15, (k) => repeat(k + 1, () => [[`p${k}x`, `p${k}y`]])));
    const result = runAov(['bundles', file, '--format', 'baskets', '--min-support', '20']);
    expect(result.code).toBe(0);
    expect(flat(result.stdout)).toContain('No pair reaches 20 baskets: the most frequent pair is in 15. --min-support 6');
    expect(flat(result.stdout)).toContain('finds 10 pairs');
    const doc = JSON.parse(runAov(['bundles', file, '--format', 'baskets', '--min-support', '6', '--json']).stdout);
    expect(doc.testedPairs).toBe(10);
  });
});

/** Online Retail's raw rows per (StockCode, Description), counted here from the file, not by aov. */
function onlineRetailNameRows(): Map<string, Map<string, number>> {
  const text = gunzipSync(readFileSync(path.join(DATA, 'online_retail.csv.gz'))).toString('utf8');
  const rows = new Map<string, Map<string, number>>();
  for (const line of text.split('\n').slice(1)) {
    // InvoiceNo,StockCode,Description,...: the description is quoted when it holds a comma.
    const m = /^[^,]*,([^,]*),("(?:[^"]|"")*"|[^,]*),/.exec(line);
    if (!m) continue;
    const description = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/""/g, '"') : m[2];
    const byName = rows.get(m[1]) ?? new Map<string, number>();
    byName.set(description, (byName.get(description) ?? 0) + 1);
    rows.set(m[1], byName);
  }
  return rows;
}

describe('bundles: --for and item names (#17)', () => {
  const heart = 'WHITE HANGING HEART T-LIGHT HOLDER';
  const rows = onlineRetailNameRows();

  it('resolves the most-sold product name on Online Retail to its most-sold SKU, not a rare lower-case copy', () => {
    // Independently: two SKUs carry the name, 85123A on far more rows than 85123a.
    const carrying = [...rows].filter(([, names]) => names.has(heart)).map(([sku, names]) => [sku, names.get(heart)!] as const).sort((a, b) => b[1] - a[1]);
    expect(carrying.map(([sku]) => sku)).toEqual(['85123A', '85123a']);
    expect(carrying[0][1]).toBe(2302);
    for (const item of ['sku', 'product']) {
      const doc = JSON.parse(runAov(['bundles', path.join(DATA, 'online_retail.csv.gz'), '--currency', 'GBP', '--item', item, '--for', heart, '--json']).stdout);
      expect(doc.complements.item).toBe('85123A');
      expect(doc.complements.name).toBe(heart);
      if (item === 'sku') {
        expect(doc.complements.matches).toEqual(['85123A', '85123a']);
        expect(doc.notes.join(' ')).toContain('2 items match; chose 85123A');
      }
    }
  });

  it('labels a SKU with its most frequent name (85123A: not the name on 9 of its rows)', () => {
    const names = [...rows.get('85123A')!].sort((a, b) => b[1] - a[1]);
    expect(names[0][0]).toBe(heart);
    const doc = JSON.parse(runAov(['bundles', path.join(DATA, 'online_retail.csv.gz'), '--currency', 'GBP', '--item', 'sku', '--for', '85123A', '--json']).stdout);
    expect(doc.complements.name).toBe(names[0][0]);
  });

  it('names an item by its most frequent name, ties by code-point order (what gap fillers and bundles show)', async () => {
    // X is "Alpha" on one line and "Zulu" on three; Y is "Mid" and "Able" once each (tie: "Able").
    const file = ordersFile([['O1', 'X', 'Alpha', '1.00'], ['O2', 'X', 'Zulu', '1.00'], ['O3', 'X', 'Zulu', '1.00'], ['O4', 'X', 'Zulu', '1.00'], ['O5', 'Y', 'Mid', '2.00'], ['O6', 'Y', 'Able', '2.00']]);
    const loaded = await loadOrders([file], {}, { baskets: {} });
    const names = Object.fromEntries(loaded.baskets!.baskets.itemLabels.map((label, i) => [label, loaded.baskets!.itemNames[i]]));
    expect(names).toEqual({ X: 'Zulu', Y: 'Able' });
  });
});

/** Shopify's product: a Lineitem name's part before its last " - " (the variant after it). */
function shopifyProducts(): Set<string> {
  const products = new Set<string>();
  const [header, ...lines] = readFileSync(path.join(DATA, 'shopify_orders_export.csv'), 'utf8').split('\n');
  const column = header.split(',').indexOf('Lineitem name');
  for (const line of lines) {
    const name = line.match(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)?.[column]?.replace(/,$/, '').replace(/^"|"$/g, '');
    if (name) products.add(name.replace(/^(.*) - .*$/, '$1'));
  }
  return products;
}

describe('bundles: products, not variants (#17)', () => {
  const shopify = path.join(DATA, 'shopify_orders_export.csv');

  it('on the Shopify export, the defaults say which support finds pairs, and those pairs are of distinct products', () => {
    const result = runAov(['bundles', shopify]);
    expect(result.code).toBe(0);
    const hint = /the most frequent pair is in (\d+)\. --min-support (\d+) \([^)]*\) finds (\d+) pairs/.exec(flat(result.stdout));
    expect(hint).not.toBeNull();
    const [, , suggested, found] = hint!.map(Number);
    const doc = JSON.parse(runAov(['bundles', shopify, '--min-support', String(suggested), '--json']).stdout);
    expect(doc.testedPairs).toBe(found);
    const products = shopifyProducts();
    expect(doc.pairs.length).toBeGreaterThan(0);
    for (const pair of doc.pairs) {
      // Each side is a product of the export (a name without its " - size"), and the two differ.
      expect(products.has(pair.names[0]) && products.has(pair.names[1])).toBe(true);
      expect(pair.names[0]).not.toBe(pair.names[1]);
    }
  });

  it('never shows two variants of one product as a pair, even per SKU', () => {
    // Per SKU at 3 baskets the old output had "Cruise Marine - 29 + Cruise Marine - 30".
    const doc = JSON.parse(runAov(['bundles', shopify, '--item', 'sku', '--min-support', '3', '--json']).stdout);
    const product = (name: string) => name.replace(/^(.*) - .*$/, '$1');
    expect(doc.pairs.length).toBeGreaterThan(0);
    for (const pair of doc.pairs) expect(product(pair.names[0])).not.toBe(product(pair.names[1]));
    expect(doc.notes.join(' ')).toMatch(/\d+ frequent pairs of two variants of one product are not shown/);
  });

  it('groups SKUs that differ in case or a size suffix into one product, labelled by its best-selling SKU', () => {
    // TEE-RED-S (6 lines), TEE-RED-M (18) and tee-red-m (6) are one product; MUG is another; together in 30 baskets.
    const lines = repeat(30, (i) => [[`O${i}`, i % 5 === 0 ? 'TEE-RED-S' : i % 5 === 1 ? 'tee-red-m' : 'TEE-RED-M', 'Red tee', '10.00'], [`O${i}`, 'MUG', 'Mug', '5.00']] as [string, string, string, string][]);
    // The mug alone in 30 more (a complement, not a set), and 30 baskets of other things.
    lines.push(...repeat(30, (i) => [[`M${i}`, 'MUG', 'Mug', '5.00']] as [string, string, string, string][]));
    lines.push(...repeat(30, (i) => [[`P${i}`, `OTHER-${i}`, `Other ${i}`, '1.00']] as [string, string, string, string][]));
    const doc = JSON.parse(runAov(['bundles', ordersFile(lines), '--min-support', '10', '--json']).stdout);
    expect(doc.pairs.map((p: { items: string[] }) => p.items)).toEqual([['MUG', 'TEE-RED-M']]);
    expect(doc.pairs[0].supportCount).toBe(30);
  });
});

describe('bundles: sets apart from complements (#17)', () => {
  it('shows items almost always bought together as one set and ranks the complements without its pairs', () => {
    // s1, s2, s3: together in 40 baskets, each alone in 2 (confidence 40/42 = 95% every way).
    // x + y: 30 baskets, x and y alone 30 each (50%); u + v: 20, alone 40 each (33%). 100 filler baskets.
    const file = basketFile([
      ...repeat(40, () => [['s1', 's2', 's3']]), ...repeat(2, () => [['s1'], ['s2'], ['s3']]),
      ...repeat(30, () => [['x', 'y']]), ...repeat(30, () => [['x'], ['y']]),
      ...repeat(20, () => [['u', 'v']]), ...repeat(40, () => [['u'], ['v']]),
      ...repeat(100, (i) => [[`filler${i}`]]),
    ]);
    const doc = JSON.parse(runAov(['bundles', file, '--format', 'baskets', '--min-support', '10', '--json']).stdout);
    expect(doc.sets.map((s: { items: string[] }) => s.items)).toEqual([['s1', 's2', 's3']]);
    expect(doc.sets[0].basketsWithAll).toBe(40);
    expect(doc.sets[0].basketsWithAny).toBe(46);
    expect(doc.sets[0].minConfidence).toBeCloseTo(40 / 42, 6);
    expect(doc.sets[0].pairs).toHaveLength(3);
    // The ranking holds the complements only, by lift: x + y (30 x 336 / 60^2 = 2.8), then u + v (1.87).
    expect(doc.pairs.map((p: { items: string[] }) => p.items)).toEqual([['x', 'y'], ['u', 'v']]);
    const text = runAov(['bundles', file, '--format', 'baskets', '--min-support', '10']).stdout;
    expect(text).toContain('Sets: bought together almost always');
    expect(text).toMatch(/s1 \+ s2 \+ s3 +40 +46 +95%/);
  });

  it('shows the HERB MARKER series on Online Retail once, as a set, and other complements in the top 10', () => {
    // Independently: invoices (not C, quantity and price > 0) holding all five herb markers.
    const text = gunzipSync(readFileSync(path.join(DATA, 'online_retail.csv.gz'))).toString('utf8');
    const herbs = ['22916', '22917', '22918', '22919', '22920']; // thyme, rosemary, parsley, mint, basil
    const held = new Map<string, Set<string>>();
    for (const line of text.split('\n').slice(1)) {
      const cells = line.split(',');
      const [invoice, code] = cells;
      const price = Number(cells[cells.length - 3]);
      const quantity = Number(cells[cells.length - 5]);
      if (!herbs.includes(code) || invoice.startsWith('C') || !(quantity > 0) || !(price > 0)) continue;
      held.set(invoice, (held.get(invoice) ?? new Set()).add(code));
    }
    const withAll = [...held.values()].filter((codes) => codes.size === herbs.length).length;
    const doc = JSON.parse(runAov(['bundles', path.join(DATA, 'online_retail.csv.gz'), '--currency', 'GBP', '--json']).stdout);
    const herbSets = doc.sets.filter((s: { names: string[] }) => s.names.some((n) => n.startsWith('HERB MARKER')));
    expect(herbSets).toHaveLength(1);
    expect([...herbSets[0].items].sort()).toEqual(herbs);
    expect(herbSets[0].basketsWithAll).toBe(withAll);
    const top10 = doc.pairs.slice(0, 10);
    expect(top10).toHaveLength(10);
    for (const pair of top10) expect(pair.names.some((n: string) => n.startsWith('HERB MARKER'))).toBe(false);
    // One offer for the set, not ten for its pairs.
    expect(doc.offers.filter((o: { names: string[] }) => o.names.some((n) => n.startsWith('HERB MARKER')))).toHaveLength(1);
  });
});

describe('bundles: the set cut-off is an option (#17)', () => {
  // fixtures/bundles/set_share.csv: s1 + s2 in 35 baskets, each alone in 5 (35 / 40 = 87.5% both
  // ways); t1 + t2 in 30, each alone in 15 (30 / 45 = 66.7%); 100 baskets of one filler each.
  const file = fixture('bundles/set_share.csv');
  const run = (...extra: string[]) => JSON.parse(runAov(['bundles', file, '--format', 'baskets', '--min-support', '10', ...extra, '--json']).stdout);
  const setItems = (doc: { sets: { items: string[] }[] }) => doc.sets.map((s) => s.items);
  const pairItems = (doc: { pairs: { items: string[] }[] }) => doc.pairs.map((p) => p.items);

  it('groups by --set-share: 87.5% is a set at the default 80%, 66.7% only at 60%, neither at 90%', () => {
    const byDefault = run();
    expect(byDefault.setShare).toBe(0.8);
    expect(setItems(byDefault)).toEqual([['s1', 's2']]);
    expect(pairItems(byDefault)).toEqual([['t1', 't2']]);
    const loose = run('--set-share', '0.6');
    expect(loose.setShare).toBe(0.6);
    expect(setItems(loose)).toEqual([['s1', 's2'], ['t1', 't2']]);
    expect(pairItems(loose)).toEqual([]);
    const strict = run('--set-share', '90%');
    expect(strict.setShare).toBe(0.9);
    expect(setItems(strict)).toEqual([]);
    expect(pairItems(strict)).toEqual([['s1', 's2'], ['t1', 't2']]);
    const text = runAov(['bundles', file, '--format', 'baskets', '--min-support', '10', '--set-share', '0.6']).stdout;
    expect(flat(text)).toContain("Sets: bought together almost always (each in 60%+ of the others' baskets)");
    expect(flat(text)).toContain('(the cut-off is --set-share)');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('refuses a cut-off outside 0.5-1 with the option, the range and the value', () => {
    for (const bad of ['0.4', '1.5', 'most']) {
      const result = runAov(['bundles', file, '--format', 'baskets', '--set-share', bad]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--set-share must be a share from 0.5 to 1`);
      expect(result.stderr).toContain(`(found ${bad})`);
    }
  });
});

describe('bundles: offers that count what they give away (#17)', () => {
  type Line = [order: string, sku: string, product: string, price: string, cost: string];
  const withCosts = (lines: Line[]) => ordersFile(lines.map(([o, s, p, price]) => [o, s, p, price]), ',Unit Cost', (i) => `,${lines[i][4]}`);
  const A: [string, string, string, string] = ['A', 'Lamp', '10.00', '4.845'];
  const B: [string, string, string, string] = ['B', 'Shade', '6.00', '2.115'];
  const C: [string, string, string, string] = ['C', 'Candle', '3.00', '1.00'];
  // 40 baskets with both, 60 with the lamp only, 100 with the shade only, 200 with neither.
  const lines: Line[] = [
    ...repeat(40, (i) => [[`AB${i}`, ...A], [`AB${i}`, ...B]] as Line[]),
    ...repeat(60, (i) => [[`A${i}`, ...A]] as Line[]),
    ...repeat(100, (i) => [[`B${i}`, ...B]] as Line[]),
    ...repeat(200, (i) => [[`C${i}`, ...C]] as Line[]),
  ];

  it('nets the margin from baskets that complete the bundle against the discount to baskets that had both, to the cent', () => {
    // By hand, in cents: list 1600, bundle at 10% off 1440, so each of the 40 baskets with both is given 160: 6,400.
    // A lamp-only basket that completes it pays 1440 instead of 1000 and adds the shade's cost 211.5: +228.5.
    // A shade-only basket: 1440 - 600 - 484.5 = +355.5. All 160 completing: 60 x 228.5 + 100 x 355.5 = 49,260.
    // At an uplift of 10%: 4,926 - 6,400 = -1,474 cents. (Costs rounded to the cent, 211 and 484, would give -1,466.)
    const args = ['bundles', withCosts(lines), '--min-support', '10', '--max-q', '1', '--bundle-discount', '10%', '--json'];
    const doc = JSON.parse(runAov([...args, '--bundle-uplift', '0.1']).stdout);
    const offer = doc.offers.find((o: { items: string[] }) => o.items.join('+') === 'A+B');
    expect(offer.bundlePrice).toBe(14.4);
    expect(offer.economics.basketsWithAll).toBe(40);
    expect(offer.economics.basketsWithPart).toBe(160);
    expect(offer.economics.discountGiven).toBe(64);
    expect(offer.economics.completionGain).toBe(492.6);
    expect(offer.economics.expectedNet).toBe(-14.74);
    expect(offer.economics.breakEvenUplift).toBeCloseTo(6400 / 49260, 6);
    // With a flat prior of 2-10% (mean 6%): 0.06 x 49,260 - 6,400 = -3,444.4 cents; never sure to pay.
    const prior = JSON.parse(runAov([...args, '--bundle-uplift', '2-10%']).stdout).offers.find((o: { items: string[] }) => o.items.join('+') === 'A+B');
    expect(prior.economics.model).toBe('flat');
    expect(prior.economics.expectedNet).toBe(-34.44);
    expect(prior.economics.net90[0]).toBeLessThan(-34.44);
    expect(prior.economics.net90[1]).toBeGreaterThan(-34.44);
    expect(prior.economics.probabilityPays).toBeGreaterThan(0);
    expect(prior.economics.probabilityPays).toBeLessThan(0.5);
  });

  it('lets the uplift rise with the discount by a price elasticity, and picks the discount that nets most, to the cent', () => {
    // By hand, in cents, at elasticity 1.5 and a discount D off the 1,600 list (the 40 baskets with both buy the rest
    // 1.5 x cut more often; a lamp-only basket's cut on the 600 shade is D / 600, a shade-only basket's D / 1,000):
    //   lamp-only completions 40 x 1.5 x D / 600, each adding 1,600 - D - 1,000 - 211.5 = 388.5 - D;
    //   shade-only completions 40 x 1.5 x D / 1,000, each adding 1,600 - D - 600 - 484.5 = 515.5 - D; given away 40 x D.
    //   10% (D 160): 16 x 228.5 + 9.6 x 355.5 - 6,400 = 3,656 + 3,412.8 - 6,400 = 668.8; uplift (16 + 9.6) / 160 = 16%.
    //   5% (D 80): 40 x (1.5 x (80/600 x 308.5 + 80/1000 x 435.5) - 80) = 1,358.4; 6% (D 96): 1,384.32; 7% (D 112): 1,328.32;
    //   8%: 1,190.4; 9%: 970.56. Best: 6%, at 15.04.
    // Break-even at 10%: e x 40 x (160/600 x 228.5 + 0.16 x 355.5) = 4,712.53 e = 6,400: e = 1.35807.
    const file = withCosts(lines);
    const base = ['bundles', file, '--min-support', '10', '--max-q', '1', '--json'];
    const pick = (doc: { offers: { items: string[] }[] }) => doc.offers.find((o) => o.items.join('+') === 'A+B') as any;
    const at10 = pick(JSON.parse(runAov([...base, '--bundle-discount', '10%', '--bundle-elasticity', '1.5']).stdout));
    expect(at10.economics.model).toBe('elasticity');
    expect(at10.economics.expectedNet).toBe(6.69);
    expect(at10.economics.expectedUplift).toBeCloseTo(0.16, 6);
    expect(at10.economics.breakEvenElasticity).toBeCloseTo(6400 / (40 * (160 / 600 * 228.5 + 0.16 * 355.5)), 4);
    expect(at10.economics.probabilityPays).toBe(1);
    const chosen = pick(JSON.parse(runAov([...base, '--bundle-discount', '5-10', '--bundle-elasticity', '1.5']).stdout));
    expect(chosen.discount).toBe(0.06);
    expect(chosen.bundlePrice).toBe(15.04);
    expect(chosen.economics.expectedNet).toBe(13.84);
    expect(chosen.discountChoice.candidates.map((c: { expectedNet: number }) => c.expectedNet)).toEqual([13.58, 13.84, 13.28, 11.9, 9.71, 6.69]);
    expect(chosen.discountChoice.decidedBy).toBe('model');
  });

  it('ranks --sort margin by the offer as offered: its expected net at the chosen discount, not the margin at the largest discount', () => {
    // Beside the lamp and shade (40 with both; by hand above at elasticity 1.5: best 6%, net 13.84;
    // old rule: 10% keeps the floor, margin 1,440 - 696 = 744 x 40 baskets = 29,760), a cup (6.00, cost 2.00)
    // and saucer (6.00, cost 2.00): 60 baskets with both, 20 with the cup only, 5 with the saucer only
    // (60 / 80 = 75% of the cup's baskets: not a set). Old rule: 10% (1,080, margin 680 = 63%) x 60 = 40,800: first.
    // As offered, in cents, discount D off the 1,200 list: a cup-only basket's cut on the saucer D / 600, odds
    // 60 / 20 = 3, uplift 1.5 x 3 x D / 600 = 0.0075 D; a saucer-only basket's odds 60 / 5 = 12: 0.03 D, over 1 from
    // D = 34, so all 5 complete. Each completion adds 1,200 - D - 600 - 200 = 400 - D; given away 60 x D.
    //   5% (D 60): 20 x 0.45 x 340 + 5 x 340 - 3,600 = 3,060 + 1,700 - 3,600 = 1,160; 6% (D 72): 862.4; 7%: 521.6 ...
    // Best 5%, net 11.60 < 13.84: the lamp and shade rank first.
    const CUP: [string, string, string, string] = ['CUP', 'Cup', '6.00', '2.00'];
    const SAUCER: [string, string, string, string] = ['SAUCER', 'Saucer', '6.00', '2.00'];
    const more: Line[] = [
      ...lines,
      ...repeat(60, (i) => [[`CS${i}`, ...CUP], [`CS${i}`, ...SAUCER]] as Line[]),
      ...repeat(20, (i) => [[`CU${i}`, ...CUP]] as Line[]),
      ...repeat(5, (i) => [[`SA${i}`, ...SAUCER]] as Line[]),
    ];
    const doc = JSON.parse(runAov(['bundles', withCosts(more), '--min-support', '10', '--max-q', '1', '--bundle-elasticity', '1.5', '--sort', 'margin', '--json']).stdout);
    expect(doc.sets).toEqual([]);
    expect(doc.pairs.map((p: { items: string[] }) => p.items.join('+'))).toEqual(['A+B', 'CUP+SAUCER']);
    expect(doc.offers.map((o: { items: string[]; discount: number; economics: { expectedNet: number } }) => [o.items.join('+'), o.discount, o.economics.expectedNet]))
      .toEqual([['A+B', 0.06, 13.84], ['CUP+SAUCER', 0.05, 11.6]]);
    // The text says what the ranking is.
    const text = runAov(['bundles', withCosts(more), '--min-support', '10', '--max-q', '1', '--bundle-elasticity', '1.5', '--sort', 'margin']).stdout;
    expect(flat(text)).toContain("showing the top 2 by their offers' expected net (--sort margin)");
  });

  it('says which assumption decides the discount under the default elasticity prior', () => {
    // With the prior 0.6-2.6, each candidate is also judged at the prior's 5% and 95% points. At elasticity e the
    // net is 40 x (e x (1.163 D - 0.0026667 D^2) - D) (388.5/600 + 515.5/1000 = 1.163; 1/600 + 1/1000 = 0.0026667;
    // no cap within reach), largest at D* = (1.163 - 1/e) / 0.0053333: at e = 0.6 below zero, so the smallest
    // discount, 5%; at e = 2.6, D* = 145.9 cents of 1,600 (9.1%), so 9% (144) of the whole percents. The ends disagree:
    // the elasticity decides. At the prior's mean (1.379) D* = 82.1, and 5% (80) is nearest: chosen.
    const file = withCosts(lines);
    const doc = JSON.parse(runAov(['bundles', file, '--min-support', '10', '--max-q', '1', '--json']).stdout);
    expect(doc.response.model).toBe('elasticity');
    expect(doc.response.elasticity.range90).toEqual([0.6, 2.6]);
    expect(doc.response.source).toContain('Bijmolt');
    const offer = doc.offers.find((o: { items: string[] }) => o.items.join('+') === 'A+B');
    expect(offer.discountChoice.bestAtLow).toBe(0.05);
    expect(offer.discountChoice.bestAtHigh).toBe(0.09);
    expect(offer.discountChoice.decidedBy).toBe('elasticity');
    expect(offer.discount).toBe(0.05);
    const text = flat(runAov(['bundles', file, '--min-support', '10', '--max-q', '1']).stdout);
    expect(text).toContain('Its 5% is decided by the elasticity: the best is 5% at 0.6 and 9% at 2.6.');
    // Independently: E[net] at 5% = 40 x (E[e] x (80/600 x 308.5 + 0.08 x 435.5) - 80), E[e] of the lognormal with
    // 5% and 95% points 0.6 and 2.6 = exp(mu + sigma^2 / 2) (no cap within reach: e would have to pass 1 / slope = 56).
    const mu = (Math.log(0.6) + Math.log(2.6)) / 2;
    const sigma = (Math.log(2.6) - Math.log(0.6)) / (2 * 1.6448536269514722);
    const expected = 40 * (Math.exp(mu + sigma ** 2 / 2) * (80 / 600 * 308.5 + 0.08 * 435.5) - 80);
    expect(offer.economics.expectedNet).toBe(Math.round(expected) / 100);
  });

  it('refuses two response models at once, and an elasticity that is not one', () => {
    const file = withCosts(lines);
    const both = runAov(['bundles', file, '--bundle-uplift', '2-10%', '--bundle-elasticity', '1.5']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--bundle-uplift and --bundle-elasticity are two models of one response: give one.');
    for (const bad of ['0', '3-1', 'high', '25']) {
      const result = runAov(['bundles', file, '--bundle-elasticity', bad]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--bundle-elasticity must be a price elasticity above 0 and at most 20`);
    }
  });

  it('judges the margin floor on exact costs: 0.6525 is not read as 0.65', () => {
    // X and Y at 1.00, cost 0.6525 each (130.5 cents together). At 7% off the bundle is 1.86 and keeps
    // 55.5 / 186 = 29.8%, under 30%; at 6% it is 1.88 and keeps 57.5 / 188 = 30.6%. (Costs rounded to
    // 65 cents each would keep 30.1% at 7%, and that offer would break the floor.)
    const pairLines: Line[] = [
      ...repeat(30, (i) => [[`XY${i}`, 'X', 'Mug', '1.00', '0.6525'], [`XY${i}`, 'Y', 'Saucer', '1.00', '0.6525']] as Line[]),
      ...repeat(60, (i) => [[`Z${i}`, `Z${i}`, `Other ${i}`, '1.00', '0.50']] as Line[]),
    ];
    const doc = JSON.parse(runAov(['bundles', withCosts(pairLines), '--min-support', '10', '--bundle-discount', '6-7', '--json']).stdout);
    expect(doc.offers[0].items).toEqual(['X', 'Y']);
    expect(doc.offers[0].discount).toBe(0.06);
    expect(doc.offers[0].bundlePrice).toBe(1.88);
    expect(doc.offers[0].cost).toBe(1.305);
    expect(doc.offers[0].discountChoice.decidedBy).toBe('marginFloor');
    // 7% alone breaks the floor on the exact cost (29.8%), and says so.
    const seven = JSON.parse(runAov(['bundles', withCosts(pairLines), '--min-support', '10', '--bundle-discount', '7%', '--json']).stdout);
    expect(seven.offers[0].viable).toBe(false);
    expect(seven.offers[0].marginRate).toBeCloseTo(55.5 / 186, 4);
  });
});

describe('bundles: products, not services (#17)', () => {
  /** A Shopify export: Boot and Sock in 30 orders, each with a "Care Plan" line that ships nothing; 30 orders of other things. */
  function shopifyFile(): string {
    const header = 'Name,Email,Financial Status,Currency,Subtotal,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping';
    const rows = [header];
    for (let i = 0; i < 30; i++) {
      rows.push(`#A${i},a${i}@example.com,paid,USD,125.00,2024-01-02 10:00:00 -0500,1,Boot - 42,100.00,BOOT-42,true`);
      rows.push(`#A${i},,,,,,1,Sock - M,20.00,SOCK-M,true`);
      rows.push(`#A${i},,,,,,1,Care Plan,5.00,CARE,false`);
    }
    for (let i = 0; i < 30; i++) rows.push(`#B${i},b${i}@example.com,paid,USD,10.00,2024-01-03 10:00:00 -0500,1,Other ${i},10.00,OTHER-${i},true`);
    const file = path.join(tempDir('aov-shopify-'), 'orders_export.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    return file;
  }

  it('leaves lines that ship nothing out of bundles, counts and lists them, and keeps them with --exclude-items none', () => {
    const file = shopifyFile();
    const doc = JSON.parse(runAov(['bundles', file, '--min-support', '10', '--json']).stdout);
    // Always together: a set of two, and the care plan is not in it.
    expect(doc.sets.map((s: { names: string[] }) => s.names)).toEqual([['Boot', 'Sock']]);
    expect(doc.notes.join(' ')).toContain('30 lines that are not merchandise were left out of bundles (CARE; 30 marked as shipping nothing');
    const kept = JSON.parse(runAov(['bundles', file, '--min-support', '10', '--exclude-items', 'none', '--json']).stdout);
    expect(kept.sets.flatMap((s: { names: string[] }) => s.names).sort()).toEqual(['Boot', 'Care Plan', 'Sock']);
  });

  it('gives gap fillers the same items: the baskets suggest-threshold reads have no line that ships nothing', async () => {
    // suggest-threshold loads with { baskets: { excludeItems: undefined } }: the format's defaults.
    const loaded = await loadOrders([shopifyFile()], {}, { baskets: { excludeItems: undefined } });
    expect(loaded.baskets!.baskets.itemLabels).not.toContain('CARE');
    expect(loaded.baskets!.shipsNothingLines).toBe(30);
  });
});

describe('bundles: the export\'s parent product decides (#17)', () => {
  // The same nine orders in two layouts: a WooCommerce row-per-item export (product_id is a
  // variation's parent, variation_id 0 on simple products) and a PrestaShop SQL Manager export
  // of ps_orders joined with ps_order_detail (product_id beside product_attribute_id).
  // Counted by hand: the two variations are together in orders 1001, 1002, 1003 and 1009 (4),
  // the product (either variation) with the beanie in 1001, 1004, 1005 and 1009 (4); nothing
  // else reaches 3. The SKUs share no case, size or letter suffix: only the parent id groups them.
  const layouts = [
    { file: fixture('bundles/woocommerce_variations.csv'), variants: ['HD-7731', 'HD-7748'], other: 'BN-200', names: ['Beanie', 'Hoodie'], extra: [] as string[] },
    { file: fixture('bundles/prestashop_order_detail.csv'), variants: ['PM-BLEU-M', 'PM-GRIS-L'], other: 'BON-01', names: ['Bonnet', 'Pull marin'], extra: ['--currency', 'EUR'] },
    // The WooCommerce orders again, packed: one row per order, each item a line_item_N cell.
    { file: fixture('bundles/woocommerce_packed_variations.csv'), variants: ['HD-7731', 'HD-7748'], other: 'BN-200', names: ['Beanie', 'Hoodie'], extra: [] as string[] },
  ];
  const bothVariants = (items: string[], variants: string[]) => variants.every((v) => items.includes(v));

  for (const { file, variants, other, names, extra } of layouts) {
    const layout = path.basename(file);
    it(`${layout}: two variations of one parent are one product, named without the variation, and the only pair is with another product`, () => {
      const doc = JSON.parse(runAov(['bundles', file, '--min-support', '3', '--max-q', '1', ...extra, '--json']).stdout);
      // 5 SKUs, 4 products.
      expect(doc.items).toBe(4);
      // The product is labelled by its member on most lines (both on 5: the smaller SKU).
      expect(doc.pairs.map((p: { items: string[] }) => p.items)).toEqual([[other, variants[0]]]);
      expect(doc.pairs[0].names).toEqual(names);
      expect(doc.pairs[0].supportCount).toBe(4);
      expect(doc.notes.join(' ')).toContain("2 SKUs are variants of 1 product (the export's parent product id)");
    });

    it(`${layout}: per SKU, the two variations bought together in 4 orders are never offered as a pair`, () => {
      const doc = JSON.parse(runAov(['bundles', file, '--item', 'sku', '--min-support', '3', '--max-q', '1', ...extra, '--json']).stdout);
      expect(doc.items).toBe(5);
      for (const pair of doc.pairs) expect(bothVariants(pair.items, variants)).toBe(false);
      for (const offer of doc.offers) expect(bothVariants(offer.items, variants)).toBe(false);
      expect(doc.notes.join(' ')).toContain('1 frequent pairs of two variants of one product are not shown');
    });
  }

  it('reads the parent from a packed line_item cell: product_id beside a SKU or a variation_id, not when it is the item', async () => {
    const loaded = await loadOrders([fixture('bundles/woocommerce_packed_variations.csv')], {}, { baskets: {} });
    const parentsOf = (baskets: NonNullable<typeof loaded.baskets>) => Object.fromEntries(baskets.baskets.itemLabels.map((label, i) => [label, baskets.itemParents[i]]));
    expect(parentsOf(loaded.baskets!)).toEqual({ 'BN-200': '510', 'HD-7731': '501', 'HD-7748': '501', 'MG-1': '530', 'SK-300': '520' });
    // Without SKUs the variation's own id is the item, its product_id the parent; a simple product
    // (variation_id 0) is its product_id, with no parent; a cell with a product_id alone has none either.
    const file = path.join(tempDir('aov-packed-ids-'), 'orders.csv');
    const text = readFileSync(fixture('bundles/woocommerce_packed_variations.csv'), 'utf8').replace(/\|sku:[^|]*/g, '')
      .replace('name:Mug|product_id:530|variation_id:0|', 'name:Mug|product_id:530|');
    writeFileSync(file, text);
    const bare = await loadOrders([file], {}, { baskets: {} });
    expect(parentsOf(bare.baskets!)).toEqual({ '510': null, '520': null, '530': null, '601': '501', '602': '501' });
    const doc = JSON.parse(runAov(['bundles', file, '--min-support', '3', '--max-q', '1', '--json']).stdout);
    expect(doc.items).toBe(4);
    expect(doc.pairs.map((p: { items: string[] }) => p.items)).toEqual([['510', '601']]);
  });

  it('tells PrestaShop combinations apart by product_attribute_id when the export has no product_reference', async () => {
    // The PrestaShop orders without the product_reference column: product_id is the item, and
    // 41 is two combinations (112, 115); 42, 43, 44 have none (attribute 0). By hand: per SKU
    // 5 items, the combinations together in orders 21, 22, 23 and 29 (never a bundle), each with
    // the bonnet 42 in 3 orders; per product 4 items, the pullover (41-112 on 5 lines, as 41-115:
    // the smaller label) with the bonnet in 4.
    const [header, ...rows] = readFileSync(fixture('bundles/prestashop_order_detail.csv'), 'utf8').trimEnd().split('\n');
    const drop = header.split(';').indexOf('product_reference');
    const file = path.join(tempDir('aov-ps-noref-'), 'order_detail.csv');
    // (no cell before product_reference holds a ";" inside quotes: the names come after it)
    writeFileSync(file, `${[header, ...rows].map((line) => line.split(';').filter((_, k) => k !== drop).join(';')).join('\n')}\n`);
    const loaded = await loadOrders([file], { currency: 'EUR' }, { baskets: {} });
    expect(loaded.input.perFile[0].columns.item).toBe('product_id');
    expect(loaded.input.perFile[0].columns.variant).toBe('product_attribute_id');
    const parents = Object.fromEntries(loaded.baskets!.baskets.itemLabels.map((label, i) => [label, loaded.baskets!.itemParents[i]]));
    expect(parents).toEqual({ '41-112': '41', '41-115': '41', '42': null, '43': null, '44': null });
    const sku = JSON.parse(runAov(['bundles', file, '--currency', 'EUR', '--item', 'sku', '--min-support', '3', '--max-q', '1', '--json']).stdout);
    expect(sku.items).toBe(5);
    expect(sku.pairs.map((p: { items: string[]; supportCount: number }) => [...p.items, p.supportCount])).toEqual([['41-112', '42', 3], ['41-115', '42', 3]]);
    expect(sku.notes.join(' ')).toContain('1 frequent pairs of two variants of one product are not shown');
    const product = JSON.parse(runAov(['bundles', file, '--currency', 'EUR', '--min-support', '3', '--max-q', '1', '--json']).stdout);
    expect(product.items).toBe(4);
    expect(product.pairs.map((p: { items: string[]; supportCount: number }) => [...p.items, p.supportCount])).toEqual([['41-112', '42', 4]]);
    expect(product.pairs[0].names).toEqual(['Pull marin', 'Bonnet']);
  });

  it('tells WooCommerce variations apart by variation_id when the row-per-item export has no sku column', async () => {
    // The WooCommerce orders without sku: the item is product_id-variation_id (501-601, 501-602), a simple
    // product (variation_id 0) its product_id; the counts are those of the SKUs above.
    const file = path.join(tempDir('aov-woo-nosku-'), 'orders.csv');
    const [header, ...rows] = readFileSync(fixture('bundles/woocommerce_variations.csv'), 'utf8').trimEnd().split('\n');
    const drop = header.split(',').indexOf('sku');
    // (the sku is the 10th cell, after the quoted name: cut it from the end, where no cell is quoted)
    const fromEnd = header.split(',').length - drop;
    const cut = (line: string) => { const cells = line.split(','); cells.splice(cells.length - fromEnd, 1); return cells.join(','); };
    writeFileSync(file, `${[header, ...rows].map(cut).join('\n')}\n`);
    const loaded = await loadOrders([file], {}, { baskets: {} });
    const parents = Object.fromEntries(loaded.baskets!.baskets.itemLabels.map((label, i) => [label, loaded.baskets!.itemParents[i]]));
    // (a simple product's product_id is the item itself: no parent)
    expect(parents).toEqual({ '501-601': '501', '501-602': '501', '510': null, '520': null, '530': null });
    const doc = JSON.parse(runAov(['bundles', file, '--min-support', '3', '--max-q', '1', '--json']).stdout);
    expect(doc.items).toBe(4);
    expect(doc.pairs.map((p: { items: string[]; supportCount: number }) => [...p.items, p.supportCount])).toEqual([['501-601', '510', 4]]);
  });

  it('reads the parent from product_id beside the SKU, and a lone product id stays the item', async () => {
    const loaded = await loadOrders([fixture('bundles/woocommerce_variations.csv')], {}, { baskets: {} });
    expect(loaded.input.perFile[0].columns.parent).toBe('product_id');
    const parents = Object.fromEntries(loaded.baskets!.baskets.itemLabels.map((label, i) => [label, loaded.baskets!.itemParents[i]]));
    expect(parents).toEqual({ 'BN-200': '510', 'HD-7731': '501', 'HD-7748': '501', 'MG-1': '530', 'SK-300': '520' });
    // The import cache keeps the parents: a second load (an entry hit: the cached lines) gives the same.
    const again = await loadOrders([fixture('bundles/woocommerce_variations.csv')], {}, { baskets: {} });
    expect(again.baskets!.itemParents).toEqual(loaded.baskets!.itemParents);
    // Online Retail-like lines with a product id and no SKU: the id is the item, and there is no parent.
    const file = path.join(tempDir('aov-lone-id-'), 'lines.csv');
    writeFileSync(file, 'Order ID,Order Date,Product ID,Product,Quantity,Unit Price,Currency\nO1,2024-01-01,7,Mug,1,5.00,EUR\nO1,2024-01-01,8,Tea,1,4.00,EUR\n');
    const lone = await loadOrders([file], {}, { baskets: {} });
    expect(lone.input.perFile[0].columns.item).toBe('Product ID');
    expect(lone.input.perFile[0].columns.parent).toBeUndefined();
    expect(lone.baskets!.itemParents).toEqual([null, null]);
  });
});
