/**
 * aov rules as PrestaShop webservice `cart_rules` XML (POST /api/cart_rules). Field names and
 * formats from https://devdocs.prestashop-project.org/9/webservice/resources/cart_rules/ (PrestaShop
 * 9; the same fields in 1.7 and 8). The JSON Schema of the parsed document:
 * schemas/platforms/prestashop-9.cart_rule.json.
 */
import { ruleId } from '../../io/rulesFile.js';
import { basisOf, basisWarning, couponCode, slug, thresholdOf, titleOf, validDaysOf } from './common.js';
import type { ConvertedRule, Rule, TargetFile, TargetOutput, TargetSettings } from './types.js';

export const PRESTASHOP_DOCS = 'https://devdocs.prestashop-project.org/9/webservice/resources/cart_rules/';
/** date_to is required: an open-ended rule ends on this day (read back as "no end"). */
export const PRESTASHOP_NO_END = '2099-12-31';
/**
 * minimum_amount_currency is the shop's own currency id, which aov cannot know. PrestaShop
 * converts the minimum from that currency (CartRule::checkValidity, Tools::convertPriceFull), so a
 * wrong id is silent: the placeholder is refused instead (CartRule::$definition validates the
 * field with isInt, classes/CartRule.php) until the merchant puts the id in.
 */
