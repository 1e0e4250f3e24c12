/** The stated prior over what the history cannot tell (issue #16), and how it is shown. */
import type { ThresholdPrior } from '../threshold.js';
import { thresholdPrior, type ItemSales } from '../thresholdResponse.js';
import { formatShare, type UptakeDecision } from './uptake.js';

export interface PriorView {
  uptake: { alpha: number; beta: number; range: [number, number] } | null;
  reachScales: number[];
  overshootLowMinor: number;
  overshootHighMinor: number;
  /** Where the overshoot's range came from, in a few words (the terminal's prior line; not in --json, whose source is assumptions.overshootSource). */
  overshootBasis: string;
  returnLow: number;
  returnHigh: number;
}

export interface PriorDecision {
  prior: ThresholdPrior;
  view: PriorView;
  /** The uptake point (the prior's mean) and its source, when the prior has an uptake. */
  p0: number;
  p0Source: string;
  overshootMinor: number;
  overshootSource: string;
  /** The overshoot's range came from the shop's items or add-on prices (not a share of the reach, nor --overshoot). */
  overshootFromData: boolean;
}


/**
 * The uptake prior: none when --uptake fixes it; the calibration's Beta per reach when a past
 * threshold calibrated it; else a Beta over the stated 90% range. Reach, overshoot and returns
 * always come from the stated ranges (the overshoot's from the items sold, else the add-on prices, unless given).
 */
export function resolvePrior(
  addOnPriceMinor: Float64Array,
  reachMinor: number,
  reachScales: readonly number[],
  uptake: UptakeDecision,
  settings: { uptake?: number; uptakeRange: readonly [number, number]; returnRange: readonly [number, number]; reachSpread?: number; overshootMinor?: number; itemSales?: ItemSales },
): PriorDecision {
  const calibration = uptake.calibrated ? uptake.calibration! : null;
  const uptakeRange = settings.uptake !== undefined || calibration ? null : settings.uptakeRange;
  const built = thresholdPrior(addOnPriceMinor, reachMinor, {
    uptakeRange, returnRange: settings.returnRange, reachSpread: settings.reachSpread,
    // The calibration: one Beta per reach scale from the moved orders and their 95% interval (calibration.ts).
    uptakeBeta: calibration ? calibration.uptakeByReach![reachScales.indexOf(1)] : undefined,
    overshootMinor: settings.overshootMinor,
    itemSales: settings.itemSales,
  });
  const prior = built.prior;
  if (calibration) prior.uptakeByReach = calibration.uptakeByReach!;
  let p0 = uptake.p0;
  let p0Source = uptake.source;
  if (prior.uptake) {
    p0 = prior.uptake.alpha / (prior.uptake.alpha + prior.uptake.beta);
    if (!calibration) p0Source = `prior: 90% between ${formatShare(uptakeRange![0])} and ${formatShare(uptakeRange![1])}, an assumption`;
    else p0Source += ' (its 95% interval as the prior; each reach the prior allows gets the uptake the same moved orders imply there)';
  }
  const view: PriorView = {
    uptake: prior.uptake ? { alpha: prior.uptake.alpha, beta: prior.uptake.beta, range: calibration ? [calibration.p0Low, calibration.p0High] : [uptakeRange![0], uptakeRange![1]] } : null,
    reachScales: [...prior.reachScales], overshootLowMinor: prior.overshootLowMinor, overshootHighMinor: prior.overshootHighMinor, overshootBasis: built.overshootBasis,
    returnLow: prior.returnLow, returnHigh: prior.returnHigh,
  };
  return { prior, view, p0, p0Source, overshootMinor: built.overshootMinor, overshootSource: built.overshootSource, overshootFromData: built.overshootFromData };
}
