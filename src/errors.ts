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
}

export const EXIT_OK = 0;
export const EXIT_ALERT = 1;
export const EXIT_INPUT = 2;

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
