/**
 * Locale detection for amounts and dates: which decimal mark a column uses, which date
 * layout a column is written in. Detection looks at a sample of the column's values and
 * refuses to guess when the sample cannot tell (an all-ambiguous dd/mm vs mm/dd column).
 */
import { AovError, quoteValue } from '../errors.js';
import { AMBIGUOUS_SYMBOLS, UNAMBIGUOUS_SYMBOLS } from './currency.js';

export type DecimalMark = '.' | ',';

/** Characters used as thousands separators besides the non-decimal mark. */
const SPACE_SEPARATORS = " '\u00a0\u202f\u2009";

/** Strips a currency code or symbol and spaces around a number: "€ 1.234,50" -> "1.234,50". */
export function splitCurrency(raw: string): { number: string; symbol: string } {
  const text = raw.trim();
  const match = /^([^\d\s.,+\-(]*)\s*([-+(]?\s*[\d.,'\s\u00a0\u202f\u2009]*\d[\d.,'\s\u00a0\u202f\u2009]*\)?)\s*([^\d\s.,+\-)]*)\s*$/u.exec(text);
  if (!match) return { number: text, symbol: '' };
  const symbol = (match[1] || match[3]).trim();
  return { number: match[2].trim(), symbol };
}

/**
 * Votes on the decimal mark of a column: "12,50" and "1.234,5" vote comma; "12.50" and
 * "1,234.5" vote dot; "1,234" and "1.234" (exactly three digits after a single mark) say
 * nothing. Returns the majority, or the fallback when nothing votes.
 */
export function detectDecimalMark(values: readonly string[], fallback: DecimalMark = '.'): DecimalMark {
  let comma = 0;
  let dot = 0;
  for (const raw of values) {
    const { number } = splitCurrency(raw);
    const lastComma = number.lastIndexOf(',');
    const lastDot = number.lastIndexOf('.');
    if (lastComma < 0 && lastDot < 0) continue;
    if (lastComma >= 0 && lastDot >= 0) {
      if (lastComma > lastDot) comma++;
      else dot++;
      continue;
    }
    const mark = lastComma >= 0 ? ',' : '.';
    const at = Math.max(lastComma, lastDot);
    const digitsAfter = number.length - at - 1;
    const marks = number.split(mark).length - 1;
    if (marks > 1) {
      // "1.234.567" uses the mark as a thousands separator: the other one is decimal.
      if (mark === ',') dot++;
      else comma++;
    } else if (digitsAfter !== 3) {
      if (mark === ',') comma++;
      else dot++;
    }
  }
  if (comma === 0 && dot === 0) return fallback;
  return comma > dot ? ',' : '.';
}

/**
 * A DuckDB SQL expression that turns the text column `column` into DECIMAL(38,6), or NULL
 * when the text is not a plain amount in the given decimal mark. The regular expression is
 * strict on purpose: "12abc" or "1e12" is a bad value, never a silently different number.
 */
export function amountSql(column: string, mark: DecimalMark): string {
  const thousands = mark === ',' ? '.' : ',';
  const sep = `[${escapeClass(thousands + SPACE_SEPARATORS)}]`;
  const dec = escapeClass(mark);
  // optional currency text, sign, digits with optional thousands groups, optional decimals
  const symbol = `(?:[A-Za-z]{1,3}\\.?|[^0-9\\s.,+()-]{1,3})`;
  const number = `[-+]?(?:[0-9]{1,3}(?:${sep}?[0-9]{3})*|[0-9]+)(?:[${dec}][0-9]+)?`;
  const pattern = `^\\s*${symbol}?\\s*(?:${number}|\\(${number}\\))\\s*${symbol}?\\s*$`;
  const cleaned = `regexp_replace(${column}, '[^0-9${dec}+-]', '', 'g')`;
  const normalised = mark === ',' ? `replace(${cleaned}, ',', '.')` : cleaned;
  const negated = `CASE WHEN contains(${column}, '(') THEN '-' || ${normalised} ELSE ${normalised} END`;
  const strict = `CASE WHEN regexp_full_match(${column}, '${pattern.replace(/'/g, "''")}') THEN TRY_CAST(${negated} AS DECIMAL(18,6)) END`;
  // Fast path for plain numbers ("12.50", or "12,50" in a decimal-comma file): a cast, ten
  // times cheaper than the regular expression. Exponents are left to the strict path, which refuses them.
  const plain = mark === '.' ? column : `replace(${column}, ',', '.')`;
  const guard = mark === '.' ? `strpos(${column}, 'e') = 0 AND strpos(${column}, 'E') = 0` : `strpos(${column}, '.') = 0 AND strpos(${column}, 'e') = 0 AND strpos(${column}, 'E') = 0`;
  return `coalesce(CASE WHEN ${guard} THEN TRY_CAST(${plain} AS DECIMAL(18,6)) END, ${strict})`;
}

