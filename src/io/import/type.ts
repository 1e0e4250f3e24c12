/**
 * Step 1c, per file: the SQL that types raw text cells into the canonical line columns
 * (read.ts runs it over the CSV scan, or over raw_i).
 *
 * lines_i: the LINE_COLUMNS this file can fill, of
 *   order_id, date_text, placed_at, customer, item, item_name, qty_text, quantity, price_text,
 *   unit_price, total_text, line_total, cost, profit, currency_text, status, country, source,
 *   subtotal_text, has_subtotal, subtotal, financial_status, cancelled_at, refunded,
 *   payment_method, shipping, segment, ships_nothing, parent
 * then [record], h; the others come from `constants`, added by the lines views.
 */
import { AovError } from '../../errors.js';
import { sqlString } from '../engine.js';
import { normaliseHeader, type ColumnMapping, type Field, type FormatDetection } from '../formats.js';
import { amountSql, dateSql, type DateLayout, type DecimalMark } from '../locale.js';
import type { SourceFile } from '../source.js';
import type { LoadOptions } from './types.js';
import { TABLE } from './tables.js';

/** Line-level columns every canonical line table has, in this order. */
const LINE_COLUMNS = [
  'order_id', 'date_text', 'placed_at', 'customer', 'item', 'item_name', 'qty_text', 'quantity', 'price_text',
  'unit_price', 'total_text', 'line_total', 'cost', 'profit', 'currency_text', 'status', 'country', 'source',
  'subtotal_text', 'has_subtotal', 'subtotal', 'financial_status', 'cancelled_at', 'refunded', 'payment_method', 'shipping', 'segment',
  'ships_nothing', 'parent',
] as const;

/** What the lines views put in a line column that a file cannot fill. */
const LINE_COLUMN_NULLS: Record<(typeof LINE_COLUMNS)[number], string> = {
  order_id: 'NULL::VARCHAR', date_text: 'NULL::VARCHAR', placed_at: 'NULL::TIMESTAMP', customer: 'NULL::VARCHAR', item: 'NULL::VARCHAR',
  item_name: 'NULL::VARCHAR', qty_text: 'NULL::VARCHAR', quantity: '1::DECIMAL(18,6)', price_text: 'NULL::VARCHAR', unit_price: 'NULL::DECIMAL(18,6)',
  total_text: 'NULL::VARCHAR', line_total: 'NULL::DECIMAL(18,6)', cost: 'NULL::DECIMAL(18,6)', profit: 'NULL::DECIMAL(18,6)',
  currency_text: 'NULL::VARCHAR', status: 'NULL::VARCHAR', country: 'NULL::VARCHAR', source: 'NULL::VARCHAR', subtotal_text: 'NULL::VARCHAR',
  has_subtotal: 'false', subtotal: 'NULL::DECIMAL(18,6)', financial_status: 'NULL::VARCHAR', cancelled_at: 'NULL::VARCHAR',
  refunded: 'NULL::DECIMAL(18,6)', payment_method: 'NULL::VARCHAR', shipping: 'NULL::DECIMAL(18,6)', segment: 'NULL::VARCHAR',
  ships_nothing: 'false', parent: 'NULL::VARCHAR',
};

/** What typing needs to know about the file besides its header: the detection's answers. */
export interface TypingContext {
  /** Product names are kept on every line (baskets show them). */
  keepNames: boolean;
  /** The --by column's index in the header, or -1. */
  segmentIndex: number;
  decimalMark: DecimalMark;
  dateLayout: DateLayout;
  fileCurrency: string;
}

