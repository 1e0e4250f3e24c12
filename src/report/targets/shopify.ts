/**
 * aov rules as Shopify Admin GraphQL API mutations (API version 2025-10): one `.graphql`
 * document and one `.variables.json` per platform object, ready for the Admin API endpoint
 * https://{shop}.myshopify.com/admin/api/2025-10/graphql.json. The input types used are
 * written out, from the docs, in schemas/platforms/shopify-admin-2025-10.graphql.
 */
import { ruleId } from '../../io/rulesFile.js';
import { basisWarning, couponCode, endOfDay, giftCountsNote, json, slug, startOfDay, thresholdOf, titleOf, validDaysOf } from './common.js';
import type { ConvertedRule, Rule, TargetFile, TargetOutput, TargetSettings } from './types.js';

export const SHOPIFY_API_VERSION = '2025-10';
const DOCS = `https://shopify.dev/docs/api/admin-graphql/${SHOPIFY_API_VERSION}`;

/** Placeholders the merchant replaces with their shop's ids (the API refuses them as they are). */
export const SHOPIFY_PLACEHOLDERS = {
  giftVariant: 'gid://shopify/ProductVariant/REPLACE_WITH_GIFT_VARIANT_ID',
  allProducts: 'gid://shopify/Collection/REPLACE_WITH_ALL_PRODUCTS_COLLECTION_ID',
  segment: 'gid://shopify/Segment/REPLACE_WITH_SEGMENT_ID_FROM_SEGMENTCREATE',
};

/**
 * Which discount classes each may combine with, as Shopify allows them: order + shipping,
 * product + shipping, product + product; never two shipping discounts
 * (https://help.shopify.com/en/manual/discounts/combining-discounts).
 */
const COMBINES_WITH = { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true };
const SHIPPING_COMBINES_WITH = { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false };

function header(rule: Rule, mutation: string, lines: string[]): string {
  return [
    `# aov rule "${ruleId(rule)}" (${rule.type}) as a Shopify Admin GraphQL API ${SHOPIFY_API_VERSION} mutation.`,
    `# ${DOCS}/mutations/${mutation}`,
    ...lines.map((line) => `# ${line}`),
    `# Send with the variables file beside this one (README: "Shopify").`,
    '',
  ].join('\n');
}

const USER_ERRORS = '    userErrors {\n      field\n      message\n    }\n';

function giftVariant(settings: TargetSettings): string {
  const id = settings.giftProduct;
  if (!id) return SHOPIFY_PLACEHOLDERS.giftVariant;
  return id.startsWith('gid://') ? id : `gid://shopify/ProductVariant/${id}`;
}

function dates(settings: TargetSettings) {
  return { startsAt: startOfDay(settings.startsOn, settings.startsOffset), endsAt: settings.endsOn ? endOfDay(settings.endsOn, settings.endsOffset) : null };
}