function escapeClass(chars: string): string {
  return chars.replace(/[\]\\^-]/g, (c) => `\\${c}`);
}

/** The currency a symbol names, if it names exactly one. */
export function currencyOfSymbol(symbol: string): string | undefined {
  const s = symbol.trim();
  if (!s) return undefined;
  if (/^[A-Z]{3}$/.test(s)) return s;
  return UNAMBIGUOUS_SYMBOLS[s] ?? UNAMBIGUOUS_SYMBOLS[s.toLowerCase()];
}

export function isAmbiguousSymbol(symbol: string): boolean {
  return symbol.trim().toLowerCase() in AMBIGUOUS_SYMBOLS;
}

// ---------------------------------------------------------------------------------------
// Dates

/** A date layout: how to read the leading date(-time) part of a value with DuckDB's strptime. */
export interface DateLayout {
  /** Name used in messages and --date-format: iso, dmy, mdy, ymd/ (with its separator) */
  name: string;
  /** Regex (DuckDB RE2 syntax) that extracts the date-time prefix to parse. */
  extract: string;
  /** strptime formats tried in order on the extracted text. */
  formats: string[];
}

const TIME_PART = '(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?';
const TIME_FORMATS = ['%H:%M:%S', '%H:%M'];

export type DateOrder = 'ymd' | 'dmy' | 'mdy';
/** The names --date-format accepts. */
export const DATE_FORMAT_NAMES: readonly DateOrder[] = ['ymd', 'dmy', 'mdy'];

/** Builds the layout for a field order, separator and year width. */
export function dateLayout(order: DateOrder, sep: string, yearDigits: 2 | 4): DateLayout {
  const escaped = sep === '.' ? '\\.' : sep;
  const yearRe = yearDigits === 4 ? '[0-9]{4}' : '[0-9]{2}';
  const dd = '[0-9]{1,2}';
  const datePart = order === 'ymd' ? `${yearRe}${escaped}${dd}${escaped}${dd}` : `${dd}${escaped}${dd}${escaped}${yearRe}`;
  const y = yearDigits === 4 ? '%Y' : '%y';
  const date = order === 'dmy' ? `%d${sep}%m${sep}${y}` : order === 'mdy' ? `%m${sep}%d${sep}${y}` : `${y}${sep}%m${sep}%d`;
  const formats = TIME_FORMATS.flatMap((t) => [`${date} ${t}`, `${date}T${t}`]).concat(date);
  const shown = order === 'ymd' ? `yyyy${sep}mm${sep}dd` : order === 'dmy' ? `dd${sep}mm${sep}${yearDigits === 4 ? 'yyyy' : 'yy'}` : `mm${sep}dd${sep}${yearDigits === 4 ? 'yyyy' : 'yy'}`;
  // "(?:[ T]|$)" after the date keeps "2023-01-015" from matching as 2023-01-01.
  return { name: shown, extract: `^\\s*(${datePart}${TIME_PART})(?:[^0-9]|$)`, formats };
}

/** "Jan 5, 2024 10:00:00 AM" (Magento's grid, US English). */
const MONTH_NAME = /^\s*[A-Za-z]{3,9}\.? \d{1,2}, \d{4}/;
const MONTH_NAME_LAYOUT: DateLayout = {
  name: 'Mon d, yyyy',
  extract: '^\\s*([A-Za-z]{3,9}\\.? [0-9]{1,2}, [0-9]{4}(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?: ?[AaPp][Mm])?)?)',
  formats: ['%b %d, %Y %I:%M:%S %p', '%b %d, %Y %I:%M %p', '%b %d, %Y %H:%M:%S', '%b %d, %Y %H:%M', '%b %d, %Y', '%B %d, %Y %I:%M:%S %p', '%B %d, %Y'],
};

const SLASHED = /^\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T]|$)/;
const YEAR_FIRST = /^\s*\d{4}([/.\-])\d{1,2}\1\d{1,2}(?:[ T]|$)/;

export interface DateDetection {
  layout: DateLayout;
  /** Why this layout: "ISO 8601", "day-first: 14/03/2023 has a day above 12", or the option given. */
  evidence: string;
}

/**
 * Chooses the date layout of a column from sample values. Day-first vs month-first is
 * decided only by evidence (a first part above 12 means day-first, a second part above 12
 * month-first); a sample where every date reads both ways is refused with E_AMBIGUOUS_DATE
 * unless `forced` says which. Dotted dates (31.12.2023) are day-first by the convention of
 * every country that writes them so.
 */
