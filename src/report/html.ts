/**
 * `aov report` as one self-contained HTML page: inline CSS and inline SVG, no scripts, no
 * external URLs, a Content-Security-Policy that forbids anything else. Readable on a phone
 * (fluid cards, tables and charts scroll in their own box) and printable (no backgrounds
 * needed, charts and cards kept whole). Every data string goes through escapeXml.
 */
import type { ReportCurrency, ReportDocument, ReportEvaluation, ReportThreshold, ReportTrend } from './reportTypes.js';
import { reasonLabel } from '../io/reasons.js';
import { formatCount, formatNumber, formatPct, netPeriod, truncate, formatProbability, thresholdWindow } from './format.js';
import {
  formatChange,
  formatMetricValue,
  formatP,
  formatQ,
  headlineRows,
  otherComparisonMetrics,
  periodWord,
  slopeSentence,
  splitHeadline,
  thresholdTitle,
  trendRows,
  verdictSentence,
} from './markdown.js';
import { candidatesChart, type ChartOptions, escapeXml, formatMajor, formatMajorMoney, histogramChart, markedThreshold, PALETTE, plural, trendChart } from './svg.js';
import { documentSafe } from './visible.js';
import { notWrittenSummary, ruleSummary, rulesLead } from './ruleSummaries.js';

/** The page's Content-Security-Policy: no scripts, no network, styles only inline, images only data: URLs. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Rows shown per HTML table (the page holds more than the job summary, but stays light). */
export const MAX_HTML_TABLE_ROWS = 50;
/** Trend periods in the table under the chart (the chart shows them all): the Markdown's number, one constant. */
export { MAX_TREND_ROWS } from './markdown.js';

const esc = escapeXml;
/** A data string shown in a cell: cut to a readable length, then escaped. */
/**
 * Prose: escaped, cut to `max`, and an option name such as --existing-threshold kept on one
 * line (a browser breaks a line at its hyphens, which leaves "--existing-" and "threshold").
 */
