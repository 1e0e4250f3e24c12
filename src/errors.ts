/**
 * The one error class of aov. Everything the tool refuses (bad usage, unreadable or
 * malformed input, an unsafe write) is an AovError with a stable `code`, a message a
 * merchant understands, a `hint` that says what to do, and the exit code to use.
 * Only bin/ (through cli.ts) turns it into stderr and an exit status.
 */
export type AovErrorCode =
  | 'E_USAGE'
  | 'E_NOT_FOUND'
  | 'E_NOT_A_FILE'
  | 'E_NO_PERMISSION'
  | 'E_NO_MATCH'
  | 'E_EMPTY_FILE'
  | 'E_NO_DATA'
  | 'E_NO_HEADER'
  | 'E_DUPLICATE_HEADER'
  | 'E_MISSING_COLUMN'
  | 'E_BAD_ROW'
  | 'E_BAD_VALUE'
  | 'E_AMBIGUOUS_DATE'
  | 'E_AMBIGUOUS_CURRENCY'
  | 'E_NO_CURRENCY'
  | 'E_BAD_ENCODING'
  | 'E_BAD_GZIP'
  | 'E_UNKNOWN_FORMAT'
  | 'E_STRICT'
  | 'E_CONFIG'
  | 'E_TOO_FEW_ORDERS'
  | 'E_TOO_LARGE'
  | 'E_MEMORY'
  | 'E_OUTPUT_EXISTS'
  | 'E_OUTPUT_LOCKED'
  | 'E_WRITE'
  | 'E_ALERT'
  | 'E_INTERNAL';

/** Where in the input a problem sits. Lines are 1-based physical lines of the file. */
export interface ErrorContext {
  file?: string;
  line?: number;
  column?: string;
  value?: string;
  /** A value the hint suggests (the currency of the country most orders ship to), for `aov init`. */
  suggestion?: string;
}

export const EXIT_OK = 0;
export const EXIT_ALERT = 1;
export const EXIT_INPUT = 2;
/** An internal error (a bug): EX_SOFTWARE of BSD's sysexits.h. */
export const EXIT_INTERNAL = 70;

export class AovError extends Error {
  readonly code: AovErrorCode;
  readonly hint?: string;
  readonly exitCode: number;
  readonly context: ErrorContext;

  constructor(
    code: AovErrorCode,
    message: string,
    options: { hint?: string; exitCode?: number; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AovError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? (code === 'E_ALERT' ? EXIT_ALERT : EXIT_INPUT);
    this.context = options.context ?? {};
  }
}

/** "orders.csv:12, column Price" — the place prefix used in every input message. */
export function formatPlace(context: ErrorContext): string {
  const parts: string[] = [];
  if (context.file) parts.push(context.line ? `${context.file}:${context.line}` : context.file);
  else if (context.line) parts.push(`line ${context.line}`);
  if (context.column) parts.push(`column "${context.column}"`);
  return parts.join(', ');
}

/** The most characters of a file's or user's value an error message quotes. */
export const QUOTE_LIMIT = 80;

/**
 * A value as quoted in a message: at most QUOTE_LIMIT characters (a header line can be
 * 200 MB), control characters shown as escapes so a value cannot rewrite the terminal.
 * @example
 * quoteValue('x'.repeat(100)); // 79 x, then '… (100 characters)'
 */
export function quoteValue(text: string, limit = QUOTE_LIMIT): string {
  const shown = text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
  // eslint-disable-next-line no-control-regex
  const safe = shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > limit ? `${safe} (${text.length.toLocaleString('en-US')} characters)` : safe;
}

/**
 * JSON.parse's complaint without the file's text: V8 quotes the input around the error
 * ("Unexpected token 'r', "root:*:202"... is not valid JSON"), and the file may be a secret.
 */
export function jsonSyntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ is not valid JSON$/.test(message)) return 'an unexpected character';
  return quoteValue(message.replace(/^./, (c) => c.toLowerCase()));
}

/** The most header cells "Columns found" lists. */
const COLUMNS_SHOWN = 30;

/**
 * "Columns found: a, b, c." for a hint, each name cut to 40 characters and at most 30 names;
 * a single cell is not listed (a file with no delimiter on its first line is probably not a
 * CSV file at all, and that line may be anything, such as /etc/shadow's first entry).
 */
export function columnsFound(header: readonly string[], quoted = false): string {
  if (header.length <= 1) return 'The first line has no column delimiter (, ; tab or |): is this a CSV file with a header line?';
  const shown = header.slice(0, COLUMNS_SHOWN).map((name) => (quoted ? `"${quoteValue(name, 40)}"` : quoteValue(name, 40)));
  const more = header.length > COLUMNS_SHOWN ? ` and ${(header.length - COLUMNS_SHOWN).toLocaleString('en-US')} more` : '';
  return `Columns found: ${shown.join(', ')}${more}.`;
}
