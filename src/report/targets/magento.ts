/**
 * aov rules as Magento 2 / Adobe Commerce REST request bodies for POST /rest/V1/salesRules (cart
 * price rules), Magento 2.4. Field names from the SalesRule API data interfaces
 * (Magento\SalesRule\Api\Data\RuleInterface, ConditionInterface) as the REST reference lists them
 * (https://adobe-commerce.redoc.ly/2.4.7-admin/, section salesRules; every store also serves its
 * own at https://<store>/swagger). JSON Schema of the body:
 * schemas/platforms/magento-2.4.salesRule.json.
 */
import { ruleId } from '../../io/rulesFile.js';
import { basisWarning, couponCode, giftCountsNote, json, slug, thresholdOf, titleOf, validDaysOf } from './common.js';
import type { ConvertedRule, Rule, TargetFile, TargetOutput, TargetSettings } from './types.js';

export const MAGENTO_DOCS = 'https://adobe-commerce.redoc.ly/2.4.7-admin/';
const COMBINE = 'Magento\\SalesRule\\Model\\Rule\\Condition\\Combine';
const ADDRESS = 'Magento\\SalesRule\\Model\\Rule\\Condition\\Address';
const PRODUCT_COMBINE = 'Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine';
const PRODUCT = 'Magento\\SalesRule\\Model\\Rule\\Condition\\Product';
/** Magento's customer groups in a new install: 0 NOT LOGGED IN, 1 General, 2 Wholesale, 3 Retailer. */
const ALL_GROUPS = [0, 1, 2, 3];
const SIGNED_IN_GROUPS = [1, 2, 3];

/**
 * The threshold as an Address condition on base_subtotal_with_discount ("Subtotal (Excl. Tax)"
 * in the admin, the subtotal after discounts; Magento 2.3.2+, magento/magento2 PR #21288):
 * aov's subtotal. base_subtotal would be before discounts.
 */
function subtotalAtLeast(amount: string) {
  return { condition_type: COMBINE, aggregator_type: 'all', operator: null, value: '1', conditions: [{ condition_type: ADDRESS, attribute_name: SUBTOTAL_ATTRIBUTE, operator: '>=', value: amount }] };
}
export const SUBTOTAL_ATTRIBUTE = 'base_subtotal_with_discount';
/** The discount other rules gave is only known once they ran (magento/magento2 PR #30386). */
const AFTER_OTHER_RULES = 'base_subtotal_with_discount holds the discounts of the rules Magento has already applied: set sort_order so other discount rules run first (a higher sort_order runs later)';

function skuIs(sku: string) {
  return { condition_type: PRODUCT_COMBINE, aggregator_type: 'all', operator: null, value: '1', conditions: [{ condition_type: PRODUCT, attribute_name: 'sku', operator: '==', value: sku }] };
}