const text = (value: string, max = 200) => esc(truncate(String(value), max)).replace(/(^|[\s(])(--[a-z][a-z0-9-]*)/g, '$1<span class="flag">$2</span>');

const CSS = `
:root{--ink:${PALETTE.ink};--muted:${PALETTE.muted};--line:#e4e7eb;--soft:#f5f7fa;--accent:${PALETTE.mean};--up:#2f855a;--down:#b83232;--warn:#b7791f;--error:#b83232;color-scheme:light}
*{box-sizing:border-box}
/* Data strings (product names, order ids, file names) can be one long token: prose breaks inside it rather than widen the page. */
p,li,dt,dd,figcaption,h1,h2,h3,h4,.card-label{overflow-wrap:anywhere}
/* Flex and grid items may shrink below their content's width, so a long token wraps instead of pushing its box out. */
.currency-head>*,.kv div>*,.card>*{min-width:0}
.flag{white-space:nowrap}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f3f4f6;color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.page{max-width:1040px;margin:0 auto;padding:28px 20px 48px}
header.page-head{margin-bottom:20px}
.eyebrow{margin:0;color:var(--muted);font-size:12px;font-weight:600;letter-spacing:.08em;text-transform:uppercase}
h1{margin:4px 0 6px;font-size:28px;line-height:1.2;letter-spacing:-.01em}
h2{margin:0;font-size:21px;line-height:1.3}
h3{margin:28px 0 8px;font-size:17px}
.meta{margin:0;color:var(--muted);font-size:13.5px}
.panel{background:#fff;border:1px solid var(--line);border-radius:12px;padding:22px 24px;margin:0 0 20px}
.currency-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 14px;margin-bottom:10px}
.currency-head .meta{font-size:14px}
.verdict{margin:0 0 18px;font-size:16px;max-width:72ch}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(170px,100%),1fr));gap:12px;margin:0 0 8px}
.card{border:1px solid var(--line);border-radius:10px;padding:12px 14px;background:var(--soft);min-width:0;container-type:inline-size}
.card-label{color:var(--muted);font-size:12.5px;font-weight:600}
/* A big figure keeps its digits together: the unit wraps under it, and the size follows the card's width (cqi). */
.card-value{display:flex;flex-wrap:wrap;align-items:baseline;column-gap:3px;font-size:24px;font-size:clamp(16px,11cqi,24px);font-weight:650;line-height:1.25;font-variant-numeric:tabular-nums}
.card-value .unit{font-size:13px;font-weight:500;color:var(--muted);white-space:nowrap}
.card-change{font-size:12.5px;color:var(--muted);font-variant-numeric:tabular-nums}
.card-change.up{color:var(--up)}.card-change.down{color:var(--down)}
.alerts{border-left:4px solid var(--error);padding:16px 20px}
.alerts h2{font-size:17px;margin-bottom:6px}
.alerts ul{margin:0;padding-left:20px}
.alerts li{margin:4px 0}
.evaluation article{margin:14px 0 18px}
.evaluation td{white-space:normal;vertical-align:top}
.evaluation td:first-child{white-space:nowrap}
.evaluation h3{font-size:15px;margin:14px 0 4px}
.verdict{margin:6px 0 10px;padding:8px 12px;border-left:4px solid var(--line);background:var(--soft)}
.verdict.good{border-left-color:var(--up)}
.verdict.bad{border-left-color:var(--down)}
.verdict.neutral{border-left-color:var(--warn)}
.alert-level{display:inline-block;font-size:11.5px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:4px;padding:1px 6px;margin-right:6px;color:#fff;background:var(--error)}
.alert-level.warning{background:var(--warn)}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 4px;overflow-wrap:anywhere}
figure{margin:10px 0 6px;break-inside:avoid;page-break-inside:avoid}
figcaption{color:var(--muted);font-size:13px;margin-top:4px}
.chart{overflow-x:auto;-webkit-overflow-scrolling:touch}
.chart svg{display:block;width:100%;height:auto;max-width:100%}
.chart-narrow{display:none}
.table-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:8px;margin:10px 0}
table{border-collapse:collapse;width:100%;font-size:13.5px;font-variant-numeric:tabular-nums}
th,td{padding:7px 9px;white-space:nowrap;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--soft);color:var(--muted);font-size:12px;font-weight:600;line-height:1.3;vertical-align:bottom;white-space:normal}
tbody tr:last-child td{border-bottom:0}
td.num,th.num{text-align:right}
td.num{white-space:nowrap}
td.name{min-width:180px;white-space:normal;overflow-wrap:anywhere}
tr.recommended td{background:#fff7e6;font-weight:600}
tr.partial td:first-child::after{content:" (partial)";color:var(--muted);font-weight:400}
.badge{display:inline-block;font-size:11px;font-weight:700;border-radius:999px;padding:0 6px;margin-right:6px;background:${PALETTE.recommended};color:#fff;vertical-align:1px}
.muted{color:var(--muted)}
.small{font-size:13px}
.recommendation{margin:6px 0 4px;padding:12px 14px;border-radius:8px;background:#fff7e6;border:1px solid #f6d59a;font-size:15.5px}
.recommendation.none{background:var(--soft);border-color:var(--line)}
.kv{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:4px 24px;margin:8px 0 0;font-size:13.5px}
.kv div{display:flex;justify-content:space-between;gap:12px;border-bottom:1px dotted var(--line);padding:3px 0}
.kv dt{color:var(--muted)}.kv dd{margin:0;font-variant-numeric:tabular-nums;text-align:right}
ul.plain{margin:6px 0;padding-left:20px}
ul.rules{margin:6px 0;padding-left:20px}
ul.rules li{margin:6px 0;overflow-wrap:anywhere}
.warnings{margin-top:22px;padding:10px 14px;border-radius:8px;background:#fffbeb;border:1px solid #f3e1a6;font-size:13.5px}
.warnings ul{margin:4px 0 0;padding-left:18px}
nav.toc{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 16px}
nav.toc a{color:var(--accent);text-decoration:none;font-weight:600;font-size:13.5px;border:1px solid var(--line);background:#fff;border-radius:999px;padding:3px 12px}
footer{color:var(--muted);font-size:12.5px;text-align:center;margin-top:26px}
@media (max-width:600px){
  .page{padding:18px 12px 36px}
  .panel{padding:16px 14px;border-radius:10px}
  h1{font-size:23px}
  .cards{grid-template-columns:1fr;gap:6px}
  .card{display:grid;grid-template-columns:1fr auto;align-items:baseline;column-gap:10px;padding:9px 12px}
  .card-value{font-size:19px;grid-row:1 / span 2;grid-column:2;text-align:right;justify-content:flex-end}
  .card-change{grid-column:1}
  .chart-wide{display:none}
  .chart-narrow{display:block}
}
@media print{
  body{background:#fff;font-size:11pt}
  .page{max-width:none;padding:0}
  .panel{border:0;padding:0;margin-bottom:16pt}
  .card,.recommendation,.warnings,tr.recommended td,th,code{background:none}
  .card{break-inside:avoid}
  .table-scroll{overflow:visible;border:0}
  .chart-wide{display:block}
  .chart-narrow{display:none}
  .chart{overflow:visible}
  .chart svg{min-width:0}
  nav.toc{display:none}
  section.currency+section.currency{break-before:page}
  h2,h3{break-after:avoid}
  tr{break-inside:avoid}
}
`;

/**
 * Each chart twice: a wide one for desktops and print, a narrow one with larger type for phones;
 * CSS shows one. Scaling a single wide chart down to a phone would shrink its labels below 8px.
 */
function chartPair(draw: (options: ChartOptions) => string): string {
  return `<div class="chart chart-wide">${draw({ width: 720 })}</div><div class="chart chart-narrow">${draw({ width: 400 })}</div>`;
}

function cls(align: 'l' | 'r'): string {
  return align === 'r' ? ' class="num"' : '';
}

/** A table inside its own horizontal scroll box; cells are pre-escaped HTML. */
function htmlTable(
  label: string,
  head: string[],
  align: ('l' | 'r')[],
  rows: { cells: string[]; className?: string; attrs?: string }[],
  options: { tableAttrs?: string; nameColumns?: number[] } = {},
): string {
  const th = head.map((h, i) => `<th scope="col"${cls(align[i])}>${h}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = row.cells
        .map((cell, i) => {
          const classes = [align[i] === 'r' ? 'num' : '', options.nameColumns?.includes(i) ? 'name' : ''].filter(Boolean).join(' ');
          return `<td${classes ? ` class="${classes}"` : ''}>${cell}</td>`;
        })
        .join('');
      return `<tr${row.className ? ` class="${row.className}"` : ''}${row.attrs ?? ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="table-scroll" role="region" aria-label="${esc(label)}" tabindex="0"><table${options.tableAttrs ?? ''}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function cappedNote<T>(rows: readonly T[], what: string): { shown: readonly T[]; note: string } {
  if (rows.length <= MAX_HTML_TABLE_ROWS) return { shown: rows, note: '' };
  return { shown: rows.slice(0, MAX_HTML_TABLE_ROWS), note: `<p class="muted small">Showing ${MAX_HTML_TABLE_ROWS} of ${formatCount(rows.length)} ${what}; all are in report.json.</p>` };
}

/** Currency codes become element ids; anything outside [A-Za-z0-9] is dropped so the id needs no escaping. */
function currencyId(c: ReportCurrency, index: number): string {
  return `currency-${index + 1}-${c.currency.replace(/[^A-Za-z0-9]/g, '').toLowerCase()}`;
}

function renderAlerts(doc: ReportDocument): string {
  if (doc.alerts.length === 0) return '';
  const ordered = [...doc.alerts.filter((a) => a.level === 'error'), ...doc.alerts.filter((a) => a.level !== 'error')];
  const errors = doc.alerts.filter((a) => a.level === 'error').length;
  const warnings = doc.alerts.length - errors;
  const items = ordered
    .slice(0, MAX_HTML_TABLE_ROWS)
    .map(
      (a) =>
        `<li data-alert-level="${a.level === 'error' ? 'error' : 'warning'}"><span class="alert-level${a.level === 'error' ? '' : ' warning'}">${a.level === 'error' ? 'Breached' : 'Warning'}</span><code>${text(a.rule, 120)}</code> ${text(a.message, 1000)}</li>`,
    )
    .join('\n');
  const more = ordered.length > MAX_HTML_TABLE_ROWS ? `<p class="muted small">Showing ${MAX_HTML_TABLE_ROWS} of ${formatCount(ordered.length)} alerts; all are in report.json.</p>` : '';
  const title = `Alerts: ${formatCount(errors)} breached, ${plural(warnings, 'warning')}`;
  const style = errors === 0 ? ` style="border-left-color:var(--warn)"` : '';
  return `<section class="panel alerts" aria-label="Alerts"${style}><h2>${title}</h2><ul>\n${items}\n</ul>${more}</section>`;
}

/** "Did it work?" (--rules): each rule's verdict and its evidence, then the guardrails. */
function renderEvaluation(e: ReportEvaluation): string {
  const evidence = (label: string, rows: { label: string; text: string }[]) =>
    htmlTable(label, ['Figure', 'Evidence'], ['l', 'l'], rows.map((r) => ({ cells: [text(r.label, 80), text(r.text, 1000)] })));
  const verdictClass = (action: string) => (action === 'keep' ? 'good' : action === 'stop' || action === 'unclear' ? 'bad' : 'neutral');
  const parts = [`<h2>Did it work?</h2>`, `<p class="muted">Each rule of ${text(e.rulesFile, 200)} measured from the date it went live (<code>startsAt</code>).</p>`];
  for (const x of e.evaluations.filter((y) => y.kind !== 'skipped').slice(0, MAX_HTML_TABLE_ROWS)) {
    const v = splitHeadline(x.verdict?.headline ?? '');
    parts.push(
      `<article class="evaluation" data-kind="${esc(x.kind)}" data-verdict="${esc(x.verdict?.action ?? '')}">`,
      `<h3>${text(x.title ?? x.kind, 300)}</h3>`,
      `<p class="verdict ${verdictClass(x.verdict?.action ?? '')}">${v.word ? `<strong>${text(v.word, 40)}</strong>: ` : ''}${text(v.sentence, 1000)}</p>`,
      x.evidence?.length ? evidence(`Evidence: ${x.title ?? x.kind}`, x.evidence) : '',
      `</article>`,
    );
  }
  const skipped = e.evaluations.filter((x) => x.kind === 'skipped');
  if (skipped.length) parts.push(`<ul class="small">${skipped.map((x) => `<li>${text(x.ruleId ?? 'rule', 120)}: not evaluated: ${text(x.reason ?? '', 400)}.</li>`).join('')}</ul>`);
  for (const g of e.guardrails) {
    parts.push(`<h3>${text(String(g.title ?? `Guardrails (${g.currency})`), 200)}</h3>`);
    if (g.evidence?.length) parts.push(evidence(String(g.title ?? 'Guardrails'), g.evidence));
    for (const w of g.warnings ?? []) parts.push(`<p class="verdict bad"><strong>Warning</strong>: ${text(w, 400)}</p>`);
  }
  return `<section class="panel evaluation" aria-label="Did it work?">\n${parts.filter(Boolean).join('\n')}\n</section>`;
}

function renderCards(c: ReportCurrency, doc: ReportDocument): string {
  // Four cards: the trimmed mean stays in the table below so a phone shows a 2 x 2 grid.
  const rows = headlineRows(c, doc.comparison).filter((r) => r.metric !== 'aov.trimmedMean');
  const cards = rows.map((r) => {
    const unitAt = r.value.endsWith(` ${c.currency}`) ? r.value.length - c.currency.length - 1 : -1;
    const value = unitAt >= 0 ? `${esc(r.value.slice(0, unitAt))}<span class="unit">${esc(c.currency)}</span>` : esc(r.value);
    const arrow = r.direction > 0 ? '▲ ' : r.direction < 0 ? '▼ ' : '';
    const change =
      // Without a comparison, or when it lacks this metric, the card shows no change line.
      r.change === null || r.change === '–' ? '' : `<div class="card-change${r.direction > 0 ? ' up' : r.direction < 0 ? ' down' : ''}" data-change="${esc(r.change)}">${r.change === 'new' ? 'new: no previous figure' : `${arrow}${esc(r.change)} vs previous`}</div>`;
    return `<div class="card" data-metric="${esc(r.metric)}" data-currency="${esc(c.currency)}"><div class="card-label">${esc(r.label)}</div><div class="card-value">${value}</div>${change}</div>`;
  });
  return `<div class="cards">\n${cards.join('\n')}\n</div>`;
}

function renderFigures(c: ReportCurrency, doc: ReportDocument): string {
  const a = (v: number | null) => esc(formatMajor(v, c.decimals));
  const rows = headlineRows(c, doc.comparison);
  const withChange = doc.comparison !== null;
  const head = withChange ? ['Figure', esc(c.currency), 'vs previous'] : ['Figure', esc(c.currency)];
  const align: ('l' | 'r')[] = withChange ? ['l', 'r', 'r'] : ['l', 'r'];
  const headline = htmlTable(
    `Headline figures, ${c.currency}`,
    head,
    align,
    rows.map((r) => ({ cells: withChange ? [esc(r.label), esc(r.amount), esc(r.change ?? '–')] : [esc(r.label), esc(r.amount)], attrs: ` data-metric="${esc(r.metric)}"` })),
    { tableAttrs: ` data-table="headline"` },
  );
  const others = otherComparisonMetrics(c, doc.comparison);
  const otherTable =
    others.length === 0
      ? ''
      : htmlTable(
          `Other compared figures, ${c.currency}`,
          ['Also compared', 'Previous', 'Now', 'Change'],
          ['l', 'r', 'r', 'r'],
          others.slice(0, MAX_HTML_TABLE_ROWS).map((m) => ({
            cells: [`<code>${text(m.metric, 80)}</code>`, esc(formatMetricValue(m.metric, m.previous, c)), esc(formatMetricValue(m.metric, m.current, c)), esc(formatChange(m.change, m.previous))],
          })),
          { tableAttrs: ` data-table="compared"` },
        );
  const p = c.percentiles;
  const customers = c.customers;
  const kv: [string, string][] = [
    ['Period', `${text(c.from, 40)} to ${text(c.to, 40)}`],
    ['Winsorized mean (5%)', a(c.aov.winsorizedMean)],
    ['Median absolute deviation', a(c.aov.mad)],
    ['p10 · p25', `${a(p.p10)} · ${a(p.p25)}`],
    ['p75 · p90', `${a(p.p75)} · ${a(p.p90)}`],
    ['p99', a(p.p99)],
    ['Largest order', `${text(c.largestOrder.order, 40)}: ${a(c.largestOrder.value)} (${esc(formatPct(c.largestOrder.shareOfRevenue, 2))})`],
    ['Customers', esc(formatCount(customers.customers))],
    ['Ordered more than once', customers.repeatCustomerShare === null ? '–' : esc(formatPct(customers.repeatCustomerShare))],
    ['First-order AOV', a(customers.firstOrderAov)],
    ['Repeat-order AOV', a(customers.repeatOrderAov)],
  ];
  const details = `<dl class="kv" data-list="distribution">${kv.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
  return `<h3>Figures <span class="muted small">(amounts in ${esc(c.currency)})</span></h3>\n${headline}\n${otherTable}\n${details}`;
}

function renderTrend(trend: ReportTrend, c: ReportCurrency): string {
  const a = (v: number | null) => esc(formatMajor(v, c.decimals));
  const word = periodWord(trend.period);
  const slopes = (['median', 'mean'] as const)
    .map((which) => {
      const sentence = slopeSentence(trend, which, c.currency, c.decimals);
      return sentence ? `<li>${which === 'median' ? 'Median' : 'Mean'}: ${esc(sentence)}</li>` : '';
    })
    .join('');
  const influence = trend.influence
    .slice(0, MAX_HTML_TABLE_ROWS)
    .map(
      (e) =>
        `<li data-influence="${esc(e.order)}">Order ${text(e.order, 40)} (${esc(formatMajorMoney(e.value, c.currency, c.decimals))}) is ${esc(formatPct(e.shareOfPeriodRevenue))} of ${text(e.period, 20)} revenue; without it that ${word}'s mean is ${esc(formatMajorMoney(e.meanWithout, c.currency, c.decimals))}.</li>`,
    )
    .join('');
  // A long series keeps its most recent periods, in time order like the chart.
  const { shown, note } = trendRows(trend.series, trend.period);
  const title = word.charAt(0).toUpperCase() + word.slice(1);
  const table = htmlTable(
    `AOV per ${word}, ${c.currency}`,
    [title, 'Orders', 'Mean', 'Median', 'Trimmed mean', 'Outlier orders'],
    ['l', 'r', 'r', 'r', 'r', 'r'],
    shown.map((p) => ({
      cells: [text(p.period, 40), esc(formatCount(p.orders)), a(p.mean), a(p.median), a(p.trimmedMean), esc(formatCount(p.outliers))],
      className: p.partial ? 'partial' : undefined,
      attrs: ` data-period="${esc(p.period)}"`,
    })),
    { tableAttrs: ` data-table="trend"` },
  );
  const more = note ? `<p class="muted small" data-note="trend-rows">${esc(note)}</p>` : '';
  return [
    `<h3>AOV by ${esc(word)}</h3>`,
    `<p>${text(trend.verdict, 1000)}</p>`,
    `<figure>${chartPair((options) => trendChart(trend, c.currency, c.decimals, options))}<figcaption>Mean and median order value per ${esc(word)}. Dashed, hollow: a partial ${esc(word)}. Red marks: ${esc(word)}s holding outlier orders, with their count when there is room.</figcaption></figure>`,
    slopes ? `<ul class="plain small">${slopes}</ul>` : '',
    influence ? `<ul class="plain small">${influence}</ul>` : '',
    table,
    more,
  ].join('\n');
}

function renderDistributionChart(c: ReportCurrency): string {
  const marked = markedThreshold(c.threshold);
  const reach = c.threshold?.reach ?? 0;
  const parts = [`Each bar counts the orders in a ${esc(formatMajorMoney(c.histogram.binWidth, c.currency, c.decimals))} band`];
  if (c.histogram.above > 0) parts.push(`the last bar holds the ${esc(formatCount(c.histogram.above))} orders of ${esc(formatMajorMoney(c.histogram.aboveFrom, c.currency, c.decimals))} or more`);
  if (marked && reach > 0) {
    parts.push(`the shaded band is the reach zone (${esc(formatMajor(Math.max(0, marked.value - reach), c.decimals))} up to ${esc(formatMajor(marked.value, c.decimals))}): orders close enough to top up`);
  }
  return `<h3>Order values</h3>\n<figure>${chartPair((options) => histogramChart(c, options))}<figcaption>${parts.join('; ')}.</figcaption></figure>`;
}

function renderThreshold(t: ReportThreshold, c: ReportCurrency): string {
  const a = (v: number | null) => esc(formatMajor(v, c.decimals));
  const recommended = t.recommendation?.threshold;
  const sentence = t.recommendation
    ? `<p class="recommendation" data-recommendation="${esc(String(t.recommendation.threshold))}"><strong>${text(t.summary, 1000)}</strong><br><span class="small">Why: ${text(t.recommendation.reason, 1000)}</span></p>`
    : `<p class="recommendation none" data-recommendation="none">${text(t.summary, 1000)}</p>`;
  const { shown, note } = cappedNote(t.candidates, 'candidates');
  const table = htmlTable(
    `${thresholdTitle(t)} candidates, ${c.currency}`,
    ['Threshold', 'vs AOV', 'Already above', 'In reach', 'Expected top-ups', 'Projected AOV', `Expected net margin ${esc(netPeriod(t.windowMonths))}`, '90% interval', 'P(net&nbsp;&gt;&nbsp;0)'],
    ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    shown.map((k) => ({
      cells: [
        `${k.threshold === recommended ? '<span class="badge" title="recommended">✓</span>' : ''}${a(k.threshold)}`,
        esc(formatChange(k.aboveAovPct)),
        esc(formatPct(k.shareAlreadyAbove)),
        esc(formatCount(k.ordersInReach)),
        esc(formatCount(k.expectedTopUps)),
        a(k.projectedAov),
        a(k.expectedNetMargin),
        `${a(k.netLow)} to ${a(k.netHigh)}`,
        esc(formatProbability(k.probabilityPositive)),
      ],
      className: k.threshold === recommended ? 'recommended' : undefined,
      attrs: ` data-threshold="${esc(String(k.threshold))}"`,
    })),
    { tableAttrs: ` data-table="candidates"` },
  );
  const rows = t.assumptions ?? [];
  const assumptions = rows.length
    ? `<h4>What it assumes</h4>\n<p class="small muted">From: data = this export, option = given on the command line, prior = a stated assumption, default = aov's fallback.</p>\n` +
      htmlTable(`Assumptions of the ${thresholdTitle(t)}, ${c.currency}`, ['Assumption', 'Value', 'From', 'Source'], ['l', 'l', 'l', 'l'],
        rows.map((r) => ({ cells: [text(r.assumption, 200), text(r.value, 200), `<span class="origin origin-${esc(r.origin)}">${esc(r.origin)}</span>`, text(r.source, 400)], attrs: ` data-origin="${esc(r.origin)}"` })),
        { tableAttrs: ` data-table="assumptions"`, nameColumns: [0, 3] })
    : '';
  return [
    `<h3>${esc(thresholdTitle(t))}</h3>`,
    sentence,
    `<figure>${chartPair((options) => candidatesChart(t, c.currency, c.decimals, options))}<figcaption>Expected net margin ${esc(netPeriod(t.windowMonths))} for each candidate threshold (after the reward's cost), with its 90% interval. Base AOV ${esc(formatMajorMoney(t.baseAov, c.currency, c.decimals))}${esc(thresholdWindow(t))}; “P+” is the chance the net margin is positive.</figcaption></figure>`,
    table,
    note,
    assumptions,
  ].join('\n');
}

function renderBundles(c: ReportCurrency): string {
  const b = c.bundles!;
  const intro = `<p class="small muted">${esc(formatCount(b.baskets))} baskets, ${esc(formatCount(b.items))} distinct items; pairs bought together in at least ${esc(formatCount(b.minSupportCount))} baskets, strongest first.</p>`;
  const item = (name: string, id: string) => `${text(name || id)}${name && name !== id ? ` <span class="muted small">${text(id, 40)}</span>` : ''}`;
  const sets = (b.sets ?? []).map((set) => `<p>Set, bought together almost always (each in ${esc(formatPct(set.minConfidence, 0))}+ of the others' baskets; ${esc(formatCount(set.basketsWithAll))} baskets with all): ${set.items.map((id, k) => item(set.names[k], id)).join(' + ')}.</p>`).join('\n');
  if (b.pairs.length === 0) return `<h3>Bundles: items bought together</h3>\n${intro}\n${sets}${sets ? '\n' : ''}<p>No pair reaches the minimum support.</p>`;
  const { shown, note } = cappedNote(b.pairs, 'pairs');
  const table = htmlTable(
    `Top bundles, ${c.currency}`,
    ['#', 'Item A', 'Item B', 'Baskets together', 'Support', 'A&nbsp;→&nbsp;B', 'B&nbsp;→&nbsp;A', 'Lift', 'q'],
    ['r', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    shown.map((p, i) => ({
      cells: [
        String(i + 1),
        item(p.names[0], p.items[0]),
        item(p.names[1], p.items[1]),
        esc(formatCount(p.supportCount)),
        esc(formatPct(p.support, 2)),
        esc(formatPct(p.confidence[0])),
        esc(formatPct(p.confidence[1])),
        esc(formatNumber(p.lift, 2)),
        esc(formatQ(p.q)),
      ],
      attrs: ` data-pair="${esc(p.items[0])}|${esc(p.items[1])}"`,
    })),
    { tableAttrs: ` data-table="bundles"`, nameColumns: [1, 2] },
  );
  return [
    `<h3>Bundles: items bought together</h3>`,
    intro,
    ...(sets ? [sets] : []),
    table,
    note,
    `<p class="small muted">A → B: share of baskets with A that also hold B. Lift above 1: bought together more often than chance. q: false-discovery-adjusted p-value.</p>`,
  ].join('\n');
}

/** "Suggested rules": every rule this currency wrote to rules.json (kind, id, figures, evidence), then those considered but not written. */
function renderRules(c: ReportCurrency): string {
  const rules = c.rules!;
  const { shown, note } = cappedNote(rules.written, 'rules');
  const items = shown.map((rule) => {
    const s = ruleSummary(rule, c.currency, c.decimals);
    return `<li data-rule-id="${esc(s.id)}" data-rule-type="${esc(s.type)}"><strong>${esc(s.kind)}</strong> <code>${text(s.id, 120)}</code>: ${text(s.figures, 1000)}.<br><span class="small">Evidence: ${text(s.evidence, 1000)}</span></li>`;
  });
  const skipped = rules.notWritten.slice(0, MAX_HTML_TABLE_ROWS).map((entry) => {
    const s = notWrittenSummary(entry);
    return `<li data-not-written="${esc(entry.type)}"><strong>${esc(s.kind)}</strong>: ${text(s.reason, 1000)}</li>`;
  });
  return [
    `<h3>Suggested rules</h3>`,
    `<p class="small muted">${esc(rulesLead(rules))}</p>`,
    items.length ? `<ul class="rules" data-list="rules">\n${items.join('\n')}\n</ul>` : '',
    note,
    skipped.length ? `<p class="small">Considered, not written:</p>\n<ul class="rules small" data-list="rules-not-written">\n${skipped.join('\n')}\n</ul>` : '',
  ].filter(Boolean).join('\n');
}

function renderCurrency(c: ReportCurrency, index: number, doc: ReportDocument): string {
  const sections = [
    `<div class="currency-head"><h2>${text(c.currency, 12)}</h2><p class="meta">${esc(formatCount(c.orders))} orders · ${text(c.from, 40)} to ${text(c.to, 40)}</p></div>`,
    `<p class="verdict">${text(verdictSentence(c), 1000)}</p>`,
    renderCards(c, doc),
  ];
  if (c.nps) sections.push(`<p class="meta">${npsSentence(c.nps)}</p>`);
  if (c.trend) sections.push(renderTrend(c.trend, c));
  sections.push(renderDistributionChart(c));
  if (c.threshold) sections.push(renderThreshold(c.threshold, c));
  if (c.bundles) sections.push(renderBundles(c));
  if (c.rules) sections.push(renderRules(c));
  sections.push(renderFigures(c, doc));
  if (c.warnings.length > 0) {
    const items = c.warnings
      .slice(0, MAX_HTML_TABLE_ROWS)
      .map((w) => `<li><code>${text(w.code, 60)}</code> ${text(w.message, 1000)}</li>`)
      .join('');
    sections.push(`<div class="warnings" role="note"><strong>Warnings</strong><ul>${items}</ul></div>`);
  }
  return `<section class="panel currency" id="${currencyId(c, index)}" data-currency="${esc(c.currency)}">\n${sections.join('\n')}\n</section>`;
}

/** Largest count first, then by name, so the order is stable. */
function sortedEntries(record: Record<string, number>): [string, number][] {
  return Object.entries(record).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

function renderInput(doc: ReportDocument): string {
  const input = doc.input;
  const rows: { cells: string[]; attrs?: string }[] = [
    { cells: ['Rows read', esc(formatCount(input.rows))], attrs: ' data-row="rows"' },
    { cells: ['Rows used', esc(formatCount(input.rowsUsed))], attrs: ' data-row="rowsUsed"' },
    { cells: ['Rows excluded', esc(formatCount(input.rowsExcluded))], attrs: ' data-row="rowsExcluded"' },
  ];
  for (const [reason, count] of sortedEntries(input.excluded)) rows.push({ cells: [`<span class="muted">· ${text(reasonLabel(reason), 80)}</span>`, esc(formatCount(count))] });
  rows.push({ cells: ['Rows rejected', esc(formatCount(input.rejected))], attrs: ' data-row="rejected"' });
  for (const [reason, count] of sortedEntries(input.rejectedByReason)) rows.push({ cells: [`<span class="muted">· ${text(reasonLabel(reason), 80)}</span>`, esc(formatCount(count))] });
  rows.push({ cells: ['Orders', esc(formatCount(input.orders))], attrs: ' data-row="orders"' });
  const files = cappedNote(input.files, 'files');
  const notes = cappedNote(input.notes, 'notes');
  return [
    `<section class="panel input" aria-label="Input and row accounting">`,
    `<h2>Input and row accounting</h2>`,
    htmlTable('Row accounting', ['Rows', 'Count'], ['l', 'r'], rows, { tableAttrs: ' data-table="rows"' }),
    `<dl class="kv"><div><dt>Format</dt><dd>${text(input.format, 80)}</dd></div></dl>`,
    `<p class="small"><span class="muted">Order value:</span> ${text(input.valueDefinition, 400)}</p>`,
    `<p class="small"><span class="muted">Files (${esc(formatCount(input.files.length))}):</span> ${files.shown.map((f) => `<code>${text(f, 200)}</code>`).join(' ')}</p>${files.note}`,
    doc.comparison ? `<p class="small"><span class="muted">Compared with</span> <code>${text(doc.comparison.previousFile, 200)}</code></p>` : '',
    input.notes.length > 0 ? `<h3>Notes</h3><ul class="plain small">${notes.shown.map((note) => `<li>${text(note, 400)}</li>`).join('')}</ul>${notes.note}` : '',
    `</section>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The whole report as one self-contained HTML page. */
export function renderHtml(doc: ReportDocument): string {
  // documentSafe: the last guard, no control character but tab and newline in the page.
  const subtitle = [
    `${esc(formatCount(doc.input.orders))} orders`,
    ...doc.currencies.map((c) => `${text(c.currency, 12)} ${text(c.from, 40)} to ${text(c.to, 40)}`),
    doc.generatedAt ? `generated ${text(doc.generatedAt, 40)}` : '',
  ].filter(Boolean);
  const toc =
    doc.currencies.length > 1
      ? `<nav class="toc" aria-label="Currencies">${doc.currencies.map((c, i) => `<a href="#${currencyId(c, i)}">${text(c.currency, 12)}</a>`).join('')}</nav>`
      : '';
  const body = [
    `<header class="page-head"><p class="eyebrow">AOV report</p><h1>${text(doc.title, 300)}</h1><p class="meta">${subtitle.join(' · ')}</p></header>`,
    renderAlerts(doc),
    doc.evaluation ? renderEvaluation(doc.evaluation) : '',
    toc,
    ...doc.currencies.map((c, i) => renderCurrency(c, i, doc)),
    doc.currencies.length === 0 ? `<section class="panel"><p>No orders were counted, so there is nothing to report.</p></section>` : '',
    renderInput(doc),
    `<footer>Made with aov · schema ${esc(doc.schema)} · a self-contained page: no scripts, nothing loaded from the network.</footer>`,
  ]
    .filter(Boolean)
    .join('\n');
  return documentSafe([
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="generator" content="aov">',
    `<title>${text(doc.title, 300)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main class="page">',
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n'));
}

/** NPS beside AOV (with --nps): the score with its interval and the too-aggressive guard. */
function npsSentence(nps: NonNullable<ReportCurrency['nps']>): string {
  const score = nps.overall === null ? 'no answers' : `${nps.overall} (95% ${nps.low} to ${nps.high}, ${nps.answers} answers)`;
  return `${esc(`NPS ${score}.`)}${nps.guard ? ` ${nps.guardFired ? '<strong>' : ''}${esc(nps.guard)}${nps.guardFired ? '</strong>' : ''}` : ''}`;
}
