/**
 * Step 1b, per file: the decimal mark, the date layout and the currency, from a sample of
 * raw_i (2,000 rows, seeded reservoir) and, for packed line items, of packed_i. Produces no
 * table: the answers go into the typing SQL (type.ts) and the file's summary.
 * Currency: a column; else --currency (or the config's); else a symbol in the amounts that
 * names one currency; else, when the file has amounts, aov stops and asks (decideCurrency).
 */
import { AovError } from '../../errors.js';
import { AMBIGUOUS_SYMBOLS, NO_CURRENCY, currencyOfCountry } from '../currency.js';
import type { Engine } from '../engine.js';
import type { Field, FormatDetection } from '../formats.js';
import { currencyOfSymbol, detectDateLayout, detectDecimalMark, isAmbiguousSymbol, splitCurrency } from '../locale.js';
import type { SourceFile } from '../source.js';
import type { LoadOptions } from './types.js';
import { TABLE } from './tables.js';

/** Rows sampled from raw_i for the detection. */
const SAMPLE_ROWS = 2000;

export async function detectLocale(engine: Engine, source: SourceFile, index: number, detection: FormatDetection, options: LoadOptions) {
  const col = (field: Field): string | undefined =>
    detection.mapping[field] === undefined ? undefined : `c${detection.mapping[field]}`;

  // Sample values to detect the decimal mark, the date layout and currency symbols.
  const priceColumns = (['price', 'total', 'subtotal', 'orderTotal'] as Field[]).map(col).filter((c): c is string => !!c);
  const sample = await engine.rows(
    `SELECT ${[col('date') ?? 'NULL', ...(priceColumns.length ? priceColumns : ['NULL'])].map((c, i) => `${c} AS s${i}`).join(', ')} ` +
      `FROM ${TABLE.raw(index)} USING SAMPLE ${SAMPLE_ROWS} ROWS (reservoir, 42)`,
  );
  const dates = sample.map((r) => r.s0).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const amounts = sample.flatMap((r) => priceColumns.map((_, i) => r[`s${i + 1}`])).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (detection.packed) {
    const packedAmounts = await engine.rows(`SELECT coalesce(total_text, price_text) AS a FROM ${TABLE.packed(index)} WHERE coalesce(total_text, price_text) IS NOT NULL LIMIT ${SAMPLE_ROWS}`);
    for (const row of packedAmounts) amounts.push(String(row.a));
  }
  const decimalMark = options.decimal ?? detectDecimalMark(amounts, source.delimiter === ';' ? ',' : '.');
  const dateColumn = source.header[detection.mapping.date!];
  const dateDetection = dates.length
    ? detectDateLayout(dates, dateColumn, source.display, options.dateFormat)
    : { layout: detectDateLayout(['2000-01-01'], dateColumn, source.display).layout, evidence: 'no dates in the file' };

  // Currency: never guessed (issue #21). A column, a symbol that names one currency, or
  // --currency (or the config's); the country most orders ship to is only a suggestion.
  const symbols = new Map<string, number>();
  for (const a of amounts) {
    const { symbol } = splitCurrency(a);
    if (symbol) symbols.set(symbol, (symbols.get(symbol) ?? 0) + 1);
  }
  const topSymbol = [...symbols.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const countryColumn = col('country');
  const topCountry = countryColumn
    ? String((await engine.rows(`SELECT ${countryColumn} AS c, count(*) AS n FROM ${TABLE.raw(index)} WHERE ${countryColumn} IS NOT NULL AND trim(${countryColumn}) <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`))[0]?.c ?? '')
    : '';
  const columnName = detection.mapping.currency === undefined ? undefined : source.header[detection.mapping.currency];
  const { fileCurrency, currencyEvidence } = decideCurrency({
    file: source.display, option: options.currency, topSymbol, topCountry, columnName, hasAmounts: amounts.length > 0,
  });
  return { decimalMark, dateDetection, fileCurrency, currencyEvidence };
}

export interface CurrencyEvidence {
  /** The file's name as shown in messages. */
  file: string;
  /** --currency or the config's "currency". */
  option?: string;
  /** The symbol seen most often in the sampled amounts ("€", "kr", "$"). */
  topSymbol?: string;
  /** The value of the country column on most rows ("" without one). */
  topCountry: string;
  /** The header of the currency column, when the file has one. */
  columnName?: string;
  /** Whether the sampled rows carry any amount at all (basket files do not). */
  hasAmounts: boolean;
}

/**
 * The file's currency from what the file states, never from where its customers live: a
 * GBP shop selling to Germany is not an EUR shop, and "kr" or "$" name several currencies.
 * In order: a currency column (its empty cells take --currency, else a symbol that names
 * one currency, else "XXX"); --currency (or the config's); a symbol naming one currency; no amounts at all
 * ("XXX", nothing to format). Otherwise it throws E_AMBIGUOUS_CURRENCY (a symbol naming
 * several) or E_NO_CURRENCY (nothing), with the country's currency as a suggestion in the
 * hint and in `context.suggestion`, which `aov init` offers for the config.
 */
export function decideCurrency(e: CurrencyEvidence): { fileCurrency: string; currencyEvidence: string } {
  const single = e.topSymbol ? currencyOfSymbol(e.topSymbol) : undefined;
  const option = e.option?.toUpperCase();
  if (e.columnName !== undefined) {
    const fill = option ?? single;
    return { fileCurrency: fill ?? NO_CURRENCY, currencyEvidence: `column "${e.columnName}"` + (fill ? ` (where empty: ${fill})` : '') };
  }
  if (option) return { fileCurrency: option, currencyEvidence: '--currency' };
  if (single) return { fileCurrency: single, currencyEvidence: `symbol "${e.topSymbol}" in the amounts` };
  if (!e.hasAmounts) return { fileCurrency: NO_CURRENCY, currencyEvidence: 'no amounts in the file' };
  const byCountry = e.topCountry ? currencyOfCountry(e.topCountry) : undefined;
  const candidates = e.topSymbol && isAmbiguousSymbol(e.topSymbol) ? [...(AMBIGUOUS_SYMBOLS[e.topSymbol.trim().toLowerCase()] ?? [])] : [];
  const suggestion = candidates.length ? (byCountry && candidates.includes(byCountry) ? byCountry : undefined) : byCountry;
  const example = suggestion ?? candidates[0] ?? 'EUR';
  const because = suggestion
    ? ` (most orders ship to ${e.topCountry}, whose currency is ${suggestion}: check it is the shop's)`
    : candidates.length > 1 ? ` (or ${candidates.slice(1).join(', ')})` : '';
  const hint = `Give the currency of the amounts: --currency ${example}${because}, or "currency": "${example}" in aov.config.json (aov init writes one).`;
  if (candidates.length) {
    throw new AovError('E_AMBIGUOUS_CURRENCY', `${e.file}: the amounts are in "${e.topSymbol}", which names several currencies (${candidates.join(', ')}), and there is no currency column.`, {
      hint, context: { file: e.file, suggestion },
    });
  }
  throw new AovError('E_NO_CURRENCY', `${e.file}: nothing says which currency the amounts are in (no currency column, no symbol in the amounts).`, {
    hint, context: { file: e.file, suggestion },
  });
}
