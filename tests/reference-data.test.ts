import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { summarize } from '../src/analysis/summary.js';
import { loadOrders } from '../src/io/load.js';
import { money } from '../src/report/format.js';
import { DATA, ROOT } from './helpers.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('Online Retail (UCI) reference figures', () => {
  it('matches the pandas/DuckDB reference: 19,960 orders, revenue 10,666,684.54, AOV 534.40, median 303.84', async () => {
    // Reference: ../shared/data/README.md (invoices not starting with C, Quantity > 0, UnitPrice > 0).
    const { input, tables } = await loadOrders([path.join(DATA, 'online_retail.csv.gz')], { currency: 'GBP' });
    expect(tables).toHaveLength(1);
    const s = summarize(tables[0]);
    expect(s.currency).toBe('GBP');
    expect(s.orders).toBe(19960);
    expect(s.revenueMinor).toBe(1066668454);
    expect(money(s.aov.meanMinor, 2)).toBe(534.4);
    // The median is the mean of the two middle orders, 303.835: JSON rounds half up in minor units.
    expect(s.aov.medianMinor).toBe(30383.5);
    expect(money(s.aov.medianMinor, 2)).toBe(303.84);
    // Every row is accounted for, and the exclusions are reported by reason.
    expect(input.rows).toBe(541909);
    expect(input.rowsUsed + input.rowsExcluded + input.rejected).toBe(input.rows);
    expect(input.rejected).toBe(0);
    expect(input.excluded.cancelled).toBeGreaterThan(9000);
    expect(input.excluded.nonPositivePrice).toBeGreaterThan(0);
    expect(input.excluded.nonPositiveQuantity).toBeGreaterThan(0);
    expect(s.monthly.map((m) => m.month)).toEqual([
      '2010-12', '2011-01', '2011-02', '2011-03', '2011-04', '2011-05', '2011-06',
      '2011-07', '2011-08', '2011-09', '2011-10', '2011-11', '2011-12',
    ]);
    expect(s.monthly.reduce((a, m) => a + m.orders, 0)).toBe(19960);
  });

  it.skipIf(!hasPython)(`the pinned figures are what tests/oracles/online_retail.py prints${hasPython ? '' : ' (skipped: no python3)'}`, () => {
    const run = spawnSync('python3', [path.join(ROOT, 'tests', 'oracles', 'online_retail.py'), path.join(DATA, 'online_retail.csv.gz')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    // ../shared/data/README.md's reference figures, and the exact median 303.835 pinned above.
    expect(JSON.parse(run.stdout)).toMatchObject({ orders: 19960, revenue: '10666684.54', mean: '534.40', median: '303.835' });
  }, 120_000);
});

describe('Shopify orders export', () => {
  it('counts orders by Subtotal, excluding voided, cancelled and zero-value orders', async () => {
    // Independent computation with Python's csv and decimal modules (no aov code; the script is
    // tests/oracles/shopify_orders.py, run by the next test):
    //   first row of each Name with a Subtotal; skip Financial Status == voided (152),
    //   then Cancelled at non-empty (19), then Subtotal <= 0 (13)
    //   -> 4,752 orders, sum(Subtotal) = 1,339,294.52, mean 281.84, median 220.00.
    const { input, tables } = await loadOrders([path.join(DATA, 'shopify_orders_export.csv')]);
    expect(input.format).toBe('shopify');
    expect(tables.map((t) => t.currency)).toEqual(['USD']);
    const s = summarize(tables[0]);
    expect(s.orders).toBe(4752);
    expect(s.revenueMinor).toBe(133929452);
    expect(money(s.aov.meanMinor, 2)).toBe(281.84);
    expect(money(s.aov.medianMinor, 2)).toBe(220);
    expect(input.excludedOrders).toEqual({ voided: 152, cancelled: 19, zeroValue: 13 });
    expect(input.rows).toBe(7921);
    expect(input.rowsUsed + input.rowsExcluded + input.rejected).toBe(7921);
  });

  it.skipIf(!hasPython)(`the pinned figures are what tests/oracles/shopify_orders.py prints${hasPython ? '' : ' (skipped: no python3)'}`, () => {
    const run = spawnSync('python3', [path.join(ROOT, 'tests', 'oracles', 'shopify_orders.py'), path.join(DATA, 'shopify_orders_export.csv')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      orders: 4752,
      revenue: '1339294.52',
      mean: '281.84',
      median: '220.00',
      excludedOrders: { voided: 152, cancelled: 19, zeroValue: 13 },
      // Pinned in loyalty-commands.test (suggest-second-order on this export).
      customers: { all: 2926, oneOrder: 2076, twoOrMore: 850 },
    });
  });
});
