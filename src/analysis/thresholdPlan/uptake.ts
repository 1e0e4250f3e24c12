/**
 * The uptake at a tiny gap: --uptake, a calibration from a threshold that already ran
 * (--existing-threshold, or one --calibrate finds), or the default; which one and why.
 */
import { detectThresholds, type DetectedThreshold } from '../bunching.js';
import { betaFromRange } from '../beta.js';
import { calibrateUptake, type Calibration } from '../calibration.js';
import type { OrderTable } from '../types.js';

/** Default uptake: 30% of carts with a tiny gap top up (an assumption; --uptake or --calibrate replaces it). */
export const DEFAULT_UPTAKE = 0.3;

export interface UptakeDecision {
  p0: number;
  source: string;
  /** The threshold calibrated at (minor units), given or found. */
  existing?: number;
  calibration: Calibration | null;
  /** Whether the calibration sets the uptake (used, and no --uptake overrides it). */
  calibrated: boolean;
  /** Likely thresholds found in the history (all, before the one calibrated at is taken out). */
  detected: DetectedThreshold[];
  notes: string[];
}

/** A share as the notes write it: 4.3%, 20%. */
export const formatShare = (x: number) => `${Number((x * 100).toFixed(1))}%`;

/**
 * Bunching is looked for in multi-item orders only: a single-item order's value is a catalogue
 * price, and popular prices are spikes that are not bunching (the Shopify export's single
 * products at 198-248 read as a threshold at 195 with 79% uptake). A cart that tops up adds an
 * item, so every moved order is a multi-item one. The calibration itself reads all orders:
 * its counterfactual is the whole distribution around X, and the moved orders come from it.
 */
export function resolveUptake(
  table: OrderTable,
  reachMinor: number,
  reachScales: readonly number[],
  settings: { uptake?: number; calibrate?: boolean; existingThreshold?: number; seed: number; uptakeRange?: readonly [number, number] },
): UptakeDecision {
  const scale = 10 ** table.decimals;
  const notes: string[] = [];
  const multiItem = table.valueMinor.filter((_, i) => table.itemCount[i] > 1);
  const detected = detectThresholds(multiItem, table.decimals, reachMinor);
  const existing = settings.existingThreshold !== undefined ? Math.round(settings.existingThreshold * scale) : settings.calibrate ? detected[0]?.threshold : undefined;
  if (settings.calibrate && existing === undefined) notes.push('--calibrate found no significant bunching at a round amount; the default uptake is used.');
  const calibration = existing !== undefined ? calibrateUptake(table.valueMinor, existing, reachMinor, reachScales, {
    seed: settings.seed,
    // (where a reach's bunching cannot be read, the stated prior stands there)
    priorUptake: settings.uptakeRange ? betaFromRange(settings.uptakeRange[0], settings.uptakeRange[1]) : undefined,
  }) : null;
  const at = existing !== undefined ? (existing / scale).toFixed(table.decimals) : '';
  if (calibration && !calibration.used) notes.push(`The bunching at ${at} is not used: ${calibration.refusal}.`);
  if (calibration?.used && calibration.bunching.intervalSource === 'bootstrap') notes.push(`The calibration's interval at ${at} holds the orders' resampling noise only: fewer than 8 placebo amounts fit around it, so a misfit of the smooth counterfactual is not in it.`);
  const calibrated = calibration?.used === true && settings.uptake === undefined;
  let p0 = settings.uptake ?? DEFAULT_UPTAKE;
  let source = settings.uptake !== undefined ? '--uptake' : 'default assumption: 30% of carts with a tiny gap top up';
  if (calibrated) {
    const b = calibration!.bunching;
    const evidence = b.intervalSource === 'bootstrap and placebos' ? `bootstrap and ${b.placebosUsed} placebo thresholds` : 'bootstrap';
    if (calibration!.none) {
      // No bunching is evidence too: the history says about 0, up to its upper bound. The
      // default (an assumption) would overrule the shop's own data.
      p0 = 0;
      source = `calibrated at the existing threshold ${at}: no bunching (about 0%, at most ${formatShare(calibration!.p0High)} at 95%, ${evidence})`;
      notes.push(`No bunching at ${at}: no orders moved to it; the uptake is taken as about 0 (at most ${formatShare(calibration!.p0High)}), not the default.`);
    } else {
      p0 = Math.min(1, calibration!.p0);
      source = `calibrated from bunching at the existing threshold ${at} (all orders; 95% interval from the ${evidence})`;
    }
  }
  return { p0, source, existing, calibration, calibrated, detected, notes };
}
