import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, fixture, runAov, tempDir } from './helpers.js';

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

/** What a fixture is built to produce, counted by reading the fixture (each call says how). */
interface Outcome {
  rows: number;
  excluded?: Record<string, number>;
  rejected?: Record<string, number>;
}

/**
 * The invariant on every readable fixture (rows read = used + excluded + rejected), and the
 * per-reason counts the fixture is built to produce: the totals are checked against the sums
 * of those hand counts, not against the sums load.ts itself takes.
 */
function expectAccounted(
  doc: { input: { rows: number; rowsUsed: number; rowsExcluded: number; rejected: number; excluded: Record<string, number>; rejectedByReason: Record<string, number> } },
  expected: Outcome,
) {
  const i = doc.input;
  expect(i.rowsUsed + i.rowsExcluded + i.rejected).toBe(i.rows);
  const sum = (counts: Record<string, number> = {}) => Object.values(counts).reduce((a, b) => a + b, 0);
  expect({ rows: i.rows, excluded: i.excluded, rejected: i.rejectedByReason }).toEqual({ rows: expected.rows, excluded: expected.excluded ?? {}, rejected: expected.rejected ?? {} });
  expect([i.rowsExcluded, i.rejected, i.rowsUsed]).toEqual([sum(expected.excluded), sum(expected.rejected), expected.rows - sum(expected.excluded) - sum(expected.rejected)]);
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
    expect(r.stderr.split('\n')[0]).toBe(`aov: error: ${file}: no usable orders in 1 row(s) (malformed rows 1).`);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  // The suite runs as root, who reads any file; the case is run as the unprivileged `nobody`.
  const dropPrivileges = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/runuser', '/sbin/runuser'].find((p) => existsSync(p));
  const asNobody = (args: string[]) => {
    const aov = [process.execPath, path.join(ROOT, 'bin', 'aov'), ...args];
    const command = path.basename(dropPrivileges!) === 'setpriv' ? [dropPrivileges!, '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...aov] : [dropPrivileges!, '-u', 'nobody', '--', ...aov];
    const r = spawnSync(command[0], command.slice(1), { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: '/tmp' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const cannotDrop = !dropPrivileges ? 'neither setpriv nor runuser is installed' : process.getuid?.() !== 0 ? 'only root can switch to nobody' : '';
  it.skipIf(cannotDrop !== '')(
    `a file without read permission, read as the user nobody${cannotDrop ? ` (skipped: ${cannotDrop})` : ''}`,
    () => {
      const dir = tempDir('aov-bad-');
      // nobody must reach the folder (mkdtemp makes 0700 folders) but not read the file.
      chmodSync(dir, 0o711);
      chmodSync(path.dirname(dir), 0o711);
      const readable = path.join(dir, 'readable.csv');
      writeFileSync(readable, `${HEADER}\n1,2024-01-01,c1,A,1,10.00,EUR\n`);
      chmodSync(readable, 0o644);
      const file = path.join(dir, 'locked.csv');
      writeFileSync(file, `${HEADER}\n1,2024-01-01,c1,A,1,10.00,EUR\n`);
      chmodSync(file, 0o000);
      // The control: as nobody, the same content with read permission is one 10.00 EUR order,
      // so the error below comes from the permission and nothing else.
      const control = asNobody(['analyze', readable, '--json']);
      expect(control.code, control.stderr).toBe(0);
      expect(JSON.parse(control.stdout).currencies[0].revenue).toBe(10);
      const r = asNobody(['analyze', file]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`aov: error: ${file}: permission denied (cannot read the file).`);
      expect(r.stderr).toMatch(/^ {2}hint: /m);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    },
  );
});

describe('rows that cannot be used: counted, reported with file, line and column', () => {
  it('ragged rows', () => {
    const { doc } = analyze(fixture('ragged.csv'));
    // 3 data rows; R-2 has an 8th cell ("oops") under a 7-column header.
    expectAccounted(doc, { rows: 3, rejected: { malformedRow: 1 } });
    expect(doc.input.problems[0].message).toBe(`${fixture('ragged.csv')}:3: expected 7 columns, found 8 (too many columns)`);
  });

  it('an unclosed quote in the middle and at the end', () => {
    for (const [file, line] of [[fixture('unclosed_quote.csv'), 3], [bad('unclosed_quote_end.csv'), 3]] as const) {
      const { doc } = analyze(file);
      // Two rows each: the good first one, and the row whose quote opens and takes the rest of
      // the file (in unclosed_quote.csv that swallows Q-3's line too).
      expectAccounted(doc, { rows: 2, rejected: { malformedRow: 1 } });
      expect(doc.input.rejectedByReason).toEqual({ malformedRow: 1 });
      expect(doc.input.problems[0].message).toBe(`${file}:${line}: a quote opens a field and is never closed (the rest of the file was read into that field)`);
    }
  });

  it('a quoted field with newlines is valid, and later line numbers stay right', () => {
    const { doc } = analyze(bad('multiline_quoted.csv'));
    // 3 records (the first spans 3 lines); order 2's price is "oops".
    expectAccounted(doc, { rows: 3, rejected: { badPrice: 1 } });
    expect(doc.currencies[0].orders).toBe(2);
    expect(doc.input.problems[0].message).toBe(`${bad('multiline_quoted.csv')}:5, column "Unit Price": "oops" is not an amount such as 12.50`);
  });

  it('non-numeric, empty, negative and absurd prices', () => {
    const { doc } = analyze(bad('prices.csv'));
    // 5 rows: "abc" and "1e12" are not amounts, one price is empty, -4.00 is an adjustment, 7.00 is used.
    expectAccounted(doc, { rows: 5, rejected: { badPrice: 2, missingPrice: 1 }, excluded: { nonPositivePrice: 1 } });
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
    // 5 rows: three yyyy-mm-dd, one 05/01/2024 and one "Jan 6, 2024".
    expectAccounted(doc, { rows: 5, rejected: { badDate: 2 } });
    expect(doc.input.rejectedByReason).toEqual({ badDate: 2 });
    expect(doc.input.problems[0].message).toBe(`${bad('three_date_formats.csv')}:5, column "Order Date": "05/01/2024" is not a date in the file's layout (yyyy-mm-dd)`);
  });

  it('a date that does not exist (2023-02-30)', () => {
    const { doc } = analyze(bad('nonexistent_date.csv'));
    expect(doc.input.problems[0].message).toBe(`${bad('nonexistent_date.csv')}:3, column "Order Date": "2023-02-30" is not a date in the file's layout (yyyy-mm-dd)`);
  });

  it('mixed currencies in one order: the odd line is rejected, not added to the other currency', () => {
    const { doc } = analyze(bad('mixed_currency_order.csv'));
    // 3 rows: order 1's second line is in USD, its first in EUR.
    expectAccounted(doc, { rows: 3, rejected: { currencyMismatch: 1 } });
    expect(doc.currencies.map((c: { currency: string; revenue: number }) => [c.currency, c.revenue])).toEqual([['EUR', 20]]);
    expect(doc.input.problems[0].message).toBe(`${bad('mixed_currency_order.csv')}:3, column "Currency": "USD" is not the currency of the order's first line`);
  });

  it('a missing order id', () => {
    const { doc } = analyze(bad('missing_order_id.csv'));
    expect(doc.input.problems[0].message).toBe(`${bad('missing_order_id.csv')}:3, column "Order ID": the cell is empty (expected an order id)`);
  });

  it('the same line twice, an order with conflicting dates and a date far in the future are reported', () => {
    const kept = analyze(bad('duplicate_and_dates.csv')).doc;
    // 5 rows, all used without --dedupe (a generic line-item file keeps the repeated line).
    expectAccounted(kept, { rows: 5 });
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
  // [name, file, revenue in minor units, data rows]: every row of these files is a valid order
  // line (read with `cat -A` / iconv), so nothing is excluded or rejected.
  const cases: [string, string, number, number][] = [
    ['CRLF line endings', bad('crlf.csv'), 1500, 2],
    ['LF line endings', fixture('bom.csv'), 2050, 2],
    ['CR-only line endings', bad('cr_only.csv'), 1500, 2],
    ['BOM plus ;', bad('bom_semicolon.csv'), 1050 + 650, 2],
    ['UTF-16 with a BOM', bad('utf16.csv'), 1500, 2],
    ['UTF-16 without a BOM', bad('utf16_nobom.csv'), 1500, 2],
    ['Windows-1252 bytes', fixture('windows1252.csv'), 6250, 3],
    ['NUL bytes inside a field', bad('nul_bytes.csv'), 1500, 2],
    ['fractional quantities', bad('fractional_quantity.csv'), 500 + 1000, 2],
  ];
  for (const [name, file, revenueMinor, rows] of cases) {
    it(name, () => {
      const { code, doc, stderr } = analyze(file);
      expect(code, stderr).toBe(0);
      expectAccounted(doc, { rows });
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

/** Writes `rows` (after the header) to a new temporary CSV and returns its path. */
function csv(name: string, rows: string[], header = HEADER, ending = '\n'): string {
  const file = path.join(tempDir('aov-shop-'), name);
  writeFileSync(file, [header, ...rows].join(ending) + ending);
  return file;
}

describe('exact on every shop (#22): money, lines, currencies and inputs outside our data', () => {
  it('keeps a B2B line of 2,000 x 600.00 exact (it overflowed DECIMAL(18))', () => {
    const file = csv('b2b.csv', ['1,2024-01-11,c1,S1,2000,600.00,EUR', '2,2024-01-13,c2,S2,2,25.00,EUR']);
    const { code, doc } = analyze(file);
    expect(code).toBe(0);
    // 2000 x 600.00 + 2 x 25.00 = 1,200,050.00
    expect(doc.currencies[0].revenue).toBe(1200050);
    expect(doc.currencies[0].largestOrder.value).toBe(1200000);
    for (const command of [['bundles', file, '--min-support', '1', '--json'], ['report', file, '--out', path.join(tempDir('aov-b2b-'), 'r')]]) {
      const r = runAov(command);
      expect(r.stderr).not.toMatch(/internal error|Overflow/);
      expect(r.code).toBe(0);
    }
  });

  it('keeps a large-currency shop exact: 3 x 15,000,000 VND and 2 x 987,654.32 IDR', () => {
    const file = csv('vnd.csv', ['1,2024-01-11,c1,S1,3,15000000,VND', '2,2024-01-12,c2,S2,1,9999999,VND', '3,2024-01-13,c3,S3,2,987654.32,IDR']);
    const { code, doc } = analyze(file);
    expect(code).toBe(0);
    const by = Object.fromEntries(doc.currencies.map((c: { currency: string; revenue: number }) => [c.currency, c.revenue]));
    // 45,000,000 + 9,999,999 = 54,999,999 VND (0 decimals); 2 x 987,654.32 = 1,975,308.64 IDR
    expect(by).toEqual({ IDR: 1975308.64, VND: 54999999 });
  });

  it('stops with a clear error when one order is beyond the 10^15 minor units kept exact', () => {
    const file = csv('huge.csv', ['1,2024-01-11,c1,S1,2000000000,600000000.00,EUR']);
    // The file and line of the order's first row come first (QA review: it named neither).
    expectFatal(file, `${file}:2: Order 1 (EUR) is worth 1.200e+20 minor units, over the 10^15 aov keeps exact.`);
  });

  it('rejects a 38 MB line with its line number and keeps later line numbers right', () => {
    const file = csv('long.csv', ['1,2024-01-11,c1,S1,1,6.00,EUR', `2,2024-01-12,c1,${'x'.repeat(40_000_000)},1,6.00,EUR`, '3,2024-01-13,c1,S1,1,6.00,EUR', '4,2024-01-13,c1,S1,1,abc,EUR']);
    const { code, doc } = analyze(file);
    expect(code).toBe(0);
    expect(doc.input.rows).toBe(4);
    expect(doc.input.rejectedByReason).toEqual({ malformedRow: 1, badPrice: 1 });
    expect(doc.input.problems.map((p: { line: number }) => p.line)).toEqual([3, 5]);
    expect(doc.input.problems[0].message).toBe(`${file}:3: the line is longer than 16 MB (38 MB): not an order row`);
    expect(runAov(['analyze', file, '--strict']).code).toBe(2);
  });

  it('says "line too long", not "never closed", for a closed 20 MB quoted field', () => {
    const file = csv('quoted.csv', ['1,2024-01-11,c1,S1,1,6.00,EUR', `2,2024-01-12,c1,"${'x'.repeat(20_000_000)}",1,6.00,EUR`]);
    const { doc } = analyze(file);
    expect(doc.input.problems[0].message).toBe(`${file}:3: the line is longer than 16 MB (19 MB): not an order row`);
  });

  it('rejects unknown currency codes with their own reason and keeps a withdrawn one (HRK) in its own block', () => {
    const file = csv('codes.csv', ['1,2022-01-11,c1,S1,1,6.00,HRK', '2,2022-01-13,c2,S2,2,25.00,EUR', '3,2022-01-13,c2,S2,2,25.00,ZZZ', '4,2022-01-14,c3,S2,1,0.01,BTC', '5,2022-01-14,c3,S2,1,1.00,XAU']);
    const { code, doc } = analyze(file);
    expect(code).toBe(0);
    // 5 rows: ZZZ, BTC and XAU are not ISO 4217 codes with minor units.
    expectAccounted(doc, { rows: 5, rejected: { unknownCurrency: 3 } });
    expect(doc.input.rejectedByReason).toEqual({ unknownCurrency: 3 });
    expect(doc.input.problems.map((p: { value: string }) => p.value)).toEqual(['ZZZ', 'BTC', 'XAU']);
    expect(doc.currencies.map((c: { currency: string; revenue: number }) => [c.currency, c.revenue])).toEqual([['EUR', 50], ['HRK', 6]]);
    expect(doc.input.notes).toContain('1 orders are in HRK, an ISO 4217 code withdrawn in 2023 (replaced by EUR): they form their own block, with 2 decimals.');
  });

  it('reads the same file once when it is named twice, linked or copied, and says so', async () => {
    const file = csv('a.csv', ['1,2024-01-11,c1,S1,1,6.00,EUR', '2,2024-01-13,c2,S2,2,25.00,EUR']);
    const dir = path.dirname(file);
    const { copyFileSync, symlinkSync } = await import('node:fs');
    copyFileSync(file, path.join(dir, 'a-copy.csv'));
    symlinkSync(file, path.join(dir, 'a-link.csv'));
    const again = `${dir}/./a.csv`;
    const twice = analyze(file, again);
    expect(twice.doc.currencies[0].revenue).toBe(56);
    expect(twice.doc.input.notes).toContain(`${again} is the same file as ${file}: read once.`);
    const globbed = analyze(path.join(dir, 'a*.csv'));
    expect(globbed.doc.currencies[0].revenue).toBe(56);
    expect(globbed.doc.input.rows).toBe(2);
    expect(globbed.doc.input.notes.filter((n: string) => /read once/.test(n))).toHaveLength(2);
  });

  it('counts order ids that two files share, and --dedupe reads them from the first file only', () => {
    const first = csv('jan.csv', ['1,2024-01-11,c1,S1,1,6.00,EUR', '2,2024-01-13,c2,S2,2,25.00,EUR']);
    const second = csv('jan-feb.csv', ['2,2024-01-13,c2,S2,2,25.00,EUR', '3,2024-02-01,c3,S3,1,5.00,EUR']);
    const kept = analyze(first, second);
    expect(kept.doc.input.notes.some((n: string) => n.startsWith('1 order ids appear in more than one file'))).toBe(true);
    const deduped = analyze(first, second, '--dedupe');
    // 2 + 2 rows; order 2's row in the second file repeats the first file's order 2.
    expectAccounted(deduped.doc, { rows: 4, excluded: { overlappingOrder: 1 } });
    expect(deduped.doc.input.excluded).toEqual({ overlappingOrder: 1 });
    // 6.00 + 50.00 + 5.00: order 2 once
    expect(deduped.doc.currencies[0].revenue).toBe(61);
  });

  it('reads a file whose line endings change from CRLF to LF, with the right line numbers', () => {
    const file = path.join(tempDir('aov-shop-'), 'mixed.csv');
    writeFileSync(file, `${HEADER}\r\n1,2024-01-11,c1,S1,1,6.00,EUR\r\n2,2024-01-13,c2,S2,2,25.00,EUR\n3,2024-01-13,c2,S2,1,x,EUR\n`);
    const { code, doc } = analyze(file);
    expect(code).toBe(0);
    expect(doc.currencies[0].revenue).toBe(56);
    expect(doc.input.problems[0].line).toBe(4);
    expect(doc.input.notes).toContain(`${file}: its line endings change within the file (CRLF and LF); each is read as a line break.`);
  });

  it('reads standard input ("-") and a FIFO like a file', async () => {
    const file = csv('pipe.csv', ['1,2024-01-11,c1,S1,1,6.00,EUR', '2,2024-01-13,c2,S2,2,25.00,EUR']);
    const { spawnSync, spawn } = await import('node:child_process');
    const { ROOT } = await import('./helpers.js');
    const piped = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'aov'), 'analyze', '-', '--json'], { input: readFileSync(file), encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(JSON.parse(piped.stdout).currencies[0].revenue).toBe(56);
    expect(JSON.parse(piped.stdout).input.files).toEqual(['stdin']);
    const fifo = path.join(path.dirname(file), 'orders.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn('sh', ['-c', `cat '${file}' > '${fifo}'`]);
    const fromFifo = analyze(fifo);
    writer.kill();
    expect(fromFifo.code).toBe(0);
    expect(fromFifo.doc.currencies[0].revenue).toBe(56);
  });
});

describe('out of memory (#22): one clear error, exit 2', () => {
  it('refuses an address space too small to start in, naming the memory needed', async () => {
    const { spawnSync } = await import('node:child_process');
    const { ROOT } = await import('./helpers.js');
    const r = spawnSync('sh', ['-c', `ulimit -v 1000000 && exec "${process.execPath}" "${path.join(ROOT, 'bin', 'aov')}" analyze "${fixture('sample-orders.csv')}"`], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('aov: error: aov needs at least 1.9 GB of address space; this process is limited to 1.0 GB (ulimit -v).');
  });

  it('turns the engine running out of its --memory cap into one error naming the option', () => {
    // --no-cache: a warm run reads the cache's JS-ready tables and asks the engine for nothing (#20).
    const r = runAov(['analyze', fixture('sample-orders.csv'), '--memory', '4MB', '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('aov: error: Out of memory with --memory 4MB.');
    expect(r.stderr).toMatch(/^ {2}hint: .*--memory/m);
  });

  it('refuses a --memory that is not a size', () => {
    const r = runAov(['analyze', fixture('sample-orders.csv'), '--memory', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('aov: error: --memory must be a size such as 512MB or 2GB (found "lots").');
  });
});

describe('many small files (#22): one scan, messages still name the file and line', () => {
  it('reads 2,000 one-row files with one header as one scan, and maps a bad price back to its file', () => {
    const dir = tempDir('aov-many-');
    for (let i = 1; i <= 2000; i++) {
      const price = i === 1234 ? 'abc' : '6.00';
      writeFileSync(path.join(dir, `o${String(i).padStart(4, '0')}.csv`), `${HEADER}\n${i},2024-01-11,c${i},S1,1,${price},EUR\n`);
    }
    const { code, doc } = analyze(path.join(dir, '*.csv'));
    expect(code).toBe(0);
    // 2,000 one-row files; file 1234's price is "abc".
    expectAccounted(doc, { rows: 2000, rejected: { badPrice: 1 } });
    expect(doc.input.files).toHaveLength(2000);
    // 1,999 orders of 6.00
    expect(doc.currencies[0].revenue).toBe(11994);
    expect(doc.input.problems[0].message).toBe(`${path.join(dir, 'o1234.csv')}:2, column "Unit Price": "abc" is not an amount such as 12.50`);
    expect(doc.input.notes[0]).toBe(`2000 files with the same header were read as one: ${path.join(dir, 'o0001.csv')} ... ${path.join(dir, 'o2000.csv')}.`);
  });
});

describe('smaller #22 cases: messages that say what is there', () => {
  it('counts the cells of a short row against a 5,000-column header (DuckDB said "Found: 10")', () => {
    const header = [HEADER, ...Array.from({ length: 4993 }, (_, i) => `x${i}`)].join(',');
    const file = csv('wide.csv', ['1,2024-01-11,c1,S1,1,6.00,EUR', '2,2024-01-11,c1,S1,1,6.00,EUR'], header);
    const r = runAov(['analyze', file]);
    expect(r.stderr).toContain(`${file}:2: expected 5000 columns, found 7 (too few columns)`);
  });

  it('never echoes a 50 MB header line in a message', () => {
    const file = csv('bighead.csv', ['1,2'], `${'A'.repeat(50_000_000)},B`);
    const r = runAov(['analyze', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeLessThan(2000);
  });

  it('notes a Shopify order whose rows carry two different Subtotals, and uses the first', () => {
    const lines = readFileSync(fixture('shopify_multiline.csv'), 'utf8').trimEnd().split('\n');
    // the second row of order #1001 gets its own Subtotal of 99.00 (the first row says 60.00)
    const cells = lines[2].split(',');
    cells[5] = '99.00';
    const file = csv('conflict.csv', [lines[1], cells.join(','), ...lines.slice(3)], lines[0]);
    const { doc } = analyze(file);
    expect(doc.input.notes).toContain('1 orders carry two different order-level values (Subtotal) on different rows: the first row\'s is used.');
  });
});
