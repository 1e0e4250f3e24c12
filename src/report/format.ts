/**
 * Number and money formatting shared by every renderer. Fixed locale (en-US grouping)
 * so output is the same on every machine; amounts use the currency's ISO 4217 decimals.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export function toMajor(valueMinor: number, decimals: number): number {
  return Math.round(valueMinor) / 10 ** decimals;
}

/** 10666684.54 -> "10,666,684.54" with exactly `decimals` digits. */
export function formatAmount(valueMinor: number, decimals: number): string {
  if (!Number.isFinite(valueMinor)) return '–';
  const rounded = Math.round(valueMinor);
  const negative = rounded < 0;
  const digits = String(Math.abs(rounded)).padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

export function formatMoney(valueMinor: number, currency: string, decimals: number): string {
  return `${formatAmount(valueMinor, decimals)} ${currency}`;
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
}

export function formatNumber(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
}

export function formatPct(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  // A share that rounds to zero has no sign: "0%", never "-0%".
  const text = (x * 100).toFixed(digits);
  return `${/^-0(\.0+)?$/.test(text) ? text.slice(1) : text}%`;
}

/** q-values: three decimals, or "< 0.001". */
export function formatQ(q: number): string {
  if (!Number.isFinite(q)) return '–';
  return q < 0.001 ? '< 0.001' : q.toFixed(3);
}

/**
 * A probability estimated from resamples or a prior, in whole percent, never as a certainty:
 * "> 99%" and "< 1%" where the rounding would print 100% or 0% (all 1,000 draws positive is
 * not proof that none could lose; the prior's tails are not the truth's).
 * @example
 * [formatProbability(1), formatProbability(0.996), formatProbability(0.5), formatProbability(0)]; // ['> 99%', '> 99%', '50%', '< 1%']
 */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '–';
  if (p >= 0.995) return '> 99%';
  if (p < 0.005) return '< 1%';
  return `${Math.round(p * 100)}%`;
}

/**
 * The window a report's threshold section is simulated on, after its base AOV: the report's
 * headline covers all the data, the threshold the last 12 months (or --since), so the two AOVs
 * differ and the section says why. Empty for documents written before windowMonths.
 * @example
 * thresholdWindow({ windowMonths: 11.98 }); // ' over the last 12 months (the window thresholds are simulated on)'
 */
export function thresholdWindow(t: { windowMonths?: number | null }): string {
  if (t.windowMonths === undefined || t.windowMonths === null || !Number.isFinite(t.windowMonths)) return '';
  const m = Math.max(1, Math.round(t.windowMonths));
  return ` over the last ${m} month${m === 1 ? '' : 's'} (the window thresholds are simulated on)`;
}

/**
 * The period a threshold's net margin covers, for its labels: "per 12 months" (the window the
 * totals are summed over), "per month", "per 6.5 months"; "over the window" when a document
 * does not say (report.json files written before windowMonths).
 * @example
 * netPeriod(11.98); // 'per 12 months'
 */
export function netPeriod(windowMonths: number | null | undefined): string {
  if (windowMonths === undefined || windowMonths === null || !Number.isFinite(windowMonths)) return 'over the window';
  const whole = Math.round(windowMonths);
  const months = Math.abs(windowMonths - whole) < 0.05 ? String(whole) : windowMonths.toFixed(1);
  return months === '1' ? 'per month' : `per ${months} months`;
}

/** Rounds a ratio for JSON (6 significant decimals keep diffs stable without float noise). */
export function ratio(x: number, digits = 6): number | null {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : null;
}

/** Major-unit amount for JSON, or null when not finite. */
export function money(valueMinor: number, decimals: number): number | null {
  return Number.isFinite(valueMinor) ? toMajor(valueMinor, decimals) : null;
}

/** Date (YYYY-MM-DD) of a wall-clock-as-UTC timestamp. */
export function formatDay(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '–';
}

export interface Style {
  color: boolean;
  chalk: ChalkInstance;
  /** cli-table3 style option: no colour codes unless colour is on (cli-table3 colours heads by default). */
  tableStyle: { head: string[]; border: string[]; compact?: boolean; 'padding-left'?: number; 'padding-right'?: number };
}

/**
 * Colour only on a TTY, never with NO_COLOR (any value) or --no-color; FORCE_COLOR forces it.
 * chalk 5 ignores NO_COLOR on a TTY, so the decision is made here and passed down.
 */
export function decideColor(flag: boolean | undefined, stream: { isTTY?: boolean } = process.stdout): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  if (process.env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

export function createStyle(color: boolean): Style {
  return {
    color,
    chalk: new Chalk({ level: color ? 1 : 0 }),
    tableStyle: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  };
}

/** Cuts text to `width` characters with an ellipsis. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Cuts text to `width` characters in the middle, keeping its start and its end: product
 * names in a series differ at the end ("REGENCY TEA PLATE GREEN" / "... PINK"), so a cut at
 * the end would print two items the same.
 * @example truncateMiddle('REGENCY CAKESTAND 3 TIER WITH CAKE SERVER', 20) // 'REGENCY C…AKE SERVER'
 */
export function truncateMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  // The end carries the variant or colour more often than the start: give it the larger half.
  const head = Math.floor((width - 1) / 2);
  const tail = width - 1 - head;
  return `${text.slice(0, head).trimEnd()}…${text.slice(text.length - tail).trimStart()}`;
}

/**
 * Names of items that fit `width` and never print two different items the same: each name is
 * cut in the middle; where two items would still read alike (the same name on two SKUs, or
 * names that differ only in the part cut out), each is followed by its id, "(85123a)".
 * @example distinctNames([['A1', 'HEART'], ['a1', 'HEART']], 20) // Map { 'A1' => 'HEART (A1)', 'a1' => 'HEART (a1)' }
 */
export function distinctNames(items: readonly (readonly [id: string, name: string])[], width: number): Map<string, string> {
  const out = new Map<string, string>();
  const byText = new Map<string, string[]>();
  for (const [id, name] of items) {
    if (out.has(id)) continue;
    const text = truncateMiddle(name, width);
    out.set(id, text);
    byText.set(text, [...(byText.get(text) ?? []), id]);
  }
  const names = new Map(items);
  for (const ids of byText.values()) {
    if (ids.length < 2) continue;
    for (const id of ids) {
      // Ids are distinct: shown whole (wider than `width` if they must be), never cut.
      const suffix = ` (${id})`;
      out.set(id, width - suffix.length >= 4 ? `${truncateMiddle(names.get(id)!, width - suffix.length)}${suffix}` : id);
    }
  }
  return out;
}

const SPARKS = '▁▂▃▄▅▆▇█';
/** A one-line sparkline of a series (NaN shows as a space). */
export function sparkline(values: readonly number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '';
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return values
    .map((v) => (Number.isFinite(v) ? SPARKS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (SPARKS.length - 1))] : ' '))
    .join('');
}

/** Borderless table characters: readable when piped and in narrow terminals. */
export function plainChars() {
  return {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' ',
  };
}

/** Greedy word wrap to a width. */
export function wrap(text: string, width: number): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
