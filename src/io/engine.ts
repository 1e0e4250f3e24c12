/**
 * The embedded DuckDB engine: one in-memory database per command run. Everything that
 * touches DuckDB goes through here so that analysis code never sees a handle.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

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

export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  // Loaded lazily: the native module costs ~100 ms, and `aov --help` must not pay it.
  const { DuckDBInstance } = await import('@duckdb/node-api');
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
  }
  const instance: DuckDBInstance = await DuckDBInstance.create(':memory:', settings);
  const connection: DuckDBConnection = await instance.connect();
  // AOV_TRACE=1 prints each statement's time to stderr: the first tool for a slow import.
  const trace = process.env.AOV_TRACE ? (sql: string, started: number) => process.stderr.write(`[aov] ${Date.now() - started} ms  ${sql.replace(/\s+/g, ' ').slice(0, process.env.AOV_TRACE === 'full' ? undefined : 110)}\n`) : undefined;

  return {
    async run(sql) {
      const started = Date.now();
      await connection.run(sql);
      trace?.(sql, started);
    },
    async rows(sql) {
      const started = Date.now();
      const reader = await connection.runAndReadAll(sql);
      trace?.(sql, started);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    },
    async columns(sql, spec) {
      const result = await connection.stream(sql);
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
