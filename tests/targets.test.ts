import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getVariableValues, GraphQLScalarType, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { mergeRules, type Rule, type RulesDocument } from '../src/io/rulesFile.js';
import { formatForLocale, liquidSnippet, minorOf, shopifyCents } from '../src/report/targets/cartMessages.js';
import { renderTarget, type Target, type TargetSettings } from '../src/report/targets/index.js';
import { ROOT, runAov, tempDir } from './helpers.js';

// One rule of each kind, written by hand (the inputs the round trips must give back).
const FREE_SHIPPING: Rule = { type: 'free_shipping_threshold', threshold: { amount: '59.00', currency: 'EUR' }, basis: 'subtotal', reward: { kind: 'free_shipping' }, message: { en: 'Only {remaining} more for free shipping', 'de-DE': 'Nur noch {remaining} bis zum kostenlosen Versand', 'nb-NO': 'Du mangler {remaining} for gratis frakt' } };
const GIFT: Rule = { type: 'gift_threshold', threshold: { amount: '40.00', currency: 'EUR' }, basis: 'subtotal', reward: { kind: 'gift', cost: { amount: '3.00', currency: 'EUR' } }, message: { en: "You're only {remaining} away from a free gift!", 'it-IT': 'Ti mancano solo {remaining} per il regalo!' } };
const SECOND: Rule = { type: 'second_order_gift', oncePerCustomer: true, customerKey: 'email', gift: { description: 'free gift', cost: { amount: '5.00', currency: 'EUR' } }, validDays: 90 };
const TIER: Rule = { type: 'priority_support_tier', name: 'Premium', minSpend: { amount: '500.00', currency: 'EUR' }, window: '365d', responseTargetHours: 2 };
const BUNDLE: Rule = { type: 'bundle', items: ['A', 'B'], evidence: { support: 0.1, confidence: 0.5, lift: 2 } };
const DOCUMENT: RulesDocument = mergeRules(undefined, [FREE_SHIPPING, GIFT, SECOND, TIER, BUNDLE], false, 'rules.json');
const SETTINGS: TargetSettings = { startsOn: '2026-01-01', endsOn: '2026-03-31', giftProduct: '4242', startsLater: false, timeZone: null, startsOffset: 'Z', endsOffset: 'Z' };

const read = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'schemas', name), 'utf8'));
async function validator(file: string) {
  const { default: Ajv } = (await import('ajv/dist/2020.js')) as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null } } };
  const validate = new Ajv({ allErrors: true, strict: false }).compile(read(file));
  return (data: unknown) => (validate(data) ? [] : (validate.errors ?? []));
}
const fileOf = (files: { path: string; content: string }[], name: string) => {
  const file = files.find((f) => f.path === name);
  if (!file) throw new Error(`no ${name} in ${files.map((f) => f.path).join(', ')}`);
  return file.content;
};

/**
 * The Shopify SDL with strict scalars: Decimal a decimal string, UnsignedInt64 a string of digits,
 * DateTime ISO 8601 (the API's own formats), so a number where a string belongs fails too.
 */
function shopifySchema() {
  const schema = buildSchema(readFileSync(path.join(ROOT, 'schemas', 'platforms', 'shopify-admin-2025-10.graphql'), 'utf8'));
  const strict = (name: string, ok: (v: unknown) => boolean) => {
    const type = schema.getType(name) as GraphQLScalarType;
    type.parseValue = (value: unknown) => {
      if (!ok(value)) throw new TypeError(`${name} cannot represent ${JSON.stringify(value)}`);
      return value;
    };
  };
  strict('Decimal', (v) => typeof v === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(v));
  strict('UnsignedInt64', (v) => typeof v === 'string' && /^[0-9]+$/.test(v));
  strict('DateTime', (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/.test(v));
  return schema;
}

/** Errors of one .graphql document and its variables against the schema: parse, validate, then coerce the variables. */
function graphqlErrors(schema: ReturnType<typeof shopifySchema>, document: string, variables: Record<string, unknown>): string[] {
  const ast = parse(document);
  const errors = validate(schema, ast).map((e) => e.message);
  if (errors.length) return errors;
  const operation = ast.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return coerced.errors?.map((e) => e.message) ?? [];
}

/**
 * A reader for the cart_rule XML aov writes, independent of the renderer: elements one per line,
 * <name> holding <language id="N"> children. Returns { cart_rule: { field: text } }.
 */
function parseCartRule(xml: string): { cart_rule: Record<string, unknown> } {
  const body = xml.replace(/<!--[\s\S]*?-->/g, '').match(/<cart_rule>([\s\S]*)<\/cart_rule>/)![1];
  const cartRule: Record<string, unknown> = {};
  const unescape = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const [, key, inner] of body.matchAll(/<([a-z_]+)>([\s\S]*?)<\/\1>/g)) {
    if (key === 'name') cartRule.name = Object.fromEntries([...inner.matchAll(/<language id="(\d+)">([\s\S]*?)<\/language>/g)].map(([, id, text]) => [id, unescape(text)]));
    else cartRule[key] = unescape(inner);
  }
  return { cart_rule: cartRule };
}

