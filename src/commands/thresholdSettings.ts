/** The threshold options as typed on the command line, parsed into the plan's settings once, before any work. */
import type { Rounding } from '../analysis/priceRounding.js';
import type { ResponseShape } from '../analysis/threshold.js';
import { DEFAULT_RETURN_RANGE, DEFAULT_UPTAKE_RANGE } from '../analysis/thresholdResponse.js';
import type { ThresholdSettings } from '../analysis/thresholdPlan/settings.js';
import { AovError, quoteValue } from '../errors.js';
import type { InputCliOptions } from './inputOptions.js';
import { parsePercentRange, parseShareRangeText, VALUE_SPECS } from '../options/optionSpecs.js';

export interface ThresholdOptions extends InputCliOptions {
  mode: 'gift' | 'free-shipping';
  margin?: number;
  giftCost?: number;
  shippingCost?: number;
  costs?: string;
  range: string;
  anchor: 'mean' | 'median';
  step: number;
  round: Rounding;
  uptake?: number;
  /** --uptake-prior: 90% range of the uptake at a tiny gap, e.g. 0.05-0.35. */
  uptakePrior?: string;
  /** --returns: range of the share of top-up add-ons returned, e.g. 0.03-0.18. */
  returns?: string;
  /** --reach-spread: the reach prior runs from reach / spread to reach x spread. */
  reachSpread?: number;
  /** false with --no-prior: p0, reach and overshoot taken as known (the model before issue #16). */
  prior?: boolean;
  reach?: number;
  overshoot?: number;
  shape: ResponseShape;
  since?: string;
  resamples: number;
  seed: number;
  calibrate?: boolean;
  existingThreshold?: number;
  locale?: string[];
  emit?: string;
  force?: boolean;
  json?: boolean;
  color?: boolean;
}

export function parseRange(text: string): [number, number] {
  const range = parsePercentRange(text);
  if (!range) throw new AovError('E_USAGE', `--range ${quoteValue(text)}: expected ${VALUE_SPECS.range.expected}.`, { hint: VALUE_SPECS.range.hint });
  return range;
}

/** A range of shares, "0.05-0.35" or "5-35%", for --uptake-prior and --returns. */
export function parseShareRange(text: string, flag: string): [number, number] {
  const range = parseShareRangeText(text);
  if (!range) throw new AovError('E_USAGE', `${flag} ${text}: expected a range of shares such as 0.05-0.35 or 5-35%.`, {});
  return range;
}

export function parseSince(text: string, flag = '--since'): number {
  const t = Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(t)) throw new AovError('E_USAGE', `${flag} ${quoteValue(text)}: expected a date such as 2024-01-31.`, {});
  return t;
}

/** The command line's threshold options as the plan's settings (every string parsed here). */
export function thresholdSettings(options: ThresholdOptions): ThresholdSettings {
  return {
    mode: options.mode, basis: options.value === 'total' ? 'total' : 'subtotal', margin: options.margin, giftCost: options.giftCost, shippingCost: options.shippingCost,
    range: parseRange(options.range), rangeText: options.range, anchor: options.anchor, step: options.step / 100, round: options.round,
    uptake: options.uptake,
    uptakeRange: parseShareRange(options.uptakePrior ?? DEFAULT_UPTAKE_RANGE.join('-'), '--uptake-prior'),
    returnRange: parseShareRange(options.returns ?? DEFAULT_RETURN_RANGE.join('-'), '--returns'),
    reachSpread: options.reachSpread, prior: options.prior !== false, reach: options.reach, overshoot: options.overshoot, shape: options.shape,
    since: options.since ? parseSince(options.since) : undefined,
    resamples: options.resamples, seed: options.seed, calibrate: options.calibrate, existingThreshold: options.existingThreshold, force: options.force,
    locales: options.locale ?? [],
  };
}
