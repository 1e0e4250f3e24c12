/**
 * The report as one self-contained HTML page: inline CSS and SVG, no scripts, no external
 * URLs, a Content-Security-Policy that forbids anything else, every data string escaped.
 * Readable on a phone (fluid layout, tables scroll in their own box) and printable.
 */
import type { ReportCurrency, ReportDocument } from './reportTypes.js';
import { aovOverTime, candidateChart, esc, valueHistogram } from './svg.js';

const CSS = `
:root{--ink:#1d2330;--muted:#5c6676;--line:#e3e7ee;--card:#f6f8fb;--mean:#3b6fd8;--median:#e07a2e;--good:#1f8a5b;--bad:#c23b3b;--reach:#f5d889}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:960px;margin:0 auto;padding:24px 16px 48px}h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 8px;padding-top:12px;border-top:1px solid var(--line)}
h3{font-size:16px;margin:24px 0 6px}p{margin:6px 0}.muted{color:var(--muted)}.verdict{font-size:16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:14px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}.card .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card{min-width:0}.card .value{font-size:clamp(16px,2.4vw,22px);font-weight:600;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}.card .change{font-size:13px}.up{color:var(--good)}.down{color:var(--bad)}
.alerts{border:1px solid var(--bad);background:#fdf2f2;border-radius:8px;padding:8px 14px;margin:14px 0}.alerts li{margin:4px 0}
.recommend{border-left:4px solid var(--good);background:#f1f9f5;padding:10px 14px;border-radius:0 8px 8px 0;margin:10px 0}
.norecommend{border-left:4px solid var(--muted);background:var(--card);padding:10px 14px;border-radius:0 8px 8px 0;margin:10px 0}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:8px;margin:8px 0}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:14px}th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th{background:var(--card);font-weight:600}td.text,th.text{text-align:left;white-space:normal}tr.best td{background:#eaf6ef;font-weight:600}
.chart{width:100%;height:auto;margin:8px 0;background:#fff}.chart .grid{stroke:var(--line)}.chart .tick{font-size:11px;fill:var(--muted)}.chart .tick.strong{fill:var(--good);font-weight:700}
.chart .line{fill:none;stroke-width:2.5}.chart .line.mean{stroke:var(--mean)}.chart .line.median{stroke:var(--median)}
.chart .dot.mean{fill:var(--mean)}.chart .dot.median{fill:var(--median)}.chart .dot.partial{fill:#fff;stroke-width:2}.chart .dot.partial.mean{stroke:var(--mean)}.chart .dot.partial.median{stroke:var(--median)}
.chart .outlier{font-size:10px;fill:var(--bad)}.chart .legend text{font-size:12px;fill:var(--muted)}.chart .swatch.mean{fill:var(--mean)}.chart .swatch.median{fill:var(--median)}
.chart .bar{fill:#9fb3d9}.chart .reach{fill:var(--reach);opacity:.55}.chart .marker{stroke-width:2;stroke-dasharray:4 3}.chart .marker.aov{stroke:var(--mean)}.chart .marker.threshold{stroke:var(--good)}
.chart .marker-label{font-size:12px;font-weight:600}.chart .marker-label.aov{fill:var(--mean)}.chart .marker-label.threshold{fill:var(--good)}
.chart .zero{stroke:var(--ink);stroke-width:1}.chart .candidate circle{fill:#8a94a6}.chart .candidate .whisker{stroke:#8a94a6;stroke-width:2}
.chart .candidate.recommended circle{fill:var(--good)}.chart .candidate.recommended .whisker{stroke:var(--good)}
footer{margin-top:36px;font-size:13px;color:var(--muted)}code{font-size:13px}
@media print{main{max-width:none;padding:0}.chart,.card,table{break-inside:avoid}h2{break-before:auto}.scroll{overflow:visible;border:none}}
`;