describe('aov rules --target: payloads validated offline against the platforms\' documented fields', () => {
  it('Shopify: every mutation parses and validates against the 2025-10 input types, variables included', () => {
    const schema = shopifySchema();
    const { files, manifest } = renderTarget(DOCUMENT, 'shopify', SETTINGS);
    const documents = files.filter((f) => f.path.endsWith('.graphql'));
    // free shipping 1, gift 1, second order 2 (segment + code), tier 1 (segment).
    expect(documents.map((d) => d.path).sort()).toEqual([
      'free_shipping_threshold-EUR.graphql', 'gift_threshold-EUR.graphql', 'priority_support_tier-EUR.segment.graphql', 'second_order_gift-EUR.graphql', 'second_order_gift-EUR.segment.graphql',
    ]);
    for (const document of documents) {
      const variables = JSON.parse(fileOf(files, document.path.replace(/\.graphql$/, '.variables.json')));
      expect({ file: document.path, errors: graphqlErrors(schema, document.content, variables) }).toEqual({ file: document.path, errors: [] });
      // The header cites the mutation's reference page and the API version.
      expect(document.content).toMatch(/^# aov rule .* Shopify Admin GraphQL API 2025-10 mutation\.\n# https:\/\/shopify\.dev\/docs\/api\/admin-graphql\/2025-10\/mutations\/\w+/);
    }
    expect(manifest.skipped.map((s) => s.rule)).toEqual(['bundle:A+B']);
  });

  it('Shopify: a wrong field name (in the variables or the document) fails the validation', () => {
    const schema = shopifySchema();
    const { files } = renderTarget(DOCUMENT, 'shopify', SETTINGS);
    const document = fileOf(files, 'free_shipping_threshold-EUR.graphql');
    const variables = JSON.parse(fileOf(files, 'free_shipping_threshold-EUR.variables.json'));
    variables.freeShippingAutomaticDiscount.minimumRequirement.subtotal = { greaterThanOrEqualSubtotal: '59.00' };
    expect(graphqlErrors(schema, document, variables).join('\n')).toMatch(/greaterThanOrEqualSubtotal.*not defined/);
    const good = JSON.parse(fileOf(files, 'free_shipping_threshold-EUR.variables.json'));
    expect(graphqlErrors(schema, document.replace('automaticDiscountNode', 'automaticDiscount'), good).join('\n')).toMatch(/Cannot query field "automaticDiscount"/);
    // A number where Shopify takes a Decimal string.
    good.freeShippingAutomaticDiscount.minimumRequirement.subtotal.greaterThanOrEqualToSubtotal = 59;
    expect(graphqlErrors(schema, document, good).join('\n')).toMatch(/Decimal cannot represent 59/);
  });

  it('WooCommerce: coupons and the free_shipping method match the wc/v3 JSON Schemas; a wrong name fails', async () => {
    const coupon = await validator('platforms/woocommerce-wc-v3.coupon.json');
    const method = await validator('platforms/woocommerce-wc-v3.shipping-method.json');
    const { files } = renderTarget(DOCUMENT, 'woocommerce', SETTINGS);
    const body = JSON.parse(fileOf(files, 'free_shipping_threshold-EUR.shipping-method.json'));
    expect(method(body)).toEqual([]);
    for (const name of ['gift_threshold-EUR.coupon.json', 'second_order_gift-EUR.coupon.json']) expect({ name, errors: coupon(JSON.parse(fileOf(files, name))) }).toEqual({ name, errors: [] });
    expect(method({ ...body, settings: { ...body.settings, minimum_amount: '59.00' } })).not.toEqual([]);
    const wrong = JSON.parse(fileOf(files, 'gift_threshold-EUR.coupon.json'));
    wrong.min_amount = wrong.minimum_amount;
    expect(coupon(wrong)).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'min_amount' } }));
  });

  it('PrestaShop: each cart_rule XML, parsed back, matches the webservice fields and formats; a wrong name fails', async () => {
    const cartRule = await validator('platforms/prestashop-9.cart_rule.json');
    const { files } = renderTarget(DOCUMENT, 'prestashop', SETTINGS);
    const xmls = files.filter((f) => f.path.endsWith('.xml'));
    expect(xmls.map((f) => f.path).sort()).toEqual(['free_shipping_threshold-EUR.cart_rule.xml', 'gift_threshold-EUR.cart_rule.xml', 'second_order_gift-EUR.cart_rule.xml']);
    for (const xml of xmls) {
      expect(xml.content).toContain('https://devdocs.prestashop-project.org/9/webservice/resources/cart_rules/');
      // As sent, after the merchant put in the shop's currency id (fillIn).
      const filled = xml.content.replace(/REPLACE_WITH_ID_OF_EUR/g, '1');
      expect({ file: xml.path, errors: cartRule(parseCartRule(filled)) }).toEqual({ file: xml.path, errors: [] });
    }
    const wrong = parseCartRule(fileOf(files, 'gift_threshold-EUR.cart_rule.xml').replace(/minimum_amount_currency/g, 'minimum_currency'));
    expect(cartRule(wrong)).toContainEqual(expect.objectContaining({ params: { additionalProperty: 'minimum_currency' } }));
  });

  it('Magento: each salesRule and coupon body matches the V1/salesRules JSON Schema; a wrong name fails', async () => {
    const salesRule = await validator('platforms/magento-2.4.salesRule.json');
    const { files } = renderTarget(DOCUMENT, 'magento', SETTINGS);
    const bodies = files.filter((f) => /\.(salesRule|coupon)\.json$/.test(f.path));
    expect(bodies.map((f) => f.path).sort()).toEqual(['free_shipping_threshold-EUR.salesRule.json', 'gift_threshold-EUR.salesRule.json', 'second_order_gift-EUR.coupon.json', 'second_order_gift-EUR.salesRule.json']);
    for (const body of bodies) expect({ file: body.path, errors: salesRule(JSON.parse(body.content)) }).toEqual({ file: body.path, errors: [] });
    const wrong = JSON.parse(fileOf(files, 'free_shipping_threshold-EUR.salesRule.json'));
    wrong.rule.uses_per_customers = wrong.rule.uses_per_customer;
    delete wrong.rule.uses_per_customer;
    expect(salesRule(wrong)).not.toEqual([]);
  });

  it('writes a manifest and cart messages that match their schemas, for every target', async () => {
    const manifestSchema = await validator('aov.target.v1.json');
    const messagesSchema = await validator('aov.cartMessages.v1.json');
    for (const target of ['shopify', 'woocommerce', 'prestashop', 'magento'] as Target[]) {
      const { files } = renderTarget(DOCUMENT, target, SETTINGS);
      const manifest = JSON.parse(fileOf(files, 'aov-target.json'));
      expect({ target, errors: manifestSchema(manifest) }).toEqual({ target, errors: [] });
      expect(messagesSchema(JSON.parse(fileOf(files, 'cart-messages.json')))).toEqual([]);
      // Every written payload has its apply command.
      for (const rule of manifest.rules) expect(rule.apply.length).toBeGreaterThan(0);
    }
  });
});

