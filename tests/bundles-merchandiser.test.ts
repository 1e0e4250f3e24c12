/**
 * `aov bundles` as a merchandiser reads it (#17): names that can be told apart in 80
 * columns, counts that say what they count, larger itemsets shown, no offers without
 * prices, a support that finds something when the asked one finds nothing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, runAov, tempDir } from './helpers.js';

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
    const result = runAov(['bundles', path.join(DATA, 'online_retail.csv.gz'), '--item', 'sku', '--max-size', '3']);
    expect(result.code).toBe(0);
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    // The old 17-character cut printed both as "REGENCY TEA PLAT…".
    expect(result.stdout).toContain('REGENCY TEA PLATE GREEN');
    expect(result.stdout).toContain('REGENCY TEA PLATE PINK');
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
  // Three pairs, each in 20 of 60 baskets and never with the others: all three pass the q filter.
  const baskets = [...repeat(20, () => [['a', 'b']]), ...repeat(20, () => [['c', 'd']]), ...repeat(20, () => [['e', 'f']])];

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
