/** The margin a threshold's extra spend earns: each order's own (cost or profit data), else --margin. */
import { AovError } from '../../errors.js';
import type { OrderTable } from '../types.js';

/**
 * The sales-weighted margin rate of a table's orders (total margin / total order value), from
 * cost or profit data; undefined without it or when the orders total 0.
 * @example marginRateOf({ valueMinor: [1000, 3000], marginMinor: [500, 500] }) // 1000 / 4000 = 0.25
 */
export function marginRateOf(table: Pick<OrderTable, 'valueMinor' | 'marginMinor'>): number | undefined {
  if (!table.marginMinor) return undefined;
  let margin = 0;
  let value = 0;
  for (let i = 0; i < table.valueMinor.length; i++) {
    margin += table.marginMinor[i];
    value += table.valueMinor[i];
  }
  return value > 0 ? margin / value : undefined;
}

export interface MarginDecision {
  /** Per-order margins in minor units, when the export has cost or profit data. */
  marginMinor?: Float64Array;
  /** The rate from --margin, when it is used. */
  margin?: number;
  /** Where the margin came from, for the assumptions line. */
  source: string;
  notes: string[];
}

/**
 * Per-order margins from cost or profit data win over --margin (the export knows each order's
 * own), and --margin is then not silently dropped: a note says it is not used. Without either,
 * an E_USAGE error says what to give.
 */
export function resolveMargin(table: OrderTable, margin: number | undefined): MarginDecision {
  if (table.marginMinor) {
    let losing = 0;
    table.marginMinor.forEach((x) => {
      if (x < 0) losing++;
    });
    const average = `${(marginRateOf(table)! * 100).toFixed(1)}%`;
    const notes = margin !== undefined ? [`--margin ${margin} is not used: the export has cost or profit data, so each order's own margin is used (average ${average}).`] : [];
    return { marginMinor: table.marginMinor, margin, source: `per order from cost/profit data (average ${average}; ${((losing / table.marginMinor.length) * 100).toFixed(1)}% of orders lose money)`, notes };
  }
  if (margin !== undefined) return { margin, source: `${(margin * 100).toFixed(1)}% (--margin)`, notes: [] };
  throw new AovError('E_USAGE', `--margin is needed: the ${table.currency} orders have no cost or profit data.`, {
    hint: 'Example: --margin 0.4 (40% gross margin), or --costs costs.csv with sku,cost.',
  });
}
