/**
 * Options every command that reads orders shares (declared in optionTable.ts), normalised once
 * (the csv-parse model: validate every option before any work starts).
 */
import { AovError, quoteValue } from '../errors.js';
import { isCurrencyCode } from '../io/currency.js';
import { FORMAT_NAMES, parseMapOption } from '../io/formats.js';
import type { InputSummary, LoadOptions } from '../io/load.js';
import { DATE_FORMAT_NAMES } from '../io/locale.js';
import { progressReporter } from '../io/progress.js';

export interface InputCliOptions {
  format?: string;
  map?: string;
  value?: string;
  currency?: string;
  dateFormat?: string;
  delimiter?: string;
  decimal?: string;
  strict?: boolean;
  orders?: string;
  items?: string;
  products?: string;
  dedupe?: boolean;
  quiet?: boolean;
  memory?: string;
  /** false with --no-cache. */
  cache?: boolean;
}

/** The decimal marks --decimal takes (its choices in optionTable.ts). */
export const DECIMAL_MARKS = ['.', ','] as const;

const isOneOf = <Choice extends string>(value: string, choices: readonly Choice[]): value is Choice => (choices as readonly string[]).includes(value);

/**
 * A value with choices as the import takes it: commander checks the command line and applyConfig
 * the config file against the same lists (optionTable.ts), so a value outside them is a bug.
 */
function choiceOf<Choice extends string>(value: string | undefined, choices: readonly Choice[], flag: string): Choice | undefined {
  if (value === undefined || isOneOf(value, choices)) return value;
  throw new AovError('E_USAGE', `${flag} ${quoteValue(value)}: expected one of ${choices.join(', ')}.`, {});
}

export function toLoadOptions(options: InputCliOptions): LoadOptions {
  const progress = progressReporter(options);
  let currency: string | undefined;
  if (options.currency) {
    currency = options.currency.toUpperCase();
    if (!isCurrencyCode(currency)) {
      throw new AovError('E_USAGE', `--currency ${options.currency} is not an ISO 4217 code.`, { hint: 'Use a three-letter code such as EUR, GBP, NOK.' });
    }
  }
  let delimiter = options.delimiter;
  if (delimiter === '\\t' || delimiter === 'tab') delimiter = '\t';
  if (delimiter !== undefined && delimiter.length !== 1) {
    throw new AovError('E_USAGE', `--delimiter must be one character (got "${options.delimiter}").`, { hint: 'Examples: --delimiter ";" or --delimiter tab' });
  }
  if (options.memory !== undefined && (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(options.memory) || parseFloat(options.memory) <= 0)) {
    throw new AovError('E_USAGE', `--memory must be a size such as 512MB or 2GB (found "${options.memory.slice(0, 40)}").`, { hint: 'Examples: --memory 512MB, --memory 2GB.' });
  }
  if ((options.orders === undefined) !== (options.items === undefined)) {
    throw new AovError('E_USAGE', '--orders and --items go together.', { hint: 'Example: --orders orders.csv --items order_items.csv [--products products.csv]' });
  }
  return {
    tables: options.orders && options.items ? { orders: options.orders, items: options.items, products: options.products } : undefined,
    format: options.format === 'baskets' ? undefined : choiceOf(options.format, FORMAT_NAMES, '--format'),
    map: options.map ? parseMapOption(options.map) : undefined,
    value: options.value === 'total' ? 'total' : 'subtotal',
    currency,
    dateFormat: choiceOf(options.dateFormat, DATE_FORMAT_NAMES, '--date-format'),
    delimiter,
    decimal: choiceOf(options.decimal, DECIMAL_MARKS, '--decimal'),
    strict: options.strict,
    dedupe: options.dedupe,
    memory: options.memory,
    cache: options.cache !== false,
    onProgress: progress.report,
  };
}

/** The input files of a command: the arguments, unless a multi-table export is given. */
export function requireInputs(files: readonly string[], options: InputCliOptions): string[] {
  if (files.length === 0 && !(options.orders && options.items)) {
    throw new AovError('E_USAGE', 'No input file given.', { hint: 'Name an orders export (aov analyze orders.csv), or --orders and --items for a multi-table export.' });
  }
  if (files.length > 0 && options.orders) {
    throw new AovError('E_USAGE', 'Give either export files or --orders/--items, not both.', {});
  }
  return [...files];
}

/** Whether a file of the export has a shipping column (free shipping then waives what each order paid). */
export const exportHasShipping = (input: InputSummary): boolean => input.perFile.some((f) => f.columns.shipping !== undefined);

/** Whether every file of the export has line items (bundles need them). */
export const everyFileHasLineItems = (input: InputSummary): boolean => input.perFile.every((f) => f.hasLineItems);
