/** Helpers shared by the platform renderers: rule fields read as typed values, names, and the basis each platform compares. */
import { ruleId, type Rule } from '../../io/rulesFile.js';
import type { Target } from './types.js';

export interface Money {
  amount: string;
  currency: string;
}

/** The rule's threshold (threshold rules) or minimum spend (tier), else null. */
export function thresholdOf(rule: Rule): Money | null {
  return ((rule.threshold ?? rule.minSpend) as Money | undefined) ?? null;
}

/** A file-name-safe form of a rule id: "bundle:A+B" -> "bundle-A+B" -> "bundle-A_B". */
export function slug(rule: Rule): string {
  return ruleId(rule).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** The aov rule's basis: what the threshold was simulated against. Older files without it mean the subtotal. */
export function basisOf(rule: Rule): 'subtotal' | 'total' {
  return rule.basis === 'total' ? 'total' : 'subtotal';
}

/** A short title for the platform's admin list. */
export function titleOf(rule: Rule): string {
  const money = thresholdOf(rule);
  const at = money ? ` from ${money.amount} ${money.currency}` : '';
  switch (rule.type) {
    case 'free_shipping_threshold':
      return `Free shipping${at} (aov)`;
    case 'gift_threshold':
      return `Free gift${at} (aov)`;
    case 'second_order_gift':
      return 'Free gift on the second order (aov)';
    case 'priority_support_tier':
      return `${String(rule.name ?? 'Premium')} tier: spend${at} in ${String(rule.window)} (aov)`;
    default:
      return `${rule.type} (aov)`;
  }
}

/** A coupon code derived from the rule, stable across runs (upper case, no spaces). */
export function couponCode(rule: Rule): string {
  const money = thresholdOf(rule);
  const whole = money ? money.amount.split('.')[0] : '';
  if (rule.type === 'gift_threshold') return `AOVGIFT${whole}`;
  if (rule.type === 'second_order_gift') return 'AOVSECOND';
  return `AOV${rule.type.toUpperCase().replace(/_/g, '')}`;
}

/** The second-order gift's validity in days (how long after the first order the offer runs). */
export function validDaysOf(rule: Rule): number | null {
  return typeof rule.validDays === 'number' ? rule.validDays : null;
}

/**
 * What each platform's threshold object compares the cart with, from its documentation, and
 * whether that is what aov simulated. `null` when it matches the basis.
 */
export function basisWarning(target: Target, object: 'freeShipping' | 'gift', rule: Rule): string | null {
  const basis = basisOf(rule);
  const simulated = basis === 'subtotal' ? 'the order subtotal (merchandise after discounts, before shipping)' : 'the order total (shipping and tax included)';
  const compares = PLATFORM_BASIS[target][object];
  if (compares.matches.includes(basis)) return null;
  return `${compares.text}; aov simulated the threshold on ${simulated}, so carts near the threshold can qualify on one and not the other.`;
}

const PLATFORM_BASIS: Record<Target, Record<'freeShipping' | 'gift', { text: string; matches: readonly string[] }>> = {
  shopify: {
    freeShipping: { text: 'Shopify compares the minimum subtotal with the cart subtotal after product discounts, before shipping', matches: ['subtotal'] },
    gift: { text: 'Shopify compares the Buy X Get Y minimum amount with the qualifying items in the cart, before shipping', matches: ['subtotal'] },
  },
  woocommerce: {
    freeShipping: { text: 'WooCommerce compares min_amount with the cart subtotal after coupons (ignore_discounts "no"), before shipping', matches: ['subtotal'] },
    gift: { text: 'WooCommerce compares a coupon\'s minimum_amount with the cart subtotal, before shipping', matches: ['subtotal'] },
  },
  // PrestaShop says what it compares per rule (minimum_amount_shipping, minimum_amount_tax): set to match the basis.
  prestashop: {
    freeShipping: { text: '', matches: ['subtotal', 'total'] },
    gift: { text: '', matches: ['subtotal', 'total'] },
  },
  magento: {
    freeShipping: { text: 'Magento compares base_subtotal: the subtotal before discounts, excluding tax, in the base currency', matches: [] },
    gift: { text: 'Magento compares base_subtotal: the subtotal before discounts, excluding tax, in the base currency', matches: [] },
  },
};

/** "2026-01-01" -> "2026-01-01T00:00:00Z" (start of day, UTC). */
export function startOfDay(day: string): string {
  return `${day}T00:00:00Z`;
}

/** "2026-03-31" -> "2026-03-31T23:59:59Z" (end of day, UTC). */
export function endOfDay(day: string): string {
  return `${day}T23:59:59Z`;
}

/** Pretty JSON with a final newline, as every file aov writes. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
