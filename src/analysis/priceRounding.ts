/**
 * Thresholds a shop would actually use: candidate amounts rounded to whole currency units,
 * to multiples of five, or left as computed.
 */
export type Rounding = '1' | '5' | 'none';

/**
 * Rounds an amount in minor units to a price point.
 * @example roundPricePoint(5437, 2, '5') // 5500 (55.00)
 */
export function roundPricePoint(valueMinor: number, decimals: number, rounding: Rounding): number {
  const unit = 10 ** decimals;
  if (rounding === 'none') return Math.round(valueMinor);
  const step = rounding === '5' ? 5 * unit : unit;
  return Math.round(valueMinor / step) * step;
}

/** Candidate thresholds from `fromPct` to `toPct` above the anchor, rounded and deduplicated, ascending. */
export function candidateThresholds(anchorMinor: number, decimals: number, fromPct: number, toPct: number, stepPct: number, rounding: Rounding): number[] {
  const out = new Set<number>();
  const steps = Math.round((toPct - fromPct) / stepPct);
  for (let k = 0; k <= steps; k++) {
    const pct = fromPct + k * stepPct;
    const value = roundPricePoint(anchorMinor * (1 + pct), decimals, rounding);
    if (value > 0) out.add(value);
  }
  return [...out].sort((a, b) => a - b);
}
