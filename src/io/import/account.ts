/**
 * Step 3: the row accounting (every row read is used, excluded by reason or rejected by
 * reason), the notes, and the first rejected rows with their file, line and column.
 * Reads classified, order_values and order_attrs; produces no table.
 */
import { currencyDecimals, withdrawnCurrency } from '../currency.js';
import { sqlString, type Engine } from '../engine.js';
import type { Field } from '../formats.js';
import { locateRecords } from '../lines.js';
import { reasonLabel } from '../reasons.js';
import type { SourceFile } from '../source.js';
import { COUNTED, MAX_PROBLEMS, type ExclusionReason, type FileSummary, type InputSummary, type Problem, type RejectionReason } from './types.js';

/** A count as people read it: 1,428. */
const count = (n: unknown) => Number(n).toLocaleString('en-US');

/** Counts every row's outcome. */
export async function account(
  engine: Engine,
  summaries: FileSummary[],
  malformedCount: number,
): Promise<InputSummary> {
  const outcomeRows = await engine.rows(`SELECT outcome, count(*) AS n, count(DISTINCT order_id) AS orders FROM classified GROUP BY outcome ORDER BY outcome`);
  const excluded: Partial<Record<ExclusionReason, number>> = {};
  const excludedOrders: Partial<Record<ExclusionReason, number>> = {};
  const rejectedByReason: Partial<Record<RejectionReason, number>> = {};
  let rowsUsed = 0;
  for (const row of outcomeRows) {
    const n = Number(row.n);
    if (row.outcome === null) {
      rowsUsed = n;
      continue;
    }
    const [kind, reason] = String(row.outcome).split(':');
    if (kind === 'exclude') {
      excluded[reason as ExclusionReason] = n;
      excludedOrders[reason as ExclusionReason] = Number(row.orders);
    } else rejectedByReason[reason as RejectionReason] = n;
  }
  if (malformedCount) rejectedByReason.malformedRow = malformedCount;
  const rejected = Object.values(rejectedByReason).reduce((a, b) => a + (b ?? 0), 0);
  const rowsExcluded = Object.values(excluded).reduce((a, b) => a + (b ?? 0), 0);
  const notes: string[] = [];
  for (const f of summaries) {
    if (f.unpacked) notes.push(`${f.file}: ${count(f.unpacked.records)} records unpacked into ${count(f.unpacked.lines)} line items; rows below count line items.`);
  }
  const refunds = await engine.rows(
    `SELECT count(*) AS n, sum(refunded) AS amount FROM order_values WHERE refunded > 0 AND ${COUNTED}`,
  );
  if (Number(refunds[0].n) > 0) {
    notes.push(`${count(refunds[0].n)} counted orders were later refunded in part or in full; order values are as placed (refunds are not subtracted).`);
  }
  const guests = await engine.rows(`SELECT count(*) FILTER (WHERE starts_with(customer, 'guest:')) AS fallback, count(*) FILTER (WHERE customer IS NULL) AS missing FROM order_values WHERE ${COUNTED}`);
  if (Number(guests[0].fallback) > 0) notes.push(`${count(guests[0].fallback)} counted orders have no customer id or email; billing name + postal code is used as their customer key.`);
  if (Number(guests[0].missing) > 0) notes.push(`${count(guests[0].missing)} counted orders have no customer key at all and are left out of customer metrics.`);
  const withdrawn = await engine.rows(`SELECT currency, count(*) AS n FROM order_values WHERE ${COUNTED} GROUP BY currency ORDER BY currency`);
  for (const row of withdrawn) {
    const until = withdrawnCurrency(String(row.currency));
    if (until) notes.push(`${count(row.n)} orders are in ${row.currency}, an ISO 4217 code withdrawn in ${until}: they form their own block, with ${currencyDecimals(String(row.currency))} decimals.`);
  }
  const duplicates = await engine.rows(`SELECT count(*) FILTER (WHERE duplicate) AS n, count(*) FILTER (WHERE outcome = 'exclude:duplicateRow') AS excluded FROM classified`);
  const kept = Number(duplicates[0].n) - Number(duplicates[0].excluded);
  const overlap = await engine.rows(`
    SELECT count(*) FILTER (WHERE in_several_files) AS orders, count(*) FILTER (WHERE conflicting_subtotals) AS subtotals,
      (SELECT count(*) FROM classified WHERE outcome = 'exclude:overlappingOrder') AS dropped
    FROM order_attrs`);
  const overlapping = Number(overlap[0].orders);
  if (overlapping > 0) {
    notes.push(Number(overlap[0].dropped) > 0
      ? `${count(overlapping)} order ids appear in more than one file (overlapping exports): each is read from the first file that has it; ${count(overlap[0].dropped)} rows of later files are excluded.`
      : `${count(overlapping)} order ids appear in more than one file: their lines are added into one order. If the files overlap (an export downloaded twice), --dedupe reads each order from the first file only.`);
  }
  if (Number(overlap[0].subtotals) > 0) {
    notes.push(`${count(overlap[0].subtotals)} orders carry two different order-level values (Subtotal) on different rows: the first row's is used.`);
  }
  if (kept > 0) notes.push(`${count(kept)} rows repeat an earlier row in every cell read; they are kept (a repeated line can be a real second item) — --dedupe drops them.`);
  // Orders whose lines disagree on the date, and dates far after the rest of the data.
  const dates = await engine.rows(`
    SELECT (SELECT count(*) FROM order_values WHERE conflicting_dates AND ${COUNTED}) AS conflicting,
      (SELECT CASE WHEN count(*) <= greatest(1, (SELECT count(*) FROM order_attrs) / 100) THEN count(*) ELSE 0 END FROM order_attrs
        WHERE placed_at > (SELECT max(placed_at) FROM (SELECT placed_at, placed_at - lag(placed_at) OVER (ORDER BY placed_at) AS gap FROM order_attrs) WHERE gap > INTERVAL 365 DAY) - INTERVAL 1 SECOND) AS far,
      (SELECT max(placed_at) FROM order_attrs)::VARCHAR AS latest`);
  if (Number(dates[0].conflicting) > 0) notes.push(`${count(dates[0].conflicting)} orders have lines dated more than a day apart; each order takes its earliest date.`);
  if (Number(dates[0].far) > 0) notes.push(`${count(dates[0].far)} orders are dated over a year after all the others (latest ${String(dates[0].latest).slice(0, 10)}): check for typing errors or test orders; they are counted.`);
  return {
    files: summaries.map((s) => s.file),
    format: new Set(summaries.map((s) => s.format)).size === 1 ? summaries[0].format : 'mixed',
    perFile: summaries,
    valueDefinition: '',
    rows: summaries.reduce((a, s) => a + s.rows, 0),
    rowsUsed,
    rowsExcluded,
    excluded,
    excludedOrders,
    rejected,
    rejectedByReason,
    problems: [],
    orders: 0,
    notes,
  };
}

