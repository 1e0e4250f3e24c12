/**
 * `aov rules --target X`: the rules of an aov.rules/v1 document as platform X's own objects,
 * the cart messages, and a manifest (aov.target/v1) saying what was written, how to apply
 * each file, what the platform compares and what it cannot enforce.
 */
import type { RulesDocument } from '../../io/rulesFile.js';
import { cartMessages, liquidSnippet } from './cartMessages.js';
import { json } from './common.js';
import { renderMagento } from './magento.js';
import { renderPrestaShop } from './prestashop.js';
import { renderShopify, SHOPIFY_API_VERSION } from './shopify.js';
import type { ConvertedRule, Target, TargetFile, TargetOutput, TargetSettings } from './types.js';
import { renderWooCommerce } from './woocommerce.js';

export { TARGETS, type Target, type TargetSettings } from './types.js';

export const MANIFEST_FILE = 'aov-target.json';
export const CART_MESSAGES_FILE = 'cart-messages.json';

/** The aov.target/v1 manifest. */
export interface TargetManifest {
  schema: 'aov.target/v1';
  target: Target;
  api: string;
  docs: string[];
  settings: { startsOn: string; endsOn: string | null; giftProduct: string | null; timeZone: string | null };
  rules: (ConvertedRule & { apply: string[] })[];
  skipped: { rule: string; reason: string }[];
  cartMessages: string;
  snippets: string[];
}

const RENDERERS: Record<Target, (rules: RulesDocument['rules'], settings: TargetSettings) => TargetOutput> = {
  shopify: renderShopify,
  woocommerce: renderWooCommerce,
  prestashop: renderPrestaShop,
  magento: renderMagento,
};

/** The commands that apply one written file (alternatives, each complete), with the credentials as shell variables. */
export function applyCommands(target: Target, file: string): string[] {
  if (target === 'woocommerce' && file.endsWith('.shipping-method.json')) {
    // POST adds a method instance to the zone (a second free_shipping if it has one already);
    // PUT .../methods/<instance_id> updates the zone's existing one (wc/v3 shipping zone methods).
    const auth = '-u "$WC_KEY:$WC_SECRET" -H "Content-Type: application/json"';
    return [
      `curl -sS -X POST "https://$STORE/wp-json/wc/v3/shipping/zones/$ZONE_ID/methods" ${auth} --data @${file}`,
      `curl -sS -X PUT "https://$STORE/wp-json/wc/v3/shipping/zones/$ZONE_ID/methods/$INSTANCE_ID" ${auth} --data @${file}`,
    ];
  }
  const command = applyCommand(target, file);
  return command === null ? [] : [command];
}

function applyCommand(target: Target, file: string): string | null {
  if (target === 'shopify') {
    if (!file.endsWith('.graphql')) return null;
    const variables = file.replace(/\.graphql$/, '.variables.json');
    return `curl -sS -X POST "https://$SHOP.myshopify.com/admin/api/${SHOPIFY_API_VERSION}/graphql.json" -H "Content-Type: application/json" -H "X-Shopify-Access-Token: $SHOPIFY_TOKEN" --data "$(jq -n --rawfile query ${file} --slurpfile variables ${variables} '{query: $query, variables: $variables[0]}')"`;
  }
  if (target === 'woocommerce') {
    const endpoint = file.endsWith('.shipping-method.json') ? 'shipping/zones/$ZONE_ID/methods' : 'coupons';
    return `curl -sS -X POST "https://$STORE/wp-json/wc/v3/${endpoint}" -u "$WC_KEY:$WC_SECRET" -H "Content-Type: application/json" --data @${file}`;
  }
  if (target === 'prestashop') return `curl -sS -X POST "https://$SHOP/api/cart_rules" -u "$PS_WEBSERVICE_KEY:" -H "Content-Type: application/xml" --data-binary @${file}`;
  const endpoint = file.endsWith('.coupon.json') ? 'coupons' : 'salesRules';
  return `curl -sS -X POST "https://$STORE/rest/V1/${endpoint}" -H "Authorization: Bearer $MAGENTO_TOKEN" -H "Content-Type: application/json" --data @${file}`;
}

/** Every file of the hand-over, the manifest last; paths relative to the output folder. */
export function renderTarget(document: RulesDocument, target: Target, settings: TargetSettings): { files: TargetFile[]; manifest: TargetManifest } {
  const output = RENDERERS[target](document.rules, settings);
  const snippets = target === 'shopify' ? document.rules.map(liquidSnippet).filter((f): f is TargetFile => f !== null) : [];
  const manifest: TargetManifest = {
    schema: 'aov.target/v1',
    target,
    api: output.api,
    docs: output.docs,
    settings: { startsOn: settings.startsOn, endsOn: settings.endsOn, giftProduct: settings.giftProduct ?? null, timeZone: settings.timeZone },
    rules: output.rules.map((r) => ({ ...r, apply: r.files.flatMap((f) => applyCommands(target, f)) })),
    skipped: output.skipped,
    cartMessages: CART_MESSAGES_FILE,
    snippets: snippets.map((s) => s.path),
  };
  const files = [...output.files, ...snippets, { path: CART_MESSAGES_FILE, content: json(cartMessages(document.rules)) }, { path: MANIFEST_FILE, content: json(manifest) }];
  return { files, manifest };
}
