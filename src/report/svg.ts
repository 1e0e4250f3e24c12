/**
 * Inline SVG charts for the HTML report. Pure functions from report sections to SVG strings:
 * no scripts, no external references, no xmlns URL (inline SVG in HTML does not need one),
 * coordinates rounded to 0.1 so output is byte-stable. Every mark carries a data attribute
 * (`data-series`, `data-marker`, `data-candidate`, ...) so tests can find it in the DOM.
 */
import type { ReportCurrency, ReportThreshold, ReportTrend } from './reportTypes.js';
import { formatAmount, formatCount, formatPct, netPeriod, formatProbability } from './format.js';
import { defuse } from './visible.js';

/** Escapes text for HTML/SVG element content and attribute values (& < > " '). */
export function escapeXml(text: string): string {
  return defuse(String(text))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A major-unit amount (as in the report document) with the currency's decimals: 534.4 -> "534.40". */
export function formatMajor(amount: number | null, decimals: number): string {
  if (amount === null || !Number.isFinite(amount)) return '–';
  return formatAmount(Math.round(amount * 10 ** decimals), decimals);
}

/** A major-unit amount with its currency code: "534.40 GBP". */
export function formatMajorMoney(amount: number | null, currency: string, decimals: number): string {
  const text = formatMajor(amount, decimals);
  return text === '–' ? text : `${text} ${currency}`;
}

/** Like formatMajor with an explicit sign: "+1.94", "-0.71", "0.00". */
export function formatSignedMajor(amount: number | null, decimals: number): string {
  const text = formatMajor(amount, decimals);
  if (text === '–' || amount === null) return text;
  return Math.round(amount * 10 ** decimals) > 0 ? `+${text}` : text;
}

/**
 * Axis tick labels: the currency's decimals only when the tick step needs them, so a GBP axis
 * reads "0, 500, 1,000" and a JPY axis never shows a decimal point.
 */
export function formatTick(value: number, step: number, decimals: number): string {
  const needed = step >= 1 ? 0 : Math.min(decimals, Math.ceil(-Math.log10(step) - 1e-9));
  const shown = Math.max(0, needed);
  return formatAmount(Math.round(value * 10 ** shown), shown);
}

/**
 * "Nice" axis ticks (steps of 1, 2 or 5 times a power of ten) covering [low, high],
 * after Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).
 * @example niceTicks(0, 95, 5) // { low: 0, high: 100, step: 20, ticks: [0, 20, 40, 60, 80, 100] }
 */
export function niceTicks(low: number, high: number, count = 5): { low: number; high: number; step: number; ticks: number[] } {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return { low: 0, high: 1, step: 1, ticks: [0, 1] };
  if (high < low) [low, high] = [high, low];
  // A flat series still needs a visible band around its value.
  if (high === low) {
    const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 1;
    low -= pad;
    high += pad;
  }
  const rough = (high - low) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  const ticks: number[] = [];
  // Multiplying an integer by the step (instead of adding steps) keeps float noise out of the labels.
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return { low: ticks[0], high: ticks[ticks.length - 1], step, ticks };
}

/** Coordinates rounded to 0.1 and printed without trailing zeros or "-0". */
function n(x: number): string {
  const rounded = Math.round(x * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

/** "1 order", "2 orders". */
export function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/** Narrow-chart tick labels: thousands as "k" ("-30k", "1.5k") once the step reaches 1,000. */
function compactTick(value: number, step: number, decimals: number): string {
  if (step < 1000 || value === 0) return formatTick(value, step, decimals);
  const thousands = Number((value / 1000).toPrecision(12));
  return `${thousands.toLocaleString('en-US', { maximumFractionDigits: 3 })}k`;
}

/** Muted palette shared with the page CSS. */
export const PALETTE = {
  ink: '#1f2933',
  muted: '#616e7c',
  grid: '#e4e7eb',
  axis: '#9aa5b1',
  mean: '#3f6ea6',
  median: '#2a8a7e',
  outlier: '#c0392b',
  threshold: '#c77700',
  reach: '#f4c26b',
  bar: '#a9bcd0',
  barAbove: '#cbd2d9',
  positive: '#2f855a',
  negative: '#b83232',
  recommended: '#c77700',
};

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Base and small font sizes in viewBox units: larger on the narrow variant, which a phone shows near 1:1. */
  font: number;
  small: number;
}

/** Chart size: `wide` (720 units, desktop and print) or `narrow` (400 units, phones). */
export interface ChartOptions {
  width?: number;
}

/** Widths below this get the narrow layout: bigger type, fewer labels. */
const NARROW = 600;

function frame(options: ChartOptions, height: number, top: number, bottom: number): Frame {
  const width = options.width ?? 720;
  const narrow = width < NARROW;
  return { width, height, left: narrow ? 58 : 72, right: narrow ? 12 : 20, top, bottom, font: narrow ? 13 : 12, small: narrow ? 11.5 : 10 };
}

function plotWidth(f: Frame): number {
  return f.width - f.left - f.right;
}
function plotHeight(f: Frame): number {
  return f.height - f.top - f.bottom;
}

function openSvg(chart: string, f: Frame, label: string): string {
  return (
    `<svg class="chart-svg" data-chart="${chart}" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" ` +
    `role="img" aria-label="${escapeXml(label)}" preserveAspectRatio="xMidYMid meet" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif" font-size="${f.font}">` +
    `<title>${escapeXml(label)}</title>`
  );
}

/**
 * "without order #1234: 512.30" in at most `chars` characters: the order id cut with an
 * ellipsis when it is too long; null when even four of its characters do not fit.
 *
 * @example
 * fitOrderLabel('#1234', '512.30', 40); // 'without order #1234: 512.30'
 * fitOrderLabel('ORDER-2026-000123456', '512.30', 30); // 'without order ORDER-2…: 512.30'
 */
export function fitOrderLabel(order: string, value: string, chars: number): string | null {
  const whole = `without order ${order}: ${value}`;
  if (whole.length <= chars) return whole;
  const keep = chars - (whole.length - order.length) - 1;
  if (keep < 4) return null;
  return `without order ${[...order].slice(0, keep).join('')}\u2026: ${value}`;
}

/** Horizontal grid lines with money tick labels on the left axis. */
function yAxis(f: Frame, ticks: number[], y: (v: number) => number, label: (v: number) => string, title: string): string {
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(
      `<line x1="${f.left}" x2="${f.width - f.right}" y1="${n(y(t))}" y2="${n(y(t))}" stroke="${PALETTE.grid}" stroke-width="1"/>`,
      `<text x="${f.left - 8}" y="${n(y(t) + 4)}" text-anchor="end" fill="${PALETTE.muted}" font-variant-numeric="tabular-nums">${escapeXml(label(t))}</text>`,
    );
  }
  parts.push(
    `<text x="${12}" y="${n(f.top + plotHeight(f) / 2)}" transform="rotate(-90 12 ${n(f.top + plotHeight(f) / 2)})" text-anchor="middle" fill="${PALETTE.muted}">${escapeXml(title)}</text>`,
  );
  return `<g class="axis y-axis">${parts.join('')}</g>`;
}

/** Up to `max` category labels, evenly thinned, under the plot. */
function xCategoryLabels(f: Frame, labels: string[], x: (i: number) => number, max: number): string {
  const every = Math.max(1, Math.ceil(labels.length / max));
  const parts: string[] = [];
  labels.forEach((text, i) => {
    if (i % every !== 0 && i !== labels.length - 1) return;
    // The last label is always shown; drop the thinned one before it when they would collide.
    if (i !== labels.length - 1 && labels.length - 1 - i < every && i !== 0 && every > 1) return;
    // Labels at the edges are anchored inwards so they are not clipped by the viewBox.
    const half = text.length * f.font * 0.28;
    const anchor = x(i) + half > f.width - 2 ? 'end' : x(i) - half < 2 ? 'start' : 'middle';
    const at = anchor === 'end' ? f.width - 2 : anchor === 'start' ? 2 : x(i);
    parts.push(`<text x="${n(at)}" y="${f.height - f.bottom + 18}" text-anchor="${anchor}" fill="${PALETTE.muted}">${escapeXml(text)}</text>`);
  });
  return `<g class="axis x-axis"><line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="${PALETTE.axis}"/>${parts.join('')}</g>`;
}

/** Legend items in a row, wrapping to a second row when the frame is too narrow. */
function legend(f: Frame, items: { swatch: string; text: string }[], x0: number, y0: number): string {
  let x = x0;
  let y = y0;
  const parts: string[] = [];
  for (const item of items) {
    // Rough width of system-font text: 0.53 em per character, plus the swatch and a gap.
    const width = 22 + item.text.length * f.font * 0.53 + 16;
    if (x > x0 && x + width - 16 > f.width - f.right) {
      x = x0;
      y += f.font + 6;
    }
    parts.push(`<g transform="translate(${n(x)} ${n(y)})">${item.swatch}<text x="22" y="4" fill="${PALETTE.ink}">${escapeXml(item.text)}</text></g>`);
    x += width;
  }
  return `<g class="legend">${parts.join('')}</g>`;
}

const lineSwatch = (color: string, dash = '') =>
  `<line x1="0" x2="16" y1="0" y2="0" stroke="${color}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;

/**
 * AOV over time: mean and median per period. Segments that touch a partial period are drawn
 * dashed (series "mean-partial"/"median-partial") and partial points hollow; periods holding
 * outlier orders get a red mark in a strip above the plot, and each influence entry shows where
 * the period's mean would be without that one order.
 */
export function trendChart(trend: ReportTrend, currency: string, decimals: number, options: ChartOptions = {}): string {
  const narrow = (options.width ?? 720) < NARROW;
  const f = frame(options, narrow ? 300 : 320, narrow ? 80 : 64, 36);
  const series = trend.series;
  const label = `Average order value per ${trend.period} (${currency}): mean and median`;
  const values: number[] = [];
  for (const p of series) for (const v of [p.mean, p.median]) if (v !== null && Number.isFinite(v)) values.push(v);
  for (const e of trend.influence) if (Number.isFinite(e.meanWithout)) values.push(e.meanWithout);
  if (series.length === 0 || values.length === 0) {
    return `${openSvg('trend', { ...f, height: 80 }, label)}<text x="${f.left}" y="40" fill="${PALETTE.muted}">No periods to draw.</text></svg>`;
  }
  const scale = niceTicks(Math.min(...values), Math.max(...values), 5);
  const x = (i: number) => f.left + (plotWidth(f) * (i + 0.5)) / series.length;
  const y = (v: number) => f.top + plotHeight(f) * (1 - (v - scale.low) / (scale.high - scale.low));
  const parts: string[] = [openSvg('trend', f, label)];
  parts.push(yAxis(f, scale.ticks, y, (v) => (narrow ? compactTick(v, scale.step, decimals) : formatTick(v, scale.step, decimals)), currency));
    // As many labels as fit side by side at their widest, with a gap.
  const longest = Math.max(...series.map((p) => p.period.length), 4);
  parts.push(xCategoryLabels(f, series.map((p) => p.period), x, Math.max(2, Math.floor(plotWidth(f) / (longest * f.font * 0.6 + 14)))));
  // Dots shrink, then go, as periods crowd; partial periods always keep their hollow dot.
  const step = plotWidth(f) / series.length;
  const dotRadius = step >= 14 ? 3.5 : step >= 7 ? 2.25 : 0;

  const lines: { key: 'mean' | 'median'; color: string; width: number }[] = [
    { key: 'mean', color: PALETTE.mean, width: 2.25 },
    { key: 'median', color: PALETTE.median, width: 2.75 },
  ];
  for (const line of lines) {
    // Split the polyline into solid and dashed runs: a segment is dashed when either end is partial.
    let solid = '';
    let dashed = '';
    for (let i = 1; i < series.length; i++) {
      const a = series[i - 1][line.key];
      const b = series[i][line.key];
      if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) continue;
      const segment = `M${n(x(i - 1))} ${n(y(a))}L${n(x(i))} ${n(y(b))}`;
      if (series[i - 1].partial || series[i].partial) dashed += segment;
      else solid += segment;
    }
    // A lone point still gets a path so the series is never missing from the DOM.
    if (!solid && !dashed) {
      const only = series.findIndex((p) => p[line.key] !== null);
      if (only >= 0) solid = `M${n(x(only))} ${n(y(series[only][line.key] as number))}h0`;
    }
    parts.push(
      `<path data-series="${line.key}" d="${solid}" fill="none" stroke="${line.color}" stroke-width="${line.width}" stroke-linejoin="round" stroke-linecap="round"/>`,
      `<path data-series="${line.key}-partial" d="${dashed}" fill="none" stroke="${line.color}" stroke-width="${line.width}" stroke-dasharray="5 4" stroke-linecap="round"/>`,
    );
    const dots: string[] = [];
    series.forEach((p, i) => {
      const v = p[line.key];
      if (v === null || !Number.isFinite(v)) return;
      const radius = p.partial ? 3.5 : dotRadius;
      if (radius === 0) return;
      const fill = p.partial ? '#ffffff' : line.color;
      dots.push(
        `<circle data-series="${line.key}" data-period="${escapeXml(p.period)}" data-partial="${p.partial}" cx="${n(x(i))}" cy="${n(y(v))}" r="${radius}" fill="${fill}" stroke="${line.color}" stroke-width="1.75">` +
          `<title>${escapeXml(`${p.period}${p.partial ? ' (partial)' : ''}: ${line.key} ${formatMajor(v, decimals)} ${currency}, ${plural(p.orders, 'order')}`)}</title></circle>`,
      );
    });
    parts.push(`<g class="points">${dots.join('')}</g>`);
  }

  // Influence: a dotted drop from the period's mean to its mean without the single order.
  // Labels only where they have room: the most influential first, none over another (a shop
  // with an outlier in most months drew a pile of them); every marker keeps its tooltip.
  const placed: { x0: number; x1: number; y0: number; y1: number }[] = [];
  const labelSize = f.small + 1;
  const byInfluence = [...trend.influence].sort((a, b) => b.shareOfPeriodRevenue - a.shareOfPeriodRevenue || a.period.localeCompare(b.period));
  // Each label's side: to the right of its marker, or to the left near the right edge (or where it would run past it).
  // A label stays inside the plot (off the axis labels) on either side; an order id too long for
  // the room is cut with an ellipsis (the marker's tooltip has it whole), and one that cannot
  // keep four characters is not labelled.
  const labelled = new Map<(typeof trend.influence)[number], { anchorRight: boolean; text: string }>();
  const charWidth = labelSize * 0.56;
  const right = f.left + plotWidth(f);
  for (const e of byInfluence) {
    const i = series.findIndex((p) => p.period === e.period);
    if (i < 0 || !Number.isFinite(e.meanWithout)) continue;
    const cx = x(i);
    const cy = y(e.meanWithout) + 20;
    const value = formatMajor(e.meanWithout, decimals);
    const whole = `without order ${e.order}: ${value}`;
    const roomRight = right - (cx - 4);
    const roomLeft = cx + 4 - f.left;
    let anchorRight = cx > f.left + plotWidth(f) * 0.7 || whole.length * charWidth > roomRight;
    if (anchorRight && whole.length * charWidth > roomLeft && roomRight > roomLeft) anchorRight = false;
    const room = anchorRight ? roomLeft : roomRight;
    const text = fitOrderLabel(e.order, value, Math.floor(room / charWidth));
    if (text === null) continue;
    const width = text.length * charWidth;
    const box = { x0: anchorRight ? cx + 4 - width : cx - 4, x1: anchorRight ? cx + 4 : cx - 4 + width, y0: cy - labelSize, y1: cy + 3 };
    if (placed.some((b) => box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1)) continue;
    placed.push(box);
    labelled.set(e, { anchorRight, text });
  }
  for (const e of trend.influence) {
    const i = series.findIndex((p) => p.period === e.period);
    const mean = i >= 0 ? series[i].mean : null;
    if (i < 0 || mean === null || !Number.isFinite(e.meanWithout)) continue;
    const cx = x(i);
    const cy = y(e.meanWithout);
    const placedLabel = labelled.get(e);
    const label = placedLabel
      ? `<text x="${n(placedLabel.anchorRight ? cx + 4 : cx - 4)}" y="${n(cy + 20)}" text-anchor="${placedLabel.anchorRight ? 'end' : 'start'}" fill="${PALETTE.outlier}" font-size="${labelSize}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${escapeXml(placedLabel.text)}</text>`
      : '';
    parts.push(
      `<g data-marker="influence" data-period="${escapeXml(e.period)}" data-order="${escapeXml(e.order)}">` +
        `<line x1="${n(cx)}" x2="${n(cx)}" y1="${n(y(mean))}" y2="${n(cy)}" stroke="${PALETTE.outlier}" stroke-width="1.25" stroke-dasharray="2 3"/>` +
        `<path d="M${n(cx)} ${n(cy - 5)}l5 5l-5 5l-5 -5z" fill="#ffffff" stroke="${PALETTE.outlier}" stroke-width="1.5"/>` +
        // Under the diamond with a white halo, so the label stays readable where it crosses a line.
        label +
        `<title>${escapeXml(`Order ${e.order} (${formatMajorMoney(e.value, currency, decimals)}) is ${formatPct(e.shareOfPeriodRevenue)} of ${e.period} revenue; without it the mean is ${formatMajorMoney(e.meanWithout, currency, decimals)}`)}</title></g>`,
    );
  }

  // Outlier strip: one mark per period that holds outlier orders, with the count.
  const stripY = f.top - 14;
  const marks: string[] = [];
  series.forEach((p, i) => {
    if (!(p.outliers > 0)) return;
    marks.push(
      `<g data-marker="outliers" data-period="${escapeXml(p.period)}" data-count="${p.outliers}">` +
        `<path d="M${n(x(i))} ${n(stripY - 9)}l4.5 7h-9z" fill="${PALETTE.outlier}"/>` +
        // Counts only while they have room; the tooltip always has them.
        (step >= f.small * 1.6 ? `<text x="${n(x(i))}" y="${n(stripY + 8)}" text-anchor="middle" fill="${PALETTE.outlier}" font-size="${f.small}">${formatCount(p.outliers)}</text>` : '') +
        `<title>${escapeXml(`${p.period}: ${plural(p.outliers, 'outlier order')}`)}</title></g>`,
    );
  });
  if (marks.length > 0) {
    parts.push(`<text x="${f.left - 8}" y="${n(stripY + 2)}" text-anchor="end" fill="${PALETTE.outlier}" font-size="${f.small}">outliers</text>`);
    parts.push(`<g class="outliers">${marks.join('')}</g>`);
  }

  const hasPartial = series.some((p) => p.partial);
  const legendItems = [
    { swatch: lineSwatch(PALETTE.mean), text: 'Mean' },
    { swatch: lineSwatch(PALETTE.median), text: 'Median' },
  ];
  if (hasPartial) legendItems.push({ swatch: lineSwatch(PALETTE.muted, '5 4'), text: 'partial period' });
  if (marks.length > 0) legendItems.push({ swatch: `<path d="M8 -5l4.5 7h-9z" fill="${PALETTE.outlier}"/>`, text: narrow ? 'outlier orders' : 'outlier orders in the period' });
  parts.push(legend(f, legendItems, narrow ? 8 : f.left, 14));
  parts.push('</svg>');
  return parts.join('');
}

