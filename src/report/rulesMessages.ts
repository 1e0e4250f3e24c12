/** What `aov rules` says on stderr: the rules file written, and what a --target hand-over holds and still needs. */
import type { RulesDocument } from '../io/rulesFile.js';
import type { Target, TargetManifest, TargetSettings } from './targets/index.js';

const TARGET_LABELS: Record<Target, string> = { shopify: 'Shopify', woocommerce: 'WooCommerce', prestashop: 'PrestaShop', magento: 'Magento' };

/** "Wrote rules.json: 5 rules (1 gift_threshold, 3 bundle, 1 priority_support_tier), valid aov.rules/v1." */
export function rulesWrittenStatus(file: string, document: RulesDocument): string {
  const counts = new Map<string, number>();
  for (const r of document.rules) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return `Wrote ${file}: ${document.rules.length} rule${document.rules.length === 1 ? '' : 's'} (${[...counts].map(([t, n]) => `${n} ${t}`).join(', ')}), valid aov.rules/v1.`;
}

/** The status line of a written target folder (`dir` without its trailing slashes). */
export function targetWrittenStatus(dir: string, target: Target, manifest: TargetManifest, fileCount: number): string {
  return `Wrote ${dir}/: ${manifest.rules.length} rule${manifest.rules.length === 1 ? '' : 's'} as ${manifest.api} (${fileCount} files; ${dir}/aov-target.json says how to apply each and what ${TARGET_LABELS[target]} cannot enforce).`;
}

/** Warnings on a hand-over: a basis the platform compares differently, PrestaShop's currency placeholder, Shopify in UTC. */
export function targetWarnings(target: Target, manifest: TargetManifest, settings: TargetSettings): string[] {
  return [
    ...manifest.rules.filter((r) => r.basisWarning).map((r) => `${r.rule}: ${r.basisWarning}`),
    ...(target === 'prestashop' ? manifest.rules.filter((r) => r.fillIn.some((f) => f.startsWith('minimum_amount_currency'))).map((r) => `${r.rule}: minimum_amount_currency is a placeholder: put in the shop's id for ${r.values.threshold?.currency} before sending (PrestaShop converts the minimum from whichever currency the id names)`) : []),
    ...(target === 'shopify' && !settings.timeZone ? [`startsAt and endsAt are in UTC: give --tz with the shop's time zone (e.g. --tz Europe/Berlin) for midnight in the shop`] : []),
  ];
}

/** Notes on a hand-over: each value to fill in, each rule not converted. */
export function targetNotes(manifest: TargetManifest): string[] {
  return [
    ...manifest.rules.flatMap((r) => r.fillIn.map((f) => `${r.rule}: fill in ${f}`)),
    ...manifest.skipped.map((s) => `not converted: ${s.rule}: ${s.reason}`),
  ];
}