/** The CREATE TABLE lines_i statement (given its FROM clause) and the file's constant columns (with and without file_index). */
export function typeLines(source: SourceFile, index: number, detection: FormatDetection, options: LoadOptions, context: TypingContext) {
  const { keepNames, segmentIndex, decimalMark, fileCurrency } = context;
  const dateDetection = { layout: context.dateLayout };
  const col = (field: Field): string | undefined =>
    detection.mapping[field] === undefined ? undefined : `c${detection.mapping[field]}`;
  const packedText: Partial<Record<Field, string>> = detection.packed
    ? { item: 'p.item', name: 'p.item_name', quantity: 'p.qty_text', price: 'p.price_text', total: 'p.total_text', ...(detection.packed.layout === 'woocommerce' ? { parent: 'p.parent_text' } : {}) }
    : {};
  const subtotalField: Field = options.value === 'total' ? 'orderTotal' : 'subtotal';
  const present = (field: Field) => packedText[field] !== undefined || col(field) !== undefined;
  // The statement has three layers, so that each cell is trimmed once and each amount or
  // date is parsed once (a CASE on a parsed value would otherwise parse it a second time):
  // cells (t_<field>: the trimmed text), typed (placed_at, quantity, prices) and the line
  // columns. A line column no field of this file can fill is not stored: the lines views
  // add it as a typed NULL (a 10M-line export would otherwise hold gigabytes of NULLs).
  const cellFields = (
    ['order', 'date', 'customer', 'billingName', 'postalCode', 'item', 'name', 'quantity', 'price', 'total', 'cost', 'profit', 'currency',
      'status', 'country', 'source', subtotalField, 'financialStatus', 'cancelledAt', 'refunded', 'paymentMethod', 'shipping', 'requiresShipping', 'parent', 'variant'] as Field[]
  ).filter(present);
  const text = (field: Field) => (present(field) ? `t_${field}` : 'NULL::VARCHAR');
  const amount = (field: Field) => amountSql(text(field), decimalMark);
  const guestKey = present('billingName') && present('postalCode');
  const variantId = `NULLIF(t_variant, '0')`;
  const cellsList = [
    ...cellFields.map((f) => `${packedText[f] ?? `NULLIF(trim(${col(f)}), '')`} AS t_${f}`),
    `${segmentSql(options.segmentBy, detection.mapping, source.header, source.display)} AS t_segment`,
  ];
  const typedList = [
    present('date') ? `${dateSql(text('date'), dateDetection.layout, options.tz)} AS placed_at` : undefined,
    present('quantity') ? `coalesce(${amount('quantity')}, CASE WHEN t_quantity IS NULL THEN 1 END) AS quantity` : undefined,
    present('price') ? `${amount('price')} AS unit_price` : undefined,
    present('total') ? `${amount('total')} AS line_total` : undefined,
    present(subtotalField) ? `${amount(subtotalField)} AS subtotal` : undefined,
  ].filter((s): s is string => s !== undefined);
  // A cell's text is kept only when it could not be read (for the problem message): storing
  // every price and date twice doubled the lines table of a 10M-line export.
  const unreadable = (typed: string, field: Field) => `CASE WHEN ${typed} IS NULL THEN ${text(field)} END`;
  // Each line column: its expression, or undefined when this file cannot fill it.
  const lineColumns: Record<(typeof LINE_COLUMNS)[number], string | undefined> = {
    order_id: text('order'),
    date_text: present('date') ? unreadable('placed_at', 'date') : undefined,
    placed_at: present('date') ? 'placed_at' : undefined,
    // Guest checkouts: billing name + postal code stand in for a missing customer id or email.
    customer: guestKey
      ? `coalesce(lower(${text('customer')}), CASE WHEN t_billingName IS NOT NULL AND t_postalCode IS NOT NULL THEN 'guest:' || lower(t_billingName) || '|' || upper(replace(t_postalCode, ' ', '')) END)`
      : present('customer') ? 'lower(t_customer)' : undefined,
    // A variant id beside the product id that is the item (detectFormat keeps it only then): the
    // item is "<product id>-<variant id>" and the product id its parent; 0 is no variant.
    item: present('item') ? (present('variant') ? `CASE WHEN ${variantId} IS NOT NULL THEN t_item || '-' || ${variantId} ELSE t_item END` : 't_item') : undefined,
    // Product names are long: kept when baskets show them, or when there is no SKU to count by.
    item_name: !present('name') ? undefined : keepNames || !present('item') ? 't_name' : 'CASE WHEN t_item IS NULL THEN t_name END',
    qty_text: present('quantity') ? unreadable('quantity', 'quantity') : undefined,
    quantity: present('quantity') ? 'quantity' : '1::DECIMAL(18,6)',
    price_text: present('price') ? unreadable('unit_price', 'price') : undefined,
    unit_price: present('price') ? 'unit_price' : undefined,
    total_text: present('total') ? unreadable('line_total', 'total') : undefined,
    line_total: present('total') ? 'line_total' : undefined,
    cost: present('cost') ? amount('cost') : undefined,
    profit: present('profit') ? amount('profit') : undefined,
    currency_text: present('currency') ? 'upper(t_currency)' : undefined,
    status: present('status') ? `regexp_replace(lower(t_status), '^wc-', '')` : undefined,
    country: present('country') ? 't_country' : undefined,
    source: present('source') ? 't_source' : undefined,
    subtotal_text: present(subtotalField) ? unreadable('subtotal', subtotalField) : undefined,
    has_subtotal: present(subtotalField) ? `${text(subtotalField)} IS NOT NULL` : undefined,
    subtotal: present(subtotalField) ? 'subtotal' : undefined,
    financial_status: present('financialStatus') ? 'lower(t_financialStatus)' : undefined,
    cancelled_at: present('cancelledAt') ? 't_cancelledAt' : undefined,
    refunded: present('refunded') ? amount('refunded') : undefined,
    payment_method: present('paymentMethod') ? 'lower(t_paymentMethod)' : undefined,
    shipping: present('shipping') ? amount('shipping') : undefined,
    segment: segmentIndex >= 0 ? 't_segment' : undefined,
    // Only an explicit "false" (or no/0) marks a line that ships nothing; an empty cell says nothing.
    ships_nothing: present('requiresShipping') ? `coalesce(lower(t_requiresShipping) IN ('false', 'no', '0'), false)` : undefined,
    // WooCommerce writes product_id 0 for a deleted product: no parent, not one parent of all.
    parent: present('variant') && present('item')
      ? `CASE WHEN ${variantId} IS NOT NULL THEN t_item${present('parent') && detection.mapping.parent !== detection.mapping.item ? ` ELSE NULLIF(t_parent, '0')` : ''} END`
      : present('parent') ? `NULLIF(t_parent, '0')` : undefined,
  };
  const stored = LINE_COLUMNS.filter((c) => lineColumns[c] !== undefined);
  // The file's constants are added by the lines views, not stored on every row: the format
  // and its currency, and a typed NULL (or false) for each line column the file cannot fill.
  // (shared: all but file_index, the same for every file of one layout and locale: readMany.ts)
  const shared = [
    `${sqlString(detection.format)} AS format, ${sqlString(detection.valueLevel)} AS value_level, ${sqlString(fileCurrency)} AS file_currency`,
    `${detection.cancelPrefix ? sqlString(detection.cancelPrefix) : 'NULL::VARCHAR'} AS cancel_prefix`,
    ...LINE_COLUMNS.filter((c) => lineColumns[c] === undefined).map((c) => `${LINE_COLUMN_NULLS[c]} AS ${c}`),
  ].join(', ');
  const constants = `${index} AS file_index, ${shared}`;
  // A record identical to an earlier one in every cell read is a duplicate export row: lines_i
  // keeps the hash h of the cells read, dups_i the hashes seen more than once (usually none)
  // with their first row, so flagging duplicates costs one grouping of integers.
  const lineTable = (from: string, extra: string, orderBy = '') =>
    `CREATE TABLE ${TABLE.lines(index)} AS SELECT ${stored.map((c) => `${lineColumns[c]} AS ${c}`).join(', ')}${extra ? `, ${extra}` : ''}, h ` +
    `FROM (SELECT *${typedList.length ? `, ${typedList.join(', ')}` : ''} FROM (SELECT ${cellsList.join(', ')}, ${from}))${orderBy}`;
  return { lineTable, constants, shared };
}

/** The header index of the --by column (a field name such as country, or any header); -1 when none. */
export function segmentColumnIndex(by: string | undefined, mapping: ColumnMapping, header: readonly string[]): number {
  if (!by || ['new-vs-returning', 'currency', 'country', 'source', 'channel'].includes(by)) return -1;
  const field = mapping[by as Field];
  return field !== undefined ? field : header.findIndex((h) => h === by || normaliseHeader(h) === normaliseHeader(by));
}

/** The text of the --by column, or NULL. */
function segmentSql(by: string | undefined, mapping: ColumnMapping, header: readonly string[], file: string): string {
  if (!by || ['new-vs-returning', 'currency', 'country', 'source', 'channel'].includes(by)) return 'NULL::VARCHAR';
  const index = segmentColumnIndex(by, mapping, header);
  if (index < 0) {
    throw new AovError('E_USAGE', `--by ${by}: no such column in ${file}.`, {
      hint: `Use new-vs-returning, country, channel, currency, a field name, or one of: ${header.join(', ')}.`,
      context: { file, column: by },
    });
  }
  return `NULLIF(trim(c${index}), '')`;
}
