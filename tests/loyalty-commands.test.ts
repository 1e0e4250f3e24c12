import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mergeRules, validateRules } from '../src/io/rulesFile.js';
import { DATA, fixture, ROOT, runAov } from './helpers.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('aov suggest-tier on real data', () => {
  it('finds the Online Retail Premium line: 427 of 4,269 customers above 3,588.30 GBP', () => {
    // Independent check with Python's csv/decimal (tests/oracles/online_retail.py, run by the next
    // test): order values as in the reference (no C invoices, Quantity > 0, UnitPrice > 0),
    // customers with a CustomerID, orders after (last order - 365 days);
    // k = ceil(0.1 x 4,269) = 427; the 427th spend is 3,588.30; 60 customers within 10% below; 61.18% of revenue.
    const result = runAov(['suggest-tier', path.join(DATA, 'online_retail.csv.gz'), '--currency', 'GBP', '--json']);
    expect(result.code).toBe(0);
    const tier = JSON.parse(result.stdout);
    expect(tier.schema).toBe('aov.tier/v1');
    expect(tier).toMatchObject({ currency: 'GBP', customers: 4269, minSpend: 3588.3, members: 427, nearLine: 60 });
    expect(tier.memberRevenueShare).toBeCloseTo(0.611824, 5);
    expect(tier.rule).toMatchObject({ type: 'priority_support_tier', minSpend: { amount: '3588.30', currency: 'GBP' }, window: '365d', responseTargetHours: 2, members: 427 });
  });
});

describe('the Python oracles behind the pinned loyalty figures', () => {
  it.skipIf(!hasPython)(`tests/oracles/online_retail.py finds the Premium line pinned above${hasPython ? '' : ' (skipped: no python3)'}`, () => {
    const run = spawnSync('python3', [path.join(ROOT, 'tests', 'oracles', 'online_retail.py'), path.join(DATA, 'online_retail.csv.gz')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).tier).toEqual({ customers: 4269, members: 427, minSpend: '3588.30', nearLine: 60, memberRevenueShare: 0.611824 });
  }, 120_000);

  it.skipIf(!hasPython)(`tests/oracles/shopify_orders.py counts the Shopify customers pinned below${hasPython ? '' : ' (skipped: no python3)'}`, () => {
    const run = spawnSync('python3', [path.join(ROOT, 'tests', 'oracles', 'shopify_orders.py'), path.join(DATA, 'shopify_orders_export.csv')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).customers).toEqual({ all: 2926, oneOrder: 2076, twoOrMore: 850 });
  });
});