/** The values a payload carries, read back by hand per platform (what the round trip compares). */
type Values = { threshold: string | null; currency: string | null; startsOn: string | null; endsOn: string | null; usesPerCustomer: number | null };

function readBack(target: Target, files: { path: string; content: string }[], rule: string): Values {
  const manifest = JSON.parse(fileOf(files, 'aov-target.json'));
  const entry = manifest.rules.find((r: { rule: string }) => r.rule === rule);
  // The platforms take amounts in the shop's currency: the currency is carried by the file's header
  // (GraphQL, XML) or the manifest (JSON bodies, which take no comments).
  const currency: string | null = entry.values.threshold?.currency ?? null;
  const slug = rule.replace(/[^A-Za-z0-9_-]+/g, '-');
  if (target === 'shopify') {
    const v = JSON.parse(fileOf(files, `${slug}.variables.json`));
    const input = v.freeShippingAutomaticDiscount ?? v.automaticBxgyDiscount ?? v.bxgyCodeDiscount;
    const threshold = input.minimumRequirement?.subtotal.greaterThanOrEqualToSubtotal ?? input.customerBuys.value.amount ?? null;
    if (threshold) expect(fileOf(files, `${slug}.graphql`)).toContain(`${threshold} ${currency}`);
    return { threshold, currency, startsOn: input.startsAt.slice(0, 10), endsOn: input.endsAt?.slice(0, 10) ?? null, usesPerCustomer: input.appliesOncePerCustomer ? 1 : null };
  }
  if (target === 'woocommerce') {
    const name = files.some((f) => f.path === `${slug}.coupon.json`) ? `${slug}.coupon.json` : `${slug}.shipping-method.json`;
    const body = JSON.parse(fileOf(files, name));
    // Neither coupons nor shipping methods have a start date: the manifest says so (cannotEnforce) and keeps it.
    expect(entry.cannotEnforce.join(' ')).toMatch(/no start date|no dates/);
    // date_expires is the end of the last day, in the site's timezone.
    if (body.date_expires) expect(body.date_expires).toMatch(/T23:59:59$/);
    const endsOn = body.settings ? manifest.settings.endsOn : (body.date_expires?.slice(0, 10) ?? null);
    return { threshold: body.minimum_amount ?? body.settings?.min_amount ?? null, currency, startsOn: manifest.settings.startsOn, endsOn, usesPerCustomer: body.usage_limit_per_user ?? null };
  }
  if (target === 'prestashop') {
    const xml = fileOf(files, `${slug}.cart_rule.xml`);
    const r = parseCartRule(xml).cart_rule as Record<string, string>;
    if (r.minimum_amount) expect(xml).toContain(`${r.minimum_amount} ${currency}`);
    const endsOn = r.date_to.slice(0, 10) === '2099-12-31' ? null : r.date_to.slice(0, 10);
    return { threshold: r.minimum_amount ?? null, currency, startsOn: r.date_from.slice(0, 10), endsOn, usesPerCustomer: r.quantity_per_user === '999999' ? null : Number(r.quantity_per_user) };
  }
  const body = JSON.parse(fileOf(files, `${slug}.salesRule.json`)).rule;
  const threshold = body.condition?.conditions.find((c: { attribute_name: string }) => c.attribute_name === 'base_subtotal_with_discount')?.value ?? null;
  return { threshold, currency, startsOn: body.from_date, endsOn: body.to_date, usesPerCustomer: body.uses_per_customer === 0 ? null : body.uses_per_customer };
}

