/** The options of `aov bundles` (and the bundles part of `aov report` and `aov rules`), parsed once. */
import { betaFromRange } from '../analysis/beta.js';
import type { OfferResponse, UpliftAssumption } from '../analysis/bundleOffers.js';
import { lognormalFromRange, lognormalMean, type Elasticity } from '../analysis/bundleResponse.js';
import { BUNDLE_DEFAULTS } from '../analysis/bundleDefaults.js';
import type { BundlesSettings } from '../analysis/bundlesPlan.js';
import type { PairSort } from '../analysis/pairs.js';
import { AovError, quoteValue } from '../errors.js';
import { currencyDecimals } from '../io/currency.js';
import { parseDiscountRangeText, parseElasticityText, parseShareRangeText, parseShareText, VALUE_SPECS } from '../options/optionSpecs.js';

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
  bundleElasticity?: string;
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
    response: parseResponse(options.bundleUplift, options.bundleElasticity),
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

/**
 * The response model: a flat uplift when --bundle-uplift is given, else the price elasticity
 * (--bundle-elasticity, default BUNDLE_DEFAULTS.bundleElasticity). Both at once is a usage error.
 */
export function parseResponse(uplift: string | undefined, elasticity: string | undefined): OfferResponse {
  if (uplift !== undefined && elasticity !== undefined) {
    throw new AovError('E_USAGE', '--bundle-uplift and --bundle-elasticity are two models of one response: give one.', {
      hint: '--bundle-elasticity 0.6-2.6 lets the uplift rise with the discount; --bundle-uplift 2-10% keeps it the same at any discount.',
    });
  }
  if (uplift !== undefined) return { model: 'flat', uplift: parseUplift(uplift) };
  return { model: 'elasticity', elasticity: parseElasticity(elasticity ?? BUNDLE_DEFAULTS.bundleElasticity) };
}

/** "1.5": known; "0.6-2.6": a lognormal prior with that 90% range. */
export function parseElasticity(text: string): Elasticity {
  const range = parseElasticityText(text);
  if (!range) throw new AovError('E_USAGE', `--bundle-elasticity ${quoteValue(text)}: expected ${VALUE_SPECS.bundleElasticity.expected}.`, { hint: VALUE_SPECS.bundleElasticity.hint });
  if (range[0] === range[1]) return { kind: 'known', value: range[0] };
  const { mu, sigma } = lognormalFromRange(range[0], range[1]);
  return { kind: 'prior', mu, sigma, low: range[0], high: range[1], mean: lognormalMean(mu, sigma) };
}

/** "0.05" or "5%": known; "2-10%": a Beta prior with that 90% range (the threshold's uptake treatment). */
export function parseUplift(text: string): UpliftAssumption {
  const range = parseShareRangeText(text);
  if (range && range[0] > 0 && range[0] < range[1]) return { kind: 'prior', ...betaFromRange(range[0], range[1]), low: range[0], high: range[1] };
  const single = range && range[0] === range[1] ? range[0] : parseShareText(text);
  if (single !== undefined) return { kind: 'known', uplift: single };
  throw new AovError('E_USAGE', `--bundle-uplift ${quoteValue(text)}: expected ${VALUE_SPECS.bundleUplift.expected}.`, { hint: VALUE_SPECS.bundleUplift.hint });
}