export function detectDateLayout(values: readonly string[], column: string, file: string, forced?: DateOrder): DateDetection {
  let yearFirst = 0;
  let yearFirstSep = '-';
  let dayMonth = 0;
  let dayFirstEvidence: string | undefined;
  let monthFirstEvidence: string | undefined;
  let sep = '/';
  let twoDigitYears = 0;
  for (const value of values) {
    const y = YEAR_FIRST.exec(value);
    if (y) {
      yearFirst++;
      yearFirstSep = y[1];
      continue;
    }
    const m = SLASHED.exec(value);
    if (!m) continue;
    const [, first, separator, second, year] = m;
    dayMonth++;
    sep = separator;
    if (year.length === 2) twoDigitYears++;
    if (Number(first) > 12 && !dayFirstEvidence) dayFirstEvidence = value.trim();
    if (Number(second) > 12 && !monthFirstEvidence) monthFirstEvidence = value.trim();
  }
  if (yearFirst === 0 && dayMonth === 0 && values.some((v) => MONTH_NAME.test(v))) {
    return { layout: MONTH_NAME_LAYOUT, evidence: 'month names (Jan 5, 2024)' };
  }
  if (yearFirst === 0 && dayMonth === 0) {
    throw new AovError('E_BAD_VALUE', `${file}: column "${column}" has no dates in a layout aov reads (sample: ${values.slice(0, 3).map((v) => JSON.stringify(quoteValue(v, 40))).join(', ')}).`, {
      hint: 'Dates must look like 2023-03-14, 14/03/2023, 03/14/2023 or 14.03.2023 (a time may follow).',
      context: { file, column },
    });
  }
  if (yearFirst >= dayMonth) {
    return { layout: dateLayout('ymd', yearFirstSep, 4), evidence: yearFirstSep === '-' ? 'ISO 8601 (yyyy-mm-dd)' : `yyyy${yearFirstSep}mm${yearFirstSep}dd` };
  }
  const yearDigits = twoDigitYears * 2 > dayMonth ? 2 : 4;
  if (forced && forced !== 'ymd') {
    return { layout: dateLayout(forced, sep, yearDigits), evidence: `--date-format ${forced}` };
  }
  if (sep === '.') return { layout: dateLayout('dmy', sep, yearDigits), evidence: 'dotted dates are day-first' };
  if (dayFirstEvidence && monthFirstEvidence) {
    throw new AovError('E_AMBIGUOUS_DATE', `${file}: column "${column}" mixes day-first (${quoteValue(dayFirstEvidence, 40)}) and month-first (${quoteValue(monthFirstEvidence, 40)}) dates.`, {
      hint: 'Set --date-format dmy or mdy; rows that do not fit it are then rejected and counted.',
      context: { file, column },
    });
  }
  if (dayFirstEvidence) return { layout: dateLayout('dmy', sep, yearDigits), evidence: `day-first: ${dayFirstEvidence} has a day above 12` };
  if (monthFirstEvidence) return { layout: dateLayout('mdy', sep, yearDigits), evidence: `month-first: ${monthFirstEvidence} has a day above 12 in second place` };
  throw new AovError('E_AMBIGUOUS_DATE', `${file}: the dates in column "${column}" read both as day/month and as month/day (no day above 12 in the data).`, {
    hint: 'Set --date-format dmy (14/03/2023) or --date-format mdy (03/14/2023).',
    context: { file, column },
  });
}

/** A DuckDB expression giving TIMESTAMP (wall-clock, offset dropped) or NULL for the text column. */
export function dateSql(column: string, chosen: DateLayout, timeZone?: string): string {
  const extracted = `regexp_extract(${column}, '${chosen.extract.replace(/'/g, "''")}', 1)`;
  const tries = chosen.formats.map((f) => `'${f}'`).join(', ');
  const strict = `try_strptime(${extracted}, [${tries}])`;
  // ISO timestamps cast directly (the offset, if any, is cut off: wall-clock time is kept).
  if (chosen.name.startsWith('yyyy-')) {
    const wallClock = `coalesce(TRY_CAST(left(${column}, 19) AS TIMESTAMP), ${strict})`;
    if (!timeZone) return wallClock;
    // With --tz, a timestamp that carries an offset (-0700, +02:00, Z) is converted to that
    // zone's wall-clock time; one without an offset is taken as already local.
    const withOffset = `TRY_CAST(regexp_replace(regexp_replace(${column}, '\\s*([+-][0-9]{2}):?([0-9]{2})\\s*$', '\\1:\\2'), 'Z$', '+00:00') AS TIMESTAMPTZ)`;
    return `CASE WHEN regexp_matches(${column}, '([+-][0-9]{2}:?[0-9]{2}|Z)\\s*$') THEN timezone('${timeZone.replace(/'/g, "''")}', ${withOffset}) ELSE ${wallClock} END`;
  }
  return strict;
}
