/**
 * aov rules as WooCommerce REST API (wc/v3) request bodies: free shipping as the settings of a
 * shipping zone's `free_shipping` method, gifts and second-order offers as coupons. Field names
 * from https://woocommerce.github.io/woocommerce-rest-api-docs/ (Coupons; Shipping zone methods)
 * and the free_shipping method's settings (class WC_Shipping_Free_Shipping: requires, min_amount,
 * ignore_discounts). JSON Schemas of the bodies: schemas/platforms/woocommerce-wc-v3.*.json.
 */
import { ruleId } from '../../io/rulesFile.js';
import { basisWarning, couponCode, giftCountsNote, json, slug, thresholdOf, titleOf, validDaysOf } from './common.js';
import type { ConvertedRule, Rule, TargetFile, TargetOutput, TargetSettings } from './types.js';

export const WOOCOMMERCE_DOCS = 'https://woocommerce.github.io/woocommerce-rest-api-docs/';

export function renderWooCommerce(rules: readonly Rule[], settings: TargetSettings): TargetOutput {
  const files: TargetFile[] = [];
  const converted: ConvertedRule[] = [];
  const skipped: TargetOutput['skipped'] = [];
  // Without a real product id no coupon is written: WC_Coupon::set_product_ids() drops 0
  // (array_filter(wp_parse_id_list(...))), an empty product_ids restricts nothing, and 100% off
  // with limit_usage_to_x_items 1 then makes the cart's most expensive item free
  // (woocommerce/includes/class-wc-coupon.php, class-wc-discounts.php).
  const giftId = settings.giftProduct && /^[1-9][0-9]*$/.test(settings.giftProduct) ? Number(settings.giftProduct) : null;
  const noGift = settings.giftProduct === undefined
    ? 'no coupon written: give --gift-product <product id> (a coupon without product_ids would make the most expensive item in any cart free)'
    : `no coupon written: --gift-product ${settings.giftProduct} is not a WooCommerce product id (a whole number, Products > All products shows it); a coupon without product_ids would make the most expensive item in any cart free`;
  const noStart = `coupons have no start date: publish the coupon on ${settings.startsOn}`;
  const currencyNote = (currency: string) => `amounts are in the store currency: apply this to a store whose currency is ${currency}`;
  for (const rule of rules) {
    const name = slug(rule);
    const money = thresholdOf(rule);
    const base = { rule: ruleId(rule), type: rule.type };
    if (rule.type === 'free_shipping_threshold' && money) {
      const file = `${name}.shipping-method.json`;
      files.push({
        path: file,
        content: json({
          method_id: 'free_shipping',
          // A shipping method has no start date: one that starts later is written disabled.
          enabled: !settings.startsLater,
          settings: { title: 'Free shipping', requires: 'min_amount', min_amount: money.amount, ignore_discounts: 'no' },
        }),
      });
      converted.push({
        ...base, files: [file], object: 'POST /wp-json/wc/v3/shipping/zones/<zone_id>/methods, or PUT .../methods/<instance_id> (free_shipping)',
        values: { threshold: money, startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: null },
        basisWarning: basisWarning('woocommerce', 'freeShipping', rule),
        cannotEnforce: [
          currencyNote(money.currency),
          settings.startsLater
            ? `a shipping method has no dates: it is written disabled (enabled false); enable it on ${settings.startsOn}${settings.endsOn ? ` and disable it after ${settings.endsOn}` : ''}`
            : `a shipping method has no dates: it is live once sent${settings.endsOn ? `; disable it after ${settings.endsOn}` : ''}`,
          'one shipping zone per request: send it to each zone that should get free shipping',
          'POST adds a free_shipping method to the zone (a second one if it has one already): PUT it to .../methods/<instance_id> to change the existing one instead',
        ],
        fillIn: ['the shipping zone id in the URL (GET /wp-json/wc/v3/shipping/zones lists them), and for PUT the method\'s instance_id (GET .../zones/<zone_id>/methods)'],
      });
    } else if (((rule.type === 'gift_threshold' && money) || rule.type === 'second_order_gift') && giftId === null) {
      skipped.push({ rule: ruleId(rule), reason: noGift });
    } else if ((rule.type === 'gift_threshold' && money) || rule.type === 'second_order_gift') {
      const second = rule.type === 'second_order_gift';
      const file = `${name}.coupon.json`;
      files.push({
        path: file,
        content: json({
          code: couponCode(rule),
          discount_type: 'percent',
          amount: '100',
          description: titleOf(rule),
          // A date alone expires at 00:00 of that day (the coupon screen says so): the end of the last day instead.
          date_expires: settings.endsOn ? `${settings.endsOn}T23:59:59` : null,
          individual_use: false,
          product_ids: [giftId],
          limit_usage_to_x_items: 1,
          ...(second ? { usage_limit_per_user: 1 } : { minimum_amount: money!.amount }),
          free_shipping: false,
        }),
      });
      converted.push({
        ...base, files: [file], object: 'POST /wp-json/wc/v3/coupons',
        values: { threshold: second ? null : money, startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: second ? 1 : null },
        basisWarning: second ? null : basisWarning('woocommerce', 'gift', rule),
        cannotEnforce: [
          ...(money ? [currencyNote(money.currency), giftCountsNote('woocommerce', money)!] : []),
          noStart,
          'a coupon is applied by its code: the customer types it (applying it automatically needs a plugin), and WooCommerce does not add the gift to the cart',
          ...(second
            ? [
                'WooCommerce cannot limit a coupon to customers with one order: send the code to first-time customers (email_restrictions can list their emails)',
                'usage_limit_per_user counts by account or billing email: a guest with a new email can use it again',
                `the code ${couponCode(rule)} is predictable and works for anyone who types it: change "code" to one that cannot be guessed before sending`,
                `"within ${validDaysOf(rule) ?? 'N'} days of the first order" cannot be set per customer; date_expires ends it for everyone`,
              ]
            : []),
        ],
        fillIn: [],
      });
    } else {
      skipped.push({ rule: ruleId(rule), reason: rule.type === 'bundle' ? 'bundles are grouped products in WooCommerce, not a coupon aov can write' : `no WooCommerce REST object for ${rule.type} (use a customer role or tag)` });
    }
  }
  return {
    target: 'woocommerce', api: 'WooCommerce REST API wc/v3',
    docs: [`${WOOCOMMERCE_DOCS}#coupon-properties`, `${WOOCOMMERCE_DOCS}#shipping-zone-methods`, 'https://woocommerce.github.io/code-reference/files/woocommerce-includes-shipping-free-shipping-class-wc-shipping-free-shipping.html'],
    files, rules: converted, skipped,
  };
}
