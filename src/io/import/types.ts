/** The import's options and results: what loadOrders (src/io/load.ts) takes and returns. */
import type { OrderTable } from '../../analysis/types.js';
import type { BasketOptions, BasketResult } from '../baskets.js';
import type { Field, FormatName } from '../formats.js';
import type { DateOrder, DecimalMark } from '../locale.js';
import type { TableFiles } from '../multiTable.js';

export interface LoadOptions {
  format?: FormatName;
  /** Also return each table's customer keys (emails, guest keys): only NPS matching needs them. */
  customerKeys?: boolean;
  map?: Partial<Record<Field, string>>;
  /** Order value: 'subtotal' (merchandise after discounts; the default) or 'total' (Shopify Total). */
  value?: 'subtotal' | 'total';
  currency?: string;
  dateFormat?: DateOrder;
  delimiter?: string;
  decimal?: DecimalMark;
  strict?: boolean;
  /** IANA time zone: timestamps with an offset are converted to its wall-clock time. */
  tz?: string;
  /** A field name or header whose value per order is loaded as the `segment` column (--by). */
  segmentBy?: string;
  /** Called with what the import is doing, for a progress line on long runs. */
  onProgress?: (phase: string) => void;
  /** Unit costs by item label (major units), from --costs: used where the export has no cost column. */
  itemCosts?: ReadonlyMap<string, number>;
  /** A multi-table export (orders + items [+ products]) instead of line files. */
  tables?: TableFiles;
  /**
   * Exclude rows identical to an earlier row in every cell read. Default: on for Shopify
   * (a line item appears once per order), off for generic line files, where a repeated line
   * can be a real second scan (UCI Online Retail has thousands): there they are only counted.
   */
  dedupe?: boolean;
  /** The engine's memory cap (DuckDB memory_limit, e.g. "512MB"), from --memory. */
  memory?: string;
  /** Read and write the import cache (default true; --no-cache turns it off). See cache.ts. */
  cache?: boolean;
}

/** Why a row was not used although it could be read (in words: reasons.ts). */
export type ExclusionReason =
  | 'duplicateRow' | 'overlappingOrder' | 'test' | 'voided' | 'cancelled' | 'failed' | 'refunded' | 'pending' | 'nonPositiveQuantity' | 'nonPositivePrice' | 'zeroValue';
/** Why a row could not be read. */
export type RejectionReason =
  | 'malformedRow' | 'missingOrderId' | 'badDate' | 'missingDate' | 'badQuantity' | 'badPrice' | 'missingPrice' | 'badCurrency' | 'unknownCurrency'
  | 'currencyMismatch';

export interface Problem {
  reason: RejectionReason;
  file: string;
  line?: number;
  column?: string;
  value?: string;
  message: string;
}

export interface FileSummary {
  file: string;
  format: FormatName;
  formatEvidence: string;
  encoding: string;
  delimiter: string;
  decimalMark: DecimalMark;
  dateFormat: string;
  dateEvidence: string;
  currency: string;
  currencyEvidence: string;
  columns: Partial<Record<Field, string>>;
  rows: number;
  valueDefinition: string;
  hasLineItems: boolean;
  /** Packed formats: how many records were unpacked into how many line rows. */
  unpacked?: { records: number; lines: number };
}

export interface InputSummary {
  files: string[];
  format: FormatName | 'mixed';
  perFile: FileSummary[];
  valueDefinition: string;
  rows: number;
  rowsUsed: number;
  rowsExcluded: number;
  excluded: Partial<Record<ExclusionReason, number>>;
  excludedOrders: Partial<Record<ExclusionReason, number>>;
  rejected: number;
  rejectedByReason: Partial<Record<RejectionReason, number>>;
  /** The first few rejected rows, with file, line and column. */
  problems: Problem[];
  orders: number;
  notes: string[];
}

export interface LoadResult {
  input: InputSummary;
  tables: OrderTable[];
  /** Present when asked for with `extras.baskets`. */
  baskets?: BasketResult;
}

export interface LoadExtras {
  baskets?: BasketOptions;
  /** Only the baskets are wanted: the per-order tables stay in DuckDB (tables is then empty). */
  basketsOnly?: boolean;
}

/** Rejected rows quoted in the summary, at most. */
export const MAX_PROBLEMS = 10;
/** The orders of order_values that are counted: those with used lines and a positive value. */
export const COUNTED = '(NOT value <= 0 OR value IS NULL)';
