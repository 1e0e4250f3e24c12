/** `aov analyze` for people: a verdict, the key figures, the monthly series; fits 80 columns. */
import Table from 'cli-table3';
import type { CurrencyAnalysis } from '../analysis/analyzeTable.js';
import { topShareWords, type CurrencySummary } from '../analysis/summary.js';
import type { TrendResult } from '../analysis/trend.js';
import type { InputSummary } from '../io/load.js';
import { verdictText } from './analyzeJson.js';
import { formatAmount, formatCount, formatDay, formatNumber, formatPct, plainChars, sparkline, truncate, wrap, type Style } from './format.js';
import { renderInput } from './inputTerminal.js';
import { formatMessages } from './messages.js';
import { visible } from './visible.js';
import { trendVerdictText } from './trendVerdict.js';

/** The result, for stdout: per currency, the figures, the trend, customers and segments. */
export function renderAnalyzeTerminal(analyses: readonly CurrencyAnalysis[], style: Style): string {
  const blocks = analyses.map((a) => [renderCurrency(a.summary, style), renderTrend(a.trend, a.summary, style), renderExtras(a, style)].filter(Boolean).join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

/**
 * The messages, for stderr (with or without --json): what was read (files, row accounting,
 * rejected rows, notes), then each currency's warnings.
 */
export function renderAnalyzeMessages(input: InputSummary, analyses: readonly CurrencyAnalysis[], style: Style): string {
  const several = analyses.length > 1;
  const warnings = analyses.map((a) => formatMessages('warning', a.warnings.map((w) => w.message), several ? a.summary.currency : '')).join('');
  return `${renderInput(input, style)}\n${warnings}`;
}

function renderCurrency(s: CurrencySummary, style: Style): string {
  const { chalk } = style;
  const a = (minor: number) => formatAmount(minor, s.decimals);
  const out: string[] = [];
  out.push(chalk.bold(`${s.currency} · ${formatCount(s.orders)} orders · ${formatDay(s.from)} to ${formatDay(s.to)}`));
  out.push(wrap(verdictText(s), 78));
  const figures = new Table({
    style: { ...style.tableStyle, 'padding-left': 1, 'padding-right': 1 },
    chars: plainChars(),
    colAligns: ['left', 'right', 'left', 'right'],
  });
  figures.push(
    ['Revenue', a(s.revenueMinor), 'Orders', formatCount(s.orders)],
    ['AOV (mean)', a(s.aov.meanMinor), 'Median', a(s.aov.medianMinor)],
    ['Trimmed mean 5%', a(s.aov.trimmedMeanMinor), 'Winsorized 5%', a(s.aov.winsorizedMeanMinor)],
    // (the top 1% is ceil(1% of the orders): on under 90 orders it is more than 1%, so it is named by its count)
    ['MAD', a(s.aov.madMinor), topShareWords(s.top1PctOrders, s.orders, 0.01, 'order').includes('%') ? 'AOV w/o top 1%' : s.top1PctOrders === 1 ? 'AOV w/o largest' : `AOV w/o top ${s.top1PctOrders}`, a(s.aovWithoutTop1PctMinor)],
    ['p10 / p25', `${a(s.percentilesMinor.p10)} / ${a(s.percentilesMinor.p25)}`, 'p75 / p90', `${a(s.percentilesMinor.p75)} / ${a(s.percentilesMinor.p90)}`],
    ['p99', a(s.percentilesMinor.p99), 'Largest order', `${a(s.largestOrder.valueMinor)} (${formatPct(s.largestOrder.shareOfRevenue, 2)})`],
    ['Items / order', `${formatNumber(s.itemsPerOrder.mean, 1)} (med ${formatNumber(s.itemsPerOrder.median, 0)})`, 'Units / order', `${formatNumber(s.unitsPerOrder.mean, 1)} (med ${formatNumber(s.unitsPerOrder.median, 0)})`],
    ['Customers', formatCount(s.customers.customers), 'Repeat customers', formatPct(s.customers.repeatCustomerShare)],
    ['First-order AOV', a(s.customers.firstOrderAovMinor), 'Repeat-order AOV', a(s.customers.repeatOrderAovMinor)],
  );
  out.push(figures.toString());
  if (s.customers.ordersWithoutCustomer > 0) {
    out.push(chalk.dim(`${formatCount(s.customers.ordersWithoutCustomer)} orders have no customer key and are left out of the customer figures.`));
  }
  return out.join('\n');
}


/** Customers beyond the summary table, segments and warnings. */
function renderExtras(a: CurrencyAnalysis, style: Style): string {
  const { chalk } = style;
  const s = a.summary;
  const c = a.customers;
  const out: string[] = [];
  if (c.customers > 0) {
    const within = c.secondOrderWithin.filter((w) => w.eligible > 0).map((w) => `${w.days}d ${formatPct(w.rate)}`).join(', ');
    out.push(
      wrap(
        `Customers: ${formatNumber(c.ordersPerCustomer, 2)} orders each; ${formatPct(c.secondOrderRate)} ordered again` +
          (Number.isFinite(c.medianDaysToSecondOrder) ? ` (median ${formatNumber(c.medianDaysToSecondOrder, 0)} days to the second order)` : '') +
          `; repeat orders bring ${formatPct(c.repeatRevenueShare)} of revenue; ${topShareWords(Math.ceil(c.customers * 0.1), c.customers, 0.1, 'customer')} ${formatPct(c.valuePerCustomer.topDecileShare)}.` +
          (within ? ` Second order within ${within}.` : ''),
        78,
      ),
    );
  }
  if (a.segments) {
    const table = new Table({
      head: [`By ${visible(a.segments.by)}`, 'Orders', 'Revenue', 'Share', 'Mean', 'Median'],
      style: { ...style.tableStyle, 'padding-left': 1, 'padding-right': 1 },
      chars: plainChars(),
      colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
    });
    for (const g of a.segments.segments) {
      const label = g.pooled !== undefined ? `other (${g.pooled} small)` : g.segment;
      table.push([truncate(visible(label), 20), formatCount(g.orders), formatAmount(g.revenueMinor, s.decimals), formatPct(g.shareOfRevenue), formatAmount(g.meanMinor, s.decimals), formatAmount(g.medianMinor, s.decimals)]);
    }
    out.push(table.toString());
  }
  return out.join('\n');
}

const MAX_PERIOD_ROWS = 24;

/** The trend: a verdict naming it, a sparkline, the last periods as a compact table, influential orders. */
function renderTrend(t: TrendResult, s: CurrencySummary, style: Style): string {
  const { chalk } = style;
  const a = (minor: number) => formatAmount(minor, s.decimals);
  const out: string[] = [];
  if (t.series.length === 0) return '';
  out.push(chalk.bold(wrap(`Trend: ${trendVerdictText(t.verdict)}`, 78)));
  // As many periods as fit 80 columns beside the label and the range they span.
  const label = `Median by ${t.period} `;
  const span = (first: string) => `  (${first} to ${t.series[t.series.length - 1].period})`;
  const room = Math.max(1, 80 - label.length - span(t.series[0].period).length);
  const shownSpark = t.series.slice(-room);
  out.push(`${label}${sparkline(shownSpark.map((p) => p.medianMinor))}${span(shownSpark[0].period)}`);
  const table = new Table({
    head: [t.period[0].toUpperCase() + t.period.slice(1), 'Orders', 'Mean', 'Median', 'Trim 5%', 'Outl.'],
    style: { ...style.tableStyle, 'padding-left': 1, 'padding-right': 1 },
    chars: plainChars(),
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
  });
  const shown = t.series.slice(-MAX_PERIOD_ROWS);
  for (const p of shown) {
    table.push([`${p.period}${p.partial ? '*' : ''}`, formatCount(p.orders), a(p.meanMinor), a(p.medianMinor), a(p.trimmedMeanMinor), p.outliers ? String(p.outliers) : '']);
  }
  out.push(table.toString());
  const notes: string[] = [];
  if (t.series.length > shown.length) notes.push(`${t.series.length - shown.length} earlier periods in --json`);
  if (t.partialExcluded.length) notes.push(`* partial ${t.period}, left out of the trend`);
  notes.push(`outliers: ${t.outlierRule}`);
  out.push(chalk.dim(wrap(notes.join('; '), 78)));
  for (const i of t.influence.slice(0, 5)) {
    out.push(wrap(`! ${i.period}: order ${i.order} (${a(i.valueMinor)}, ${formatPct(i.shareOfPeriodRevenue)} of the ${t.period}'s revenue) moves its mean from ${a(i.meanWithoutMinor)} to ${a(i.meanMinor)}.`, 78));
  }
  const change = (c: NonNullable<TrendResult['periodOverPeriod']['last']>, label: string) => {
    const sign = (x: number) => (x >= 0 ? '+' : '');
    return wrap(
      `${label}: ${c.period} vs ${c.against}: median ${sign(c.medianChangeMinor.estimate)}${a(c.medianChangeMinor.estimate)} (95% ${a(c.medianChangeMinor.low)} to ${a(c.medianChangeMinor.high)}), ` +
        `mean ${sign(c.meanChangeMinor.estimate)}${a(c.meanChangeMinor.estimate)} (95% ${a(c.meanChangeMinor.low)} to ${a(c.meanChangeMinor.high)})`,
      78,
    );
  };
  if (t.periodOverPeriod.last) out.push(change(t.periodOverPeriod.last, 'Last period'));
  if (t.periodOverPeriod.yearOverYear) out.push(change(t.periodOverPeriod.yearOverYear, 'Year over year'));
  return out.join('\n');
}