describe('aov suggest-second-order on real data', () => {
  it.skipIf(!hasPython)('matches the Python oracle on Online Retail: burn-in cohort, second-order AOV within 90 days, eligible now, guest orders', async () => {
    // tests/oracles/second_order.py recomputes the figures from the CSV with the standard library only.
    const oracleRun = promisify(execFile)('python3', [path.join(ROOT, 'tests', 'oracles', 'second_order.py'), path.join(DATA, 'online_retail.csv.gz'), '90', '90', '5', '0.4'], { maxBuffer: 1 << 20 });
    const result = runAov(['suggest-second-order', path.join(DATA, 'online_retail.csv.gz'), '--currency', 'GBP', '--gift-cost', '5', '--margin', '0.4', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    const oracle = JSON.parse((await oracleRun).stdout);
    // The oracle agrees with the reference figures first (../shared/data/README.md: 19,960 orders).
    expect(oracle.orders).toBe(19960);
    expect(doc.orders).toBe(oracle.orders);
    expect(doc.customers).toBe(oracle.customers); // 4,338
    expect(doc.oneOrderCustomers).toBe(oracle.customersWithOneOrder); // 1,493: what "eligible now" used to say
    expect(doc.burnIn.days).toBe(90);
    expect(doc.newCustomers).toBe(oracle.cohort); // 2,656
    expect(doc.burnedInCustomers).toBe(oracle.burnedIn); // 1,682
    expect(doc.eligibleNow).toBe(oracle.eligibleNow); // 646
    expect(doc.guestOrders).toMatchObject({ orders: oracle.guestOrders, withoutKey: oracle.guestOrders, guestKey: 0 }); // 1,428
    expect(doc.guestOrders.share).toBeCloseTo(oracle.guestOrders / oracle.orders, 6); // 7.2%
    expect(doc.allSecondOrderAov).toBeCloseTo(oracle.secondOrderAovAll, 2); // 443.65 (the old figure)
    expect(doc.allCustomersSecondOrderAovWithinValidity).toBeCloseTo(oracle.secondOrderAovWithin, 2); // 380.00
    expect(doc.secondOrderAov).toBeCloseTo(oracle.cohortSecondOrderAovWithin, 2); // 356.29, new customers only
    expect(doc.secondOrdersWithinValidity).toBe(oracle.cohortSecondOrdersWithin);
    expect(doc.baseSecondOrderRate).toBeCloseTo(oracle.baseRate, 6); // 708 / 1,688
    expect(doc.baseRateEligible).toBe(oracle.baseRateEligible);
    expect(doc.breakEvenLift).toBeCloseTo(oracle.breakEvenLift, 5);
    // The bootstrap interval against the oracle's delta-method interval (no shared code or random numbers).
    const [deltaLow, deltaHigh] = oracle.breakEvenLiftDelta90;
    expect(doc.breakEvenLiftInterval.level).toBe(0.9);
    expect(Math.abs(doc.breakEvenLiftInterval.low - deltaLow)).toBeLessThan(0.0015);
    expect(Math.abs(doc.breakEvenLiftInterval.high - deltaHigh)).toBeLessThan(0.0015);
    // The rule states the guest-checkout policy and validates against the public schema.
    expect(doc.rule).toMatchObject({
      type: 'second_order_gift', customerKey: 'customer_id', validDays: 90,
      guestCheckout: 'not eligible: the once-per-customer condition needs an account or email',
      expected: { eligibleNow: oracle.eligibleNow, breakEvenLiftInterval: [doc.breakEvenLiftInterval.low, doc.breakEvenLiftInterval.high] },
      assumptions: { burnInDays: 90 },
    });
    expect(await validateRules(mergeRules(undefined, [doc.rule], false, 'rules.json'))).toEqual([]);
  }, 180_000);

  it('counts Shopify customers (Email tokens) with exactly one order and writes a once-per-customer rule', () => {
    // Independent check with Python (tests/oracles/shopify_orders.py, run above): 2,926 customers
    // with a counted order, 2,076 with exactly one, 850 with two or more.
    const result = runAov(['suggest-second-order', path.join(DATA, 'shopify_orders_export.csv'), '--gift-cost', '5', '--margin', '0.5', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ schema: 'aov.secondOrder/v1', currency: 'USD', customers: 2926, oneOrderCustomers: 2076 });
    expect(doc.eligibleNow).toBeLessThanOrEqual(doc.oneOrderCustomers);
    expect(doc.newCustomers + doc.burnedInCustomers).toBe(doc.customers);
    expect(doc.rule).toMatchObject({ type: 'second_order_gift', oncePerCustomer: true, customerKey: 'email', validDays: 90, guestCheckout: expect.stringMatching(/^not eligible/) });
    // Break-even lift = G / (m x AOV2 - G) with G = 5, m = 0.5
    expect(doc.breakEvenLift).toBeCloseTo(5 / (0.5 * doc.secondOrderAov - 5), 4);
    expect(doc.breakEvenLiftInterval.low).toBeLessThanOrEqual(doc.breakEvenLift);
    expect(doc.breakEvenLiftInterval.high).toBeGreaterThanOrEqual(doc.breakEvenLift);
  });

  it('states the burn-in, the break-even interval and the guest-checkout policy in the terminal output; --burn-in 0 counts everyone as new', () => {
    const text = runAov(['suggest-second-order', fixture('sample-orders.csv'), '--gift-cost', '2']);
    expect(text.code).toBe(0);
    const flat = text.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('after a 90-day burn-in');
    expect(flat).toMatch(/breaks even at a [0-9.]+% lift \(90% [0-9.]+% to [0-9.]+%, bootstrap over customers\)/);
    expect(flat).toMatch(/Guest checkouts: [0-9,]+ orders \([0-9.]+%\) have no account or email/);
    const all = JSON.parse(runAov(['suggest-second-order', fixture('sample-orders.csv'), '--gift-cost', '2', '--burn-in', '0', '--json']).stdout);
    expect(all.burnedInCustomers).toBe(0);
    expect(all.newCustomers).toBe(all.customers);
  });

  it('counts guest orders with no key and with the billing name + postal code stand-in, and leaves them out of the new customers', () => {
    // fixtures/guest_checkout.csv (tests/import-fixtures.test.ts): 5 orders, ann@example.com twice, guest "bob jones|20095" twice, one with no key.
    const doc = JSON.parse(runAov(['suggest-second-order', fixture('guest_checkout.csv'), '--gift-cost', '1', '--margin', '0.5', '--burn-in', '0', '--json']).stdout);
    expect(doc.guestOrders).toMatchObject({ orders: 3, withoutKey: 1, guestKey: 2, guestKeyCustomers: 1, share: 0.6 });
    expect(doc).toMatchObject({ customers: 2, newCustomers: 1, burnedInCustomers: 0 });
    expect(doc.warning).toMatch(/60\.0% of orders have no customer key/);
    expect(doc.rule.guestCheckout).toMatch(/^not eligible/);
  });

  it('asks for --margin when the export has no cost data', () => {
    const result = runAov(['suggest-second-order', path.join(DATA, 'shopify_orders_export.csv'), '--gift-cost', '5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--margin is needed');
  });
});

describe('aov analyze --nps', () => {
  it('reads the survey beside AOV, counting matched, unmatched and unreadable answers', async () => {
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
