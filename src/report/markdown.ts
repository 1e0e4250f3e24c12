/**
 * `aov report` as GitHub-flavoured Markdown, for report.md and the GitHub Actions job summary.
 * Alerts first, then one section per currency (verdict, headline figures, trend, threshold,
 * bundles, warnings), then the row accounting and notes. Tables are capped at MAX_TABLE_ROWS and
 * the whole text at MAX_MARKDOWN_BYTES so it always fits the job summary's 1 MiB limit.
 */
import type { ReportComparison, ReportCurrency, ReportDocument, ReportEvaluation, ReportThreshold, ReportTrend } from './reportTypes.js';
import { reasonLabel } from '../io/reasons.js';
import { formatCount, formatNumber, formatPct, formatQ, netPeriod, truncate, formatProbability, thresholdWindow } from './format.js';
import { formatMajor, formatMajorMoney, formatSignedMajor, plural } from './svg.js';
import { documentSafe, visible } from './visible.js';
import { notWrittenSummary, ruleSummary, rulesLead } from './ruleSummaries.js';

/** Rows shown per table; the rest are counted in a line under the table. */
export const MAX_TABLE_ROWS = 20;
/**
 * Trend periods in the table of both reports (Markdown and HTML): the most recent two years of
 * months; the HTML chart draws them all, report.json has them all.
 */
export const MAX_TREND_ROWS = 24;

/** The trend table's rows: the last MAX_TREND_ROWS periods, in time order, and the sentence that says so (null when all are shown). */
export function trendRows<T>(series: readonly T[], period: ReportTrend['period']): { shown: readonly T[]; note: string | null } {
  if (series.length <= MAX_TREND_ROWS) return { shown: series, note: null };
  return { shown: series.slice(series.length - MAX_TREND_ROWS), note: `Showing the last ${formatCount(MAX_TREND_ROWS)} of ${formatCount(series.length)} ${periodWord(period)}s; all are in report.json.` };
}

/** Well under GitHub's 1 MiB job-summary limit, leaving room for other steps' summaries. */
export const MAX_MARKDOWN_BYTES = 900 * 1024;

/**
 * Escapes a data string for Markdown text and table cells: emphasis, links and images (via the
 * brackets), raw HTML, pipes, GitHub's `$` math and `~` strike, entity starts; line breaks become
 * spaces so a value never leaves its cell or list item. Characters that only matter at the start
 * of a line (list, heading and quote markers) are escaped there only, to keep the text readable.
 */
export function escapeMarkdown(text: string): string {
  return visible(String(text).replace(/[\u0000-\u001f\u007f]+/g, ' '))
    .replace(/[\\`*_[\]<>|~&$]/g, '\\$&')
    .replace(/^([-+#=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** Longest data string shown in a table cell or list item; report.json keeps the full text. */
export const MAX_TEXT_LENGTH = 160;

/** A data string for a cell: cut to MAX_TEXT_LENGTH, then escaped. */
export function cellText(text: string, max = MAX_TEXT_LENGTH): string {
  return escapeMarkdown(truncate(String(text), max));
}

/** Text for an inline code span: no backticks or line breaks can end it early. */
function codeText(text: string): string {
  return truncate(visible(String(text).replace(/`/g, "'").replace(/[\u0000-\u001f\u007f]+/g, ' ')), 120);
}

/** Alerts listed; the rest are counted. */
const MAX_ALERTS = 50;

/** A relative change as "+3.9%" / "-10.1%" (ASCII signs), "new" without a previous value. */
export function formatChange(change: number | null, previous: number | null = 0): string {
  if (change === null || !Number.isFinite(change)) return previous === null ? 'new' : '–';
  const text = `${(change * 100).toFixed(1)}%`;
  return change > 0 && text !== '0.0%' ? `+${text}` : text === '-0.0%' ? '0.0%' : text;
}