export const prestashopCurrencyPlaceholder = (currency: string) => `REPLACE_WITH_ID_OF_${currency}`;
/** quantity and quantity_per_user are required counts: "unlimited" is written as this. */
export const PRESTASHOP_UNLIMITED = 999999;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cartRuleXml(rule: Rule, fields: [string, string | number][], comment: string[]): string {
  const body = fields.map(([key, value]) => (key === 'name' ? `    <name>\n      <language id="1">${escapeXml(String(value))}</language>\n    </name>` : `    <${key}>${escapeXml(String(value))}</${key}>`));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- aov rule "${ruleId(rule)}" (${rule.type}) as a PrestaShop webservice cart_rule.`,
    `     ${PRESTASHOP_DOCS}`,
    ...comment.map((line) => `     ${line.replace(/--/g, '-')}`),
    '     POST it to https://<shop>/api/cart_rules (README: "PrestaShop"). -->',
    '<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">',
    '  <cart_rule>',
    ...body,
    '  </cart_rule>',
    '</prestashop>',
    '',
  ].join('\n');
}

export function renderPrestaShop(rules: readonly Rule[], settings: TargetSettings): TargetOutput {
  const files: TargetFile[] = [];
  const converted: ConvertedRule[] = [];
  const skipped: TargetOutput['skipped'] = [];
  const giftId = settings.giftProduct && /^[0-9]+$/.test(settings.giftProduct) ? settings.giftProduct : '0';
  const dates: [string, string][] = [['date_from', `${settings.startsOn} 00:00:00`], ['date_to', `${settings.endsOn ?? PRESTASHOP_NO_END} 23:59:59`]];
  const currencyFillIn = (currency: string) => `minimum_amount_currency: replace ${prestashopCurrencyPlaceholder(currency)} with the shop's id for ${currency} (Localization > Currencies lists them; GET /api/currencies); PrestaShop refuses the file until then`;
  for (const rule of rules) {
    const name = slug(rule);
    const money = thresholdOf(rule);
    const base = { rule: ruleId(rule), type: rule.type };
    const file = `${name}.cart_rule.xml`;
    const threshold = (m: { amount: string; currency: string }): [string, string | number][] => [
      ['minimum_amount', m.amount],
      // aov's subtotal is without tax (README: order value), its total with tax: 0 or 1 to match.
      ['minimum_amount_tax', basisOf(rule) === 'total' ? 1 : 0],
      ['minimum_amount_currency', prestashopCurrencyPlaceholder(m.currency)],
      // The basis: a subtotal leaves shipping out; a total counts it.
      ['minimum_amount_shipping', basisOf(rule) === 'total' ? 1 : 0],
    ];
    if ((rule.type === 'free_shipping_threshold' || rule.type === 'gift_threshold') && money) {
      const gift = rule.type === 'gift_threshold';
      files.push({
        path: file,
        content: cartRuleXml(rule, [
          ...dates,
          ['description', `aov rule ${ruleId(rule)}`],
          ['quantity', PRESTASHOP_UNLIMITED],
          ['quantity_per_user', PRESTASHOP_UNLIMITED],
          ['priority', 1],
          ['partial_use', 0],
          // An empty code: PrestaShop applies the rule by itself to every cart that qualifies.
          ['code', ''],
          ...threshold(money),
          ['free_shipping', gift ? 0 : 1],
          ['gift_product', gift ? giftId : 0],
          ['highlight', 1],
          ['active', 1],
          ['name', titleOf(rule)],
        ], [`${gift ? 'A free gift (gift_product)' : 'Free shipping'} on carts of ${money.amount} ${money.currency} or more (minimum_amount), tax and shipping ${basisOf(rule) === 'total' ? 'included' : 'excluded'}.`]),
      });
      converted.push({
        ...base, files: [file], object: 'cart_rules',
        values: { threshold: money, startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: null },
        basisWarning: basisWarning('prestashop', gift ? 'gift' : 'freeShipping', rule),
        cannotEnforce: [
          `minimum_amount_tax is ${basisOf(rule) === 'total' ? '1 (tax included, as aov\'s total)' : '0 (tax excluded, as aov\'s subtotal)'}: if the amounts in your export include tax, set it to 1`,
          'the name is written for language id 1 (a new shop\'s first language): add <language> entries for the others',
          ...(settings.endsOn ? [] : [`date_to is required: an open-ended rule ends on ${PRESTASHOP_NO_END}`]),
        ],
        fillIn: [currencyFillIn(money.currency), ...(gift && giftId === '0' ? ['gift_product: the gift\'s product id (--gift-product; 0 gives no gift)'] : [])],
      });
    } else if (rule.type === 'second_order_gift') {
      files.push({
        path: file,
        content: cartRuleXml(rule, [
          ...dates,
          ['description', `aov rule ${ruleId(rule)}`],
          ['quantity', PRESTASHOP_UNLIMITED],
          ['quantity_per_user', 1],
          ['priority', 1],
          ['partial_use', 0],
          ['code', couponCode(rule)],
          ['free_shipping', 0],
          ['gift_product', giftId],
          ['highlight', 0],
          ['active', 1],
          ['name', titleOf(rule)],
        ], ['A code for a free gift (gift_product), once per customer (quantity_per_user 1).']),
      });
      converted.push({
        ...base, files: [file], object: 'cart_rules',
        values: { threshold: null, startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: 1 },
        basisWarning: null,
        cannotEnforce: [
          'PrestaShop cannot limit a cart rule to customers with one order: send the code to first-time customers (or set id_customer per customer)',
          'quantity_per_user counts per customer account: guest checkouts with a new email are new customers to PrestaShop',
          `the code ${couponCode(rule)} is predictable and works for anyone who types it: change <code> to one that cannot be guessed before sending`,
          `"within ${validDaysOf(rule) ?? 'N'} days of the first order" cannot be set per customer; date_to ends it for everyone`,
          ...(settings.endsOn ? [] : [`date_to is required: an open-ended rule ends on ${PRESTASHOP_NO_END}`]),
        ],
        fillIn: giftId === '0' ? ['gift_product: the gift\'s product id (--gift-product; 0 gives no gift)'] : [],
      });
    } else {
      skipped.push({ rule: ruleId(rule), reason: rule.type === 'bundle' ? 'bundles are pack products in PrestaShop, not a cart rule aov can write' : `no PrestaShop cart rule for ${rule.type} (use a customer group)` });
    }
  }
  return { target: 'prestashop', api: 'PrestaShop webservice (PrestaShop 1.7 to 9), cart_rules', docs: [PRESTASHOP_DOCS], files, rules: converted, skipped };
}
