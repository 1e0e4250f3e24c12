import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../src/analysis/summary.js';
import { loadOrders } from '../src/io/load.js';
import { DATA, FIXTURES, ROOT } from './helpers.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

const formatFixture = (name: string) => path.join(FIXTURES, 'formats', name);

async function load(file: string, options = {}) {
  const result = await loadOrders(file ? [file] : [], options, { baskets: { excludeItems: 'none' } });
  return { ...result, summaries: result.tables.map(summarize) };
}

describe('platform formats, detected from the header', () => {
  it('reads WooCommerce line-per-item exports and excludes cancelled, failed, refunded, pending and on-hold orders', async () => {
    const { input, summaries, baskets } = await load(formatFixture('woocommerce_lines.csv'));
    expect(input.perFile[0].format).toBe('woocommerce');
    // Counted: 1001 (30 + 10), 1002 (45), 1008 (10 + 15) -> 110.00 EUR over 3 orders.
    expect(summaries[0].currency).toBe('EUR');
    expect(summaries[0].revenueMinor).toBe(11000);
    expect(input.excludedOrders).toEqual({ cancelled: 1, failed: 1, refunded: 1, pending: 2 });
    expect(baskets!.baskets.itemLabels).toEqual(['MUG-B', 'POT-1', 'TEA-G']);
  });

  it('unpacks WooCommerce line_item_N cells, honouring escaped pipes', async () => {
    const { input, summaries, baskets } = await load(formatFixture('woocommerce_packed.csv'));
    expect(input.perFile[0].format).toBe('woocommerce-packed');
    // 501: 30 + 20; 502: 45; 504: 45 + 15 + 10 (503 cancelled) -> 165.00
    expect(summaries[0].revenueMinor).toBe(16500);
    expect(input.rows).toBe(7);
    expect(input.rowsUsed + input.rowsExcluded + input.rejected).toBe(7);
    expect(baskets!.itemNames).toContain('Tea | green');
    // Basket of 504 has all three items.
    const b = baskets!.orderIds.indexOf('504');
    expect(baskets!.baskets.offsets[b + 1] - baskets!.baskets.offsets[b]).toBe(3);
  });

  it('reads WooCommerce Analytics downloads by Net Sales and unpacks "2× Name, 1× Other"', async () => {
    const { input, summaries, baskets } = await load(formatFixture('woocommerce_analytics.csv'));
    expect(input.perFile[0].format).toBe('woocommerce-analytics');
    expect(summaries[0].currency).toBe('EUR');
    // Net Sales 40.00 + 45.00 + 62.50 (9003 refunded)
    expect(summaries[0].revenueMinor).toBe(14750);
    expect(input.excludedOrders).toEqual({ refunded: 1 });
    expect([...baskets!.itemNames].sort()).toEqual(['Blue mug', 'Tea, green', 'Teapot']);
  });

  it('reads a French PrestaShop export (; and "1 234,50 €") at order level', async () => {
    const { input, summaries } = await load(formatFixture('prestashop_fr.csv'));
    expect(input.perFile[0].format).toBe('prestashop');
    expect(input.perFile[0].delimiter).toBe(';');
    expect(input.perFile[0].decimalMark).toBe(',');
    // Livré 1 234,50 and Paiement accepté 59,90 count; en attente (pending), annulé, remboursé do not.
    expect(summaries[0].revenueMinor).toBe(123450 + 5990);
    expect(input.excludedOrders).toEqual({ pending: 1, cancelled: 1, refunded: 1 });
    expect(input.perFile[0].hasLineItems).toBe(false);
  });

  it('reads a Magento 2 grid export with $ amounts and month-name dates', async () => {
    // "$" names several currencies and the grid has no currency column: aov asks (issue #21).
    await expect(load(formatFixture('magento.csv'))).rejects.toMatchObject({ code: 'E_AMBIGUOUS_CURRENCY' });
    const { input, summaries } = await load(formatFixture('magento.csv'), { currency: 'USD' });
    expect(input.perFile[0].format).toBe('magento');
    expect(input.perFile[0].dateFormat).toBe('Mon d, yyyy');
    expect(summaries[0].currency).toBe('USD');
    // Subtotals $199.40 and $1,000.00 count; canceled, closed (refunded) and holded do not.
    expect(summaries[0].revenueMinor).toBe(19940 + 100000);
    expect(input.excludedOrders).toEqual({ cancelled: 1, refunded: 1, pending: 1 });
  });

  it('reads BigCommerce exports by Subtotal (ex tax) and unpacks Product Details', async () => {
    const { input, summaries, baskets } = await load(formatFixture('bigcommerce.csv'));
    expect(input.perFile[0].format).toBe('bigcommerce');
    expect(summaries[0].revenueMinor).toBe(4980 + 3500);
    expect(baskets!.itemNames).toEqual(['Notebook, A5', 'Blue pen']);
    expect(baskets!.baskets.itemLabels).toEqual(['NB-A5', 'PEN-BL']);
  });

  it('reads the Superstore line file without a mapping: Sales as line totals, Profit as margin', async () => {
    // Independent check with Python's csv and decimal modules (tests/oracles/formats.py, run
    // at the end of this file): 5,111 distinct Order IDs,
    // sum(Sales) = 2,326,534.3543; per-order sums rounded half up to cents add to 2,326,534.59.
    const { input, summaries } = await load(path.join(DATA, 'superstore.csv'), { currency: 'USD' });
    expect(input.perFile[0].dateFormat).toBe('dd/mm/yy');
    expect(summaries[0].currency).toBe('USD');
    expect(summaries[0].orders).toBe(5111);
    expect(summaries[0].revenueMinor).toBe(232653459);
  });
});

