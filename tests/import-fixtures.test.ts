import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarize } from '../src/analysis/summary.js';
import { loadOrders } from '../src/io/load.js';
import { makeWorkDir, prepareSource } from '../src/io/source.js';
import { fixture, runAov } from './helpers.js';

async function load(name: string, options = {}) {
  const result = await loadOrders([fixture(name)], options);
  return { ...result, summaries: result.tables.map(summarize) };
}

describe('import of the locale fixtures', () => {
  it('reads Shopify multi-line orders by Subtotal and excludes voided, cancelled and zero-value orders', async () => {
    const { input, summaries } = await load('shopify_multiline.csv');
    // #1001 60.00 (two lines), #1002 25.50, #1006 135.00 (two lines) are counted;
    // #1003 voided, #1004 cancelled (Cancelled at set), #1005 Subtotal 0.00.
    expect(summaries).toHaveLength(1);
    expect(summaries[0].currency).toBe('EUR');
    expect(summaries[0].orders).toBe(3);
    expect(summaries[0].revenueMinor).toBe(6000 + 2550 + 13500);
    expect(input.excludedOrders).toEqual({ voided: 1, cancelled: 1, zeroValue: 1 });
    expect(input.excluded).toEqual({ voided: 1, cancelled: 1, zeroValue: 1 });
    expect(input.rows).toBe(8);
    expect(input.rowsUsed).toBe(5);
    expect(input.notes.join(' ')).toMatch(/1 counted orders were later refunded/);
  });

  it('uses the Total with --value total', async () => {
    const { summaries } = await load('shopify_multiline.csv', { value: 'total' });
    // Totals 64.90 + 30.40 + 135.00
    expect(summaries[0].revenueMinor).toBe(6490 + 3040 + 13500);
  });

  it('reads a ;-delimited Italian export with € 1.234,50 and dd/mm/yyyy', async () => {
    const { input, summaries } = await load('italian_semicolon.csv');
    const file = input.perFile[0];
    expect(file.delimiter).toBe(';');
    expect(file.decimalMark).toBe(',');
    expect(file.dateFormat).toBe('dd/mm/yyyy');
    expect(file.currency).toBe('EUR');
    // IT-1: 1234.50 + 3 x 2.50 = 1242.00; IT-2: 2 x 2.50 = 5.00; IT-3: 6 x 12.90 = 77.40
    expect(summaries[0].revenueMinor).toBe(124200 + 500 + 7740);
    expect(summaries[0].aov.medianMinor).toBe(7740);
    expect(summaries[0].monthly.map((m) => m.month)).toEqual(['2024-03', '2024-04']);
  });

  it('reads Norwegian "129,00 kr" amounts as NOK when told so, and asks without --currency', async () => {
    // "kr" names four currencies: the country is a suggestion in the hint, not the answer (#21).
    await expect(load('norwegian_kr.csv')).rejects.toMatchObject({ code: 'E_AMBIGUOUS_CURRENCY', context: { suggestion: 'NOK' } });
    const { input, summaries } = await load('norwegian_kr.csv', { currency: 'NOK' });
    expect(input.perFile[0].currency).toBe('NOK');
    expect(input.perFile[0].currencyEvidence).toBe('--currency');
    // NO-1: 129.00 + 2 x 89.50 = 308.00; NO-2: 129.00
    expect(summaries[0].revenueMinor).toBe(30800 + 12900);
  });

  it('transcodes Windows-1252 product names, including the euro sign and curly quotes', async () => {
    const work = await makeWorkDir();
    try {
      const source = await prepareSource(fixture('windows1252.csv'), work.dir);
      expect(source.encoding).toBe('windows-1252');
      const text = readFileSync(source.readPath, 'utf8');
      expect(text).toContain('Café crème – 500 g');
      expect(text).toContain('‘Gift’ card €20');
    } finally {
      await work.cleanup();
    }
    const { summaries } = await load('windows1252.csv');
    expect(summaries[0].revenueMinor).toBe(1250 + 2000 + 3000);
  });

  it('reads a UTF-8 file with a BOM, header names intact', async () => {
    const { input, summaries } = await load('bom.csv');
    expect(input.perFile[0].encoding).toBe('utf-8-bom');
    expect(input.perFile[0].columns.order).toBe('Order ID');
    expect(summaries[0].revenueMinor).toBe(1000 + 1050);
  });

  it('keeps two currencies apart, each with its own decimals', async () => {
    const { summaries } = await load('two_currencies.csv');
    expect(summaries.map((s) => [s.currency, s.decimals, s.orders, s.revenueMinor])).toEqual([
      ['EUR', 2, 3, 1000 + 1000 + 3000],
      ['JPY', 0, 2, 1500 + 3000],
    ]);
  });
});

