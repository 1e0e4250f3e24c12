/** The trend verdict in words, for the terminal, the JSON documents and the report. */
import type { TrendVerdict } from '../analysis/trend.js';

/** 'p = 0.43', 'p = 0.004', 'p < 0.001'. */
function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return `= ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** "median AOV rising about 1.9% a month (Mann-Kendall p = 0.009)", "no significant trend in median AOV (p = 0.66)". */
export function trendVerdictText(v: TrendVerdict): string {
  switch (v.kind) {
    case 'too few periods': {
      const described = `${v.periodsUsed} ${v.includePartial ? '' : 'complete '}${v.period}${v.periodsUsed === 1 ? '' : 's'}`;
      return `too few periods for a trend (${described}; need ${v.needed})`;
    }
    case 'trend':
      return `median AOV ${v.direction} about ${Math.abs(v.relativeSlope * 100).toFixed(1)}% a ${v.period} (Mann-Kendall p ${formatP(v.p)})`;
    case 'no trend':
      return `no significant trend in median AOV (p ${formatP(v.p)})`;
  }
}
