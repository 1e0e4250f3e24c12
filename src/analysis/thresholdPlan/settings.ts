/**
 * What `suggest-threshold` (and the report and `rules`) ask of the threshold plan, already
 * parsed and validated by the command (src/commands/thresholdSettings.ts): numbers, not strings.
 */
import type { Rounding } from '../priceRounding.js';
import type { ResponseShape } from '../threshold.js';

export interface ThresholdSettings {
  mode: 'gift' | 'free-shipping';
  /** What the threshold is compared with: the order subtotal (merchandise after discounts, the default) or its total (--value total). */
  basis: 'subtotal' | 'total';
  /** --margin (a rate), used when the orders have no cost or profit data. */
  margin?: number;
  /** --gift-cost / --shipping-cost in major units. */
  giftCost?: number;
  shippingCost?: number;
  /** Candidates from..to above the anchor, as fractions (0.15, 0.30), the text as typed for notes, the step as a fraction. */
  range: readonly [number, number];
  rangeText: string;
  anchor: 'mean' | 'median';
  step: number;
  round: Rounding;
  /** --uptake: the uptake taken as known. */
  uptake?: number;
  /** The uptake prior's and the returns' 90% ranges (the defaults when not given). */
  uptakeRange: readonly [number, number];
  returnRange: readonly [number, number];
  reachSpread?: number;
  /** false with --no-prior. */
  prior: boolean;
  /** --reach / --overshoot in major units. */
  reach?: number;
  overshoot?: number;
  shape: ResponseShape;
  /** --since as epoch ms (wall clock as UTC); absent: the last 12 months. */
  since?: number;
  resamples: number;
  seed: number;
  calibrate?: boolean;
  /** --existing-threshold in major units. */
  existingThreshold?: number;
  /** --force: simulate fewer than 100 orders. */
  force?: boolean;
  locales: readonly string[];
}

/**
 * Whether a threshold can be planned on these orders: a reward with a cost (a gift cost, or
 * free shipping) and a margin (cost or profit data in the orders, or --margin).
 */
export function hasThresholdInputs(table: { marginMinor?: Float64Array }, settings: Pick<ThresholdSettings, 'mode' | 'giftCost' | 'margin'>): boolean {
  return (settings.giftCost !== undefined || settings.mode === 'free-shipping') && (table.marginMinor !== undefined || settings.margin !== undefined);
}
