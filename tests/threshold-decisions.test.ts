import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAov, tempDir } from './helpers.js';

/**
 * Free shipping as customers see it (#16): an order that paid no shipping already ships free
 * and has no reason to add anything to reach a free-shipping threshold.
 */
describe('suggest-threshold --mode free-shipping', () => {
  it('credits top-ups only to orders that paid shipping, and counts the others', () => {
    // 240 one-line Shopify orders: values 20..59 EUR, every other order shipped free.
    const header = 'Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku';
    const orders = Array.from({ length: 240 }, (_, i) => ({ value: 20 + (i % 40), shipping: i % 2 === 0 ? 0 : 4.9, day: 1 + (i % 28), month: 1 + (i % 12) }));
    const rows = orders.map((o, i) => {
      const date = `2024-${String(o.month).padStart(2, '0')}-${String(o.day).padStart(2, '0')} 10:00:00 +0000`;
      return `#${1000 + i},c${i}@example.com,paid,${date},EUR,${o.value.toFixed(2)},${o.shipping.toFixed(2)},0.00,${(o.value + o.shipping).toFixed(2)},0.00,${date},1,Item ${i},${o.value.toFixed(2)},SKU${i}`;
    });
    const file = path.join(tempDir('aov-fs-'), 'orders.csv');
    writeFileSync(file, [header, ...rows].join('\n') + '\n');
    const r = runAov(['suggest-threshold', file, '--mode', 'free-shipping', '--margin', '0.5', '--no-prior', '--uptake', '0.3', '--reach', '10', '--since', '2024-01-01', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const view = doc.currencies ? doc.currencies[0] : doc;
    expect(view.candidates.length).toBeGreaterThan(0);
    for (const c of view.candidates) {
      const T = c.threshold;
      const zone = orders.filter((o) => o.value >= T - 10 && o.value < T);
      // Independent count of the zone's orders that paid no shipping ...
      expect(c.ordersInReachNotCredited).toBe(zone.filter((o) => o.shipping === 0).length);
      // ... and the expected top-ups from the paying ones only: 0.3 (1 - gap / 10) each.
      const expected = zone.filter((o) => o.shipping > 0).reduce((sum, o) => sum + 0.3 * (1 - (T - o.value) / 10), 0);
      expect(c.expectedTopUps).toBeCloseTo(expected, 2);
    }
  });
});

describe('suggest-threshold margins', () => {
  it('says when --margin is not used because the export has its own profit data (Superstore)', async () => {
    const { DATA } = await import('./helpers.js');
    const r = runAov(['suggest-threshold', path.join(DATA, 'superstore.csv'), '--currency', 'USD', '--margin', '0.3', '--gift-cost', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const view = doc.currencies ? doc.currencies[0] : doc;
    // 12.9% average margin and 20.7% of orders at a loss: the figures issue #16 recomputed independently.
    expect(view.notes).toContain("--margin 0.3 is not used: the export has cost or profit data, so each order's own margin is used (average 12.9%).");
    expect(view.assumptions.margin).toBe('per order from cost/profit data (average 12.9%; 20.7% of orders lose money)');
  });
});

describe('suggest-threshold range edges', () => {
  it('says when the best candidate sits at the edge of the range (Online Retail: the highest)', async () => {
    const { DATA } = await import('./helpers.js');
    const r = runAov(['suggest-threshold', path.join(DATA, 'online_retail.csv.gz'), '--currency', 'GBP', '--margin', '0.4', '--gift-cost', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const view = doc.currencies ? doc.currencies[0] : doc;
    const nets: number[] = view.candidates.map((c: { netPerMonth: number }) => c.netPerMonth);
    const last = view.candidates[view.candidates.length - 1];
    // The argmax of the candidates' nets, found here: the last one.
    expect(nets.indexOf(Math.max(...nets))).toBe(nets.length - 1);
    expect(view.notes).toContain(`The best expected net is at the highest candidate (${last.threshold.toFixed(2)}, 15-30% above the mean): a threshold higher than the range may do better; widen --range to see.`);
  });
});