describe('basket files, multi-table exports and Parquet', () => {
  it('reads the Groceries basket file: 9,835 baskets over 169 items', async () => {
    const { loadBasketFiles } = await import('../src/io/baskets.js');
    const { summary, baskets } = await loadBasketFiles([path.join(DATA, 'groceries.csv')], {}, {});
    expect(summary.rows).toBe(9835);
    expect(baskets.orderIds).toHaveLength(9835);
    expect(baskets.baskets.itemLabels).toHaveLength(169);
  });

  it('joins the Instacart sample and reports unmatched keys', async () => {
    // Independent check with Python's csv module (tests/oracles/formats.py): 32,290 item lines, 30,121 with an order in
    // orders.csv (2,169 without), 207 orders without items, 3,013 baskets, 8,907 products.
    const { loadJoinedBaskets } = await import('../src/io/multiTable.js');
    const dir = path.join(DATA, 'instacart_sample');
    const { join, baskets } = await loadJoinedBaskets(
      { orders: path.join(dir, 'orders.csv'), items: path.join(dir, 'order_products__prior.csv'), products: path.join(dir, 'products.csv') },
      {},
    );
    expect(join).toMatchObject({ orders: 3220, itemLines: 32290, joinedLines: 30121, itemsWithoutOrder: 2169, ordersWithoutItems: 207, itemsWithoutProduct: 0 });
    expect(baskets.orderIds).toHaveLength(3013);
    expect(baskets.baskets.itemLabels).toHaveLength(8907);
    expect(baskets.itemNames).toContain('Chocolate Sandwich Cookies');
  });

  it('reads Parquet exports natively, with the same figures as the CSV they were written from', async () => {
    const csv = await load(path.join(FIXTURES, 'sample-orders.csv'));
    const parquet = await load(formatFixture('sample-orders.parquet'));
    expect(parquet.summaries[0].orders).toBe(csv.summaries[0].orders);
    expect(parquet.summaries[0].revenueMinor).toBe(csv.summaries[0].revenueMinor);
    expect(parquet.input.excluded).toEqual(csv.input.excluded);
  });
});

describe('aov formats', () => {
  it('lists every format and shows how a file is detected and mapped', async () => {
    const { runAov } = await import('./helpers.js');
    const list = runAov(['formats']);
    expect(list.code).toBe(0);
    for (const name of ['shopify', 'woocommerce', 'woocommerce-packed', 'woocommerce-analytics', 'prestashop', 'magento', 'bigcommerce', 'lines', 'baskets', 'multi-table']) {
      expect(list.stdout).toMatch(new RegExp(`^  ${name}$`, 'm'));
    }
    const one = JSON.parse(runAov(['formats', formatFixture('prestashop_fr.csv'), '--json']).stdout);
    expect(one.detection).toMatchObject({ format: 'prestashop', delimiter: ';', columns: { order: 'Référence', subtotal: 'Total', status: 'État' } });
  });
});

describe('multi-table analyze (Olist layout)', () => {
  it('joins items to orders on order_id, one line per unit, and reports unmatched keys', async () => {
    const dir = formatFixture('olist');
    const { input, summaries } = await load('', {
      currency: 'BRL',
      tables: { orders: path.join(dir, 'orders.csv'), items: path.join(dir, 'order_items.csv'), products: path.join(dir, 'products.csv') },
    });
    // o1: 29.90 + 29.90 + 10.00 = 69.80; o2: 199.00; o4: 12.50; o3 canceled; o5 has no items; o9 has no order.
    expect(summaries[0].revenueMinor).toBe(6980 + 19900 + 1250);
    expect(summaries[0].orders).toBe(3);
    expect(input.excludedOrders).toEqual({ cancelled: 1 });
    expect(input.notes.join('\n')).toMatch(/1 item lines have no order/);
    expect(input.notes.join('\n')).toMatch(/1 orders in .* have no item line/);
  });
});

describe('the Python oracle behind the pinned Superstore and Instacart figures', () => {
  it.skipIf(!hasPython)(`tests/oracles/formats.py prints the figures pinned above${hasPython ? '' : ' (skipped: no python3)'}`, () => {
    const run = spawnSync('python3', [path.join(ROOT, 'tests', 'oracles', 'formats.py'), DATA], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      superstore: { orders: 5111, sales: '2326534.3543', roundedOrderSum: '2326534.59' },
      instacart: { itemLines: 32290, joinedLines: 30121, itemsWithoutOrder: 2169, ordersWithoutItems: 207, baskets: 3013, products: 8907, itemsWithoutProduct: 0 },
    });
  });
});