/** Headline metrics, keyed by the comparison's metric names (the report document's JSON paths). */
export const HEADLINE_METRICS = [
  { metric: 'aov.mean', label: 'AOV (mean)' },
  { metric: 'aov.median', label: 'Median order' },
  { metric: 'aov.trimmedMean', label: 'Trimmed mean (5%)' },
  { metric: 'orders', label: 'Orders' },
  { metric: 'revenue', label: 'Revenue' },
] as const;

export interface HeadlineRow {
  metric: string;
  label: string;
  /** With the currency code for money ("534.40 GBP"); counts plain. */
  value: string;
  /** The number alone ("534.40"), for tables whose header names the currency. */
  amount: string;
  /** Null without a comparison; "–" when the comparison lacks this metric. */
  change: string | null;
  /** Sign of the change for styling: 1 up, -1 down, 0 flat or unknown. */
  direction: -1 | 0 | 1;
}

type ComparisonMetric = ReportComparison['metrics'][number];

function comparisonFor(comparison: ReportComparison | null, currency: string, metric: string): ComparisonMetric | undefined {
  return comparison?.metrics.find((m) => m.currency === currency && m.metric === metric);
}

/** The headline figures of one currency with their changes; shared by the Markdown table and the HTML cards. */
export function headlineRows(c: ReportCurrency, comparison: ReportComparison | null): HeadlineRow[] {
  const amount = (metric: string): string => {
    switch (metric) {
      case 'orders':
        return formatCount(c.orders);
      case 'revenue':
        return formatMajor(c.revenue, c.decimals);
      case 'aov.mean':
        return formatMajor(c.aov.mean, c.decimals);
      case 'aov.median':
        return formatMajor(c.aov.median, c.decimals);
      default:
        return formatMajor(c.aov.trimmedMean, c.decimals);
    }
  };
  return HEADLINE_METRICS.map(({ metric, label }) => {
    const m = comparisonFor(comparison, c.currency, metric);
    const change = comparison ? (m ? formatChange(m.change, m.previous) : '–') : null;
    const direction = m && m.change !== null && Number.isFinite(m.change) && Math.abs(m.change) >= 0.0005 ? (m.change > 0 ? 1 : -1) : 0;
    const plain = amount(metric);
    const value = metric === 'orders' || plain === '–' ? plain : `${plain} ${c.currency}`;
    return { metric, label, value, amount: plain, change, direction };
  });
}

/** Comparison metrics of a currency that the headline does not show (any metric the builder compared). */
export function otherComparisonMetrics(c: ReportCurrency, comparison: ReportComparison | null): ComparisonMetric[] {
  if (!comparison) return [];
  const shown = new Set<string>(HEADLINE_METRICS.map((h) => h.metric));
  return comparison.metrics.filter((m) => m.currency === c.currency && !shown.has(m.metric));
}

/** A compared value in its natural unit: shares as percentages, counts grouped, amounts with the currency's decimals. */
export function formatMetricValue(metric: string, value: number | null, c: ReportCurrency): string {
  if (value === null || !Number.isFinite(value)) return '–';
  if (/share|rate|ratio/i.test(metric)) return formatPct(value);
  if (/^(orders|customers\.customers|baskets|items)$/.test(metric) || /count$/i.test(metric)) return formatCount(value);
  if (/^(revenue|aov\.|percentiles\.|largestOrder\.value|customers\.(first|repeat)OrderAov)/.test(metric)) {
    return formatMajorMoney(value, c.currency, c.decimals);
  }
  return formatNumber(value, 2);
}

/** Fills {mean}/{median} if the builder left the analysis verdict's placeholders in. */
export function verdictSentence(c: ReportCurrency): string {
  return c.verdict
    .replace('{mean}', formatMajorMoney(c.aov.mean, c.currency, c.decimals))
    .replace('{median}', formatMajorMoney(c.aov.median, c.currency, c.decimals));
}

export { formatQ } from './format.js';

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

export function periodWord(period: ReportTrend['period']): string {
  return period === 'day' ? 'day' : period === 'week' ? 'week' : 'month';
}

