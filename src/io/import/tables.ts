/**
 * The import's per-file tables, named in one place (issue #23). File i of a run gets:
 *   raw_i            its cells as text, c<k> per kept column (read.ts; multiTable.ts joins an
 *                    orders, items and products export into it)
 *   packed_i         the line items unpacked from packed cells ("2× Name | ...", packed.ts)
 *   lines_i          one typed row per line item (type.ts, or read.ts's fused read)
 *   dups_i           the hash and first row of each repeated line (read.ts)
 *   rejects_i, rejects_scan_i   DuckDB's store_rejects tables for the CSV read (read.ts)
 *   orders_table_i, items_table_i, products_table_i   a multi-table export's files (multiTable.ts)
 *   basket_file_i    a header-less basket file's lines (baskets.ts)
 * Files read in one scan (readMany.ts) share the first file's lines_i, dups_i and rejects_i.
 * load.ts drops them when the run is done with them.
 */
export const TABLE = {
  raw: (i: number) => `raw_${i}`,
  packed: (i: number) => `packed_${i}`,
  lines: (i: number) => `lines_${i}`,
  dups: (i: number) => `dups_${i}`,
  rejects: (i: number) => `rejects_${i}`,
  rejectsScan: (i: number) => `rejects_scan_${i}`,
  ordersTable: (i: number) => `orders_table_${i}`,
  itemsTable: (i: number) => `items_table_${i}`,
  productsTable: (i: number) => `products_table_${i}`,
  basketFile: (i: number) => `basket_file_${i}`,
} as const;
