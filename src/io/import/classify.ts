/**
 * Step 2: every line's outcome, from the lines views over all files.
 *
 * Produces:
 *   item_costs(item, cost)   from --costs
 *   order_attrs(order_id, placed_at, currency_text, file_currency, customer, subtotal_text,
 *     subtotal, has_subtotal, financial_status, cancelled_at, status, payment_method, country,
 *     source, refunded, shipping, segment, order_level_value, prefix_cancelled,
 *     conflicting_dates, first_file, in_several_files, conflicting_subtotals)
 *   classified(file_index, record, order_id, item, item_name, quantity, unit_price, line_total,
 *     cost, profit, ships_nothing, parent, duplicate, outcome, and the cells a problem quotes)
 *   order_values(order_id, line_value, items, units, all_profit, profit, all_cost, cost_sum,
 *     currency, value, placed_at, customer, shipping, country, source, segment, refunded,
 *     conflicting_dates, in_several_files, conflicting_subtotals)
 */
import { currencyCodes } from '../currency.js';
import { sqlString, type Engine } from '../engine.js';
import type { FileSummary, LoadOptions } from './types.js';

/** The exclusion rules, in the order they are applied (the first that fits names the reason). */
/**
 * Order statuses that do not count, by class (lower-cased; WooCommerce's "wc-" prefix is
 * removed). Platforms and languages: WooCommerce, Magento ("closed" = refunded, "holded"),
 * PrestaShop in English, French, Italian and Spanish. Anything else (completed, processing,
 * paid, shipped, delivered ...) counts.
 */
/** A line's position across files, file_index x 2^40 + record (no file has 2^40 records): an order's first line is the one in its earliest file. */
const FILE_POSITION_STRIDE = 2 ** 40;

const STATUS_CLASSES: Record<'cancelled' | 'failed' | 'refunded' | 'pending', string> = {
  cancelled: '^(cancelled|canceled|annulé|annule|annullato|cancelado|storniert|kansellert|avbrutt|annulleret|makulerad|avbruten|geannuleerd|void|voided|trash)$',
  failed: '^(failed|fraud|declined|payment error|erreur de paiement|errore di pagamento|error en (el )?pago|zahlungsfehler)',
  refunded: '^(refunded|closed|remboursé|rembourse|rimborsato|reembolsado|erstattet|refusjon)',
  pending: '^(pending|on-hold|on hold|holded|payment_review|pending_payment|draft|checkout-draft|awaiting|en attente|in attesa|en espera|ausstehend)',
};

/**
 * Gives every line its outcome: a rejection (cannot be read), an exclusion (read, but not a
 * counted order line), or NULL (used). Order-level fields (Shopify puts Subtotal, status and
 * currency on an order's first row only) are taken from the order's first row that has them.
 */
