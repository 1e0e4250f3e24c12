/**
 * Hand-over of aov.rules/v1 rules as a platform's own objects (issue #19): the shared types.
 * Each target is a renderer: rules in, file contents out; it formats, never computes.
 */
import type { Rule } from '../../io/rulesFile.js';

export const TARGETS = ['shopify', 'woocommerce', 'prestashop', 'magento'] as const;
export type Target = (typeof TARGETS)[number];

/** What the merchant gives besides the rules file (all optional; placeholders say what is missing). */
export interface TargetSettings {
  /** First day the rules apply, YYYY-MM-DD (the command defaults it to today). */
  startsOn: string;
  /** Last day, YYYY-MM-DD, or null for open-ended. */
  endsOn: string | null;
  /** Whether the first day is after today (the command knows today; a renderer never reads the clock). */
  startsLater: boolean;
  /** The shop's time zone (--tz), or null: Shopify's startsAt/endsAt are then in UTC. */
  timeZone: string | null;
  /** UTC offsets ("+09:00", "Z") of the first day's 00:00:00 and the last day's 23:59:59 in that zone. */
  startsOffset: string;
  endsOffset: string;
  /** The gift's id on the platform (Shopify variant id or GID, WooCommerce/PrestaShop product id, Magento SKU). */
  giftProduct?: string;
}

/** One file of a target's output, path relative to the output folder. */
export interface TargetFile {
  path: string;
  content: string;
}

/** How one aov rule was handed over. */
export interface ConvertedRule {
  /** The aov rule's id (rules.json). */
  rule: string;
  type: string;
  /** Files written for it (relative paths); empty when the platform has no object for it. */
  files: string[];
  /** The platform object used, e.g. "discountAutomaticFreeShippingCreate". */
  object: string | null;
  /** The values the payload carries, in aov's terms (what the round trip checks). */
  values: HandedValues;
  /** What aov simulated vs what the platform compares, when they differ. */
  basisWarning: string | null;
  /** What the platform cannot enforce, said plainly. */
  cannotEnforce: string[];
  /** Things the merchant must fill in before applying (placeholders). */
  fillIn: string[];
}

/** The values a rule hands over, platform-neutral. */
export interface HandedValues {
  threshold: { amount: string; currency: string } | null;
  startsOn: string;
  endsOn: string | null;
  usesPerCustomer: number | null;
}

export interface TargetOutput {
  target: Target;
  /** The platform API and version the files are written for. */
  api: string;
  docs: string[];
  files: TargetFile[];
  rules: ConvertedRule[];
  /** Rules with no object on this platform, with the reason. */
  skipped: { rule: string; reason: string }[];
}

export type { Rule };
