/**
 * The `aov report` renderers, read back: the Markdown tables are split into cells and the HTML
 * tables and SVG marks are pulled out with small regexes, then compared with the document.
 * Expected text comes from the fixture's numbers formatted by Intl.NumberFormat (an independent
 * formatter, not format.ts) or from hand-written figures noted beside them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, MAX_MARKDOWN_BYTES, MAX_TABLE_ROWS, renderMarkdown } from '../src/report/markdown.js';
import { MAX_TREND_ROWS, REPORT_CSP, renderHtml } from '../src/report/html.js';
import { fitOrderLabel, niceTicks, trendChart } from '../src/report/svg.js';
import type { ReportCurrency, ReportDocument } from '../src/report/reportTypes.js';
import { fixture } from './helpers.js';

const loadDoc = (): ReportDocument => JSON.parse(readFileSync(fixture('report/sample-report.json'), 'utf8'));
const DOC = loadDoc();
const GBP = DOC.currencies[0];
const JPY = DOC.currencies[1];

/** Independent money formatting: Intl with exactly the currency's decimals. */
const money = (x: number, decimals: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(x);
const count = (x: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(x);
const change = (x: number) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

// ---------- Markdown helpers ----------

/** Splits a GFM table row on pipes that are not backslash-escaped. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && i + 1 < body.length) {
      cell += body[i] + body[i + 1];
      i++;
    } else if (body[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += body[i];
  }
  cells.push(cell.trim());
  return cells;
}

/** Removes Markdown backslash escapes: what a reader sees. */
const unescapeMd = (text: string) => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');

/** The first table after a line starting with `heading`: header cells and body rows. */
function markdownTable(md: string, heading: string, nth = 0): { head: string[]; rows: string[][] } {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  let found = -1;
  let seen = 0;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].startsWith('|') && lines[i + 1]?.startsWith('| :---') || (lines[i].startsWith('|') && lines[i + 1]?.startsWith('| ---:'))) {
      if (seen === nth) {
        found = i;
        break;
      }
      seen++;
    }
  }
  expect(found, `table ${nth} under ${heading}`).toBeGreaterThan(0);
  const rows: string[][] = [];
  for (let i = found + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(splitRow(lines[i]));
  return { head: splitRow(lines[found]), rows };
}

// ---------- HTML helpers ----------

const decode = (text: string) =>
  text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const textOf = (html: string) => decode(html.replace(/<[^>]*>/g, '')).trim();

/** Rows of the `nth` <table data-table="name"> as visible cell text. */
function htmlTable(html: string, name: string, nth = 0): string[][] {
  const tables = [...html.matchAll(new RegExp(`<table data-table="${name}">([\\s\\S]*?)</table>`, 'g'))];
  expect(tables.length, `table ${name}`).toBeGreaterThan(nth);
  const body = tables[nth][1].split('<tbody>')[1];
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => textOf(cell[1])));
}

/** The `nth` <svg data-chart="name"> of the page (each chart appears wide, then narrow). */
function svgChart(html: string, name: string, nth = 0): string {
  const charts = [...html.matchAll(new RegExp(`<svg class="chart-svg" data-chart="${name}"[\\s\\S]*?</svg>`, 'g'))];
  expect(charts.length, `chart ${name}`).toBeGreaterThan(nth);
  return charts[nth][0];
}

function attr(tag: string, name: string): string | null {
  const match = tag.match(new RegExp(`\\s${name}="([^"]*)"`));
  return match ? match[1] : null;
}

/** All start tags of an element with a given data attribute value. */
function tagsWith(svg: string, attribute: string, value?: string): string[] {
  const pattern = value === undefined ? `<[a-z]+[^>]*\\s${attribute}="[^"]*"[^>]*>` : `<[a-z]+[^>]*\\s${attribute}="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`;
  return [...svg.matchAll(new RegExp(pattern, 'g'))].map((m) => m[0]);
}

