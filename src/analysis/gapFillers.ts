/** Gap fillers: items priced to close the gaps of the carts just below a threshold. */
import { quantileSorted } from './robust.js';

export interface GapFillerItem {
  item: number;
  priceMinor: number;
  marginMinor: number | null;
  /** Share of reach-zone-sized carts that contain the item. */
  attachRate: number;
}

export interface GapFillerSuggestion extends GapFillerItem {
  /** The gap quartile it closes: 'q1' | 'median' | 'q3'. */
  closes: string;
  gapMinor: number;
}

/**
 * Items priced to close the typical gaps (quartiles of T - v for orders in the reach zone):
 * for each quartile, the items priced at or just above the gap (within +50%), ranked by
 * attach rate then margin.
 */
export function gapFillers(gapsMinor: Float64Array, items: readonly GapFillerItem[], perGap = 3): GapFillerSuggestion[] {
  if (gapsMinor.length === 0) return [];
  const sorted = Float64Array.from(gapsMinor).sort();
  const out: GapFillerSuggestion[] = [];
  for (const [closes, p] of [['q1', 0.25], ['median', 0.5], ['q3', 0.75]] as const) {
    const gap = quantileSorted(sorted, p);
    const fitting = items
      .filter((it) => it.priceMinor >= gap && it.priceMinor <= gap * 1.5)
      .sort((a, b) => b.attachRate - a.attachRate || (b.marginMinor ?? -Infinity) - (a.marginMinor ?? -Infinity) || a.priceMinor - b.priceMinor || a.item - b.item)
      .slice(0, perGap);
    for (const it of fitting) out.push({ ...it, closes, gapMinor: gap });
  }
  return out;
}
