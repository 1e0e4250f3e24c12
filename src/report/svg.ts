/**
 * Inline SVG charts for the HTML report: pure functions from numbers to markup. Every text
 * goes through esc(); series carry data-series attributes so tests can find them.
 */

export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const W = 720;
const H = 260;
const PAD = { left: 64, right: 16, top: 16, bottom: 40 };

function scale(domain: [number, number], range: [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (x: number) => r0 + ((x - d0) / span) * (r1 - r0);
}

/** Round tick values across [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toFixed(10)));
  return out;
}

function frame(title: string, body: string, yTicks: string, xLabels: string): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${yTicks}${xLabels}${body}</svg>`;
}

function yAxis(y: (v: number) => number, lo: number, hi: number, format: (v: number) => string): string {
  return ticks(lo, hi)
    .map((t) => `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/><text class="tick" x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${esc(format(t))}</text>`)
    .join('');
}

export interface SeriesPoint {
  label: string;
  mean: number | null;
  median: number | null;
  partial: boolean;
  outliers: number;
}

/** AOV over time: mean and median lines; partial periods hollow; periods with outliers marked. */
export function aovOverTime(points: readonly SeriesPoint[], format: (v: number) => string): string {
  const values = points.flatMap((p) => [p.mean, p.median]).filter((v): v is number => v !== null && Number.isFinite(v));
  if (points.length === 0 || values.length === 0) return '';
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values) * 1.08;
  const x = scale([0, Math.max(points.length - 1, 1)], [PAD.left + 10, W - PAD.right - 10]);
  const y = scale([lo, hi], [H - PAD.bottom, PAD.top]);
  const path = (key: 'mean' | 'median') => {
    let d = '';
    let pen = false;
    points.forEach((p, i) => {
      const v = p[key];
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  const dots = (key: 'mean' | 'median') =>
    points
      .map((p, i) => (p[key] === null || !Number.isFinite(p[key]!) ? '' : `<circle class="dot ${key}${p.partial ? ' partial' : ''}" cx="${x(i).toFixed(1)}" cy="${y(p[key]!).toFixed(1)}" r="3.5"><title>${esc(p.label)}: ${key} ${esc(format(p[key]!))}${p.partial ? ' (partial period)' : ''}</title></circle>`))
      .join('');
  const outlierMarks = points
    .map((p, i) => (p.outliers > 0 ? `<text class="outlier" x="${x(i).toFixed(1)}" y="${(PAD.top + 10).toFixed(1)}" text-anchor="middle">▲<title>${esc(p.label)}: ${p.outliers} outlier orders</title></text>` : ''))
    .join('');
  const every = Math.max(1, Math.ceil(points.length / 12));
  const xLabels = points
    .map((p, i) => (i % every === 0 || i === points.length - 1 ? `<text class="tick" x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(p.label)}</text>` : ''))
    .join('');
  const body =
    `<path class="line mean" data-series="mean" d="${path('mean')}"/><path class="line median" data-series="median" d="${path('median')}"/>` +
    dots('mean') + dots('median') + outlierMarks +
    `<g class="legend"><rect class="swatch mean" x="${PAD.left + 8}" y="${H - 14}" width="14" height="4"/><text x="${PAD.left + 26}" y="${H - 9}">mean</text>` +
    `<rect class="swatch median" x="${PAD.left + 78}" y="${H - 14}" width="14" height="4"/><text x="${PAD.left + 96}" y="${H - 9}">median</text>` +
    `<text x="${PAD.left + 160}" y="${H - 9}">hollow = partial period, ▲ = outlier orders</text></g>`;
  return frame('Average order value over time: mean and median', body, yAxis(y, lo, hi, format), xLabels);
}

/** Order-value histogram with the current AOV, the threshold and the shaded reach zone. */
export function valueHistogram(
  counts: readonly number[],
  binWidth: number,
  markers: { aov: number; threshold: number | null; reach: number | null },
  format: (v: number) => string,
): string {
  if (counts.length === 0) return '';
  const maxX = counts.length * binWidth;
  const x = scale([0, maxX], [PAD.left, W - PAD.right]);
  const maxY = Math.max(...counts, 1);
  const y = scale([0, maxY * 1.1], [H - PAD.bottom, PAD.top]);
  let body = '';
  if (markers.threshold !== null && markers.reach !== null) {
    const from = Math.max(0, markers.threshold - markers.reach);
    body += `<rect class="reach" data-series="reach" x="${x(from).toFixed(1)}" y="${PAD.top}" width="${Math.max(1, x(Math.min(markers.threshold, maxX)) - x(from)).toFixed(1)}" height="${H - PAD.top - PAD.bottom}"><title>reach zone: ${esc(format(from))} to ${esc(format(markers.threshold))}</title></rect>`;
  }
  body += counts
    .map((c, i) => `<rect class="bar" data-series="histogram" x="${(x(i * binWidth) + 1).toFixed(1)}" y="${y(c).toFixed(1)}" width="${Math.max(1, x(binWidth) - x(0) - 2).toFixed(1)}" height="${(H - PAD.bottom - y(c)).toFixed(1)}"><title>${esc(format(i * binWidth))} to ${esc(format((i + 1) * binWidth))}: ${c} orders</title></rect>`)
    .join('');
  const marker = (value: number, cls: string, label: string) =>
    value <= maxX ? `<line class="marker ${cls}" data-series="${cls}" x1="${x(value).toFixed(1)}" x2="${x(value).toFixed(1)}" y1="${PAD.top}" y2="${H - PAD.bottom}"/><text class="marker-label ${cls}" x="${(x(value) + 4).toFixed(1)}" y="${PAD.top + 12}">${esc(label)} ${esc(format(value))}</text>` : '';
  body += marker(markers.aov, 'aov', 'AOV');
  if (markers.threshold !== null) body += marker(markers.threshold, 'threshold', 'threshold');
  const xLabels = ticks(0, maxX, 8)
    .map((t) => `<text class="tick" x="${x(t).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(format(t))}</text>`)
    .join('');
  return frame('Order values: how many orders at each value, with the AOV, the threshold and its reach zone', body, yAxis(y, 0, maxY * 1.1, (v) => String(Math.round(v))), xLabels);
}

export interface CandidatePoint {
  threshold: number;
  net: number;
  low: number;
  high: number;
  recommended: boolean;
}

/** Expected net margin per candidate threshold, with 90% interval whiskers and a zero line. */
export function candidateChart(points: readonly CandidatePoint[], format: (v: number) => string): string {
  if (points.length === 0) return '';
  const lo = Math.min(0, ...points.map((p) => p.low));
  const hi = Math.max(0, ...points.map((p) => p.high));
  const pad = (hi - lo) * 0.08 || 1;
  const x = scale([0, Math.max(points.length - 1, 1)], [PAD.left + 14, W - PAD.right - 14]);
  const y = scale([lo - pad, hi + pad], [H - PAD.bottom, PAD.top]);
  let body = `<line class="zero" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}"/>`;
  body += points
    .map((p, i) => {
      const cls = p.recommended ? 'candidate recommended' : 'candidate';
      return `<g class="${cls}" data-series="candidates"><line class="whisker" x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${y(p.low).toFixed(1)}" y2="${y(p.high).toFixed(1)}"/><circle cx="${x(i).toFixed(1)}" cy="${y(p.net).toFixed(1)}" r="${p.recommended ? 6 : 4}"/><title>${esc(format(p.threshold))}: expected net ${esc(format(p.net))} (90% ${esc(format(p.low))} to ${esc(format(p.high))})</title></g>`;
    })
    .join('');
  const every = Math.max(1, Math.ceil(points.length / 10));
  const xLabels = points
    .map((p, i) => (i % every === 0 || p.recommended ? `<text class="tick${p.recommended ? ' strong' : ''}" x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(format(p.threshold))}</text>` : ''))
    .join('');
  return frame('Expected net margin change per candidate threshold, with 90% intervals', body, yAxis(y, lo - pad, hi + pad, format), xLabels);
}
