import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture, runAov, tempDir } from './helpers.js';

const bad = (name: string) => path.join(FIXTURES, 'bad', name);
const HEADER = 'Order ID,Order Date,Customer ID,SKU,Quantity,Unit Price,Currency';

/** Runs analyze; returns the parsed JSON (exit 0) or the exit code and stderr. */
function analyze(file: string, ...args: string[]) {
  const r = runAov(['analyze', file, '--json', ...args]);
  return { code: r.code, stderr: r.stderr, doc: r.code === 0 ? JSON.parse(r.stdout) : undefined };
}

/** Fatal input errors: exit 2, one "aov: error:" line plus a hint, never a stack trace. */
function expectFatal(file: string, message: string, ...args: string[]) {
  const r = runAov(['analyze', file, ...args]);
  expect(r.code).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe(`aov: error: ${message}`);
  expect(r.stderr).toMatch(/^ {2}hint: /m);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

/** The invariant on every readable fixture: rows read = used + excluded + rejected. */
function expectAccounted(doc: { input: { rows: number; rowsUsed: number; rowsExcluded: number; rejected: number; excluded: Record<string, number>; rejectedByReason: Record<string, number> } }) {
  const i = doc.input;
  expect(i.rowsUsed + i.rowsExcluded + i.rejected).toBe(i.rows);
  expect(Object.values(i.excluded).reduce((a, b) => a + b, 0)).toBe(i.rowsExcluded);
  expect(Object.values(i.rejectedByReason).reduce((a, b) => a + b, 0)).toBe(i.rejected);
}

describe('fatal input problems: one clear line, exit 2', () => {
  it('empty file', () => expectFatal(fixture('empty.csv'), `${fixture('empty.csv')} is empty (0 bytes).`));
  it('header only', () => expectFatal(fixture('header_only.csv'), `${fixture('header_only.csv')}: a header but no rows.`));
  it('no header', () => expectFatal(bad('no_header.csv'), `${bad('no_header.csv')}:1 looks like data, not a header ("1001", "2024-01-01", "c1", "A" ...).`));
  it('duplicate header names on a column aov reads', () =>
    expectFatal(bad('duplicate_headers.csv'), `${bad('duplicate_headers.csv')}:1 has the column "Order ID" 2 times (columns 1 and 2), and it is the order.`));
  it('a required column missing names the closest header', () =>
    expectFatal(bad('missing_column.csv'), `${bad('missing_column.csv')}: no column for a unit price or a line total (looked for names like unitprice, price, itemprice, lineitemprice). Closest header: "Unit Prce".`));
  it('dates that read both ways', () =>
    expectFatal(bad('ambiguous_dates.csv'), `${bad('ambiguous_dates.csv')}: the dates in column "Order Date" read both as day/month and as month/day (no day above 12 in the data).`));
  it('a path that does not exist', () => expectFatal(bad('nope.csv'), `${bad('nope.csv')}: no such file.`));
  it('a directory instead of a file', () => expectFatal(path.join(FIXTURES, 'bad'), `${path.join(FIXTURES, 'bad')} is a folder, not a file.`));
  it('a glob that matches nothing', () => expectFatal(path.join(FIXTURES, 'bad', '*.nothing'), `${path.join(FIXTURES, 'bad', '*.nothing')}: no file matches this pattern.`));

  it('a truncated gzip file', () => {
    const dir = tempDir('aov-bad-');
    const whole = gzipSync(readFileSync(fixture('sample-orders.csv')));
    const file = path.join(dir, 'orders.csv.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    expectFatal(file, `${file}: the gzip file is damaged or truncated (unexpected end of file).`);
  });

  it('a line over the engine\'s maximum line size (16 MB)', () => {
    const dir = tempDir('aov-bad-');
    const file = path.join(dir, 'long.csv');
    writeFileSync(file, `${HEADER}\n1,2024-01-01,c1,${'x'.repeat(17 * 1024 * 1024)},1,10.00,EUR\n`);
    const r = runAov(['analyze', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`aov: error: ${file}: no usable orders in 1 row(s) (malformedRow 1).`);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('a file without read permission', () => {
    const dir = tempDir('aov-bad-');
    const file = path.join(dir, 'locked.csv');
    writeFileSync(file, `${HEADER}\n1,2024-01-01,c1,A,1,10.00,EUR\n`);
    chmodSync(file, 0o000);
    const r = runAov(['analyze', file]);
    if (process.getuid?.() === 0) {
      // Root reads any file, so there is no permission error to see here; it must simply work.
      expect(r.code).toBe(0);
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}: permission denied (cannot read the file).`);
    }
  });
});

describe('rows that cannot be used: counted, reported with file, line and column', () => {
  it('ragged rows', () => {
    const { doc } = analyze(fixture('ragged.csv'));
    expectAccounted(doc);
    expect(doc.input.problems[0].message).toBe(`${fixture('ragged.csv')}:3: expected 7 columns, found 8 (too many columns)`);
  });

  it('an unclosed quote in the middle and at the end', () => {
    for (const [file, line] of [[fixture('unclosed_quote.csv'), 3], [bad('unclosed_quote_end.csv'), 3]] as const) {
      const { doc } = analyze(file);
      expectAccounted(doc);
      expect(doc.input.rejectedByReason).toEqual({ malformedRow: 1 });
      expect(doc.input.problems[0].message).toBe(`${file}:${line}: a quote opens a field and is never closed (the rest of the file was read into that field)`);
    }
  });

  it('a quoted field with newlines is valid, and later line numbers stay right', () => {
    const { doc } = analyze(bad('multiline_quoted.csv'));
    expectAccounted(doc);
    expect(doc.currencies[0].orders).toBe(2);
    expect(doc.input.problems[0].message).toBe(`${bad('multiline_quoted.csv')}:5, column "Unit Price": "oops" is not an amount such as 12.50`);
  });

  it('non-numeric, empty, negative and absurd prices', () => {
    const { doc } = analyze(bad('prices.csv'));
    expectAccounted(doc);
    expect(doc.input.rejectedByReason).toEqual({ badPrice: 2, missingPrice: 1 });
    expect(doc.input.excluded).toEqual({ nonPositivePrice: 1 });
    expect(doc.input.problems.map((p: { message: string }) => p.message)).toEqual([
      `${bad('prices.csv')}:2, column "Unit Price": "abc" is not an amount such as 12.50`,
      `${bad('prices.csv')}:3, column "Unit Price": the cell is empty (expected a price)`,
      `${bad('prices.csv')}:5, column "Unit Price": "1e12" is not an amount such as 12.50`,
    ]);
  });

  it('dates in three formats in one file: the majority layout wins, the others are rejected', () => {
    const { doc } = analyze(bad('three_date_formats.csv'));
    expectAccounted(doc);
    expect(doc.input.rejectedByReason).toEqual({ badDate: 2 });
    expect(doc.input.problems[0].message).toBe(`${bad('three_date_formats.csv')}:5, column "Order Date": "05/01/2024" is not a date in the file's layout (yyyy-mm-dd)`);
  });

  it('a date that does not exist (2023-02-30)', () => {
    const { doc } = analyze(bad('nonexistent_date.csv'));
    expect(doc.input.problems[0].message).toBe(`${bad('nonexistent_date.csv')}:3, column "Order Date": "2023-02-30" is not a date in the file's layout (yyyy-mm-dd)`);
  });

  it('mixed currencies in one order: the odd line is rejected, not added to the other currency', () => {
    const { doc } = analyze(bad('mixed_currency_order.csv'));
    expectAccounted(doc);
    expect(doc.currencies.map((c: { currency: string; revenue: number }) => [c.currency, c.revenue])).toEqual([['EUR', 20]]);
    expect(doc.input.problems[0].message).toBe(`${bad('mixed_currency_order.csv')}:3, column "Currency": "USD" is not the currency of the order's first line`);
  });

  it('a missing order id', () => {
    const { doc } = analyze(bad('missing_order_id.csv'));
    expect(doc.input.problems[0].message).toBe(`${bad('missing_order_id.csv')}:3, column "Order ID": the cell is empty (expected an order id)`);
  });

  it('the same line twice, an order with conflicting dates and a date far in the future are reported', () => {
    const kept = analyze(bad('duplicate_and_dates.csv')).doc;
    expectAccounted(kept);
    expect(kept.input.notes).toEqual([
      '1 rows repeat an earlier row in every cell read; they are kept (a repeated line can be a real second item) — --dedupe drops them.',
      '1 orders have lines dated more than a day apart; each order takes its earliest date.',
      '1 orders are dated over a year after all the others (latest 2099-01-02): check for typing errors or test orders; they are counted.',
    ]);
    const deduped = analyze(bad('duplicate_and_dates.csv'), '--dedupe').doc;
    expect(deduped.input.excluded).toEqual({ duplicateRow: 1 });
    expect(deduped.currencies[0].revenue).toBe(kept.currencies[0].revenue - 10);
  });
});

describe('encodings, line endings and odd bytes that must simply work', () => {
  const cases: [string, string, number][] = [
    ['CRLF line endings', bad('crlf.csv'), 1500],
    ['LF line endings', fixture('bom.csv'), 2050],
    ['CR-only line endings', bad('cr_only.csv'), 1500],
    ['BOM plus ;', bad('bom_semicolon.csv'), 1050 + 650],
    ['UTF-16 with a BOM', bad('utf16.csv'), 1500],
    ['UTF-16 without a BOM', bad('utf16_nobom.csv'), 1500],
    ['Windows-1252 bytes', fixture('windows1252.csv'), 6250],
    ['NUL bytes inside a field', bad('nul_bytes.csv'), 1500],
    ['fractional quantities', bad('fractional_quantity.csv'), 500 + 1000],
  ];
  for (const [name, file, revenueMinor] of cases) {
    it(name, () => {
      const { code, doc, stderr } = analyze(file);
      expect(code, stderr).toBe(0);
      expectAccounted(doc);
      expect(Math.round(doc.currencies[0].revenue * 100)).toBe(revenueMinor);
    });
  }

  it('a 5 MB single field', () => {
    const dir = tempDir('aov-bad-');
    const file = path.join(dir, 'big-field.csv');
    writeFileSync(file, `Order ID,Order Date,Product,Quantity,Unit Price,Currency\n1,2024-01-01,"${'y'.repeat(5 * 1024 * 1024)}",1,10.00,EUR\n2,2024-01-02,Mug,1,5.00,EUR\n`);
    const { code, doc } = analyze(file);
    expect(code).toBe(0);
    expect(doc.currencies[0].revenue).toBe(15);
  });
});
