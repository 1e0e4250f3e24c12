/** The options of `aov bundles` (and the bundles part of `aov report` and `aov rules`), parsed once. */
import { betaFromRange } from '../analysis/beta.js';
import type { UpliftAssumption } from '../analysis/bundleOffers.js';
import { BUNDLE_DEFAULTS } from '../analysis/bundleDefaults.js';
import type { BundlesSettings } from '../analysis/bundlesPlan.js';
import type { PairSort } from '../analysis/pairs.js';
import { AovError, quoteValue } from '../errors.js';
import { currencyDecimals } from '../io/currency.js';
import { parseDiscountRangeText, parseShareRangeText, parseShareText, VALUE_SPECS } from './optionSpecs.js';

/** What the bundles options are on the command line (commander's values). */
export interface BundlesCliOptions {
  minSupport?: string;
  maxSize?: number;
  minConfidence?: number;
  minLift?: number;
  maxQ?: number;
  sort?: PairSort;
  top?: number;
  for?: string;
  item?: 'sku' | 'product' | 'name';
  maxBasket?: number;
  bundleDiscount?: string;
  bundleUplift?: string;
  minBundleMargin?: number;
  setShare?: number;
}

/** Options to settings, with BUNDLE_DEFAULTS for what is not given; `priceCurrency` sets the decimals. */
export function bundlesSettings(options: BundlesCliOptions, priceCurrency: string): BundlesSettings {
  return {
    minSupport: parseMinSupport(options.minSupport ?? BUNDLE_DEFAULTS.minSupport),
    maxSize: options.maxSize ?? BUNDLE_DEFAULTS.maxSize,
    maxBasket: options.maxBasket,
    maxQ: options.maxQ ?? BUNDLE_DEFAULTS.maxQ,
    minConfidence: options.minConfidence,
    minLift: options.minLift,
    sort: options.sort ?? BUNDLE_DEFAULTS.sort,
    top: options.top ?? BUNDLE_DEFAULTS.top,
    for: options.for,
    item: options.item ?? BUNDLE_DEFAULTS.item,
    discount: parseDiscountRange(options.bundleDiscount ?? BUNDLE_DEFAULTS.bundleDiscount),
    uplift: parseUplift(options.bundleUplift ?? BUNDLE_DEFAULTS.bundleUplift),
    minBundleMargin: options.minBundleMargin ?? BUNDLE_DEFAULTS.minBundleMargin,
    setShare: options.setShare ?? BUNDLE_DEFAULTS.setShare,
    decimals: currencyDecimals(priceCurrency),
  };
}

/** "0.01" is a share of baskets, "20" a count of baskets. */
export function parseMinSupport(text: string): BundlesSettings['minSupport'] {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new AovError('E_USAGE', `--min-support ${quoteValue(text)}: expected ${VALUE_SPECS.minSupport.expected}.`, { hint: VALUE_SPECS.minSupport.hint });
  }
  return value < 1 ? { share: value } : { count: value };
}

/** "5-10" (percent), "0.05-0.10", or one value "8%". */
export function parseDiscountRange(text: string): [number, number] {
  const range = parseDiscountRangeText(text);
  if (!range) throw new AovError('E_USAGE', `--bundle-discount ${quoteValue(text)}: expected ${VALUE_SPECS.bundleDiscount.expected}.`, { hint: VALUE_SPECS.bundleDiscount.hint });
  return range;
}

/** "0.05" or "5%": known; "2-10%": a Beta prior with that 90% range (the threshold's uptake treatment). */
export function parseUplift(text: string): UpliftAssumption {
  const range = parseShareRangeText(text);
  if (range && range[0] > 0 && range[0] < range[1]) return { kind: 'prior', ...betaFromRange(range[0], range[1]), low: range[0], high: range[1] };
  const single = range && range[0] === range[1] ? range[0] : parseShareText(text);
  if (single !== undefined) return { kind: 'known', uplift: single };
  throw new AovError('E_USAGE', `--bundle-uplift ${quoteValue(text)}: expected ${VALUE_SPECS.bundleUplift.expected}.`, { hint: VALUE_SPECS.bundleUplift.hint });
}