export function renderMagento(rules: readonly Rule[], settings: TargetSettings): TargetOutput {
  const files: TargetFile[] = [];
  const converted: ConvertedRule[] = [];
  const skipped: TargetOutput['skipped'] = [];
  const sku = settings.giftProduct ?? 'REPLACE_WITH_GIFT_SKU';
  const giftFillIn = settings.giftProduct ? [] : ['the gift\'s SKU in action_condition (--gift-product; REPLACE_WITH_GIFT_SKU matches no product)'];
  const common = (rule: Rule) => ({
    name: titleOf(rule),
    description: `aov rule ${ruleId(rule)}`,
    website_ids: [1],
    from_date: settings.startsOn,
    to_date: settings.endsOn,
    is_active: true,
    stop_rules_processing: false,
    is_advanced: true,
    sort_order: 0,
    discount_step: 0,
    apply_to_shipping: false,
    is_rss: false,
    use_auto_generation: false,
  });
  const currencyNote = (currency: string) => `base_subtotal_with_discount is in the base currency: apply this to a website whose base currency is ${currency}`;
  for (const rule of rules) {
    const name = slug(rule);
    const money = thresholdOf(rule);
    const base = { rule: ruleId(rule), type: rule.type };
    const file = `${name}.salesRule.json`;
    if (rule.type === 'free_shipping_threshold' && money) {
      files.push({
        path: file,
        content: json({
          rule: {
            ...common(rule), customer_group_ids: ALL_GROUPS, uses_per_customer: 0, coupon_type: 'NO_COUPON', uses_per_coupon: 0,
            condition: subtotalAtLeast(money.amount),
            simple_action: 'by_percent', discount_amount: 0,
            // "2": free shipping for the whole shipment when the conditions match.
            simple_free_shipping: '2',
          },
        }),
      });
      converted.push({
        ...base, files: [file], object: 'POST /rest/V1/salesRules',
        values: { threshold: money, startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: null },
        basisWarning: basisWarning('magento', 'freeShipping', rule),
        cannotEnforce: [currencyNote(money.currency), AFTER_OTHER_RULES, 'free shipping reaches only carriers that honour the free-shipping flag (Flat Rate, Table Rates, Free Shipping do; check your carrier, magento/magento2 #12573)', 'website_ids [1] and customer_group_ids [0,1,2,3] are a new install\'s ids: check yours'],
        fillIn: [],
      });
    } else if (rule.type === 'gift_threshold' && money) {
      files.push({
        path: file,
        content: json({
          rule: {
            ...common(rule), customer_group_ids: ALL_GROUPS, uses_per_customer: 0, coupon_type: 'NO_COUPON', uses_per_coupon: 0,
            condition: subtotalAtLeast(money.amount),
            action_condition: skuIs(sku),
            simple_action: 'by_percent', discount_amount: 100, discount_qty: 1,
            simple_free_shipping: '0',
          },
        }),
      });
      converted.push({
        ...base, files: [file], object: 'POST /rest/V1/salesRules',
        values: { threshold: money, startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: null },
        basisWarning: basisWarning('magento', 'gift', rule),
        cannotEnforce: [currencyNote(money.currency), giftCountsNote('magento', money)!, AFTER_OTHER_RULES, 'the sku condition needs the SKU attribute\'s "Use for Promo Rule Conditions" set to Yes (Stores > Attributes > Product)', 'Magento has no free-gift action: the rule makes one unit of the gift free (100% off, discount_qty 1) once the customer adds it; adding it automatically needs an extension'],
        fillIn: giftFillIn,
      });
    } else if (rule.type === 'second_order_gift') {
      files.push({
        path: file,
        content: json({
          rule: {
            ...common(rule), customer_group_ids: SIGNED_IN_GROUPS, uses_per_customer: 1, coupon_type: 'SPECIFIC_COUPON', uses_per_coupon: 0,
            action_condition: skuIs(sku),
            simple_action: 'by_percent', discount_amount: 100, discount_qty: 1,
            simple_free_shipping: '0',
          },
        }),
      });
      files.push({ path: `${name}.coupon.json`, content: json({ coupon: { rule_id: 0, code: couponCode(rule), is_primary: true } }) });
      converted.push({
        ...base, files: [file, `${name}.coupon.json`], object: 'POST /rest/V1/salesRules + POST /rest/V1/coupons',
        values: { threshold: null, startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: 1 },
        basisWarning: null,
        cannotEnforce: [
          'uses_per_customer counts signed-in customers only: guests (group 0, NOT LOGGED IN) are left out, as aov\'s rule says',
          'Magento cannot limit a rule to customers with one order: send the code to first-time customers',
          `"within ${validDaysOf(rule) ?? 'N'} days of the first order" cannot be set per customer; to_date ends it for everyone`,
        ],
        fillIn: ['rule_id in the coupon file: the id POST /rest/V1/salesRules returns', ...giftFillIn],
      });
    } else {
      skipped.push({ rule: ruleId(rule), reason: rule.type === 'bundle' ? 'bundles are bundle products in Magento, not a cart price rule aov can write' : `no Magento cart price rule for ${rule.type} (use a customer group)` });
    }
  }
  return { target: 'magento', api: 'Magento 2.4 / Adobe Commerce REST, V1/salesRules', docs: [MAGENTO_DOCS, 'https://developer.adobe.com/commerce/webapi/rest/reference/'], files, rules: converted, skipped };
}
