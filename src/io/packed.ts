/**
 * Line items packed into one cell (WooCommerce line_item_N cells, WooCommerce Analytics'
 * "2× Name, 1× Other", BigCommerce's "Product Details"), unpacked in SQL into one row per
 * item: packed_i(record, position, item, item_name, qty_text, price_text, total_text), and for
 * WooCommerce's cells parent_text (the parent product id, src/io/formats.ts field `parent`).
 */
import type { PackedLayout } from './formats.js';
import { TABLE } from './import/tables.js';

/** SQL creating packed_<index> from raw_<index>, for the given packed cell columns (c<k>). */
export function unpackSql(index: number, layout: PackedLayout, columns: readonly number[]): string {
  const table = `${TABLE.packed(index)}`;
  if (layout === 'woocommerce') {
    // name:Mug|product_id:12|sku:MUG-1|quantity:2|total:20.00 with "\|" escaping a pipe inside a value.
    const cells = columns.map((c, k) => `SELECT rowid AS record, ${k} AS position, c${c} AS cell FROM ${TABLE.raw(index)} WHERE nullif(trim(c${c}), '') IS NOT NULL`).join(' UNION ALL ');
    const field = (key: string) => `nullif(trim(replace(regexp_extract(cell, '(?:^|[|])${key}:((?:[^|\\\\]|\\\\.)*)', 1), '\\|', '|')), '')`;
    // The item is the SKU, else the variation's own id, else the product id. WooCommerce's
    // product_id is a variation's parent (variation_id the variation, 0 on simple products), so it
    // is the parent whenever something else names the item: parent_text is NULL when it is the item.
    const variation = `nullif(${field('variation_id')}, '0')`;
    return `CREATE TABLE ${table} AS SELECT record, position,
      coalesce(${field('sku')}, ${variation}, ${field('product_id')}) AS item, ${field('name')} AS item_name,
      ${field('quantity')} AS qty_text, NULL::VARCHAR AS price_text, ${field('total')} AS total_text,
      CASE WHEN coalesce(${field('sku')}, ${variation}) IS NOT NULL THEN ${field('product_id')} END AS parent_text
      FROM (${cells})`;
  }
  if (layout === 'bigcommerce') {
    // Product ID: 2471, Product Qty: 20, Product SKU: X, Product Name: Y, ..., Product Total Price: 49.80|Product ID: ...
    const c = columns[0];
    const field = (key: string) => `nullif(trim(regexp_extract(part, '${key}: (.*?)(?:, Product [A-Za-z ]+:|$)', 1)), '')`;
    return `CREATE TABLE ${table} AS SELECT record, position,
      coalesce(${field('Product SKU')}, ${field('Product ID')}) AS item, ${field('Product Name')} AS item_name,
      ${field('Product Qty')} AS qty_text, ${field('Product Unit Price')} AS price_text, ${field('Product Total Price')} AS total_text
      FROM (SELECT rowid AS record, generate_subscripts(parts, 1) AS position, unnest(parts) AS part
            FROM (SELECT rowid, string_split(c${c}, '|') AS parts FROM ${TABLE.raw(index)} WHERE nullif(trim(c${c}), '') IS NOT NULL))
      WHERE trim(part) <> ''`;
  }
  // woocommerce-analytics: "2× Blue mug, 1× Tea, green" -- split before each "N×".
  const c = columns[0];
  return `CREATE TABLE ${table} AS SELECT record, position,
      nullif(trim(regexp_extract(part, '^\\s*[0-9]+\\s*×\\s*(.*)$', 1)), '') AS item,
      nullif(trim(regexp_extract(part, '^\\s*[0-9]+\\s*×\\s*(.*)$', 1)), '') AS item_name,
      regexp_extract(part, '^\\s*([0-9]+)\\s*×', 1) AS qty_text, NULL::VARCHAR AS price_text, NULL::VARCHAR AS total_text
    FROM (SELECT rowid AS record, generate_subscripts(parts, 1) AS position, unnest(parts) AS part
          FROM (SELECT rowid, string_split(regexp_replace(c${c}, ',\\s*([0-9]+\\s*×)', '¦§\\1', 'g'), '¦§') AS parts
                FROM ${TABLE.raw(index)} WHERE nullif(trim(c${c}), '') IS NOT NULL))
    WHERE trim(part) <> ''`;
}