function money(x: number | null, decimals: number): string {
  return x === null || !Number.isFinite(x) ? '–' : x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function pct(x: number | null, digits = 1): string {
  return x === null || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
}

function tableHtml(header: string[], rows: string[][], textColumns: number[] = [], highlight?: (i: number) => boolean): string {
  const cell = (tag: string, v: string, i: number) => `<${tag}${textColumns.includes(i) ? ' class="text"' : ''}>${v}</${tag}>`;
  return `<div class="scroll"><table><thead><tr>${header.map((h, i) => cell('th', esc(h), i)).join('')}</tr></thead><tbody>${rows
    .map((r, k) => `<tr${highlight?.(k) ? ' class="best"' : ''}>${r.map((v, i) => cell('td', v, i)).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

function card(label: string, value: string, change?: number | null): string {
  const c = change === undefined || change === null ? '' : `<div class="change ${change >= 0 ? 'up' : 'down'}">${change >= 0 ? '▲' : '▼'} ${esc(pct(Math.abs(change)))} vs previous</div>`;
  return `<div class="card"><div class="label">${esc(label)}</div><div class="value">${value}</div>${c}</div>`;
}

function currencySection(doc: ReportDocument, c: ReportCurrency): string {
  const d = c.decimals;
  const f = (x: number) => money(x, d);
  const change = (metric: string) => doc.comparison?.metrics.find((m) => m.currency === c.currency && m.metric === metric)?.change ?? null;
  const out: string[] = [];
  out.push(`<h2>${esc(c.currency)} · ${esc(c.orders.toLocaleString('en-US'))} orders · ${esc(c.from)} to ${esc(c.to)}</h2>`);
  out.push(`<p class="verdict">${esc(c.verdict)}</p>`);
  out.push(
    `<div class="cards">${card('AOV (mean)', esc(f(c.aov.mean)), change('aov.mean'))}${card('Median order', esc(f(c.aov.median)), change('aov.median'))}` +
      `${card('Orders', esc(c.orders.toLocaleString('en-US')), change('orders'))}${card('Revenue', esc(f(c.revenue)), change('revenue'))}` +
      `${card('Repeat customers', esc(pct(c.customers.repeatCustomerShare)), change('customers.repeatShare'))}` +
      `${c.nps ? card('NPS', esc(String(c.nps.overall ?? '–')), null) : ''}</div>`,
  );
  if (c.nps?.guard) out.push(`<p class="${c.nps.guardFired ? 'alerts' : 'muted'}">${esc(c.nps.guard)}</p>`);
  if (c.trend) {
    out.push(`<h3>AOV over time</h3><p>${esc(c.trend.verdict)}</p>`);
    out.push(aovOverTime(c.trend.series.map((p) => ({ label: p.period, mean: p.mean, median: p.median, partial: p.partial, outliers: p.outliers })), f));
    for (const i of c.trend.influence) {
      out.push(`<p class="muted">${esc(i.period)}: order ${esc(i.order)} (${esc(f(i.value))}, ${esc(pct(i.shareOfPeriodRevenue))} of the period's revenue) alone moves its mean from ${esc(f(i.meanWithout))}.</p>`);
    }
  }
  const th = c.threshold;
  out.push(`<h3>Order values</h3>`);
  out.push(valueHistogram(c.histogram.counts, c.histogram.binWidth, { aov: c.aov.mean, threshold: th?.recommendation?.threshold ?? null, reach: th ? th.reach : null }, f));
  out.push(`<p class="muted">${esc(c.histogram.above.toLocaleString('en-US'))} orders above ${esc(f(c.histogram.aboveFrom))} not drawn. Median ${esc(f(c.aov.median))}, trimmed mean ${esc(f(c.aov.trimmedMean))}, p90 ${esc(f(c.percentiles.p90))}; largest order ${esc(c.largestOrder.order)} (${esc(f(c.largestOrder.value))}, ${esc(pct(c.largestOrder.shareOfRevenue, 2))} of revenue).</p>`);
  if (th) {
    out.push(`<h3>${th.mode === 'gift' ? 'Free-gift' : 'Free-shipping'} threshold</h3>`);
    out.push(`<div class="${th.recommendation ? 'recommend' : 'norecommend'}">${esc(th.summary)}</div>`);
    out.push(candidateChart(th.candidates.map((x) => ({ threshold: x.threshold, net: x.expectedNetMargin, low: x.netLow, high: x.netHigh, recommended: th.recommendation?.threshold === x.threshold })), f));
    out.push(
      tableHtml(
        ['Threshold', 'Above AOV', 'Already above', 'Top-ups', 'AOV after', 'Net margin', '90% interval', 'P(net > 0)'],
        th.candidates.map((x) => [esc(f(x.threshold)), esc(pct(x.aboveAovPct, 0)), esc(pct(x.shareAlreadyAbove, 0)), esc(x.expectedTopUps.toFixed(0)), esc(f(x.projectedAov)), esc(f(x.expectedNetMargin)), `${esc(f(x.netLow))} to ${esc(f(x.netHigh))}`, esc(pct(x.probabilityPositive, 0))]),
        [],
        (k) => th.recommendation?.threshold === th.candidates[k].threshold,
      ),
    );
  }
  if (c.bundles && c.bundles.pairs.length) {
    out.push(`<h3>Bought together</h3><p class="muted">${esc(c.bundles.baskets.toLocaleString('en-US'))} baskets, ${esc(c.bundles.items.toLocaleString('en-US'))} items; pairs in at least ${esc(c.bundles.minSupportCount.toLocaleString('en-US'))} baskets that are unlikely to be chance (Benjamini-Hochberg q ≤ 0.05).</p>`);
    out.push(
      tableHtml(
        ['Item A', 'Item B', 'Baskets', 'A→B', 'B→A', 'Lift', 'q'],
        c.bundles.pairs.map((p) => [esc(p.names[0]), esc(p.names[1]), esc(p.supportCount.toLocaleString('en-US')), esc(pct(p.confidence[0], 0)), esc(pct(p.confidence[1], 0)), esc(p.lift.toFixed(2)), esc(p.q < 0.001 ? '<0.001' : p.q.toFixed(3))]),
        [0, 1],
      ),
    );
  }
  return `<section>${out.join('\n')}</section>`;
}

export function renderHtml(doc: ReportDocument): string {
  const i = doc.input;
  const reasons = (r: Record<string, number>) => Object.entries(r).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ');
  const alerts = doc.alerts.length
    ? `<div class="alerts"><strong>Alerts</strong><ul>${doc.alerts.map((a) => `<li>${esc(a.rule)}: ${esc(a.message)}</li>`).join('')}</ul></div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>${esc(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${esc(doc.title)}</h1>
<p class="muted">${doc.generatedAt ? `Generated ${esc(doc.generatedAt)} · ` : ''}${esc(i.files.join(', '))}</p>
${alerts}
${doc.currencies.map((c) => currencySection(doc, c)).join('\n')}
<footer>
<p>${esc(i.rows.toLocaleString('en-US'))} rows read = ${esc(i.rowsUsed.toLocaleString('en-US'))} used + ${esc(i.rowsExcluded.toLocaleString('en-US'))} excluded${Object.keys(i.excluded).length ? ` (${esc(reasons(i.excluded))})` : ''} + ${esc(i.rejected.toLocaleString('en-US'))} rejected${Object.keys(i.rejectedByReason).length ? ` (${esc(reasons(i.rejectedByReason))})` : ''}. Order value: ${esc(i.valueDefinition)}.</p>
${i.notes.map((n) => `<p>${esc(n)}</p>`).join('\n')}
<p>Made with aov.</p>
</footer>
</main>
</body>
</html>
`;
}