export function thresholdTitle(t: ReportThreshold): string {
  return t.mode === 'free-shipping' ? 'Free-shipping threshold' : 'Gift threshold';
}

/** Slope sentence for the trend: "+1.94 GBP per month (95% interval -0.71 to +3.87), Mann-Kendall p = 0.084". */
export function slopeSentence(trend: ReportTrend, which: 'median' | 'mean', currency: string, decimals: number): string | null {
  const slope = trend.theilSen[which];
  if (!slope) return null;
  const mk = trend.mannKendall[which];
  const interval = `95% interval ${formatSignedMajor(slope.low, decimals)} to ${formatSignedMajor(slope.high, decimals)}`;
  return `${formatSignedMajor(slope.slope, decimals)} ${currency} per ${periodWord(trend.period)} (${interval})${mk ? `, Mann-Kendall p = ${formatP(mk.p)}` : ''}`;
}

function table(head: string[], align: ('l' | 'r')[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(align.map((a) => (a === 'r' ? '---:' : ':---'))), ...rows.map(line)].join('\n');
}

/** Caps rows at MAX_TABLE_ROWS and says how many were left out. */
function capped<T>(rows: readonly T[], what: string, where = 'report.json'): { shown: readonly T[]; note: string | null } {
  if (rows.length <= MAX_TABLE_ROWS) return { shown: rows, note: null };
  return { shown: rows.slice(0, MAX_TABLE_ROWS), note: `_Showing ${MAX_TABLE_ROWS} of ${formatCount(rows.length)} ${what}; all are in ${where}._` };
}

function renderAlerts(doc: ReportDocument): string | null {
  if (doc.alerts.length === 0) return null;
  const errors = doc.alerts.filter((a) => a.level === 'error').length;
  const lines = [`## Alerts (${formatCount(errors)} breached, ${plural(doc.alerts.length - errors, 'warning')})`, ''];
  // Breached rules first, then warnings, each group in the document's order.
  const ordered = [...doc.alerts.filter((a) => a.level === 'error'), ...doc.alerts.filter((a) => a.level !== 'error')];
  for (const a of ordered.slice(0, MAX_ALERTS)) {
    lines.push(`- ${a.level === 'error' ? '🔴 **Breached**' : '🟡 **Warning**'} \`${codeText(a.rule)}\`: ${cellText(a.message, 1000)}`);
  }
  if (ordered.length > MAX_ALERTS) lines.push('', `_Showing ${MAX_ALERTS} of ${formatCount(ordered.length)} alerts; all are in report.json._`);
  return lines.join('\n');
}

function renderHeadline(c: ReportCurrency, doc: ReportDocument): string {
  const rows = headlineRows(c, doc.comparison);
  const withChange = doc.comparison !== null;
  const head = withChange ? ['Figure', c.currency, 'vs previous'] : ['Figure', c.currency];
  const align: ('l' | 'r')[] = withChange ? ['l', 'r', 'r'] : ['l', 'r'];
  const out = [table(head.map(escapeMarkdown), align, rows.map((r) => (withChange ? [r.label, r.amount, r.change ?? '–'] : [r.label, r.amount])))];
  const others = otherComparisonMetrics(c, doc.comparison);
  if (others.length > 0) {
    out.push(
      '',
      table(
        ['Also compared', 'Previous', 'Now', 'Change'],
        ['l', 'r', 'r', 'r'],
        others.slice(0, MAX_TABLE_ROWS).map((m) => [
          escapeMarkdown(m.metric),
          formatMetricValue(m.metric, m.previous, c),
          formatMetricValue(m.metric, m.current, c),
          formatChange(m.change, m.previous),
        ]),
      ),
    );
  }
  return out.join('\n');
}