export function renderShopify(rules: readonly Rule[], settings: TargetSettings): TargetOutput {
  const files: TargetFile[] = [];
  const converted: ConvertedRule[] = [];
  const skipped: TargetOutput['skipped'] = [];
  const giftFillIn = settings.giftProduct ? [] : [`the gift's variant id (--gift-product, or replace ${SHOPIFY_PLACEHOLDERS.giftVariant})`];
  // DateTime is ISO 8601: with --tz the offset of the shop's zone, else UTC ("Z").
  const utcNote = settings.timeZone ? [] : [`startsAt and endsAt are in UTC (no --tz): the rule starts at 00:00 UTC on ${settings.startsOn}, not at midnight in the shop's time zone; give --tz with the shop's zone`];
  const currencyNote = (currency: string) => `amounts are in the shop's currency: apply this to a shop whose currency is ${currency} (Markets convert it for other currencies)`;
  for (const rule of rules) {
    const name = slug(rule);
    const money = thresholdOf(rule);
    const base = { rule: ruleId(rule), type: rule.type };
    const values = { threshold: money, startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: null as number | null };
    if (rule.type === 'free_shipping_threshold' && money) {
      const mutation = 'discountAutomaticFreeShippingCreate';
      files.push({
        path: `${name}.graphql`,
        content:
          header(rule, mutation, [`Free shipping on carts of ${money.amount} ${money.currency} or more (minimumRequirement.subtotal).`]) +
          `mutation AovFreeShipping($freeShippingAutomaticDiscount: DiscountAutomaticFreeShippingInput!) {\n  ${mutation}(freeShippingAutomaticDiscount: $freeShippingAutomaticDiscount) {\n    automaticDiscountNode {\n      id\n    }\n${USER_ERRORS}  }\n}\n`,
      });
      files.push({
        path: `${name}.variables.json`,
        content: json({
          freeShippingAutomaticDiscount: {
            title: titleOf(rule),
            ...dates(settings),
            minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: money.amount } },
            destination: { all: true },
            combinesWith: SHIPPING_COMBINES_WITH,
            appliesOnOneTimePurchase: true,
            appliesOnSubscription: false,
          },
        }),
      });
      converted.push({ ...base, files: [`${name}.graphql`, `${name}.variables.json`], object: mutation, values, basisWarning: basisWarning('shopify', 'freeShipping', rule), cannotEnforce: [...utcNote, currencyNote(money.currency)], fillIn: [] });
    } else if (rule.type === 'gift_threshold' && money) {
      const mutation = 'discountAutomaticBxgyCreate';
      files.push({
        path: `${name}.graphql`,
        content:
          header(rule, mutation, [
            `A free gift (one unit at 100% off) on carts of ${money.amount} ${money.currency} or more (customerBuys.value.amount).`,
            'Shopify does not put the gift in the cart: the customer adds it, or an app / a Cart Transform Function does.',
          ]) +
          `mutation AovGiftThreshold($automaticBxgyDiscount: DiscountAutomaticBxgyInput!) {\n  ${mutation}(automaticBxgyDiscount: $automaticBxgyDiscount) {\n    automaticDiscountNode {\n      id\n    }\n${USER_ERRORS}  }\n}\n`,
      });
      files.push({
        path: `${name}.variables.json`,
        content: json({
          automaticBxgyDiscount: {
            title: titleOf(rule),
            ...dates(settings),
            combinesWith: COMBINES_WITH,
            customerBuys: { value: { amount: money.amount }, items: { collections: { add: [SHOPIFY_PLACEHOLDERS.allProducts] } } },
            customerGets: { value: { discountOnQuantity: { quantity: '1', effect: { percentage: 1 } } }, items: { products: { productVariantsToAdd: [giftVariant(settings)] } } },
            usesPerOrderLimit: '1',
          },
        }),
      });
      converted.push({
        ...base, files: [`${name}.graphql`, `${name}.variables.json`], object: mutation, values,
        basisWarning: basisWarning('shopify', 'gift', rule),
        cannotEnforce: [
          ...utcNote,
          currencyNote(money.currency),
          'Shopify does not add the gift to the cart: the customer must add it (an app or a Cart Transform Function can add it automatically)',
          'Buy X Get Y counts only the items of the qualifying collection: use a collection of every product, or the threshold counts less than the cart',
          giftCountsNote('shopify', money)!,
        ],
        fillIn: [`a collection of every product (replace ${SHOPIFY_PLACEHOLDERS.allProducts})`, ...giftFillIn],
      });
    } else if (rule.type === 'second_order_gift') {
      const days = validDaysOf(rule);
      files.push({ path: `${name}.segment.graphql`, content: segmentDocument(rule, 'Customers with exactly one order: the ones the second-order gift is for.') });
      files.push({ path: `${name}.segment.variables.json`, content: json({ name: 'aov: one order so far', query: 'number_of_orders = 1' }) });
      const mutation = 'discountCodeBxgyCreate';
      files.push({
        path: `${name}.graphql`,
        content:
          header(rule, mutation, [
            'A code for a free gift on the second order, once per customer (appliesOncePerCustomer), for the segment created first.',
            'Run the .segment.graphql mutation first and put the segment id it returns in the variables.',
          ]) +
          `mutation AovSecondOrderGift($bxgyCodeDiscount: DiscountCodeBxgyInput!) {\n  ${mutation}(bxgyCodeDiscount: $bxgyCodeDiscount) {\n    codeDiscountNode {\n      id\n    }\n${USER_ERRORS}  }\n}\n`,
      });
      files.push({
        path: `${name}.variables.json`,
        content: json({
          bxgyCodeDiscount: {
            title: titleOf(rule),
            code: couponCode(rule),
            ...dates(settings),
            appliesOncePerCustomer: true,
            context: { customerSegments: { add: [SHOPIFY_PLACEHOLDERS.segment] } },
            combinesWith: COMBINES_WITH,
            customerBuys: { value: { quantity: '1' }, items: { collections: { add: [SHOPIFY_PLACEHOLDERS.allProducts] } } },
            customerGets: { value: { discountOnQuantity: { quantity: '1', effect: { percentage: 1 } } }, items: { products: { productVariantsToAdd: [giftVariant(settings)] } } },
            // Int on the code discount input (UnsignedInt64 on the automatic one).
            usesPerOrderLimit: 1,
          },
        }),
      });
      converted.push({
        ...base, files: [`${name}.segment.graphql`, `${name}.segment.variables.json`, `${name}.graphql`, `${name}.variables.json`], object: `segmentCreate + ${mutation}`,
        values: { ...values, usesPerCustomer: 1 }, basisWarning: null,
        cannotEnforce: [
          ...utcNote,
          'the segment and once-per-customer are checked against a customer Shopify knows (signed in, or an email the shop has): a guest with a new email is not eligible, as aov\'s rule says',
          `"within ${days ?? 'N'} days of the first order" cannot be set per customer: the code runs from startsAt to endsAt for everyone in the segment; send it after the first order`,
          'the segment (number_of_orders = 1) holds every one-order customer, old ones too, not only new customers',
        ],
        fillIn: [`the segment id returned by segmentCreate (replace ${SHOPIFY_PLACEHOLDERS.segment})`, `a collection of every product (replace ${SHOPIFY_PLACEHOLDERS.allProducts})`, ...giftFillIn],
      });
    } else if (rule.type === 'priority_support_tier' && money) {
      files.push({ path: `${name}.segment.graphql`, content: segmentDocument(rule, `Customers who spent ${money.amount} ${money.currency} or more: the ${String(rule.name ?? 'tier')} members.`) });
      files.push({ path: `${name}.segment.variables.json`, content: json({ name: `aov: ${String(rule.name ?? 'tier')} (${money.amount} ${money.currency}+)`, query: `amount_spent >= ${money.amount}` }) });
      converted.push({
        ...base, files: [`${name}.segment.graphql`, `${name}.segment.variables.json`], object: 'segmentCreate', values, basisWarning: null,
        cannotEnforce: [
          `amount_spent is lifetime spend in the shop's currency, not the last ${String(rule.window)} aov measured`,
          `the ${String(rule.responseTargetHours)} h response target is your helpdesk's job: Shopify only holds the segment`,
        ],
        fillIn: [],
      });
    } else {
      skipped.push({ rule: ruleId(rule), reason: rule.type === 'bundle' ? 'bundles are products on Shopify (the Shopify Bundles app), not a discount aov can write' : `no Shopify object for ${rule.type}` });
    }
  }
  return {
    target: 'shopify', api: `Shopify Admin GraphQL API ${SHOPIFY_API_VERSION}`,
    docs: [`${DOCS}/mutations/discountAutomaticFreeShippingCreate`, `${DOCS}/mutations/discountAutomaticBxgyCreate`, `${DOCS}/mutations/discountCodeBxgyCreate`, `${DOCS}/mutations/segmentCreate`],
    files, rules: converted, skipped,
  };
}

function segmentDocument(rule: Rule, what: string): string {
  return (
    header(rule, 'segmentCreate', [what, 'Segment query syntax: https://shopify.dev/docs/api/shopifyql/segment-query-language-reference']) +
    `mutation AovSegment($name: String!, $query: String!) {\n  segmentCreate(name: $name, query: $query) {\n    segment {\n      id\n      name\n    }\n${USER_ERRORS}  }\n}\n`
  );
}