/** Independent HTML escaping of the five characters. */
const escHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const HOSTILE_NAMES = GBP.bundles!.pairs.flatMap((p) => p.names).filter((name) => /[<>&|*`$[]/.test(name));

describe('renderMarkdown', () => {
  const md = renderMarkdown(DOC);

  it('opens with the title and puts the alerts before the first currency, row accounting and notes last', () => {
    const at = (text: string) => md.indexOf(text);
    expect(md.startsWith('# Weekly AOV report · Gift shop \\<UK \\& JP\\>\n')).toBe(true);
    expect(at('## Alerts')).toBeGreaterThan(0);
    expect(at('## Alerts')).toBeLessThan(at('## GBP'));
    expect(at('## GBP')).toBeLessThan(at('## JPY'));
    expect(at('## JPY')).toBeLessThan(at('## Input and row accounting'));
    expect(at('## Input and row accounting')).toBeLessThan(at('### Notes'));
    // The breached rule is listed before the warning.
    expect(at('`aov.median:-10%`')).toBeLessThan(at('`W_PARTIAL_PERIOD`: GBP'));
  });

  it('shows each headline figure as in the document with its change against the previous report', () => {
    const { head, rows } = markdownTable(md, '## GBP');
    expect(head).toEqual(['Figure', 'GBP', 'vs previous']);
    const byLabel = Object.fromEntries(rows.map((r) => [r[0], r.slice(1)]));
    // Hand-read from the fixture: mean 534.4 (+0.026784), median 303.04 (-0.101305), orders 19,960 (+0.039042).
    expect(byLabel['AOV (mean)']).toEqual(['534.40', '+2.7%']);
    expect(byLabel['Median order']).toEqual(['303.04', '-10.1%']);
    expect(byLabel['Orders']).toEqual(['19,960', '+3.9%']);
    const metrics = DOC.comparison!.metrics.filter((m) => m.currency === 'GBP');
    const expected: [string, number, string][] = [
      ['AOV (mean)', GBP.aov.mean, 'aov.mean'],
      ['Median order', GBP.aov.median, 'aov.median'],
      ['Trimmed mean (5%)', GBP.aov.trimmedMean, 'aov.trimmedMean'],
      ['Revenue', GBP.revenue, 'revenue'],
    ];
    for (const [label, value, metric] of expected) {
      expect(byLabel[label]).toEqual([money(value, 2), change(metrics.find((m) => m.metric === metric)!.change!)]);
    }
  });

  it('leaves out the change column when there is no comparison', () => {
    const plain = renderMarkdown({ ...loadDoc(), comparison: null });
    const { head, rows } = markdownTable(plain, '## GBP');
    expect(head).toEqual(['Figure', 'GBP']);
    expect(rows.every((r) => r.length === 2)).toBe(true);
    expect(plain).not.toContain('vs previous');
  });

  it('marks a metric with no previous value as new and formats a zero-decimal currency without decimals', () => {
    const { rows } = markdownTable(md, '## JPY');
    const byLabel = Object.fromEntries(rows.map((r) => [r[0], r.slice(1)]));
    expect(byLabel['Orders']).toEqual(['412', 'new']);
    expect(byLabel['AOV (mean)'][0]).toBe('6,927');
    expect(byLabel['Revenue'][0]).toBe('2,853,940');
    // The sparse currency has no trend, threshold or bundle section.
    const jpy = md.slice(md.indexOf('## JPY'), md.indexOf('## Input'));
    expect(jpy).not.toMatch(/### (Trend|Gift threshold|Bundles)/);
    expect(jpy).toContain('`W_FEW_ORDERS`');
  });

  it('writes a row per trend period with the document figures and marks the partial period', () => {
    const { head, rows } = markdownTable(md, '### Trend by month');
    expect(head).toEqual(['Month', 'Orders', 'Mean', 'Median', 'Trimmed mean', 'Outlier orders']);
    const series = GBP.trend!.series;
    expect(rows).toHaveLength(series.length);
    rows.forEach((row, i) => {
      const p = series[i];
      expect(row).toEqual([`${p.period}${p.partial ? ' (partial)' : ''}`, count(p.orders), money(p.mean!, 2), money(p.median!, 2), money(p.trimmedMean!, 2), count(p.outliers)]);
    });
    expect(md).toContain('Order 581483 (168,469.60 GBP) is 32.6% of 2011-12 revenue');
  });

  it('states the threshold recommendation and lists every candidate with the recommended one marked', () => {
    const section = md.slice(md.indexOf('### Gift threshold'));
    expect(section).toContain(`**${escapeMarkdown(GBP.threshold!.summary)}**`);
    const { rows } = markdownTable(md, '### Gift threshold');
    const candidates = GBP.threshold!.candidates;
    expect(rows).toHaveLength(candidates.length);
    rows.forEach((row, i) => {
      const k = candidates[i];
      const threshold = money(k.threshold, 2);
      expect(row[0]).toBe(k.threshold === 600 ? `**${threshold}** ✓` : threshold);
      expect(row[6]).toBe(money(k.expectedNetMargin, 2));
      expect(row[7]).toBe(`${money(k.netLow, 2)} to ${money(k.netHigh, 2)}`);
      // Whole percent, never a printed certainty: "> 99%" and "< 1%" at the ends.
      const p = k.probabilityPositive;
      expect(row[8]).toBe(p >= 0.995 ? '> 99%' : p < 0.005 ? '< 1%' : `${Math.round(p * 100)}%`);
    });
  });

  it('lists the top pairs with the product names escaped so they stay text in one cell', () => {
    const { rows } = markdownTable(md, '### Bundles');
    const pairs = GBP.bundles!.pairs;
    expect(rows).toHaveLength(pairs.length);
    rows.forEach((row, i) => {
      // Nine cells even for the name holding a pipe.
      expect(row).toHaveLength(9);
      expect(unescapeMd(row[1])).toBe(`${pairs[i].names[0]} (${pairs[i].items[0]})`);
      expect(unescapeMd(row[2])).toBe(`${pairs[i].names[1]} (${pairs[i].items[1]})`);
      expect(row[3]).toBe(count(pairs[i].supportCount));
    });
    // No raw HTML tag, link, emphasis or math survives unescaped.
    expect(md).not.toMatch(/(^|[^\\])<(img|\/?script)/);
    expect(md).not.toMatch(/(^|[^\\])\[link/);
    expect(md).not.toMatch(/(^|[^\\])\*TISSUES/);
    expect(md).not.toMatch(/(^|[^\\])\$5/);
    for (const name of HOSTILE_NAMES) expect(md).toContain(escapeMarkdown(name));
  });

  it('escapes pipes, markup and line starts in data strings', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('<img src=x>')).toBe('\\<img src=x\\>');
    expect(escapeMarkdown('line\nbreak')).toBe('line break');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('&amp;')).toBe('\\&amp;');
  });

  it('ends with the row accounting as in the document', () => {
    const { rows } = markdownTable(md, '## Input and row accounting');
    const byLabel = Object.fromEntries(rows.map((r) => [r[0], r[1]]));
    expect(byLabel['Rows read']).toBe(count(DOC.input.rows));
    expect(byLabel['Rows used']).toBe(count(DOC.input.rowsUsed));
    expect(byLabel['Rows excluded']).toBe(count(DOC.input.rowsExcluded));
    expect(byLabel['· cancelled invoice']).toBe('9,288');
    expect(byLabel['Rows rejected']).toBe('3');
    expect(byLabel['Orders']).toBe(count(DOC.input.orders));
    for (const note of DOC.input.notes) expect(md).toContain(`- ${escapeMarkdown(note)}`);
  });

  it('caps long tables at 20 rows and says how many there are', () => {
    const doc = loadDoc();
    const c = doc.currencies[0];
    c.bundles!.pairs = Array.from({ length: 75 }, (_, i) => ({ ...c.bundles!.pairs[0], items: [`A${i}`, `B${i}`] as [string, string] }));
    c.trend!.series = Array.from({ length: 60 }, (_, i) => ({ ...c.trend!.series[0], period: `P${String(i).padStart(2, '0')}` }));
    const capped = renderMarkdown(doc);
    expect(markdownTable(capped, '### Bundles').rows).toHaveLength(MAX_TABLE_ROWS);
    expect(capped).toContain('_Showing 20 of 75 pairs; all are in report.json._');
    const trendRows = markdownTable(capped, '### Trend by month').rows;
    expect(trendRows).toHaveLength(MAX_TREND_ROWS);
    // The most recent 24 periods are kept: P36..P59 of P00..P59.
    expect(trendRows[0][0]).toBe('P36');
    expect(capped).toContain('_Showing the last 24 of 60 months; all are in report.json._');
  });

  it('shows the same trend periods in the Markdown and the HTML table, and both say how many of the total', () => {
    const doc = loadDoc();
    const c = doc.currencies[0];
    c.trend!.period = 'week';
    c.trend!.series = Array.from({ length: 60 }, (_, i) => ({ ...c.trend!.series[i % c.trend!.series.length], period: `W${String(i + 1).padStart(2, '0')}`, partial: false }));
    c.trend!.influence = [];
    const md = markdownTable(renderMarkdown(doc), '### Trend by week').rows.map((row) => row[0]);
    const page = renderHtml(doc);
    const html = htmlTable(page, 'trend').map((row) => row[0]);
    // 60 weeks, the last 24 kept: W37..W60.
    expect(md).toEqual(Array.from({ length: 24 }, (_, i) => `W${i + 37}`));
    expect(html).toEqual(md);
    expect(renderMarkdown(doc)).toContain('_Showing the last 24 of 60 weeks; all are in report.json._');
    expect(textOf(page.match(/<p [^>]*data-note="trend-rows"[^>]*>[\s\S]*?<\/p>/)![0])).toBe('Showing the last 24 of 60 weeks; all are in report.json.');
  });

  it('stays under the job-summary limit for a document with hundreds of currencies', () => {
    const doc = loadDoc();
    doc.currencies = Array.from({ length: 400 }, (_, i) => ({ ...doc.currencies[0], currency: `C${String(i).padStart(3, '0')}` }));
    const big = renderMarkdown(doc);
    expect(Buffer.byteLength(big, 'utf8')).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
    expect(big).toMatch(/_Showing \d+ of 400 currencies to stay under the job summary's size limit/);
    // The title, the alerts and the row accounting survive the cut.
    expect(big.startsWith('# Weekly AOV report')).toBe(true);
    expect(big).toContain('## Alerts');
    expect(big).toContain('## Input and row accounting');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(DOC);

  it('carries the Content-Security-Policy and nothing that runs or loads: no script, no URL, no handler', () => {
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    // The CSP must come before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<(link|iframe|object|embed|img|base|form)\b/i);
    expect(html).not.toMatch(/url\(|@import/i);
    // No element carries an event handler or a javascript: URL (the hostile names are inside text, escaped).
    for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) expect(tag).not.toMatch(/\son[a-z]+=|javascript:/i);
    // Links only to anchors on the page.
    for (const href of html.match(/href="[^"]*"/g) ?? []) expect(href).toMatch(/^href="#/);
  });

  it('escapes every data string: hostile product names, the title and file names show as text', () => {
    for (const name of HOSTILE_NAMES) {
      expect(html).toContain(escHtml(name));
    }
    expect(html).not.toContain('<img');
    expect(html).not.toContain('</script>');
    expect(html).toContain('<title>Weekly AOV report · Gift shop &lt;UK &amp; JP&gt;</title>');
    expect(html).toContain('exports/jp_store_&lt;b&gt;orders&lt;/b&gt;.csv');
    // The bundle table shows the names back as they were.
    const rows = htmlTable(html, 'bundles');
    const pairs = GBP.bundles!.pairs;
    rows.forEach((row, i) => {
      expect(row[1]).toBe(`${pairs[i].names[0]} ${pairs[i].items[0]}`);
      expect(row[2]).toBe(`${pairs[i].names[1]} ${pairs[i].items[1]}`);
    });
  });

  it('shows the same headline figures in the cards, the tables and the Markdown', () => {
    const md = renderMarkdown(DOC);
    for (const [index, c] of DOC.currencies.entries()) {
      const mdRows = Object.fromEntries(markdownTable(md, `## ${c.currency}`).rows.map((r) => [r[0], r.slice(1)]));
      const htmlRows = Object.fromEntries(htmlTable(html, 'headline', index).map((r) => [r[0], r.slice(1)]));
      expect(htmlRows).toEqual(mdRows);
      const cards = [...html.matchAll(new RegExp(`<div class="card" data-metric="([^"]+)" data-currency="${c.currency}"><div class="card-label">[^<]*</div><div class="card-value">([\\s\\S]*?)</div>`, 'g'))];
      expect(cards.map((m) => m[1])).toEqual(['aov.mean', 'aov.median', 'orders', 'revenue']);
      const values = Object.fromEntries(cards.map((m) => [m[1], textOf(m[2].replace(/<span class="unit">/, ' <span>'))]));
      expect(values['aov.mean']).toBe(`${money(c.aov.mean, c.decimals)} ${c.currency}`);
      expect(values['aov.median']).toBe(`${money(c.aov.median, c.decimals)} ${c.currency}`);
      expect(values['orders']).toBe(count(c.orders));
      expect(values['revenue']).toBe(`${money(c.revenue, c.decimals)} ${c.currency}`);
    }
    expect(html).toContain('data-change="-10.1%">▼ -10.1% vs previous');
  });

  it('draws the AOV trend: mean and median lines, the partial month dashed and hollow, outlier and influence marks', () => {
    const svg = svgChart(html, 'trend');
    const series = GBP.trend!.series;
    const segments = (d: string | null) => (d ?? '').match(/M/g)?.length ?? 0;
    for (const key of ['mean', 'median']) {
      const [solid] = tagsWith(svg, 'data-series', key).filter((t) => t.startsWith('<path'));
      const [dashed] = tagsWith(svg, 'data-series', `${key}-partial`);
      // 13 periods, the last partial: 11 solid segments among the first 12, 1 dashed into the last.
      expect(segments(attr(solid, 'd'))).toBe(11);
      expect(segments(attr(dashed, 'd'))).toBe(1);
      expect(attr(dashed, 'stroke-dasharray')).not.toBeNull();
      const points = tagsWith(svg, 'data-series', key).filter((t) => t.startsWith('<circle'));
      expect(points).toHaveLength(series.length);
      const hollow = points.filter((t) => attr(t, 'data-partial') === 'true');
      expect(hollow.map((t) => attr(t, 'data-period'))).toEqual(['2011-12']);
      expect(attr(hollow[0], 'fill')).toBe('#ffffff');
    }
    // A higher value sits higher on the chart: the mean point of 2011-01 (627.84) is above 2011-02 (493.19).
    const cy = (period: string) => Number(attr(tagsWith(svg, 'data-period', period).find((t) => t.startsWith('<circle') && attr(t, 'data-series') === 'mean')!, 'cy'));
    expect(cy('2011-01')).toBeLessThan(cy('2011-02'));
    const outliers = tagsWith(svg, 'data-marker', 'outliers');
    expect(outliers.map((t) => [attr(t, 'data-period'), Number(attr(t, 'data-count'))])).toEqual(series.filter((p) => p.outliers > 0).map((p) => [p.period, p.outliers]));
    expect(tagsWith(svg, 'data-marker', 'influence').map((t) => attr(t, 'data-order'))).toEqual(['581483']);
  });

  it('labels influential orders only where they have room: every marker drawn, no two labels over each other', () => {
    // An influential order in every month (Superstore has 25 in 48): before, every label was drawn, in a pile.
    const trend = structuredClone(GBP.trend!);
    trend.influence = trend.series.map((p, i) => ({ period: p.period, order: `ORDER-${1000 + i}`, value: 5000, shareOfPeriodRevenue: 0.1 + i / 100, meanWithout: (p.mean ?? 400) * 0.8 }));
    const svg = trendChart(trend, 'GBP', 2);
    const markers = [...svg.matchAll(/<g data-marker="influence"[\s\S]*?<\/g>/g)].map((m) => m[0]);
    expect(markers).toHaveLength(trend.series.length);
    const labels = markers.flatMap((m) => [...m.matchAll(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="(start|end)" [^>]*font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)])
      .map((t) => {
        const [x, y, size] = [Number(t[1]), Number(t[2]), Number(t[4])];
        const width = t[5].length * size * 0.5;
        return { x0: t[3] === 'end' ? x - width : x, x1: t[3] === 'end' ? x : x + width, y0: y - size, y1: y };
      });
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.length).toBeLessThan(markers.length);
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const [a, b] = [labels[i], labels[j]];
        expect(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1, `labels ${i} and ${j} overlap`).toBe(false);
      }
    }
    // The most influential (the last month's, share 0.22) has its label.
    expect(markers.at(-1)).toContain('<text');
  });

  it('keeps an influential order\'s label inside the plot on a phone: a long order id is cut, its tooltip whole', () => {
    const trend = structuredClone(GBP.trend!);
    const last = trend.series.at(-1)!;
    const order = 'MARKETPLACE-ORDER-2026-000000123456789';
    trend.influence = [{ period: last.period, order, value: 500000, shareOfPeriodRevenue: 0.3, meanWithout: (last.mean ?? 400) * 0.8 }];
    for (const width of [400, 720]) {
      const svg = trendChart(trend, 'GBP', 2, { width });
      const [marker] = [...svg.matchAll(/<g data-marker="influence"[\s\S]*?<\/g>/g)].map((m) => m[0]);
      const text = /<text x="([\d.]+)" y="[\d.]+" text-anchor="(start|end)" [^>]*font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/.exec(marker)!;
      const [x, anchor, size, label] = [Number(text[1]), text[2], Number(text[3]), text[4]];
      // The frame: left margin 58 (narrow) or 72, right margin 12 or 20 (svg.ts frame).
      const [left, right] = width === 400 ? [58, 400 - 12] : [72, 720 - 20];
      const w = label.length * size * 0.56;
      const [x0, x1] = anchor === 'end' ? [x - w, x] : [x, x + w];
      expect(x0).toBeGreaterThanOrEqual(left - 0.01);
      expect(x1).toBeLessThanOrEqual(right + 0.01);
      // Cut on a phone (400 units); whole where it fits (720).
      if (width === 400) expect(label).toMatch(/^without order MARKETPLACE-ORDER-\S*\u2026: [\d,.]+$/);
      else expect(label).toMatch(new RegExp(`^without order ${order}: [\\d,.]+$`));
      expect(marker).toContain(`<title>Order ${order} (`);
    }
    expect(fitOrderLabel('#1234', '512.30', 40)).toBe('without order #1234: 512.30');
    expect(fitOrderLabel('ORDER-2026-000123456', '512.30', 30)).toBe('without order ORDER-2\u2026: 512.30');
    expect(fitOrderLabel('ORDER-2026-000123456', '512.30', 25)).toBeNull();
  });

  it('draws the order-value histogram with the AOV, the threshold and the reach zone below it', () => {
    const svg = svgChart(html, 'histogram');
    const bins = tagsWith(svg, 'data-bin');
    expect(bins.map((t) => Number(attr(t, 'data-count')))).toEqual([...GBP.histogram.counts, GBP.histogram.above]);
    // Bar heights are proportional to the counts: 4,166 / 2,421 for the first two bins.
    const height = (i: number) => Number(attr(bins[i], 'height'));
    expect(height(1) / height(0)).toBeCloseTo(4166 / 2421, 2);
    const marker = (key: string) => tagsWith(svg, 'data-marker', key)[0];
    expect(Number(attr(marker('aov'), 'data-value'))).toBe(534.4);
    expect(Number(attr(marker('median'), 'data-value'))).toBe(303.04);
    expect(Number(attr(marker('threshold'), 'data-value'))).toBe(600);
    // Reach zone [600 - 120, 600) from the document's reach.
    const [zone] = tagsWith(svg, 'data-zone', 'reach');
    expect([Number(attr(zone, 'data-from')), Number(attr(zone, 'data-to'))]).toEqual([480, 600]);
    // The zone ends where the threshold line stands, and the threshold line stands right of the AOV line.
    const lineX = (key: string) => Number(svg.match(new RegExp(`data-marker="${key}"[^>]*><line x1="([\\d.]+)"`))![1]);
    expect(Number(attr(zone, 'x')) + Number(attr(zone, 'width'))).toBeCloseTo(lineX('threshold'), 0);
    expect(lineX('threshold')).toBeGreaterThan(lineX('aov'));
    // 600 lies in bin 6 (600-700): the threshold line is at that bar's left edge.
    expect(Number(attr(bins[6], 'x'))).toBeCloseTo(lineX('threshold') + 0.5, 0);
  });

  it('draws every candidate with its 90% interval, a zero line, and only the recommended one highlighted', () => {
    const svg = svgChart(html, 'candidates');
    const groups = tagsWith(svg, 'data-candidate');
    const candidates = GBP.threshold!.candidates;
    expect(groups.map((t) => Number(attr(t, 'data-candidate')))).toEqual(candidates.map((k) => k.threshold));
    expect(groups.filter((t) => attr(t, 'data-recommended') === 'true').map((t) => attr(t, 'data-candidate'))).toEqual(['600']);
    const zeroY = Number(attr(tagsWith(svg, 'data-marker', 'zero')[0], 'y1'));
    for (const k of candidates) {
      const [whisker] = tagsWith(svg, 'data-whisker', String(k.threshold));
      const low = Number(attr(whisker, 'y1'));
      const high = Number(attr(whisker, 'y2'));
      // SVG y grows downwards: the low end is below the high end, and the zero line splits intervals that straddle 0.
      expect(low).toBeGreaterThan(high);
      if (k.netLow < 0 && k.netHigh > 0) expect(zeroY > high && zeroY < low).toBe(true);
      if (k.netHigh < 0) expect(high).toBeGreaterThan(zeroY);
      if (k.netLow > 0) expect(low).toBeLessThan(zeroY);
    }
    expect(svg).toContain('>recommended</text>');
  });

  it('labels money axes with the currency decimals: none for JPY, two where GBP needs them', () => {
    const jpyHistogram = svgChart(html, 'histogram', 2);
    const ticks = [...jpyHistogram.matchAll(/<g class="axis x-axis">([\s\S]*?)<\/g>/g)].flatMap((m) => [...m[1].matchAll(/>([^<]+)<\/text>/g)].map((t) => t[1]));
    expect(ticks.length).toBeGreaterThan(2);
    for (const tick of ticks) expect(tick).not.toContain('.');
    expect(jpyHistogram).toContain('AOV 6,927');
    // GBP candidate labels keep two decimals on the wide chart.
    expect(svgChart(html, 'candidates')).toContain('>600.00</text>');
  });

  it('leaves out the trend and threshold charts for the sparse currency but keeps its histogram', () => {
    const jpy = html.slice(html.indexOf('data-currency="JPY"'), html.indexOf('Input and row accounting</h2>'));
    expect(jpy).not.toContain('data-chart="trend"');
    expect(jpy).not.toContain('data-chart="candidates"');
    expect(jpy).not.toContain('data-table="bundles"');
    expect(jpy).toContain('data-chart="histogram"');
    expect(jpy).toContain('new: no previous figure');
  });

  it('marks the best candidate, dashed, when there is no recommendation', () => {
    const doc = loadDoc();
    const t = doc.currencies[0].threshold!;
    t.recommendation = null;
    t.summary = 'No threshold pays for its gifts with enough confidence.';
    const page = renderHtml(doc);
    const histogram = svgChart(page, 'histogram');
    // Best expected net margin among the candidates: 4,678.80 at 600 (read from the fixture).
    expect(histogram).toMatch(/<g data-marker="threshold" data-value="600"><line [^>]*stroke-dasharray="6 3"/);
    expect(histogram).toContain('>Best candidate 600.00</text>');
    expect(tagsWith(svgChart(page, 'candidates'), 'data-recommended', 'true')).toHaveLength(0);
    expect(page).toContain('data-recommendation="none"');
    expect(renderMarkdown(doc)).not.toContain('✓');
  });

  it('keeps the last 24 periods in the trend table of a long weekly series, and draws a one-period series', () => {
    const doc = loadDoc();
    const trend = doc.currencies[0].trend!;
    trend.period = 'week';
    trend.series = Array.from({ length: 53 }, (_, i) => ({ ...trend.series[i % 12], period: `W${String(i + 1).padStart(2, '0')}`, partial: i === 52 }));
    trend.influence = [];
    const rows = htmlTable(renderHtml(doc), 'trend');
    expect(rows).toHaveLength(24);
    expect([rows[0][0], rows[23][0]]).toEqual(['W30', 'W53']);
    trend.series = [{ ...trend.series[0], partial: false }];
    const single = svgChart(renderHtml(doc), 'trend');
    for (const key of ['mean', 'median']) {
      const [path] = tagsWith(single, 'data-series', key).filter((t) => t.startsWith('<path'));
      expect(attr(path, 'd')).toMatch(/^M[\d.]+ [\d.]+h0$/);
    }
  });

  it('shows the row accounting as in the document', () => {
    const rows = Object.fromEntries(htmlTable(html, 'rows').map((r) => [r[0], r[1]]));
    expect(rows['Rows read']).toBe(count(DOC.input.rows));
    expect(rows['Rows excluded']).toBe(count(DOC.input.rowsExcluded));
    expect(rows['· quantity ≤ 0']).toBe('1,336');
    expect(rows['Orders']).toBe(count(DOC.input.orders));
  });
});

