/**
 * The embedded DuckDB engine: one in-memory database per command run. Everything that
 * touches DuckDB goes through here so that analysis code never sees a handle.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { AovError } from '../errors.js';

export interface Engine {
  run(sql: string): Promise<void>;
  /** Small result sets as plain JS row objects (numbers as number, big integers as bigint). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** One column of numbers into a Float64Array (NULL becomes NaN), streamed chunk by chunk. */
  columns(sql: string, spec: ColumnSpec): Promise<ColumnData>;
  close(): void;
}

/** Column name -> how to read it: 'f64' (DOUBLE/BIGINT/INTEGER), 'i32', or 'str'. */
export type ColumnSpec = Record<string, 'f64' | 'i32' | 'str'>;
export type ColumnData = Record<string, Float64Array | Int32Array | string[]>;

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface EngineOptions {
  /**
   * A private folder DuckDB may spill to: the database stays in memory, but under
   * `memoryLimit` its buffer pool evicts table blocks and large operators' state there, so a
   * multi-gigabyte export runs in bounded memory. (A database file instead was measured 1.6x
   * slower at 1M lines: every CREATE TABLE is written through the WAL and checkpointed.)
   */
  spillDir?: string;
  memoryLimit?: string;
}

/**
 * The smallest address space (ulimit -v) aov runs in: Node and the engine's library and
 * threads reserve about 1.8 GB of virtual memory before reading a row (measured: the
 * sample shop fails at 1.8 GB with "bad allocation" and runs at 1.9 GB, Online Retail too).
 */
export const MIN_ADDRESS_SPACE_BYTES = 1.9 * 1024 ** 3;