function renderDistribution(c: ReportCurrency): string {
  const a = (v: number | null) => formatMajor(v, c.decimals);
  const p = c.percentiles;
  const customers = c.customers;
  return [
    `Orders from ${escapeMarkdown(c.from)} to ${escapeMarkdown(c.to)}. ` +
      `Percentiles (${c.currency}): p10 ${a(p.p10)} · p25 ${a(p.p25)} · p75 ${a(p.p75)} · p90 ${a(p.p90)} · p99 ${a(p.p99)}; ` +
      `winsorized mean ${a(c.aov.winsorizedMean)}, MAD ${a(c.aov.mad)}.`,
    `Largest order ${escapeMarkdown(c.largestOrder.order)}: ${formatMajorMoney(c.largestOrder.value, c.currency, c.decimals)} (${formatPct(c.largestOrder.shareOfRevenue, 2)} of revenue). ` +
      `${formatCount(customers.customers)} customers` +
      (customers.repeatCustomerShare !== null ? `, ${formatPct(customers.repeatCustomerShare)} ordered more than once` : '') +
      (customers.firstOrderAov !== null && customers.repeatOrderAov !== null
        ? `; first orders average ${a(customers.firstOrderAov)}, repeat orders ${a(customers.repeatOrderAov)}.`
        : '.'),
  ].join('\n');
}

function renderTrend(trend: ReportTrend, c: ReportCurrency): string {
  const a = (v: number | null) => formatMajor(v, c.decimals);
  const word = periodWord(trend.period);
  const out = [`### Trend by ${word}`, '', cellText(trend.verdict, 1000)];
  const slopes = [
    ['Median', slopeSentence(trend, 'median', c.currency, c.decimals)],
    ['Mean', slopeSentence(trend, 'mean', c.currency, c.decimals)],
  ].filter((s): s is [string, string] => s[1] !== null);
  if (slopes.length > 0) {
    out.push('', ...slopes.map(([name, text]) => `- ${name}: ${text}`));
  }
  // The most recent periods matter most in a weekly report, so a long series keeps its tail.
  const { shown, note } = trendRows(trend.series, trend.period);
  const title = word.charAt(0).toUpperCase() + word.slice(1);
  out.push(
    '',
    table(
      [title, 'Orders', 'Mean', 'Median', 'Trimmed mean', 'Outlier orders'],
      ['l', 'r', 'r', 'r', 'r', 'r'],
      shown.map((p) => [
        `${escapeMarkdown(p.period)}${p.partial ? ' (partial)' : ''}`,
        formatCount(p.orders),
        a(p.mean),
        a(p.median),
        a(p.trimmedMean),
        formatCount(p.outliers),
      ]),
    ),
  );
  if (note) out.push('', `_${note}_`);
  for (const e of trend.influence.slice(0, MAX_TABLE_ROWS)) {
    out.push(
      '',
      `Order ${escapeMarkdown(e.order)} (${formatMajorMoney(e.value, c.currency, c.decimals)}) is ${formatPct(e.shareOfPeriodRevenue)} of ${escapeMarkdown(e.period)} revenue; ` +
        `without it that ${word}'s mean is ${formatMajorMoney(e.meanWithout, c.currency, c.decimals)}.`,
    );
  }
  return out.join('\n');
}