describe('determinism and helpers', () => {
  it('renders byte-identical Markdown and HTML twice, under two time zones', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const first = [renderMarkdown(loadDoc()), renderHtml(loadDoc())];
      process.env.TZ = 'Pacific/Chatham';
      const second = [renderMarkdown(loadDoc()), renderHtml(loadDoc())];
      expect(second[0]).toBe(first[0]);
      expect(second[1]).toBe(first[1]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('picks nice axis ticks of 1, 2 or 5 times a power of ten', () => {
    // 95 / 5 = 19 -> step 20; the axis runs 0..100.
    expect(niceTicks(0, 95, 5)).toEqual({ low: 0, high: 100, step: 20, ticks: [0, 20, 40, 60, 80, 100] });
    // -22,914 .. 8,871 over 5 -> 6,357 -> step 10,000: -30,000 .. 10,000.
    expect(niceTicks(-22914.1, 8871.4, 5).ticks).toEqual([-30000, -20000, -10000, 0, 10000]);
    // 0.1 + 0.2 style noise stays out: 0 .. 0.3 by 0.05.
    expect(niceTicks(0, 0.3, 6).ticks).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  });

  it('renders a document with no currencies without failing', () => {
    const empty: ReportDocument = { ...loadDoc(), currencies: [] as ReportCurrency[], alerts: [], comparison: null };
    expect(renderMarkdown(empty)).toContain('no orders');
    expect(renderHtml(empty)).toContain('nothing to report');
  });
});