/** The process's address-space limit (ulimit -v) in bytes, or undefined when unlimited or unknown. */
export function addressSpaceLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  try {
    text ??= readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  const soft = /^Max address space\s+(\S+)/m.exec(text)?.[1];
  return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/** One clear error for every way of running out of memory (exit 2, with what to change). */
export function memoryError(cause: unknown, memoryLimit?: string): AovError {
  const limit = addressSpaceLimit();
  if (cause === undefined && limit !== undefined) {
    return new AovError('E_MEMORY', `aov needs at least ${gib(MIN_ADDRESS_SPACE_BYTES)} of address space; this process is limited to ${gib(limit)} (ulimit -v).`, {
      hint: 'Raise the limit (ulimit -v unlimited, or 4000000 KB); --memory 512MB then caps what the engine uses.',
    });
  }
  return new AovError('E_MEMORY', `Out of memory${limit ? ` (the address space is limited to ${gib(limit)}, ulimit -v)` : ''}${memoryLimit ? ` with --memory ${memoryLimit}` : ''}.`, {
    hint: `aov needs at least ${gib(MIN_ADDRESS_SPACE_BYTES)} of address space plus about 3x the export's size in memory; raise ulimit -v, or cap the engine with --memory 512MB so it spills to disk.`,
    cause,
  });
}

/** True for the engine's and the runtime's out-of-memory errors. */
export function isOutOfMemory(error: unknown): boolean {
  return /out of memory|bad allocation|failed to map segment|cannot allocate memory|array buffer allocation failed/i.test(String((error as Error)?.message ?? error));
}

/**
 * An engine opened at its first statement. A warm run served whole from the cache's JS files
 * (tablesCache.ts, basketCache.ts) runs none, and so never loads DuckDB's native module nor
 * starts its threads (about 0.2-0.3 s, and the close). The address-space check is made at
 * once, as openEngine makes it, so a run that could not open the engine fails the same way.
 */
export function lazyEngine(options: EngineOptions = {}): Engine {
  checkAddressSpace(options);
  let opening: Promise<Engine> | undefined;
  let opened: Engine | undefined;
  const engine = async () => {
    opening ??= openEngine(options).then((e) => (opened = e));
    return opening;
  };
  return {
    run: async (sql) => (await engine()).run(sql),
    rows: async (sql) => (await engine()).rows(sql),
    columns: async (sql, spec) => (await engine()).columns(sql, spec),
    close: () => opened?.close(),
  };
}

function checkAddressSpace(options: EngineOptions): void {
  const limit = addressSpaceLimit();
  if (limit !== undefined && limit < MIN_ADDRESS_SPACE_BYTES) throw memoryError(undefined, options.memoryLimit);
}

export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  checkAddressSpace(options);
  // Loaded lazily: the native module costs ~100 ms, and `aov --help` must not pay it.
  const { DuckDBInstance } = await import('@duckdb/node-api').catch((error: unknown) => {
    throw isOutOfMemory(error) ? memoryError(error, options.memoryLimit) : error;
  });
  const settings: Record<string, string> = {
    // Keep row order = file order so rowid is the record's position in the file.
    preserve_insertion_order: 'true',
    // Never reach for the network: extensions cannot be downloaded on the machines we run on.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (options.spillDir) {
    settings.temp_directory = options.spillDir;
    settings.memory_limit = options.memoryLimit ?? process.env.AOV_MEMORY_LIMIT ?? '1000MB';
  } else if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  try {
    instance = await DuckDBInstance.create(':memory:', settings);
    connection = await instance.connect();
  } catch (error) {
    if (isOutOfMemory(error)) throw memoryError(error, options.memoryLimit);
    if (options.memoryLimit && /memory_limit|memory limit/i.test(String(error))) {
      throw new AovError('E_USAGE', `--memory ${options.memoryLimit} is not a size.`, { hint: 'Examples: --memory 512MB, --memory 2GB.' });
    }
    throw error;
  }
  const oom = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      throw isOutOfMemory(error) ? memoryError(error, options.memoryLimit) : error;
    });
  // AOV_TRACE=1 prints each statement's time to stderr: the first tool for a slow import.
  const trace = process.env.AOV_TRACE ? (sql: string, started: number) => process.stderr.write(`[aov] ${Date.now() - started} ms  ${sql.replace(/\s+/g, ' ').slice(0, process.env.AOV_TRACE === 'full' ? undefined : 110)}\n`) : undefined;

  return {
    async run(sql) {
      const started = Date.now();
      await oom(connection.run(sql));
      trace?.(sql, started);
    },
    async rows(sql) {
      const started = Date.now();
      const reader = await oom(connection.runAndReadAll(sql));
      trace?.(sql, started);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    },
    async columns(sql, spec) {
      const started = Date.now();
      const result = await oom(connection.stream(sql));
      const names = result.columnNames();
      const wanted = Object.entries(spec).map(([name, kind]) => {
        const index = names.indexOf(name);
        if (index < 0) throw new Error(`internal: column ${name} missing from query result`);
        return { name, kind, index };
      });
      const parts: Record<string, unknown[]> = Object.fromEntries(wanted.map((w) => [w.name, []]));
      let total = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const n = chunk.rowCount;
        for (const w of wanted) {
          const vector = chunk.getColumnVector(w.index);
          if (w.kind === 'str') {
            const out: string[] = new Array(n);
            for (let i = 0; i < n; i++) {
              const v = vector.getItem(i);
              out[i] = v === null ? '' : String(v);
            }
            parts[w.name].push(out);
          } else {
            const out = w.kind === 'i32' ? new Int32Array(n) : new Float64Array(n);
            if (!copyNumbers(vector, out, w.kind === 'i32' ? -1 : NaN)) {
              for (let i = 0; i < n; i++) {
                const v = vector.getItem(i) as number | bigint | null;
                out[i] = v === null ? (w.kind === 'i32' ? -1 : NaN) : Number(v);
              }
            }
            parts[w.name].push(out);
          }
        }
        total += n;
      }
      const data: ColumnData = {};
      for (const w of wanted) {
        const pieces = parts[w.name];
        if (w.kind === 'str') {
          const out: string[] = [];
          for (const piece of pieces as string[][]) for (const text of piece) out.push(text);
          data[w.name] = out;
        } else {
          const out = w.kind === 'i32' ? new Int32Array(total) : new Float64Array(total);
          let at = 0;
          for (const piece of pieces as (Int32Array | Float64Array)[]) {
            out.set(piece, at);
            at += piece.length;
          }
          data[w.name] = out;
        }
      }
      // (the time includes the transfer into JS: what a query read whole costs the command)
      trace?.(`columns ${total} rows: ${sql}`, started);
      return data;
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Copies a DOUBLE or INTEGER vector into `out` in one typed-array copy, then marks its NULLs
 * with `missing` from the validity bit mask (bit i of the little-endian 64-bit words is row i).
 * The value-by-value getItem path costs ~1 µs a value (BigInt validity checks); at 4M orders
 * and eight columns that was seconds. Returns false for other vector kinds (the caller then
 * reads item by item).
 */
function copyNumbers(vector: unknown, out: Float64Array | Int32Array, missing: number): boolean {
  const { items, validity } = vector as { items?: unknown; validity?: { data: BigUint64Array | null; offset: number } };
  if (!(items instanceof Float64Array || items instanceof Int32Array) || items.length !== out.length || !validity) return false;
  out.set(items);
  if (validity.data) {
    const bits = new Uint8Array(validity.data.buffer, validity.data.byteOffset, validity.data.byteLength);
    for (let i = 0; i < out.length; i++) {
      const bit = validity.offset + i;
      if (((bits[bit >> 3] >> (bit & 7)) & 1) === 0) out[i] = missing;
    }
  }
  return true;
}