export async function classify(engine: Engine, summaries: FileSummary[], options: LoadOptions): Promise<void> {
  // item_costs: item, cost (major units) from --costs; empty without one.
  const costRows = [...(options.itemCosts ?? new Map<string, number>())].map(([item, cost]) => `(${sqlString(item)}, ${Number(cost)})`);
  await engine.run(
    costRows.length
      ? `CREATE TABLE item_costs AS SELECT item, CAST(cost AS DECIMAL(18,6)) AS cost FROM (VALUES ${costRows.join(', ')}) t(item, cost)`
      : 'CREATE TABLE item_costs (item VARCHAR, cost DECIMAL(18,6))',
  );
  // order_attrs: order_id, placed_at, currency, customer, subtotal, financial_status, cancelled_at, status, payment_method, country, source, refunded, shipping
  // (arg_min over the line position is a streaming "first row that has it"; an ordered first() sorts every group)
  await engine.run(`
    CREATE TABLE order_attrs AS
    SELECT order_id,
      min(placed_at) AS placed_at,
      arg_min(currency_text, position) FILTER (WHERE currency_text IS NOT NULL) AS currency_text,
      arg_min(file_currency, position) AS file_currency,
      arg_min(customer, position) FILTER (WHERE customer IS NOT NULL) AS customer,
      arg_min(subtotal_text, position) FILTER (WHERE has_subtotal) AS subtotal_text,
      arg_min(subtotal, position) FILTER (WHERE has_subtotal) AS subtotal,
      bool_or(has_subtotal) AS has_subtotal,
      arg_min(financial_status, position) FILTER (WHERE financial_status IS NOT NULL) AS financial_status,
      arg_min(cancelled_at, position) FILTER (WHERE cancelled_at IS NOT NULL) AS cancelled_at,
      arg_min(status, position) FILTER (WHERE status IS NOT NULL) AS status,
      arg_min(payment_method, position) FILTER (WHERE payment_method IS NOT NULL) AS payment_method,
      arg_min(country, position) FILTER (WHERE country IS NOT NULL) AS country,
      arg_min(source, position) FILTER (WHERE source IS NOT NULL) AS source,
      arg_min(refunded, position) FILTER (WHERE refunded IS NOT NULL) AS refunded,
      arg_min(shipping, position) FILTER (WHERE shipping IS NOT NULL) AS shipping,
      arg_min(segment, position) FILTER (WHERE segment IS NOT NULL) AS segment,
      bool_or(value_level = 'order') AS order_level_value,
      bool_or(cancel_prefix IS NOT NULL AND starts_with(order_id, cancel_prefix)) AS prefix_cancelled,
      max(placed_at) - min(placed_at) > INTERVAL 1 DAY AS conflicting_dates,
      min(file_index) AS first_file,
      max(file_index) > min(file_index) AS in_several_files,
      min(subtotal) FILTER (WHERE has_subtotal) <> max(subtotal) FILTER (WHERE has_subtotal) AS conflicting_subtotals
    FROM (SELECT *, file_index * ${FILE_POSITION_STRIDE} + record AS position FROM lines WHERE order_id IS NOT NULL) GROUP BY order_id`);
  // Duplicate rows, and orders that a later file repeats, are dropped in Shopify exports
  // (a line item appears once) and with --dedupe; elsewhere they are counted and kept.
  const dedupe = options.dedupe === undefined ? "l.format = 'shopify'" : options.dedupe ? 'true' : 'false';
  const statusIs = (kind: keyof typeof STATUS_CLASSES) => `regexp_matches(coalesce(o.status, ''), ${sqlString(STATUS_CLASSES[kind])})`;
  const currencyExpr = `coalesce(o.currency_text, o.file_currency)`;
  // classified: one row per line with its outcome, 'reject:<reason>' | 'exclude:<reason>' | NULL
  // (used), and only the line's own fields: order-level fields stay in order_attrs (one row
  // per order) and the cells a problem message quotes are kept for rejected lines only.
  await engine.run(`
    CREATE TABLE classified AS
    SELECT file_index, record, order_id, item, item_name, quantity, unit_price, line_total, cost, profit, ships_nothing, parent, duplicate, outcome,
      ${['date_text', 'qty_text', 'price_text', 'total_text', 'subtotal_text', 'currency_text', 'order_currency']
        .map((c) => `CASE WHEN starts_with(outcome, 'reject:') THEN ${c} END AS ${c}`).join(', ')}
    FROM (
      SELECT l.file_index, l.record, l.order_id, l.item, l.item_name, l.quantity, l.unit_price, l.line_total, l.cost, l.profit, l.ships_nothing, l.parent, l.duplicate,
        CASE
          WHEN l.order_id IS NULL THEN 'reject:missingOrderId'
          WHEN l.date_text IS NOT NULL AND l.placed_at IS NULL THEN 'reject:badDate'
          WHEN o.placed_at IS NULL THEN 'reject:missingDate'
          WHEN NOT regexp_full_match(${currencyExpr}, '[A-Z]{3}') THEN 'reject:badCurrency'
          WHEN ${currencyExpr} NOT IN (${currencyCodes().map(sqlString).join(', ')}) THEN 'reject:unknownCurrency'
          WHEN l.currency_text IS NOT NULL AND l.currency_text <> ${currencyExpr} THEN 'reject:currencyMismatch'
          WHEN o.order_level_value AND o.subtotal_text IS NOT NULL AND o.subtotal IS NULL THEN 'reject:badPrice'
          WHEN o.order_level_value AND NOT o.has_subtotal THEN 'reject:missingPrice'
          WHEN l.qty_text IS NOT NULL AND l.quantity IS NULL THEN 'reject:badQuantity'
          WHEN l.price_text IS NOT NULL AND l.unit_price IS NULL THEN 'reject:badPrice'
          WHEN l.total_text IS NOT NULL AND l.line_total IS NULL THEN 'reject:badPrice'
          WHEN NOT o.order_level_value AND l.unit_price IS NULL AND l.line_total IS NULL THEN 'reject:missingPrice'
          WHEN l.file_index <> o.first_file AND ${dedupe} THEN 'exclude:overlappingOrder'
          WHEN l.duplicate AND ${dedupe} THEN 'exclude:duplicateRow'
          WHEN o.payment_method = 'bogus' OR o.financial_status = 'test' OR o.status = 'test' THEN 'exclude:test'
          WHEN o.financial_status = 'voided' THEN 'exclude:voided'
          WHEN o.cancelled_at IS NOT NULL OR o.prefix_cancelled OR ${statusIs('cancelled')} THEN 'exclude:cancelled'
          WHEN ${statusIs('failed')} THEN 'exclude:failed'
          WHEN ${statusIs('refunded')} THEN 'exclude:refunded'
          WHEN ${statusIs('pending')} THEN 'exclude:pending'
          WHEN NOT o.order_level_value AND l.quantity <= 0 THEN 'exclude:nonPositiveQuantity'
          WHEN NOT o.order_level_value AND coalesce(l.unit_price, l.line_total) <= 0 THEN 'exclude:nonPositivePrice'
          ELSE NULL
        END AS outcome,
        l.date_text, l.qty_text, l.price_text, l.total_text, o.subtotal_text, l.currency_text, ${currencyExpr} AS order_currency
      FROM lines_flagged l LEFT JOIN order_attrs o USING (order_id))`);

  // (a join with --costs only: 25% of this statement's time when there is nothing to join)
  const unitCost = costRows.length ? 'coalesce(c.cost, ic.cost)' : 'c.cost';
  // order_values: per order with used lines, its currency, value (DECIMAL, major units), the
  // sums over its used lines and the order fields the orders table and the notes need.
  await engine.run(`
    CREATE TABLE order_values AS
    SELECT v.*, coalesce(o.currency_text, o.file_currency) AS currency,
      CASE WHEN o.order_level_value THEN o.subtotal ELSE v.line_value END AS value,
      o.placed_at, o.customer, o.shipping, o.country, o.source, o.segment, o.refunded, o.conflicting_dates,
      o.in_several_files, o.conflicting_subtotals
    FROM (
      SELECT c.order_id,
        sum(coalesce(c.line_total, CAST(c.quantity AS DECIMAL(38,6)) * c.unit_price)) AS line_value,
        count(DISTINCT coalesce(c.item, c.item_name)) AS items,
        sum(c.quantity) AS units,
        bool_and(c.profit IS NOT NULL) AS all_profit, sum(c.profit) AS profit,
        bool_and(${unitCost} IS NOT NULL) AS all_cost,
        sum(CAST(c.quantity AS DECIMAL(38,6)) * ${unitCost}) AS cost_sum
      FROM classified c${costRows.length ? ' LEFT JOIN item_costs ic ON ic.item = coalesce(c.item, c.item_name)' : ''}
      WHERE c.outcome IS NULL GROUP BY c.order_id) v
    JOIN order_attrs o USING (order_id)`);
  // Orders whose value is not positive are not orders a shopper placed (free replacements, fully discounted).
  await engine.run(`
    UPDATE classified SET outcome = 'exclude:zeroValue'
    WHERE outcome IS NULL AND order_id IN (SELECT order_id FROM order_values WHERE value <= 0)`);
}