const REJECTION_COLUMN: Record<string, { field: Field; textColumn: string; expected: string }> = {
  badDate: { field: 'date', textColumn: 'date_text', expected: 'a date in the file\'s layout' },
  missingDate: { field: 'date', textColumn: 'date_text', expected: 'a date (the order has none on any row)' },
  badQuantity: { field: 'quantity', textColumn: 'qty_text', expected: 'a number' },
  badPrice: { field: 'price', textColumn: "coalesce(CASE WHEN price_text IS NOT NULL AND unit_price IS NULL THEN price_text END, CASE WHEN total_text IS NOT NULL AND line_total IS NULL THEN total_text END, subtotal_text)", expected: 'an amount such as 12.50' },
  missingPrice: { field: 'price', textColumn: 'price_text', expected: 'a price' },
  missingOrderId: { field: 'order', textColumn: 'NULL', expected: 'an order id' },
  badCurrency: { field: 'currency', textColumn: 'order_currency', expected: 'an ISO 4217 code such as EUR' },
  unknownCurrency: { field: 'currency', textColumn: 'order_currency', expected: 'an ISO 4217 currency code with minor units (not a crypto, metal or test code)' },
  currencyMismatch: { field: 'currency', textColumn: 'currency_text', expected: 'the currency of the order\'s first line' },
};

/**
 * Where an order starts: "file:line" of its first counted row (the physical line, found by
 * scanning the file as for the rejected rows), for an error about the order as a whole.
 */