/** The threshold the histogram marks: the recommendation, else the candidate with the best expected net margin. */
export function markedThreshold(threshold: ReportThreshold | null): { value: number; recommended: boolean } | null {
  if (!threshold) return null;
  if (threshold.recommendation) return { value: threshold.recommendation.threshold, recommended: true };
  let best: ReportThreshold['candidates'][number] | null = null;
  for (const c of threshold.candidates) {
    // Ties go to the lower threshold so the choice is stable.
    if (!best || c.expectedNetMargin > best.expectedNetMargin) best = c;
  }
  return best ? { value: best.threshold, recommended: false } : null;
}

/**
 * The order-value histogram: equal-width bins from 0, a separate bar for the orders above the
 * last bin, vertical markers for the AOV (mean), the median and the threshold, and the reach
 * zone [threshold − reach, threshold) shaded.
 */
export function histogramChart(c: ReportCurrency, options: ChartOptions = {}): string {
  const narrow = (options.width ?? 720) < NARROW;
  const f = frame(options, narrow ? 300 : 320, narrow ? 76 : 70, 36);
  const { histogram, currency, decimals } = c;
  const label = `Order values (${currency}): how many orders fall in each ${formatMajor(histogram.binWidth, decimals)} band`;
  const binsEnd = histogram.counts.length * histogram.binWidth;
  if (histogram.counts.length === 0 || !(histogram.binWidth > 0)) {
    return `${openSvg('histogram', { ...f, height: 80 }, label)}<text x="${f.left}" y="40" fill="${PALETTE.muted}">No orders to draw.</text></svg>`;
  }
  const marked = markedThreshold(c.threshold);
  const reach = c.threshold?.reach ?? 0;
  // The "above" bar sits after a gap of half a bin; markers beyond the bins are clamped to the right edge.
  const aboveBar = histogram.above > 0;
  const xEnd = binsEnd + (aboveBar ? histogram.binWidth * 1.75 : 0);
  const x = (v: number) => f.left + (plotWidth(f) * Math.min(Math.max(v, 0), xEnd)) / xEnd;
  const maxCount = Math.max(...histogram.counts, histogram.above, 1);
  const yScale = niceTicks(0, maxCount, 4);
  const y = (v: number) => f.top + plotHeight(f) * (1 - v / yScale.high);
  const parts: string[] = [openSvg('histogram', f, label)];
  parts.push(yAxis(f, yScale.ticks, y, (v) => (narrow ? compactTick(v, yScale.step, 0) : formatCount(v)), 'orders'));

  // Reach zone first so the bars draw over it.
  if (marked && reach > 0) {
    const from = Math.max(0, marked.value - reach);
    parts.push(
      `<rect data-zone="reach" data-from="${from}" data-to="${marked.value}" x="${n(x(from))}" y="${f.top}" width="${n(Math.max(0, x(marked.value) - x(from)))}" height="${n(plotHeight(f))}" fill="${PALETTE.reach}" fill-opacity="0.35">` +
        `<title>${escapeXml(`Reach zone: orders from ${formatMajorMoney(from, currency, decimals)} up to ${formatMajorMoney(marked.value, currency, decimals)}`)}</title></rect>`,
    );
  }

  const bars: string[] = [];
  const barWidth = plotWidth(f) * (histogram.binWidth / xEnd);
  histogram.counts.forEach((count, i) => {
    const from = i * histogram.binWidth;
    const top = y(count);
    bars.push(
      `<rect data-bin="${i}" data-count="${count}" x="${n(x(from) + 0.5)}" y="${n(top)}" width="${n(Math.max(0.5, barWidth - 1))}" height="${n(f.top + plotHeight(f) - top)}" fill="${PALETTE.bar}">` +
        `<title>${escapeXml(`${formatMajor(from, decimals)} to ${formatMajor(from + histogram.binWidth, decimals)} ${currency}: ${plural(count, 'order')}`)}</title></rect>`,
    );
  });
  if (aboveBar) {
    const from = binsEnd + histogram.binWidth * 0.5;
    const top = y(histogram.above);
    bars.push(
      `<rect data-bin="above" data-count="${histogram.above}" x="${n(x(from))}" y="${n(top)}" width="${n(barWidth * 1.25)}" height="${n(f.top + plotHeight(f) - top)}" fill="${PALETTE.barAbove}" stroke="${PALETTE.axis}" stroke-dasharray="3 2">` +
        `<title>${escapeXml(`${plural(histogram.above, 'order')} of ${formatMajorMoney(histogram.aboveFrom, currency, decimals)} or more`)}</title></rect>`,
      `<text x="${n(x(from) + (barWidth * 1.25) / 2)}" y="${n(top - 5)}" text-anchor="middle" fill="${PALETTE.muted}" font-size="${f.small}">${formatCount(histogram.above)}</text>`,
    );
  }
  parts.push(`<g class="bars">${bars.join('')}</g>`);

  // Money ticks under the bins, and the "≥ aboveFrom" label under the extra bar.
  const xScale = niceTicks(0, binsEnd, narrow ? 3 : 6);
  const ticks: string[] = [`<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.top + plotHeight(f)}" y2="${f.top + plotHeight(f)}" stroke="${PALETTE.axis}"/>`];
  const aboveLabelX = x(binsEnd + histogram.binWidth * 0.5) + (barWidth * 1.25) / 2;
  for (const t of xScale.ticks) {
    // Ticks past the bins, or close enough to collide with the "≥" label, are left out.
    if (t > binsEnd || (aboveBar && aboveLabelX - x(t) < 52)) continue;
    ticks.push(`<text x="${n(x(t))}" y="${f.height - f.bottom + 18}" text-anchor="middle" fill="${PALETTE.muted}">${escapeXml(formatTick(t, xScale.step, decimals))}</text>`);
  }
  if (aboveBar) {
    ticks.push(
      `<text x="${n(Math.min(aboveLabelX, f.width - 2))}" y="${f.height - f.bottom + 18}" text-anchor="${aboveLabelX + f.font * 1.8 > f.width ? 'end' : 'middle'}" fill="${PALETTE.muted}">≥${escapeXml(formatTick(histogram.aboveFrom, xScale.step, decimals))}</text>`,
    );
  }
  parts.push(`<g class="axis x-axis">${ticks.join('')}</g>`);

  // Markers with their labels staggered in the top margin so close values stay readable.
  const markers: { key: string; value: number; color: string; text: string; dash: string }[] = [
    { key: 'median', value: c.aov.median, color: PALETTE.median, text: `Median ${formatMajor(c.aov.median, decimals)}`, dash: '4 3' },
    { key: 'aov', value: c.aov.mean, color: PALETTE.mean, text: `AOV ${formatMajor(c.aov.mean, decimals)}`, dash: '' },
  ];
  if (marked) {
    markers.push({
      key: 'threshold',
      value: marked.value,
      color: PALETTE.threshold,
      text: `${marked.recommended ? 'Threshold' : 'Best candidate'} ${formatMajor(marked.value, decimals)}${marked.value > xEnd ? ' →' : ''}`,
      dash: marked.recommended ? '' : '6 3',
    });
  }
  markers.sort((a, b) => a.value - b.value || a.key.localeCompare(b.key));
  markers.forEach((m, row) => {
    if (!Number.isFinite(m.value)) return;
    const mx = x(m.value);
    const ly = 14 + row * (f.font + 5);
    const anchorEnd = mx > f.left + plotWidth(f) * 0.75;
    parts.push(
      `<g data-marker="${m.key}" data-value="${m.value}">` +
        `<line x1="${n(mx)}" x2="${n(mx)}" y1="${ly + 4}" y2="${f.top + plotHeight(f)}" stroke="${m.color}" stroke-width="2"${m.dash ? ` stroke-dasharray="${m.dash}"` : ''}/>` +
        `<text x="${n(anchorEnd ? mx - 5 : mx + 5)}" y="${ly + 4}" text-anchor="${anchorEnd ? 'end' : 'start'}" fill="${m.color}" font-weight="600">${escapeXml(m.text)}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * The threshold candidates' expected net margin with their 90% intervals (netLow..netHigh) as
 * whiskers, a zero line, the recommended candidate highlighted, and P(net > 0) under each label.
 */
export function candidatesChart(threshold: ReportThreshold, currency: string, decimals: number, options: ChartOptions = {}): string {
  const narrow = (options.width ?? 720) < NARROW;
  const f = frame(options, 300, 36, 54);
  if (!narrow) f.left = 80;
  const candidates = threshold.candidates;
  const label = `Expected net margin ${netPeriod(threshold.windowMonths)} for each threshold candidate (${currency}) with 90% intervals`;
  if (candidates.length === 0) {
    return `${openSvg('candidates', { ...f, height: 80 }, label)}<text x="${f.left}" y="40" fill="${PALETTE.muted}">No candidates.</text></svg>`;
  }
  const values = [0];
  for (const c of candidates) for (const v of [c.netLow, c.netHigh, c.expectedNetMargin]) if (Number.isFinite(v)) values.push(v);
  const scale = niceTicks(Math.min(...values), Math.max(...values), 5);
  const x = (i: number) => f.left + (plotWidth(f) * (i + 0.5)) / candidates.length;
  const y = (v: number) => f.top + plotHeight(f) * (1 - (v - scale.low) / (scale.high - scale.low));
  const recommended = threshold.recommendation?.threshold;
  const parts: string[] = [openSvg('candidates', f, label)];
  parts.push(yAxis(f, scale.ticks, y, (v) => (narrow ? compactTick(v, scale.step, decimals) : formatTick(v, scale.step, decimals)), `net margin ${netPeriod(threshold.windowMonths)} (${currency})`));
  parts.push(`<line data-marker="zero" x1="${f.left}" x2="${f.width - f.right}" y1="${n(y(0))}" y2="${n(y(0))}" stroke="${PALETTE.ink}" stroke-width="1.25"/>`);
  const baseline = f.top + plotHeight(f);
  parts.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${baseline}" y2="${baseline}" stroke="${PALETTE.axis}"/>`);
  // Labels thin out to every k-th candidate so they never overlap (the recommended one
  // always keeps its label).
  const thresholdLabel = (v: number) => (narrow && Number.isInteger(v) ? formatTick(v, 1, decimals) : formatMajor(v, decimals));
  const widest = Math.max(...candidates.map((c) => thresholdLabel(c.threshold).length), 5);
  const every = Math.max(1, Math.ceil((widest * 7.5 + 8) / (plotWidth(f) / candidates.length)));
  candidates.forEach((c, i) => {
    const isRecommended = recommended !== undefined && c.threshold === recommended;
    const labelled = isRecommended || i % every === 0;
    const color = isRecommended ? PALETTE.recommended : c.expectedNetMargin >= 0 ? PALETTE.positive : PALETTE.negative;
    const cx = x(i);
    const group: string[] = [];
    if (isRecommended) {
      group.push(`<rect x="${n(cx - plotWidth(f) / candidates.length / 2 + 3)}" y="${f.top}" width="${n(plotWidth(f) / candidates.length - 6)}" height="${n(plotHeight(f))}" fill="${PALETTE.reach}" fill-opacity="0.18"/>`);
    }
    if (Number.isFinite(c.netLow) && Number.isFinite(c.netHigh)) {
      group.push(
        `<line data-whisker="${c.threshold}" x1="${n(cx)}" x2="${n(cx)}" y1="${n(y(c.netLow))}" y2="${n(y(c.netHigh))}" stroke="${color}" stroke-width="2"/>`,
        `<line x1="${n(cx - 6)}" x2="${n(cx + 6)}" y1="${n(y(c.netLow))}" y2="${n(y(c.netLow))}" stroke="${color}" stroke-width="2"/>`,
        `<line x1="${n(cx - 6)}" x2="${n(cx + 6)}" y1="${n(y(c.netHigh))}" y2="${n(y(c.netHigh))}" stroke="${color}" stroke-width="2"/>`,
      );
    }
    group.push(
      `<circle cx="${n(cx)}" cy="${n(y(c.expectedNetMargin))}" r="${isRecommended ? 7 : 5}" fill="${color}" stroke="#ffffff" stroke-width="1.5"/>`,
      labelled ? `<text x="${n(cx)}" y="${baseline + 18}" text-anchor="middle" fill="${isRecommended ? PALETTE.recommended : PALETTE.ink}"${isRecommended ? ' font-weight="700"' : ''}>${escapeXml(thresholdLabel(c.threshold))}</text>` : '',
      labelled ? `<text x="${n(cx)}" y="${baseline + 34}" text-anchor="middle" fill="${PALETTE.muted}" font-size="${f.small}">${narrow ? '' : 'P+ '}${escapeXml(formatProbability(c.probabilityPositive))}</text>` : '',
      `<title>${escapeXml(`Threshold ${formatMajorMoney(c.threshold, currency, decimals)}: expected net margin ${netPeriod(threshold.windowMonths)} ${formatMajorMoney(c.expectedNetMargin, currency, decimals)} (90% interval ${formatMajor(c.netLow, decimals)} to ${formatMajor(c.netHigh, decimals)}), positive with probability ${formatProbability(c.probabilityPositive)}`)}</title>`,
    );
    if (isRecommended) {
      group.push(`<text x="${n(cx)}" y="${f.top - 10}" text-anchor="middle" fill="${PALETTE.recommended}" font-weight="700">recommended</text>`);
    }
    parts.push(
      `<g data-candidate="${c.threshold}" data-recommended="${isRecommended}" data-net="${c.expectedNetMargin}" data-low="${c.netLow}" data-high="${c.netHigh}">${group.join('')}</g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
