import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoMaxBasket } from '../src/analysis/itemsets.js';
import { validateRules } from '../src/io/rulesFile.js';
import { DATA, FIXTURES, fixture, runAov, tempDir } from './helpers.js';

describe('aov bundles', () => {
  it('finds the mlxtend counts on Online Retail through the command line', () => {
    const result = runAov(['bundles', path.join(DATA, 'online_retail.csv.gz'), '--currency', 'GBP', '--item', 'sku', '--exclude-items', 'none', '--min-support', '0.01', '--max-size', '5', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.schema).toBe('aov.bundles/v1');
    expect(doc.baskets).toBe(19960);
    expect(doc.itemsetCounts).toEqual({ '1': 815, '2': 917, '3': 269, '4': 24, '5': 1 });
    expect(doc.skippedLargeBaskets).toBe(0);
    // Every reported pair passed the q filter, and q >= p.
    for (const pair of doc.pairs) {
      expect(pair.q).toBeLessThanOrEqual(0.05);
      expect(pair.q).toBeGreaterThanOrEqual(pair.p);
    }
    expect(doc.itemsets.filter((s: { items: string[] }) => s.items.length === 5)).toHaveLength(1);
  });

  it('mines a basket file (Groceries): 9,835 baskets, 333 frequent itemsets at 0.01', () => {
    const doc = JSON.parse(runAov(['bundles', path.join(DATA, 'groceries.csv'), '--format', 'baskets', '--max-size', '10', '--json']).stdout);
    expect(doc.baskets).toBe(9835);
    const total = Object.values(doc.itemsetCounts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(333);
  });

  it('lists complements for --for, ranked by confidence', () => {
    const doc = JSON.parse(runAov(['bundles', fixture('sample-orders.csv'), '--min-support', '20', '--for', 'TEA-MA', '--json']).stdout);
    expect(doc.complements.item).toBe('TEA-MA');
    // The sample plants the matcha whisk with matcha (45% of matcha orders).
    expect(doc.complements.with[0].item).toBe('ACC-WHK');
    const confidences = doc.complements.with.map((c: { confidence: number }) => c.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
  });

  it('prices bundle offers from costs and emits schema-valid bundle rules, merged into an existing file', async () => {
    const dir = tempDir('aov-bundles-');
    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ schema: 'aov.rules/v1', rules: [{ id: 'mine', type: 'priority_support_tier', minSpend: { amount: '100.00', currency: 'EUR' }, window: '365d', responseTargetHours: 4 }] }));
    // A known elasticity of 2: under the default prior the sample's offers pay with P 67-70%,
    // under the 90% a rule needs (tests/rules-schema.test.ts).
    const result = runAov(['bundles', fixture('sample-orders.csv'), '--min-support', '20', '--bundle-elasticity', '2', '--emit', rules, '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    // The sample has a Unit Cost column: margins are known.
    expect(doc.offers[0].marginKnown).toBe(true);
    const written = JSON.parse(readFileSync(rules, 'utf8'));
    expect(written.rules[0].id).toBe('mine');
    expect(written.rules.filter((r: { type: string }) => r.type === 'bundle').length).toBeGreaterThan(0);
    expect(await validateRules(written)).toEqual([]);
    // A second run would replace the same bundle rules: refused without --force.
    const again = runAov(['bundles', fixture('sample-orders.csv'), '--min-support', '20', '--bundle-elasticity', '2', '--emit', rules]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already has a rule "bundle:');
  });

  it('writes CSV that is safe to open in a spreadsheet', () => {
    const dir = tempDir('aov-bundles-');
    const orders = path.join(dir, 'orders.csv');
    const rows = ['Order ID,Order Date,SKU,Product,Quantity,Unit Price,Currency'];
    for (let i = 0; i < 40; i++) rows.push(`O${i},2024-01-01,=HYPERLINK("x"),=HYPERLINK("http://evil"),1,5.00,EUR`, `O${i},2024-01-01,B,@SUM(1+1),1,3.00,EUR`);
    for (let i = 40; i < 80; i++) rows.push(`O${i},2024-01-01,C,Plain tea,1,4.00,EUR`);
    writeFileSync(orders, rows.join('\n'));
    const csv = path.join(dir, 'pairs.csv');
    expect(runAov(['bundles', orders, '--min-support', '10', '--csv', csv]).code).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain("'@SUM(1+1)");
    // 40 of 80 baskets hold both: support 0.5, confidence 1 both ways, lift 2.
    expect(text.split('\r\n')[1]).toMatch(/,40,0\.5,1,1,2,/);
  });

  it('refuses order-level exports, which have no line items', () => {
    const result = runAov(['bundles', path.join(FIXTURES, 'formats', 'prestashop_fr.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no line items; bundles need them');
  });
});

describe('automatic basket-size guard', () => {
  it('skips nothing when the pair scan fits, and only the largest baskets when it does not', () => {
    // sizes 3, 4, 50: pairs 3 + 6 + 1225 = 1234
    expect(autoMaxBasket(Int32Array.of(3, 4, 50), 2000)).toBe(Infinity);
    expect(autoMaxBasket(Int32Array.of(3, 4, 50), 100)).toBe(49);
  });
});