describe('round trip: aov.rules -> target -> back to the values', () => {
  for (const target of ['shopify', 'woocommerce', 'prestashop', 'magento'] as Target[]) {
    it(`${target}: threshold, currency, dates and per-customer limits come back unchanged`, () => {
      for (const settings of [SETTINGS, { ...SETTINGS, endsOn: null }]) {
        const { files } = renderTarget(DOCUMENT, target, settings);
        // Expected: the hand-written rules above and the settings, not the tool's output.
        const expected: Record<string, Values> = {
          'free_shipping_threshold:EUR': { threshold: '59.00', currency: 'EUR', startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: null },
          'gift_threshold:EUR': { threshold: '40.00', currency: 'EUR', startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: null },
          'second_order_gift:EUR': { threshold: null, currency: null, startsOn: settings.startsOn, endsOn: settings.endsOn, usesPerCustomer: 1 },
        };
        for (const [rule, values] of Object.entries(expected)) expect({ target, rule, ...readBack(target, files, rule) }).toEqual({ target, rule, ...values });
      }
    });
  }
});

describe('threshold basis: what each platform compares vs what aov simulated', () => {
  const total: Rule = { ...FREE_SHIPPING, basis: 'total' };
  const doc = mergeRules(undefined, [total], false, 'rules.json');
  const warningOf = (document: RulesDocument, target: Target, rule: string) => renderTarget(document, target, SETTINGS).manifest.rules.find((r) => r.rule === rule)!.basisWarning;
  it('warns when the platform compares the subtotal and aov simulated the total (Shopify, WooCommerce, Magento)', () => {
    for (const target of ['shopify', 'woocommerce', 'magento'] as Target[]) expect(warningOf(doc, target, 'free_shipping_threshold:EUR')).toMatch(/aov simulated the threshold on the order total/);
    // Shopify compares the subtotal after product discounts: the same basis.
    expect(warningOf(DOCUMENT, 'shopify', 'free_shipping_threshold:EUR')).toBeNull();
  });
  it('WooCommerce warns on a subtotal rule too: its displayed subtotal has tax when the store shows prices with tax, and a coupon\'s minimum is before coupons', () => {
    // WC_Shipping_Free_Shipping::is_available() and WC_Discounts read get_displayed_subtotal().
    expect(warningOf(DOCUMENT, 'woocommerce', 'free_shipping_threshold:EUR')).toMatch(/with tax when the store displays cart prices including tax/);
    expect(warningOf(DOCUMENT, 'woocommerce', 'gift_threshold:EUR')).toMatch(/before any coupon discount.*with tax when/);
  });
  it('PrestaShop sets tax and shipping to the basis, and warns that it compares before voucher discounts', () => {
    // CartRule::checkValidity(): getOrderTotal(minimum_amount_tax, Cart::ONLY_PRODUCTS) (+ ONLY_SHIPPING).
    const total = parseCartRule(fileOf(renderTarget(doc, 'prestashop', SETTINGS).files, 'free_shipping_threshold-EUR.cart_rule.xml')).cart_rule;
    expect([total.minimum_amount_tax, total.minimum_amount_shipping]).toEqual(['1', '1']);
    // aov's subtotal is without tax and shipping (README: order value).
    const subtotal = parseCartRule(fileOf(renderTarget(DOCUMENT, 'prestashop', SETTINGS).files, 'free_shipping_threshold-EUR.cart_rule.xml')).cart_rule;
    expect([subtotal.minimum_amount_tax, subtotal.minimum_amount_shipping]).toEqual(['0', '0']);
    expect(warningOf(DOCUMENT, 'prestashop', 'free_shipping_threshold:EUR')).toMatch(/before cart-rule \(voucher\) discounts/);
  });
  it('Magento compares base_subtotal_with_discount (after discounts, without tax): no warning on a subtotal rule', () => {
    expect(warningOf(DOCUMENT, 'magento', 'free_shipping_threshold:EUR')).toBeNull();
    expect(warningOf(DOCUMENT, 'magento', 'gift_threshold:EUR')).toBeNull();
    const body = JSON.parse(fileOf(renderTarget(DOCUMENT, 'magento', SETTINGS).files, 'gift_threshold-EUR.salesRule.json')).rule;
    expect(body.condition.conditions.map((c: { attribute_name: string }) => c.attribute_name)).toEqual(['base_subtotal_with_discount']);
  });
  it('says where the gift\'s own price counts toward the threshold (WooCommerce, Magento) and not PrestaShop, which subtracts it', () => {
    const notes = (target: Target) => renderTarget(DOCUMENT, target, SETTINGS).manifest.rules.find((r) => r.rule === 'gift_threshold:EUR')!.cannotEnforce.join('\n');
    for (const target of ['woocommerce', 'magento'] as Target[]) expect(notes(target)).toMatch(/the gift's own price counts toward the 40.00 EUR threshold.*price the gift product at 0.*raise the threshold by the gift's price/);
    expect(notes('shopify')).toMatch(/does not document whether the gift counts/);
    expect(notes('prestashop')).not.toMatch(/gift's own price/);
  });
});

describe('cart messages', () => {
  it('counts minor units with the currency\'s ISO 4217 decimals', () => {
    // By hand: EUR has 2 decimals, JPY 0, KWD 3.
    expect(minorOf('59.00', 2)).toBe(5900);
    expect(minorOf('1500', 0)).toBe(1500);
    expect(minorOf('12.5', 3)).toBe(12500);
  });
  it('formats the threshold per locale (Intl, ISO 4217 decimals)', () => {
    // U+00A0 between amount and symbol in de-DE and nb-NO, as CLDR writes them.
    expect(formatForLocale(5900, 'EUR', 2, 'de-DE')).toBe('59,00\u00a0€');
    expect(formatForLocale(12900, 'NOK', 2, 'nb-NO')).toBe('129,00\u00a0kr');
    expect(formatForLocale(1500, 'JPY', 0, 'en')).toBe('¥1,500');
  });
  it('the Liquid snippet compares cart.total_price with the threshold in Shopify\'s hundredths, per locale', () => {
    // Shopify's cart amounts are hundredths of a unit even for JPY ("1000 yen is output as 100000").
    expect(shopifyCents('59.00')).toBe(5900);
    expect(shopifyCents('1500')).toBe(150000);
    const snippet = liquidSnippet({ ...FREE_SHIPPING, id: 'free_shipping_threshold:EUR' })!;
    expect(snippet.path).toBe('snippets/aov-free_shipping_threshold-EUR.liquid');
    expect(snippet.content).toContain('{%- assign aov_threshold = 5900 -%}');
    expect(snippet.content).toContain("cart.currency.iso_code == 'EUR' and cart.total_price < aov_threshold");
    expect(snippet.content).toContain("{%- when 'de-DE', 'de' -%}\n      {%- assign aov_message = 'Nur noch {remaining} bis zum kostenlosen Versand' -%}");
    // A message with an apostrophe is quoted with double quotes (Liquid strings have no escapes).
    expect(liquidSnippet({ ...GIFT, id: 'g' })!.content).toContain(`{%- assign aov_message = "You're only {remaining} away from a free gift!" -%}`);
  });
});

describe('the Liquid snippet, rendered (liquidjs, Shopify-compatible Liquid)', () => {
  async function render(cart: object, locale: string): Promise<string> {
    const { Liquid } = await import('liquidjs');
    const engine = new Liquid();
    // Shopify's money filter with a shop format of "{{amount_with_comma_separator}} €" (cents in).
    engine.registerFilter('money', (cents: number) => `${(cents / 100).toFixed(2).replace('.', ',')} €`);
    const snippet = liquidSnippet({ ...FREE_SHIPPING, id: 'free_shipping_threshold:EUR' })!;
    return (await engine.parseAndRender(snippet.content, { cart, request: { locale: { iso_code: locale } } })).trim();
  }
  it('tells a German cart at 47,00 € that 12,00 € are missing (59,00 - 47,00, by hand)', async () => {
    expect(await render({ item_count: 2, currency: { iso_code: 'EUR' }, total_price: 4700 }, 'de')).toBe(
      '<p class="aov-cart-message" data-aov-rule="free_shipping_threshold:EUR">Nur noch 12,00 € bis zum kostenlosen Versand</p>',
    );
  });
  it('falls back to English for a locale without a message, and says nothing at the threshold, in another currency or for an empty cart', async () => {
    expect(await render({ item_count: 1, currency: { iso_code: 'EUR' }, total_price: 5000 }, 'fr')).toContain('Only 9,00 € more for free shipping');
    expect(await render({ item_count: 3, currency: { iso_code: 'EUR' }, total_price: 5900 }, 'de')).toBe('');
    expect(await render({ item_count: 1, currency: { iso_code: 'USD' }, total_price: 1000 }, 'de')).toBe('');
    expect(await render({ item_count: 0, currency: { iso_code: 'EUR' }, total_price: 0 }, 'de')).toBe('');
  });
});

describe('aov rules --target (the real bin)', () => {
  it('converts an existing rules file, refuses to overwrite without --force, and checks the dates', () => {
    const dir = tempDir('aov-targets-');
    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify(DOCUMENT));
    const out = path.join(dir, 'woo');
    const first = runAov(['rules', '--check', rules, '--target', 'woocommerce', '--out', out, '--starts', '2026-01-01', '--gift-product', '4242']);
    expect(first.code).toBe(0);
    expect(first.stderr.replace(/\s+/g, ' ')).toContain(`Wrote ${out}/: 3 rules as WooCommerce REST API wc/v3`);
    expect(first.stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(out, 'gift_threshold-EUR.coupon.json'), 'utf8')).product_ids).toEqual([4242]);
    const before = readFileSync(path.join(out, 'aov-target.json'), 'utf8');
    const again = runAov(['rules', '--check', rules, '--target', 'woocommerce', '--out', out, '--starts', '2026-02-01']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist/);
    expect(readFileSync(path.join(out, 'aov-target.json'), 'utf8')).toBe(before);
    const forced = runAov(['rules', '--check', rules, '--target', 'woocommerce', '--out', out, '--starts', '2026-02-01', '--force', '--json']);
    expect(forced.code).toBe(0);
    // --json: the manifest on stdout, the same as the file.
    expect(JSON.parse(forced.stdout)).toEqual(JSON.parse(readFileSync(path.join(out, 'aov-target.json'), 'utf8')));
    expect(JSON.parse(forced.stdout).settings.startsOn).toBe('2026-02-01');
    const bad = runAov(['rules', '--check', rules, '--target', 'magento', '--out', path.join(dir, 'm'), '--starts', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--starts must be a day as YYYY-MM-DD (found 2026-02-30)');
    expect(existsSync(path.join(dir, 'm'))).toBe(false);
    const backwards = runAov(['rules', '--check', rules, '--target', 'magento', '--out', path.join(dir, 'm'), '--starts', '2026-03-01', '--ends', '2026-02-01']);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('--ends 2026-02-01 is before --starts 2026-03-01');
    const orphan = runAov(['rules', '--check', rules, '--starts', '2026-01-01']);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain('--starts only applies with --target');
  });

  it('converts the rule aov suggest-threshold --emit wrote: Magento gets its threshold', async () => {
    const { fixture } = await import('./helpers.js');
    const dir = tempDir('aov-targets-');
    const emitted = path.join(dir, 'rules.json');
    expect(runAov(['suggest-threshold', fixture('sample-orders.csv'), '--gift-cost', '0.2', '--no-prior', '--emit', emitted]).code).toBe(0);
    const rule = JSON.parse(readFileSync(emitted, 'utf8')).rules[0];
    const out = path.join(dir, 'magento');
    expect(runAov(['rules', '--check', emitted, '--target', 'magento', '--out', out, '--starts', '2026-01-01']).code).toBe(0);
    const body = JSON.parse(readFileSync(path.join(out, 'gift_threshold-EUR.salesRule.json'), 'utf8')).rule;
    expect(body.condition.conditions[0]).toEqual({ condition_type: 'Magento\\SalesRule\\Model\\Rule\\Condition\\Address', attribute_name: 'base_subtotal_with_discount', operator: '>=', value: rule.threshold.amount });
  });

  it('aov rules orders.csv --target shopify writes rules.json and the Shopify files into the folder', async () => {
    const { fixture } = await import('./helpers.js');
    const dir = tempDir('aov-targets-');
    const out = path.join(dir, 'shopify');
    const result = runAov(['rules', fixture('sample-orders.csv'), '--gift-cost', '0.2', '--min-support', '20', '--no-prior', '--target', 'shopify', '--out', out, '--starts', '2026-01-01']);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'aov-target.json'), 'utf8'));
    const rules = JSON.parse(readFileSync(path.join(out, 'rules.json'), 'utf8'));
    // The gift threshold handed over is the one aov wrote into rules.json.
    const gift = rules.rules.find((r: Rule) => r.type === 'gift_threshold');
    const variables = JSON.parse(readFileSync(path.join(out, 'gift_threshold-EUR.variables.json'), 'utf8'));
    expect(variables.automaticBxgyDiscount.customerBuys.value.amount).toBe(gift.threshold.amount);
    expect(manifest.snippets).toEqual(['snippets/aov-gift_threshold-EUR.liquid']);
    expect(existsSync(path.join(out, manifest.snippets[0]))).toBe(true);
  });
});

