/** What a qualifying order costs the shop: the gift, or the shipping fee waived. */
import { AovError } from '../../errors.js';
import { medianSorted } from '../robust.js';
import type { OrderTable } from '../types.js';

export interface RewardDecision {
  /** The reward per qualifying order in minor units (free shipping from the export: the median fee paid). */
  rewardMinor: number;
  /** Free shipping from the export: the shipping each order paid (its own waived fee; 0 = already free). */
  shippingMinor?: Float64Array;
  source: string;
}

/**
 * Gift mode: --gift-cost. Free-shipping mode: each order's own charged shipping when the export
 * has it (orders that paid none already ship free and are credited with no top-up), else the
 * flat --shipping-cost.
 */
export function resolveReward(table: OrderTable, mode: 'gift' | 'free-shipping', cost: { giftCost?: number; shippingCost?: number }, exportHasShipping: boolean): RewardDecision {
  const scale = 10 ** table.decimals;
  if (mode === 'gift') {
    if (cost.giftCost === undefined) throw new AovError('E_USAGE', '--gift-cost is needed in gift mode.', { hint: 'Example: --gift-cost 3.50' });
    return { rewardMinor: Math.round(cost.giftCost * scale), source: '--gift-cost' };
  }
  if (exportHasShipping && table.shippingMinor && cost.shippingCost === undefined) {
    const shippingMinor = table.shippingMinor;
    const paid = Array.from(shippingMinor).filter((x) => Number.isFinite(x) && x > 0).sort((a, b) => a - b);
    const shippedFree = Array.from(shippingMinor).filter((x) => Number.isFinite(x) && x === 0).length;
    return {
      // (the median in whole minor units: it is charged as a fee where an order's own is unknown)
      rewardMinor: paid.length ? Math.round(medianSorted(paid)) : 0,
      shippingMinor,
      source: `the shipping each order paid in the export (median shown); ${shippedFree.toLocaleString('en-US')} orders paid none and are credited with no top-up (they already ship free)`,
    };
  }
  if (cost.shippingCost === undefined) throw new AovError('E_USAGE', '--shipping-cost is needed: the export has no shipping column.', { hint: 'Example: --mode free-shipping --shipping-cost 4.90' });
  return { rewardMinor: Math.round(cost.shippingCost * scale), source: '--shipping-cost' };
}
