import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, runAov } from './helpers.js';

describe('aov suggest-tier on real data', () => {
  it('finds the Online Retail Premium line: 427 of 4,269 customers above 3,588.30 GBP', () => {
    // Independent check with Python's csv/decimal: order values as in the reference (no C invoices,
    // Quantity > 0, UnitPrice > 0), customers with a CustomerID, orders after (last order - 365 days);
    // k = ceil(0.1 x 4,269) = 427; the 427th spend is 3,588.30; 60 customers within 10% below; 61.18% of revenue.
    const result = runAov(['suggest-tier', path.join(DATA, 'online_retail.csv.gz'), '--json']);
    expect(result.code).toBe(0);
    const tier = JSON.parse(result.stdout);
    expect(tier.schema).toBe('aov.tier/v1');
    expect(tier).toMatchObject({ currency: 'GBP', customers: 4269, minSpend: 3588.3, members: 427, nearLine: 60 });
    expect(tier.memberRevenueShare).toBeCloseTo(0.611824, 5);
    expect(tier.rule).toMatchObject({ type: 'priority_support_tier', minSpend: { amount: '3588.30', currency: 'GBP' }, window: '365d', responseTargetHours: 2, members: 427 });
  });
});

describe('aov suggest-second-order on real data', () => {
  it('counts Shopify customers (Email tokens) with exactly one order and writes a once-per-customer rule', () => {
    // Independent check with Python: 2,926 customers with a counted order, 2,076 with exactly one, 850 with two or more.
    const result = runAov(['suggest-second-order', path.join(DATA, 'shopify_orders_export.csv'), '--gift-cost', '5', '--margin', '0.5', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ schema: 'aov.secondOrder/v1', currency: 'USD', customers: 2926, eligibleNow: 2076 });
    expect(doc.rule).toMatchObject({ type: 'second_order_gift', oncePerCustomer: true, customerKey: 'email', validDays: 90 });
    // Break-even lift = G / (m x AOV2 - G) with G = 5, m = 0.5
    expect(doc.breakEvenLift).toBeCloseTo(5 / (0.5 * doc.secondOrderAov - 5), 4);
  });

  it('asks for --margin when the export has no cost data', () => {
    const result = runAov(['suggest-second-order', path.join(DATA, 'shopify_orders_export.csv'), '--gift-cost', '5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--margin is needed');
  });
});

describe('aov analyze --nps', () => {
  it('reads the survey beside AOV, counting matched, unmatched and unreadable answers', async () => {
    const { fixture } = await import('./helpers.js');
    const result = runAov(['analyze', fixture('sample-orders.csv'), '--nps', fixture('nps_survey.csv'), '--threshold', '40', '--json']);
    expect(result.code).toBe(0);
    const nps = JSON.parse(result.stdout).currencies[0].nps;
    // The fixture has 402 answers: 400 from sample customers, one stranger, one with score "eleven".
    expect(nps.answers + nps.rejected).toBe(402);
    expect(nps.rejected).toBe(1);
    expect(nps.matched + nps.unmatched).toBe(nps.answers);
    expect(nps.unmatched).toBeGreaterThanOrEqual(1);
    expect(nps.overall.n).toBe(401);
    expect(nps.monthly.map((m: { month: string }) => m.month)).toHaveLength(12);
    expect(nps.byThreshold.reached.n + nps.byThreshold.notReached.n).toBe(nps.matched);
    expect(nps.guard).not.toBeNull();
  });
});