describe('WooCommerce gift coupons need a real product id', () => {
  // WC_Coupon::set_product_ids() drops 0 and an empty product_ids restricts nothing: a 100% coupon
  // limited to one item would make the most expensive item of any cart free.
  for (const giftProduct of [undefined, '0', 'GIFT-SKU']) {
    it(`writes no coupon when --gift-product is ${giftProduct ?? 'missing'}, and says why`, () => {
      const { files, manifest } = renderTarget(DOCUMENT, 'woocommerce', { ...SETTINGS, giftProduct });
      expect(files.filter((f) => f.path.endsWith('.coupon.json'))).toEqual([]);
      const skipped = manifest.skipped.filter((s) => s.rule === 'gift_threshold:EUR' || s.rule === 'second_order_gift:EUR');
      expect(skipped).toHaveLength(2);
      for (const s of skipped) expect(s.reason).toMatch(/no coupon written.*--gift-product.*most expensive item/);
      // Free shipping needs no product and is still written.
      expect(files.some((f) => f.path === 'free_shipping_threshold-EUR.shipping-method.json')).toBe(true);
    });
  }
});

describe('amounts handed over with the currency\'s ISO 4217 decimals', () => {
  it('writes every payload and the cart message from the same minor units ("59.5" EUR -> 59.50, by hand)', () => {
    const doc = mergeRules(undefined, [{ ...FREE_SHIPPING, threshold: { amount: '59.5', currency: 'EUR' } }], false, 'rules.json');
    const shopify = renderTarget(doc, 'shopify', SETTINGS).files;
    expect(JSON.parse(fileOf(shopify, 'free_shipping_threshold-EUR.variables.json')).freeShippingAutomaticDiscount.minimumRequirement.subtotal.greaterThanOrEqualToSubtotal).toBe('59.50');
    const woo = renderTarget(doc, 'woocommerce', SETTINGS).files;
    expect(JSON.parse(fileOf(woo, 'free_shipping_threshold-EUR.shipping-method.json')).settings.min_amount).toBe('59.50');
    const messages = JSON.parse(fileOf(woo, 'cart-messages.json')).rules[0];
    expect([messages.thresholdMinor, messages.locales['de-DE'].threshold]).toEqual([5950, '59,50\u00a0€']);
    const yen = mergeRules(undefined, [{ ...FREE_SHIPPING, threshold: { amount: '5000.00', currency: 'JPY' } }], false, 'rules.json');
    // JPY has no decimals: "5000.00" is 5000 yen, written "5000".
    expect(parseCartRule(fileOf(renderTarget(yen, 'prestashop', SETTINGS).files, 'free_shipping_threshold-JPY.cart_rule.xml')).cart_rule.minimum_amount).toBe('5000');
  });

  for (const [amount, currency, problem] of [['5000.5', 'JPY', /JPY has 0 decimals/], ['59.999', 'EUR', /EUR has 2 decimals/], ['-5', 'EUR', /must be above 0/], ['0.00', 'EUR', /must be above 0/]] as const) {
    it(`refuses ${amount} ${currency} before writing anything (exit 2, naming the rule and field)`, () => {
      const dir = tempDir('aov-targets-');
      const rules = path.join(dir, 'rules.json');
      writeFileSync(rules, JSON.stringify(mergeRules(undefined, [{ ...FREE_SHIPPING, threshold: { amount, currency } }], false, 'rules.json')));
      const out = path.join(dir, 'woo');
      const result = runAov(['rules', '--check', rules, '--target', 'woocommerce', '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`rule 1 ("free_shipping_threshold:${currency}"), threshold.amount is ${amount}`);
      expect(result.stderr).toMatch(problem);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('Shopify dates in the shop\'s time zone (--tz)', () => {
  it('finds the UTC offset of local midnight (Tokyo +09:00; Berlin +01:00 in winter, +02:00 in summer; New York -05:00)', async () => {
    const { offsetAt } = await import('../src/commands/targetSettings.js');
    // Offsets from the tz database: JST has no DST; CET/CEST; EST.
    expect(offsetAt('2026-01-01', '00:00:00', 'Asia/Tokyo')).toBe('+09:00');
    expect(offsetAt('2026-01-01', '00:00:00', 'Europe/Berlin')).toBe('+01:00');
    expect(offsetAt('2026-07-01', '23:59:59', 'Europe/Berlin')).toBe('+02:00');
    expect(offsetAt('2026-01-01', '00:00:00', 'America/New_York')).toBe('-05:00');
    expect(offsetAt('2026-01-01', '00:00:00', 'UTC')).toBe('Z');
  });
  it('writes startsAt/endsAt with the offset, says UTC on stderr and in the manifest without --tz, and refuses an unknown zone', () => {
    const dir = tempDir('aov-targets-');
    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify(DOCUMENT));
    const tokyo = runAov(['rules', '--check', rules, '--target', 'shopify', '--out', path.join(dir, 'tokyo'), '--starts', '2026-01-01', '--ends', '2026-03-31', '--tz', 'Asia/Tokyo']);
    expect(tokyo.code).toBe(0);
    const input = JSON.parse(readFileSync(path.join(dir, 'tokyo', 'free_shipping_threshold-EUR.variables.json'), 'utf8')).freeShippingAutomaticDiscount;
    expect([input.startsAt, input.endsAt]).toEqual(['2026-01-01T00:00:00+09:00', '2026-03-31T23:59:59+09:00']);
    expect(tokyo.stderr).not.toMatch(/in UTC/);
    const utc = runAov(['rules', '--check', rules, '--target', 'shopify', '--out', path.join(dir, 'utc'), '--starts', '2026-01-01']);
    expect(utc.stderr.replace(/\s+/g, ' ')).toMatch(/startsAt and endsAt are in UTC: give --tz/);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'utc', 'aov-target.json'), 'utf8'));
    expect(manifest.rules[0].cannotEnforce[0]).toMatch(/in UTC \(no --tz\)/);
    const bad = runAov(['rules', '--check', rules, '--target', 'shopify', '--out', path.join(dir, 'bad'), '--tz', 'Mars/Olympus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--tz must be an IANA time zone');
  });
});

describe('WooCommerce free shipping: an existing method and a later start', () => {
  it('offers PUT to the zone\'s existing method beside POST, and writes a method that starts later disabled', async () => {
    const { targetSettings } = await import('../src/commands/targetSettings.js');
    // Today 2026-06-01: a start on 2026-07-01 is later, one on 2026-06-01 is not.
    const later = targetSettings({ target: 'woocommerce', starts: '2026-07-01', giftProduct: '4242' }, '2026-06-01');
    expect(later.startsLater).toBe(true);
    expect(targetSettings({ target: 'woocommerce', starts: '2026-06-01' }, '2026-06-01').startsLater).toBe(false);
    const { files, manifest } = renderTarget(DOCUMENT, 'woocommerce', later);
    expect(JSON.parse(fileOf(files, 'free_shipping_threshold-EUR.shipping-method.json')).enabled).toBe(false);
    const rule = manifest.rules.find((r) => r.rule === 'free_shipping_threshold:EUR')!;
    expect(rule.cannotEnforce.join('\n')).toMatch(/written disabled \(enabled false\); enable it on 2026-07-01/);
    expect(rule.apply).toHaveLength(2);
    expect(rule.apply[0]).toMatch(/-X POST "https:\/\/\$STORE\/wp-json\/wc\/v3\/shipping\/zones\/\$ZONE_ID\/methods"/);
    expect(rule.apply[1]).toMatch(/-X PUT "https:\/\/\$STORE\/wp-json\/wc\/v3\/shipping\/zones\/\$ZONE_ID\/methods\/\$INSTANCE_ID"/);
    // Starting today: live at once.
    expect(JSON.parse(fileOf(renderTarget(DOCUMENT, 'woocommerce', SETTINGS).files, 'free_shipping_threshold-EUR.shipping-method.json')).enabled).toBe(true);
  });
});

describe('coupon codes', () => {
  it('keep two gift thresholds apart by currency and minor units (59.99 EUR and 59.50 USD: not both AOVGIFT59)', () => {
    const doc = mergeRules(undefined, [{ ...GIFT, threshold: { amount: '59.99', currency: 'EUR' } }, { ...GIFT, threshold: { amount: '59.50', currency: 'USD' } }], false, 'rules.json');
    const { files } = renderTarget(doc, 'woocommerce', SETTINGS);
    const codes = ['gift_threshold-EUR.coupon.json', 'gift_threshold-USD.coupon.json'].map((f) => JSON.parse(fileOf(files, f)).code);
    // 59.99 EUR = 5999 cents, 59.50 USD = 5950 cents (by hand).
    expect(codes).toEqual(['AOVGIFTEUR5999', 'AOVGIFTUSD5950']);
    // The second-order code carries its currency on every platform.
    expect(parseCartRule(fileOf(renderTarget(DOCUMENT, 'prestashop', SETTINGS).files, 'second_order_gift-EUR.cart_rule.xml')).cart_rule.code).toBe('AOVSECONDEUR');
    expect(JSON.parse(fileOf(renderTarget(DOCUMENT, 'shopify', SETTINGS).files, 'second_order_gift-EUR.variables.json')).bxgyCodeDiscount.code).toBe('AOVSECONDEUR');
  });
});

describe('rules without an id (a hand-written file)', () => {
  it('are named by their derived id everywhere, never "undefined"', () => {
    const bare: RulesDocument = { schema: 'aov.rules/v1', rules: [FREE_SHIPPING, GIFT, SECOND, TIER, BUNDLE] };
    expect(bare.rules.every((r) => r.id === undefined)).toBe(true);
    for (const target of ['shopify', 'woocommerce', 'prestashop', 'magento'] as Target[]) {
      const { files, manifest } = renderTarget(bare, target, SETTINGS);
      for (const file of files) expect({ target, file: file.path, undefined: file.content.includes('undefined') }).toEqual({ target, file: file.path, undefined: false });
      expect(manifest.rules.map((r) => r.rule)).toContain('free_shipping_threshold:EUR');
      expect(manifest.skipped.map((s) => s.rule)).toContain('bundle:A+B');
    }
  });
});

describe('PrestaShop minimum_amount_currency', () => {
  it('is a placeholder PrestaShop refuses (isInt) until the shop\'s currency id is put in, and says so as a warning on stderr', async () => {
    const cartRule = await validator('platforms/prestashop-9.cart_rule.json');
    const xml = fileOf(renderTarget(DOCUMENT, 'prestashop', SETTINGS).files, 'free_shipping_threshold-EUR.cart_rule.xml');
    const parsed = parseCartRule(xml);
    expect(parsed.cart_rule.minimum_amount_currency).toBe('REPLACE_WITH_ID_OF_EUR');
    expect(cartRule(parsed)).not.toEqual([]);
    const dir = tempDir('aov-targets-');
    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify(DOCUMENT));
    const result = runAov(['rules', '--check', rules, '--target', 'prestashop', '--out', path.join(dir, 'ps')]);
    expect(result.code).toBe(0);
    expect(result.stderr.replace(/\s+/g, ' ')).toMatch(/warning.*free_shipping_threshold:EUR: minimum_amount_currency is a placeholder: put in the shop's id for EUR/i);
  });
});

describe('Shopify combinesWith', () => {
  it('lets free shipping combine with order and product discounts but not another shipping discount (Shopify help: combining discounts)', () => {
    const { files } = renderTarget(DOCUMENT, 'shopify', SETTINGS);
    expect(JSON.parse(fileOf(files, 'free_shipping_threshold-EUR.variables.json')).freeShippingAutomaticDiscount.combinesWith).toEqual({ orderDiscounts: true, productDiscounts: true, shippingDiscounts: false });
    // The gift is a product discount: it may combine with free shipping.
    expect(JSON.parse(fileOf(files, 'gift_threshold-EUR.variables.json')).automaticBxgyDiscount.combinesWith.shippingDiscounts).toBe(true);
  });
});

describe('second-order codes open to anyone who types them', () => {
  it('say that the predictable code must be changed (WooCommerce, PrestaShop: no segment limits who may use it)', () => {
    for (const target of ['woocommerce', 'prestashop'] as Target[]) {
      const rule = renderTarget(DOCUMENT, target, SETTINGS).manifest.rules.find((r) => r.rule === 'second_order_gift:EUR')!;
      expect(rule.cannotEnforce.join('\n')).toMatch(/the code AOVSECONDEUR is predictable.*cannot be guessed/);
    }
  });
});
