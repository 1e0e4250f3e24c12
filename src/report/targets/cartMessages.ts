/**
 * "Add 12,00 € for a free gift" cart messages, ready to paste: a Shopify theme snippet (Liquid)
 * per threshold rule and one plain JSON of strings per locale (aov.cartMessages/v1) for any
 * storefront. Shopify's cart object: https://shopify.dev/docs/api/liquid/objects/cart
 */
import { ruleId } from '../../io/rulesFile.js';
import { basisOf, slug, thresholdMinorOf, thresholdOf } from './common.js';
import type { Rule, TargetFile } from './types.js';

/** The aov.cartMessages/v1 document. */
export interface CartMessagesDocument {
  schema: 'aov.cartMessages/v1';
  rules: CartMessageRule[];
}

export interface CartMessageRule {
  rule: string;
  type: string;
  currency: string;
  /** ISO 4217 minor-unit digits of the currency. */
  decimals: number;
  /** The threshold in minor units (ISO 4217 decimals). */
  thresholdMinor: number;
  /** What the storefront must compare with the threshold. */
  compareWith: string;
  locales: Record<string, { template: string; threshold: string; example: string | null }>;
}

/** Minor units of a decimal string, with the currency's ISO 4217 decimals ("59.00", EUR -> 5900; "1500", JPY -> 1500). */
export function minorOf(amount: string, decimals: number): number {
  const [whole, fraction = ''] = amount.replace(/^-/, '').split('.');
  const minor = Number(whole) * 10 ** decimals + Number((fraction + '0'.repeat(decimals)).slice(0, decimals) || '0');
  return amount.startsWith('-') ? -minor : minor;
}

/** An amount formatted for a locale with the currency's ISO 4217 decimals (de-DE, EUR, 5900 -> "59,00 €"). */
export function formatForLocale(minor: number, currency: string, decimals: number, locale: string): string {
  const tag = locale === 'en' ? 'en-US' : locale;
  try {
    return new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(minor / 10 ** decimals);
  } catch {
    return `${(minor / 10 ** decimals).toFixed(decimals)} ${currency}`;
  }
}

const COMPARE_SUBTOTAL = 'the cart subtotal after discounts, before shipping (Shopify Liquid: cart.total_price)';
const COMPARE_TOTAL = 'the order total with shipping and tax: a cart only knows its subtotal, so a cart message can only approximate it';

export function cartMessages(rules: readonly Rule[]): CartMessagesDocument {
  const out: CartMessageRule[] = [];
  for (const rule of rules) {
    if (rule.type !== 'gift_threshold' && rule.type !== 'free_shipping_threshold') continue;
    const threshold = thresholdMinorOf(rule);
    const templates = (rule.message ?? {}) as Record<string, string>;
    if (!threshold) continue;
    // The same minor units the payloads are written from.
    const { money, decimals, minor: thresholdMinor } = threshold;
    const examples = (rule.messageExamples ?? {}) as Record<string, string>;
    const locales: CartMessageRule['locales'] = {};
    for (const locale of Object.keys(templates).sort()) {
      locales[locale] = { template: templates[locale], threshold: formatForLocale(thresholdMinor, money.currency, decimals, locale), example: examples[locale] ?? null };
    }
    out.push({ rule: ruleId(rule), type: rule.type, currency: money.currency, decimals, thresholdMinor, compareWith: basisOf(rule) === 'total' ? COMPARE_TOTAL : COMPARE_SUBTOTAL, locales });
  }
  return { schema: 'aov.cartMessages/v1', rules: out };
}

/** A Liquid string literal: quoted with whichever quote the text lacks (Liquid strings have no escapes). */
function liquidString(text: string): string {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return `'${text.replace(/'/g, '\u2019')}'`;
}

/**
 * Shopify's cart amounts are in hundredths of the presentment currency's unit, whatever its
 * ISO 4217 decimals ("1000 Japanese yen is output as 100000"): the threshold is scaled the same way.
 */
export function shopifyCents(amount: string): number {
  return minorOf(amount, 2);
}

/** The theme snippet for one threshold rule: snippets/aov-<rule>.liquid, rendered with {% render 'aov-<rule>' %}. */
export function liquidSnippet(rule: Rule): TargetFile | null {
  const money = thresholdOf(rule);
  const templates = (rule.message ?? {}) as Record<string, string>;
  if (!money || (rule.type !== 'gift_threshold' && rule.type !== 'free_shipping_threshold')) return null;
  const locales = Object.keys(templates).filter((l) => l !== 'en').sort();
  const fallback = templates.en ?? Object.values(templates)[0] ?? '';
  const cases = locales.map((locale) => {
    const language = locale.split('-')[0];
    const keys = [...new Set([locale, language])].map((k) => `'${k}'`).join(', ');
    return `  {%- when ${keys} -%}\n    {%- assign aov_message = ${liquidString(templates[locale])} -%}`;
  });
  const name = `aov-${slug(rule)}`;
  const content = [
    '{%- comment -%}',
    `  aov rule "${ruleId(rule)}": ${money.amount} ${money.currency} threshold, message until the cart reaches it.`,
    '  Compares cart.total_price: the cart after discounts, before shipping, in hundredths of the',
    '  customer\'s currency (https://shopify.dev/docs/api/liquid/objects/cart).',
    basisOf(rule) === 'total'
      ? '  aov simulated the order total with shipping; the cart has no shipping yet, so the message shows a little more than is missing.'
      : '  aov simulated the order subtotal: the same basis.',
    `  Shown only when the cart is in ${money.currency}: with other currencies (Markets) the amount would be wrong.`,
    `  Use it in the cart template or drawer with the render tag and '${name}'.`,
    '{%- endcomment -%}',
    `{%- assign aov_threshold = ${shopifyCents(money.amount)} -%}`,
    `{%- if cart.item_count > 0 and cart.currency.iso_code == '${money.currency}' and cart.total_price < aov_threshold -%}`,
    '  {%- assign aov_remaining = aov_threshold | minus: cart.total_price | money -%}',
    `  {%- assign aov_message = ${liquidString(fallback)} -%}`,
    ...(cases.length ? ['  {%- case request.locale.iso_code -%}', ...cases.map((c) => `  ${c.replace(/\n/g, '\n  ')}`), '  {%- endcase -%}'] : []),
    `  <p class="aov-cart-message" data-aov-rule="${ruleId(rule)}">{{ aov_message | replace: '{remaining}', aov_remaining }}</p>`,
    '{%- endif -%}',
    '',
  ].join('\n');
  return { path: `snippets/${name}.liquid`, content };
}