export async function locateOrder(engine: Engine, sources: SourceFile[], summaries: FileSummary[], rejectedLines: Set<number>[], orderId: string): Promise<{ file: string; line?: number } | undefined> {
  const [row] = await engine.rows(`SELECT file_index, record FROM classified WHERE order_id = ${sqlString(orderId)} ORDER BY file_index, record LIMIT 1`);
  if (!row) return undefined;
  const f = Number(row.file_index);
  const record = Number(row.record);
  const lines = sources[f]?.readPath ? await locateRecords(sources[f].readPath, sources[f].gzip, [record], rejectedLines[f]) : new Map<number, number>();
  return { file: summaries[f].file, line: lines.get(record) };
}

/**
 * A rejected amount that is a number, only too long for the typed columns (DECIMAL(18,6): 12
 * digits before the decimal mark): more than 12 digits once a 1-2 digit decimal part is set aside.
 * @example
 * [tooLargeAmount('99999999999999.99'), tooLargeAmount('12,50'), tooLargeAmount('abc')]; // [true, false, false]
 */
export function tooLargeAmount(text: string): boolean {
  const t = text.trim();
  if (!/^[-+]?[\d.,'\s]*\d[\d.,'\s]*$/.test(t)) return false;
  return t.replace(/[.,]\d{1,2}$/, '').replace(/\D/g, '').length > 12;
}

/** The first rejected rows, with the physical line found by scanning the file. */
export async function describeProblems(
  engine: Engine,
  sources: SourceFile[],
  summaries: FileSummary[],
  rejectedLines: Set<number>[],
  malformed: Problem[],
): Promise<Problem[]> {
  const rows = await engine.rows(`
    SELECT file_index, record, outcome, ${Object.entries(REJECTION_COLUMN)
      .map(([reason, spec]) => `CASE WHEN outcome = 'reject:${reason}' THEN ${spec.textColumn} END AS v_${reason}`)
      .join(', ')}
    FROM (SELECT *, row_number() OVER (PARTITION BY outcome ORDER BY file_index, record) AS k FROM classified WHERE outcome LIKE 'reject:%')
    WHERE k <= ${MAX_PROBLEMS} ORDER BY file_index, record`);
  const problems: Problem[] = [...malformed];
  for (let f = 0; f < sources.length; f++) {
    const mine = rows.filter((r) => Number(r.file_index) === f);
    if (mine.length === 0) continue;
    const lines = sources[f].readPath
      ? await locateRecords(sources[f].readPath, sources[f].gzip, mine.map((r) => Number(r.record)), rejectedLines[f])
      : new Map<number, number>();
    for (const r of mine) {
      const reason = String(r.outcome).slice('reject:'.length) as RejectionReason;
      const spec = REJECTION_COLUMN[reason];
      const column = summaries[f].columns[spec.field] ?? (reason === 'badPrice' ? summaries[f].columns.total ?? summaries[f].columns.subtotal : undefined) ?? spec.field;
      const value = r[`v_${reason}`];
      const line = lines.get(Number(r.record));
      const shown = value === null || value === undefined ? '' : ` "${String(value).slice(0, 40)}"`;
      problems.push({
        reason,
        file: summaries[f].file,
        line,
        column,
        value: value === null || value === undefined ? undefined : String(value),
        message:
          `${summaries[f].file}:${line ?? '?'}, column "${column}": ` +
          (value === null || value === undefined
            ? `the cell is empty (expected ${spec.expected})`
            : reason === 'badPrice' && tooLargeAmount(String(value))
              ? `${shown.trim()} is over the 999,999,999,999.99 aov keeps exact in one amount (E_TOO_LARGE; the row is rejected, not rounded)`
              : `${shown.trim()} is not ${spec.expected}${reason === 'badDate' ? ` (${summaries[f].dateFormat})` : ''}`),
      });
    }
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)).slice(0, MAX_PROBLEMS);
}

export function describeCounts(counts: Record<string, number | undefined>): string {
  return Object.entries(counts)
    .filter(([, n]) => n)
    .map(([reason, n]) => `${reasonLabel(reason)} ${n!.toLocaleString('en-US')}`)
    .join(', ');
}