function renderThreshold(t: ReportThreshold, c: ReportCurrency): string {
  const a = (v: number | null) => formatMajor(v, c.decimals);
  const out = [`### ${thresholdTitle(t)}`, '', `**${cellText(t.summary, 1000)}**`];
  if (t.recommendation) out.push('', `Why: ${cellText(t.recommendation.reason, 1000)}.`.replace(/\.\.$/, '.'));
  out.push('', `Base AOV ${formatMajorMoney(t.baseAov, c.currency, c.decimals)}${thresholdWindow(t)}; reach zone: orders up to ${formatMajorMoney(t.reach, c.currency, c.decimals)} below a threshold.`);
  const { shown, note } = capped(t.candidates, 'candidates');
  const recommended = t.recommendation?.threshold;
  out.push(
    '',
    table(
      ['Threshold', 'vs AOV', 'Already above', 'In reach', 'Expected top-ups', 'Projected AOV', `Expected net margin ${netPeriod(t.windowMonths)}`, '90% interval', 'P(net > 0)'],
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      shown.map((k) => [
        k.threshold === recommended ? `**${a(k.threshold)}** ✓` : a(k.threshold),
        formatChange(k.aboveAovPct),
        formatPct(k.shareAlreadyAbove),
        formatCount(k.ordersInReach),
        formatCount(k.expectedTopUps),
        a(k.projectedAov),
        a(k.expectedNetMargin),
        `${a(k.netLow)} to ${a(k.netHigh)}`,
        formatProbability(k.probabilityPositive),
      ]),
    ),
  );
  if (recommended !== undefined) out.push('', '✓ recommended.');
  if (note) out.push('', note);
  const assumptions = t.assumptions ?? [];
  if (assumptions.length) {
    out.push('', '**What it assumes** (from: data = this export, option = given on the command line, prior = a stated assumption, default = aov\'s fallback)', '');
    out.push(table(['Assumption', 'Value', 'From', 'Source'], ['l', 'l', 'l', 'l'], assumptions.map((r) => [cellText(r.assumption), cellText(r.value), r.origin, cellText(r.source, 400)])));
  }
  return out.join('\n');
}

