/**
 * Step 1b, per file: the decimal mark, the date layout and the currency, from a sample of
 * raw_i (2,000 rows, seeded reservoir) and, for packed line items, of packed_i. Produces no
 * table: the answers go into the typing SQL (type.ts) and the file's summary.
 * Currency: a column wins; else a symbol in the amounts; else --currency; else the country
 * most orders ship to (a file-level guess, said in the output); else unknown.
 */
import { AovError } from '../../errors.js';
import { AMBIGUOUS_SYMBOLS, NO_CURRENCY, currencyOfCountry } from '../currency.js';
import type { Engine } from '../engine.js';
import type { Field, FormatDetection } from '../formats.js';
import { currencyOfSymbol, detectDateLayout, detectDecimalMark, isAmbiguousSymbol, splitCurrency } from '../locale.js';
import type { SourceFile } from '../source.js';
import type { LoadOptions } from './types.js';

/** Rows sampled from raw_i for the detection. */
const SAMPLE_ROWS = 2000;

export async function detectLocale(engine: Engine, source: SourceFile, index: number, detection: FormatDetection, options: LoadOptions) {
  const col = (field: Field): string | undefined =>
    detection.mapping[field] === undefined ? undefined : `c${detection.mapping[field]}`;

  // Sample values to detect the decimal mark, the date layout and currency symbols.
  const priceColumns = (['price', 'total', 'subtotal', 'orderTotal'] as Field[]).map(col).filter((c): c is string => !!c);
  const sample = await engine.rows(
    `SELECT ${[col('date') ?? 'NULL', ...(priceColumns.length ? priceColumns : ['NULL'])].map((c, i) => `${c} AS s${i}`).join(', ')} ` +
      `FROM raw_${index} USING SAMPLE ${SAMPLE_ROWS} ROWS (reservoir, 42)`,
  );
  const dates = sample.map((r) => r.s0).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const amounts = sample.flatMap((r) => priceColumns.map((_, i) => r[`s${i + 1}`])).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (detection.packed) {
    const packedAmounts = await engine.rows(`SELECT coalesce(total_text, price_text) AS a FROM packed_${index} WHERE coalesce(total_text, price_text) IS NOT NULL LIMIT ${SAMPLE_ROWS}`);
    for (const row of packedAmounts) amounts.push(String(row.a));
  }
  const decimalMark = options.decimal ?? detectDecimalMark(amounts, source.delimiter === ';' ? ',' : '.');
  const dateColumn = source.header[detection.mapping.date!];
  const dateDetection = dates.length
    ? detectDateLayout(dates, dateColumn, source.display, options.dateFormat)
    : { layout: detectDateLayout(['2000-01-01'], dateColumn, source.display).layout, evidence: 'no dates in the file' };

  // Currency: a column wins; else a symbol in the amounts; else --currency; else the
  // country most orders ship to (a file-level guess, said in the output); else unknown.
  const symbols = new Map<string, number>();
  for (const a of amounts) {
    const { symbol } = splitCurrency(a);
    if (symbol) symbols.set(symbol, (symbols.get(symbol) ?? 0) + 1);
  }
  const topSymbol = [...symbols.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  let fileCurrency: string;
  let currencyEvidence: string;
  const countryColumn = col('country');
  const topCountry = countryColumn
    ? String((await engine.rows(`SELECT ${countryColumn} AS c, count(*) AS n FROM raw_${index} WHERE ${countryColumn} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`))[0]?.c ?? '')
    : '';
  const countryCurrency = topCountry ? currencyOfCountry(topCountry) : undefined;
  if (options.currency) {
    fileCurrency = options.currency.toUpperCase();
    currencyEvidence = '--currency';
  } else if (topSymbol && currencyOfSymbol(topSymbol)) {
    fileCurrency = currencyOfSymbol(topSymbol)!;
    currencyEvidence = `symbol "${topSymbol}" in the amounts`;
  } else if (topSymbol && isAmbiguousSymbol(topSymbol) && countryCurrency) {
    fileCurrency = countryCurrency;
    currencyEvidence = `symbol "${topSymbol}" with country ${topCountry}`;
  } else if (topSymbol === '$' && col('currency') === undefined) {
    fileCurrency = 'USD';
    currencyEvidence = 'symbol "$" read as USD (set --currency for CAD, AUD, MXN ...)';
  } else if (countryCurrency && col('currency') === undefined) {
    fileCurrency = countryCurrency;
    currencyEvidence = `no currency column; most orders are from ${topCountry} (set --currency to override)`;
  } else if (topSymbol && isAmbiguousSymbol(topSymbol) && col('currency') === undefined) {
    // (issue #21) a symbol that names several currencies is not a currency: every figure would
    // read "XXX". Ask, as for dates that read both ways.
    const codes = AMBIGUOUS_SYMBOLS[topSymbol] ?? [];
    throw new AovError('E_AMBIGUOUS_CURRENCY', `${source.display}: the amounts are in "${topSymbol}", which names several currencies (${codes.join(', ')}), and there is no currency column.`, {
      hint: `Give the currency: --currency ${codes[0] ?? 'EUR'} (or "currency": "${codes[0] ?? 'EUR'}" in aov.config.json).`,
    });
  } else {
    fileCurrency = NO_CURRENCY;
    currencyEvidence = topSymbol ? `symbol "${topSymbol}" names several currencies; set --currency` : 'no currency column or symbol; set --currency';
  }
  if (col('currency') !== undefined) currencyEvidence = `column "${source.header[detection.mapping.currency!]}"` + (fileCurrency !== NO_CURRENCY ? ` (where empty: ${fileCurrency})` : '');
  return { decimalMark, dateDetection, fileCurrency, currencyEvidence };
}
