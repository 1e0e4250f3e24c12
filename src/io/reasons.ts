/** Row-accounting reasons in words, for every renderer and message (a light module: no engine). */
import type { ExclusionReason, RejectionReason } from './load.js';

/**
 * Each reason as people read it ("zero-value orders", not zeroValue): terminal, Markdown and
 * HTML show these; JSON keeps the keys. A mapped type, so a new reason without a label does not compile.
 */
export const REASON_LABELS: { readonly [Reason in ExclusionReason | RejectionReason]: string } = {
  duplicateRow: 'duplicate rows',
  overlappingOrder: 'in an earlier file',
  test: 'test orders',
  voided: 'voided',
  cancelled: 'cancelled',
  failed: 'failed',
  refunded: 'refunded',
  pending: 'pending',
  nonPositiveQuantity: 'quantity 0 or less',
  nonPositivePrice: 'price 0 or less',
  zeroValue: 'zero-value orders',
  malformedRow: 'malformed rows',
  missingOrderId: 'no order id',
  badDate: 'unreadable date',
  missingDate: 'no date',
  badQuantity: 'unreadable quantity',
  badPrice: 'unreadable price',
  missingPrice: 'no price',
  badCurrency: 'unreadable currency',
  unknownCurrency: 'unknown currency code',
  currencyMismatch: 'currency mismatch',
};

/** The label of a reason key; a key from elsewhere (an older report.json) as it is. */
export function reasonLabel(reason: string): string {
  return (REASON_LABELS as Record<string, string>)[reason] ?? reason;
}
