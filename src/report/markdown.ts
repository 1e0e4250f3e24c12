/** The report as GitHub-flavoured Markdown (a job summary): alerts first, then per currency. */
import type { ReportCurrency, ReportDocument } from './reportTypes.js';

/** Escapes text for a Markdown table cell or paragraph: pipes, emphasis, HTML. */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function amount(x: number | null, decimals: number): string {
  if (x === null || !Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function pct(x: number | null, digits = 1): string {
  return x === null || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
}

function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

const MAX_ROWS = 20;

function currencySection(doc: ReportDocument, c: ReportCurrency): string {
  const d = c.decimals;
  const out: string[] = [];
  out.push(`## ${mdEscape(c.currency)}: ${c.orders.toLocaleString('en-US')} orders, ${c.from} to ${c.to}`);
  out.push(mdEscape(c.verdict));
  const compare = doc.comparison?.metrics.filter((m) => m.currency === c.currency) ?? [];
  const change = (metric: string) => {
    const m = compare.find((x) => x.metric === metric);
    return m && m.change !== null ? `${m.change >= 0 ? '+' : ''}${(m.change * 100).toFixed(1)}%` : '';
  };
  const withChange = compare.length > 0;
  const rows: [string, string, string][] = [
    ['Orders', c.orders.toLocaleString('en-US'), change('orders')],
    ['Revenue', amount(c.revenue, d), change('revenue')],
    ['AOV (mean)', amount(c.aov.mean, d), change('aov.mean')],
    ['Median order', amount(c.aov.median, d), change('aov.median')],
    ['Trimmed mean (5%)', amount(c.aov.trimmedMean, d), change('aov.trimmedMean')],
    ['Repeat customers', pct(c.customers.repeatCustomerShare), change('customers.repeatShare')],
    ...(c.nps ? [['NPS', String(c.nps.overall ?? '–'), change('nps')] as [string, string, string]] : []),
  ];
  out.push(table(withChange ? ['Figure', 'Value', 'Change'] : ['Figure', 'Value'], rows.map((r) => (withChange ? r : r.slice(0, 2))), ['l', 'r', 'r']));
  if (c.nps) out.push(`NPS ${c.nps.overall ?? '–'} (95% ${c.nps.low ?? '–'} to ${c.nps.high ?? '–'}, ${c.nps.answers} answers). ${mdEscape(c.nps.guard ?? '')}`);
  if (c.trend) {
    out.push(`### Trend\n${mdEscape(c.trend.verdict)}`);
    const series = c.trend.series.slice(-MAX_ROWS);
    out.push(
      table(
        [c.trend.period[0].toUpperCase() + c.trend.period.slice(1), 'Orders', 'Mean', 'Median', 'Outliers'],
        series.map((p) => [`${p.period}${p.partial ? ' (partial)' : ''}`, p.orders.toLocaleString('en-US'), amount(p.mean, d), amount(p.median, d), String(p.outliers)]),
        ['l', 'r', 'r', 'r', 'r'],
      ),
    );
    if (c.trend.series.length > MAX_ROWS) out.push(`_${c.trend.series.length - MAX_ROWS} earlier periods in report.json._`);
    for (const i of c.trend.influence) out.push(`- ${mdEscape(i.period)}: order ${mdEscape(i.order)} (${amount(i.value, d)}, ${pct(i.shareOfPeriodRevenue)} of the period's revenue) moves its mean from ${amount(i.meanWithout, d)}.`);
  }
  if (c.threshold) {
    out.push(`### Threshold (${c.threshold.mode})\n${mdEscape(c.threshold.summary)}`);
    out.push(
      table(
        ['Threshold', 'Above AOV', 'Already above', 'Top-ups', 'Net margin', '90% interval', 'P(net > 0)'],
        c.threshold.candidates.slice(0, MAX_ROWS).map((x) => [
          `${c.threshold!.recommendation?.threshold === x.threshold ? '**' : ''}${amount(x.threshold, d)}${c.threshold!.recommendation?.threshold === x.threshold ? '**' : ''}`,
          pct(x.aboveAovPct, 0), pct(x.shareAlreadyAbove, 0), x.expectedTopUps.toFixed(0), amount(x.expectedNetMargin, d), `${amount(x.netLow, d)} to ${amount(x.netHigh, d)}`, pct(x.probabilityPositive, 0),
        ]),
        ['r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  if (c.bundles && c.bundles.pairs.length) {
    out.push(`### Bought together (${c.bundles.baskets.toLocaleString('en-US')} baskets)`);
    out.push(
      table(
        ['Item A', 'Item B', 'Baskets', 'Confidence A→B / B→A', 'Lift', 'q'],
        c.bundles.pairs.slice(0, MAX_ROWS).map((p) => [mdEscape(p.names[0]), mdEscape(p.names[1]), p.supportCount.toLocaleString('en-US'), `${pct(p.confidence[0], 0)} / ${pct(p.confidence[1], 0)}`, p.lift.toFixed(2), p.q < 0.001 ? '<0.001' : p.q.toFixed(3)]),
        ['l', 'l', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  return out.join('\n\n');
}

export function renderMarkdown(doc: ReportDocument): string {
  const out: string[] = [`# ${mdEscape(doc.title)}`];
  if (doc.generatedAt) out.push(`_Generated ${mdEscape(doc.generatedAt)}._`);
  if (doc.alerts.length) {
    out.push('## Alerts');
    for (const a of doc.alerts) out.push(`- **${a.level === 'error' ? 'Alert' : 'Warning'}** (${mdEscape(a.rule)}): ${mdEscape(a.message)}`);
  }
  for (const c of doc.currencies) out.push(currencySection(doc, c));
  const i = doc.input;
  const reasons = (r: Record<string, number>) => Object.entries(r).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ');
  out.push(
    `## Data\n${i.files.map((f) => `\`${f.replace(/`/g, "'")}\``).join(', ')} (${mdEscape(i.format)}): ${i.rows.toLocaleString('en-US')} rows read = ${i.rowsUsed.toLocaleString('en-US')} used + ` +
      `${i.rowsExcluded.toLocaleString('en-US')} excluded${Object.keys(i.excluded).length ? ` (${reasons(i.excluded)})` : ''} + ${i.rejected.toLocaleString('en-US')} rejected` +
      `${Object.keys(i.rejectedByReason).length ? ` (${reasons(i.rejectedByReason)})` : ''}. Order value: ${mdEscape(i.valueDefinition)}.`,
  );
  for (const n of i.notes) out.push(`- ${mdEscape(n)}`);
  return `${out.join('\n\n')}\n`;
}
