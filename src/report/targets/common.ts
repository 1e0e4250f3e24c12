/** Helpers shared by the platform renderers: rule fields read as typed values, names, and the basis each platform compares. */
import { amountToMinor, currencyDecimals, minorToAmount } from '../../io/currency.js';
import { ruleId, type Rule } from '../../io/rulesFile.js';
import type { Target } from './types.js';

export interface Money {
  amount: string;
  currency: string;
}

/** The rule's threshold (threshold rules) or minimum spend (tier) as written in the file, else null. */
export function rawThresholdOf(rule: Rule): Money | null {
  return ((rule.threshold ?? rule.minSpend) as Money | undefined) ?? null;
}

/**
 * The threshold in exact minor units with its currency's ISO 4217 decimals, and the amount
 * every payload and message is written from ("59.5" EUR -> 5950 and "59.50"). The command has
 * refused amounts the currency cannot hold (checkTargetAmounts) before any renderer runs.
 */
export function thresholdMinorOf(rule: Rule): { money: Money; minor: number; decimals: number } | null {
  const raw = rawThresholdOf(rule);
  if (!raw) return null;
  const decimals = currencyDecimals(raw.currency);
  const minor = amountToMinor(raw.amount, decimals);
  if (minor === null) throw new Error(`${ruleId(rule)}: ${raw.amount} ${raw.currency} was not checked (checkTargetAmounts)`);
  return { money: { amount: minorToAmount(minor, decimals), currency: raw.currency }, minor, decimals };
}

/** The rule's threshold or minimum spend, its amount with exactly the currency's decimals, else null. */
export function thresholdOf(rule: Rule): Money | null {
  return thresholdMinorOf(rule)?.money ?? null;
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

/**
 * A coupon code derived from the rule, stable across runs (upper case, letters and digits): the
 * currency and the threshold's minor units keep two rules apart (40.00 EUR -> AOVGIFTEUR4000,
 * 59.50 USD -> AOVGIFTUSD5950), since a platform refuses a second coupon with the same code.
 */
export function couponCode(rule: Rule): string {
  const threshold = thresholdMinorOf(rule);
  if (rule.type === 'gift_threshold' && threshold) return `AOVGIFT${threshold.money.currency}${threshold.minor}`;
  const giftCurrency = (rule.gift as { cost?: { currency?: string } } | undefined)?.cost?.currency ?? '';
  if (rule.type === 'second_order_gift') return `AOVSECOND${giftCurrency}`;
  return `AOV${rule.type.toUpperCase().replace(/_/g, '')}${threshold ? `${threshold.money.currency}${threshold.minor}` : ''}`;
}

/** The second-order gift's validity in days (how long after the first order the offer runs). */
export function validDaysOf(rule: Rule): number | null {
  return typeof rule.validDays === 'number' ? rule.validDays : null;
}

/**
 * What each platform's threshold object compares the cart with, from its source or documentation,
 * and whether that is what aov simulated. `null` when it matches the basis. aov's subtotal is the
 * order value of the README: merchandise after discounts, without shipping and tax.
 */
export function basisWarning(target: Target, object: 'freeShipping' | 'gift', rule: Rule): string | null {
  const basis = basisOf(rule);
  const simulated = basis === 'subtotal' ? 'the order subtotal (merchandise after discounts, without shipping and tax)' : 'the order total (shipping and tax included)';
  const compares = PLATFORM_BASIS[target][object];
  if (compares.matches.includes(basis)) return null;
  return `${compares.text}; aov simulated the threshold on ${simulated}, so carts near the threshold can qualify on one and not the other.`;
}

const PLATFORM_BASIS: Record<Target, Record<'freeShipping' | 'gift', { text: string; matches: readonly string[] }>> = {
  shopify: {
    freeShipping: { text: 'Shopify compares the minimum subtotal with the cart subtotal after product discounts, before shipping', matches: ['subtotal'] },
    gift: { text: 'Shopify compares the Buy X Get Y minimum amount with the qualifying items in the cart, before shipping', matches: ['subtotal'] },
  },
  // WC_Shipping_Free_Shipping::is_available() and WC_Discounts::validate_coupon_minimum_amount()
  // both read WC()->cart->get_displayed_subtotal(): tax included when the store displays cart
  // prices with tax (woocommerce/includes/shipping/free-shipping/, includes/class-wc-discounts.php).
  // So neither matches aov's subtotal for sure: it depends on a store setting.
  woocommerce: {
    freeShipping: { text: 'WooCommerce compares min_amount with the cart\'s displayed subtotal after coupons (ignore_discounts "no"), before shipping, and with tax when the store displays cart prices including tax (WooCommerce > Settings > Tax)', matches: [] },
    gift: { text: 'WooCommerce compares a coupon\'s minimum_amount with the cart\'s displayed subtotal before any coupon discount (other coupons do not lower it), with tax when the store displays cart prices including tax (WooCommerce > Settings > Tax)', matches: [] },
  },
  // CartRule::checkValidity(): getOrderTotal(minimum_amount_tax, Cart::ONLY_PRODUCTS), plus
  // ONLY_SHIPPING with minimum_amount_shipping: the products before cart-rule (voucher) discounts
  // (PrestaShop/PrestaShop classes/CartRule.php). Tax and shipping are set to aov's basis.
  prestashop: {
    freeShipping: { text: 'PrestaShop compares minimum_amount with the products in the cart before cart-rule (voucher) discounts (tax and shipping set to aov\'s basis)', matches: [] },
    gift: { text: 'PrestaShop compares minimum_amount with the products in the cart before cart-rule (voucher) discounts (tax and shipping set to aov\'s basis)', matches: [] },
  },
  // Magento\SalesRule\Model\Rule\Condition\Address: base_subtotal_with_discount ("Subtotal
  // (Excl. Tax)", after discounts) since 2.3.2 (magento/magento2 PR #21288); no condition counts shipping.
  magento: {
    freeShipping: { text: 'Magento compares base_subtotal_with_discount: the subtotal after discounts, without tax and shipping, in the base currency', matches: ['subtotal'] },
    gift: { text: 'Magento compares base_subtotal_with_discount: the subtotal after discounts, without tax and shipping, in the base currency', matches: ['subtotal'] },
  },
};

/**
 * Whether the gift's own price counts toward the threshold once it is in the cart. WooCommerce
 * (the displayed subtotal holds every line) and Magento (the address subtotal holds every item)
 * count it; PrestaShop subtracts a gift_product already in the cart (CartRule::checkValidity).
 */
export function giftCountsNote(target: Target, money: Money): string | null {
  const remedy = `price the gift product at 0 (a separate gift product), or raise the threshold by the gift's price`;
  if (target === 'woocommerce' || target === 'magento') {
    return `the gift's own price counts toward the ${money.amount} ${money.currency} threshold once it is in the cart (a cart just under it plus the gift can clear it): ${remedy}`;
  }
  if (target === 'shopify') return `Shopify does not document whether the gift counts toward customerBuys.value.amount: leave the gift out of the qualifying collection, or ${remedy}`;
  return null;
}

/** ("2026-01-01", "+09:00") -> "2026-01-01T00:00:00+09:00": the start of the day in the shop's zone ("Z": UTC). */
export function startOfDay(day: string, offset = 'Z'): string {
  return `${day}T00:00:00${offset}`;
}

/** ("2026-03-31", "+09:00") -> "2026-03-31T23:59:59+09:00": the end of the day in the shop's zone. */
export function endOfDay(day: string, offset = 'Z'): string {
  return `${day}T23:59:59${offset}`;
}

/** Pretty JSON with a final newline, as every file aov writes. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