describe('import of bad input', () => {
  it('counts a ragged row as rejected and names its line', async () => {
    const { input, summaries } = await load('ragged.csv');
    expect(input.rows).toBe(3);
    expect(input.rejectedByReason).toEqual({ malformedRow: 1 });
    expect(input.problems[0].line).toBe(3);
    expect(input.problems[0].message).toBe(`${fixture('ragged.csv')}:3: expected 7 columns, found 8 (too many columns)`);
    expect(summaries[0].orders).toBe(2);
  });

  it('reports an unclosed quote at its line', async () => {
    const { input, summaries } = await load('unclosed_quote.csv');
    expect(input.rejectedByReason).toEqual({ malformedRow: 1 });
    expect(input.problems[0].line).toBe(3);
    expect(input.problems[0].message).toMatch(/quote opens a field and is never closed/);
    expect(summaries[0].orders).toBe(1);
  });

  it('rejects a non-numeric price with file, line, column and value', async () => {
    const { input, summaries } = await load('bad_price.csv');
    expect(input.rejectedByReason).toEqual({ badPrice: 1 });
    expect(input.problems[0]).toMatchObject({ reason: 'badPrice', line: 3, column: 'Unit Price', value: 'abc' });
    expect(input.rowsUsed + input.rowsExcluded + input.rejected).toBe(input.rows);
    expect(summaries[0].revenueMinor).toBe(1000 + 700);
  });

  it('--strict makes a rejected row fatal with exit code 2', () => {
    const result = runAov(['analyze', fixture('bad_price.csv'), '--strict']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--strict: 1 row(s) could not be read');
    expect(result.stderr).toContain('bad_price.csv:3, column "Unit Price"');
  });

  it('refuses an empty file with exit code 2 and no stack trace', () => {
    const result = runAov(['analyze', fixture('empty.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`aov: error: ${fixture('empty.csv')} is empty (0 bytes).\n  hint: Export the orders again; the file has no header and no rows.\n`);
  });

  it('refuses a header-only file with exit code 2', () => {
    const result = runAov(['analyze', fixture('header_only.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('header_only.csv: a header but no rows.');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the columns found and the closest one when a required column is missing', () => {
    const result = runAov(['analyze', fixture('bad_price.csv'), '--map', 'date=Order Dat']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--map date=Order Dat, but there is no column "Order Dat"');
    expect(result.stderr).toContain('Closest: "Order Date"');
  });

  it('says when a path does not exist', () => {
    const result = runAov(['analyze', fixture('nope.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.csv: no such file.');
  });
});

describe('customer keys for guest checkouts', () => {
  it('falls back to billing name + postal code, matches emails case-insensitively, and says so', async () => {
    const { input, tables } = await loadOrders([fixture('guest_checkout.csv')], { customerKeys: true });
    const t = tables[0];
    // ann@example.com and ANN@example.com are one customer; Bob Jones 20095 / "20 095" is one guest key; G-4 has none.
    expect(t.customerKeys).toEqual(['ann@example.com', 'guest:bob jones|20095']);
    expect(Array.from(t.customer)).toEqual([0, 1, 1, -1, 0]);
    expect(t.customerCount).toBe(2);
    expect(input.notes).toContain('2 counted orders have no customer id or email; billing name + postal code is used as their customer key.');
    expect(input.notes).toContain('1 counted orders have no customer key at all and are left out of customer metrics.');
  });
});