function renderBundles(c: ReportCurrency): string {
  const b = c.bundles!;
  const out = [
    '### Bundles: items bought together',
    '',
    `${formatCount(b.baskets)} baskets, ${formatCount(b.items)} distinct items; pairs in at least ${formatCount(b.minSupportCount)} baskets.`,
  ];
  const item = (name: string, id: string) => (name && name !== id ? `${cellText(name)} (${cellText(id, 40)})` : cellText(id));
  for (const set of b.sets ?? []) {
    out.push('', `Set, bought together almost always (each in ${formatPct(set.minConfidence, 0)}+ of the others' baskets; ${formatCount(set.basketsWithAll)} baskets with all): ${set.items.map((id, k) => item(set.names[k], id)).join(' + ')}.`);
  }
  if (b.pairs.length === 0) {
    out.push('', 'No pair reaches the minimum support.');
    return out.join('\n');
  }
  const { shown, note } = capped(b.pairs, 'pairs');
  out.push(
    '',
    table(
      ['#', 'Item A', 'Item B', 'Baskets together', 'Support', 'A → B', 'B → A', 'Lift', 'q'],
      ['r', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      shown.map((p, i) => [
        String(i + 1),
        item(p.names[0], p.items[0]),
        item(p.names[1], p.items[1]),
        formatCount(p.supportCount),
        formatPct(p.support, 2),
        formatPct(p.confidence[0]),
        formatPct(p.confidence[1]),
        formatNumber(p.lift, 2),
        formatQ(p.q),
      ]),
    ),
  );
  out.push('', '_A → B: share of baskets with A that also hold B. Lift above 1: bought together more often than chance. q: false-discovery-adjusted p-value._');
  if (note) out.push('', note);
  return out.join('\n');
}

/** "Suggested rules": every rule this currency wrote to rules.json (kind, id, figures, evidence), then those considered but not written. */
function renderRules(c: ReportCurrency): string {
  const rules = c.rules!;
  const out = ['### Suggested rules', '', rulesLead(rules)];
  const { shown, note } = capped(rules.written, 'rules', 'rules.json');
  if (shown.length) out.push('');
  for (const rule of shown) {
    const s = ruleSummary(rule, c.currency, c.decimals);
    out.push(`- **${escapeMarkdown(s.kind)}** \`${codeText(s.id)}\`: ${cellText(s.figures, 1000)}. Evidence: ${cellText(s.evidence, 1000)}`);
  }
  if (note) out.push('', note);
  if (rules.notWritten.length) {
    out.push('', 'Considered, not written:', '');
    for (const entry of rules.notWritten.slice(0, MAX_TABLE_ROWS)) {
      const s = notWrittenSummary(entry);
      out.push(`- **${escapeMarkdown(s.kind)}**: ${cellText(s.reason, 1000)}`);
    }
    if (rules.notWritten.length > MAX_TABLE_ROWS) out.push('', `_Showing ${MAX_TABLE_ROWS} of ${formatCount(rules.notWritten.length)}; all are in report.json._`);
  }
  return out.join('\n');
}

function renderCurrency(c: ReportCurrency, doc: ReportDocument): string {
  const out = [`## ${escapeMarkdown(c.currency)} · ${formatCount(c.orders)} orders · ${escapeMarkdown(c.from)} to ${escapeMarkdown(c.to)}`, '', cellText(verdictSentence(c), 1000), '', renderHeadline(c, doc), '', renderDistribution(c)];
  if (c.nps) {
    const score = c.nps.overall === null ? 'no answers' : `${c.nps.overall} (95% ${c.nps.low} to ${c.nps.high}, ${c.nps.answers} answers)`;
    out.push('', `NPS ${score}.${c.nps.guard ? ` ${c.nps.guardFired ? '**' : ''}${escapeMarkdown(c.nps.guard)}${c.nps.guardFired ? '**' : ''}` : ''}`);
  }
  if (c.trend) out.push('', renderTrend(c.trend, c));
  if (c.threshold) out.push('', renderThreshold(c.threshold, c));
  if (c.bundles) out.push('', renderBundles(c));
  if (c.rules) out.push('', renderRules(c));
  const skipped = [!c.trend && 'trend', !c.threshold && 'threshold', !c.bundles && 'bundles'].filter(Boolean);
  if (skipped.length > 0 && c.warnings.length === 0) out.push('', `_No ${skipped.join(', ')} section for ${escapeMarkdown(c.currency)}._`);
  if (c.warnings.length > 0) {
    out.push('', '#### Warnings', '', ...c.warnings.slice(0, MAX_TABLE_ROWS).map((w) => `- \`${codeText(w.code)}\`: ${cellText(w.message, 1000)}`));
  }
  return out.join('\n');
}

/** A verdict headline "WORD: sentence" split at its first colon. */
export function splitHeadline(headline: string): { word: string; sentence: string } {
  const at = headline.indexOf(': ');
  return at > 0 ? { word: headline.slice(0, at), sentence: headline.slice(at + 2) } : { word: '', sentence: headline };
}

/** "Did it work?": each rule's verdict and evidence since it went live (--rules), then the guardrails. */
function renderEvaluation(e: ReportEvaluation): string {
  const out = ['## Did it work?', '', `Each rule of ${escapeMarkdown(e.rulesFile)} measured from the date it went live (\`startsAt\`).`];
  const skipped = e.evaluations.filter((x) => x.kind === 'skipped');
  for (const x of e.evaluations.filter((y) => y.kind !== 'skipped').slice(0, MAX_TABLE_ROWS)) {
    const v = splitHeadline(x.verdict?.headline ?? '');
    out.push('', `### ${cellText(x.title ?? x.kind, 300)}`, '', `${v.word ? `**${escapeMarkdown(v.word)}**: ` : ''}${cellText(v.sentence, 1000)}`);
    if (x.evidence?.length) out.push('', table(['Figure', 'Evidence'], ['l', 'l'], x.evidence.map((r) => [escapeMarkdown(r.label), cellText(r.text, 600)])));
  }
  if (skipped.length) out.push('', ...skipped.map((x) => `- ${escapeMarkdown(x.ruleId ?? 'rule')}: not evaluated: ${cellText(x.reason ?? '', 400)}.`));
  for (const g of e.guardrails) {
    out.push('', `### ${cellText(String(g.title ?? `Guardrails (${g.currency})`), 200)}`);
    if (g.evidence?.length) out.push('', table(['Figure', 'Evidence'], ['l', 'l'], g.evidence.map((r) => [escapeMarkdown(r.label), cellText(r.text, 600)])));
    for (const w of g.warnings ?? []) out.push('', `**Warning**: ${cellText(w, 400)}`);
  }
  if (e.evaluations.length === 0) out.push('', '_The rules file has no rules._');
  return out.join('\n');
}

function renderInput(doc: ReportDocument): string {
  const input = doc.input;
  const rows: string[][] = [
    ['Rows read', formatCount(input.rows)],
    ['Rows used', formatCount(input.rowsUsed)],
    ['Rows excluded', formatCount(input.rowsExcluded)],
  ];
  for (const [reason, count] of sortedEntries(input.excluded)) rows.push([`  · ${escapeMarkdown(reasonLabel(reason))}`, formatCount(count)]);
  rows.push(['Rows rejected', formatCount(input.rejected)]);
  for (const [reason, count] of sortedEntries(input.rejectedByReason)) rows.push([`  · ${escapeMarkdown(reasonLabel(reason))}`, formatCount(count)]);
  rows.push(['Orders', formatCount(input.orders)]);
  const out = ['## Input and row accounting', '', table(['Rows', 'Count'], ['l', 'r'], rows)];
  const files = capped(input.files, 'files');
  out.push(
    '',
    `Format: ${escapeMarkdown(input.format)}. Order value: ${escapeMarkdown(input.valueDefinition)}.`,
    '',
    `Files (${formatCount(input.files.length)}): ${files.shown.map((file) => cellText(file, 200)).join(', ')}${files.note ? ` … ${files.note}` : ''}`,
  );
  if (doc.comparison) out.push('', `Compared with ${escapeMarkdown(doc.comparison.previousFile)}.`);
  if (input.notes.length > 0) {
    const notes = capped(input.notes, 'notes');
    out.push('', '### Notes', '', ...notes.shown.map((note) => `- ${cellText(note, 400)}`));
    if (notes.note) out.push('', notes.note);
  }
  return out.join('\n');
}

/** Largest count first, then by name, so the order is stable. */
function sortedEntries(record: Record<string, number>): [string, number][] {
  return Object.entries(record).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

/**
 * The whole report as Markdown, under MAX_MARKDOWN_BYTES: currency sections that would overflow
 * are dropped with a note; the title, the alerts and the row accounting are always kept.
 */
export function renderMarkdown(doc: ReportDocument): string {
  const head = [`# ${cellText(doc.title, 300)}`];
  const period = doc.currencies.length > 0 ? `${doc.currencies.map((c) => `${escapeMarkdown(c.currency)} ${escapeMarkdown(c.from)} to ${escapeMarkdown(c.to)}`).join('; ')}` : 'no orders';
  head.push('', `${formatCount(doc.input.orders)} orders · ${truncate(period, 2000)}${doc.generatedAt ? ` · generated ${escapeMarkdown(doc.generatedAt)}` : ''}`);
  const lead = [head.join('\n')];
  const alerts = renderAlerts(doc);
  if (alerts) lead.push(alerts);
  if (doc.evaluation) lead.push(renderEvaluation(doc.evaluation));
  const tail = renderInput(doc);

  let text = lead.join('\n\n');
  // Room kept for the tail and the cut note.
  const budget = MAX_MARKDOWN_BYTES - Buffer.byteLength(tail, 'utf8') - 1024;
  let shown = 0;
  for (const c of doc.currencies) {
    const next = `${text}\n\n${renderCurrency(c, doc)}`;
    if (Buffer.byteLength(next, 'utf8') > budget) break;
    text = next;
    shown++;
  }
  if (shown < doc.currencies.length) {
    text += `\n\n_Showing ${formatCount(shown)} of ${formatCount(doc.currencies.length)} currencies to stay under the job summary's size limit; all are in report.html and report.json._`;
  }
  // The last guard: no control character but tab and newline in the file.
  return documentSafe(`${text}\n\n${tail}\n`);
}
