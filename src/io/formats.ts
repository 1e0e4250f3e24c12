/**
 * Export formats and column mapping. A format is recognised from the header, and every
 * field is found by header name (never by position: columns come and go between export
 * versions). `--map field=Header` overrides any field.
 */
import { AovError } from '../errors.js';

/** The fields aov understands, in CLI spelling (as used by --map). */
export const FIELDS = [
  'order', 'date', 'customer', 'item', 'name', 'quantity', 'price', 'total', 'cost', 'profit',
  'currency', 'status', 'country', 'source',
  // order-level fields (Shopify and order-level exports)
  'subtotal', 'orderTotal', 'shipping', 'financialStatus', 'cancelledAt', 'refunded', 'lineDiscount', 'paymentMethod',
] as const;
export type Field = (typeof FIELDS)[number];

export type FormatName = 'shopify' | 'lines';
export const FORMAT_NAMES: readonly FormatName[] = ['shopify', 'lines'];

/** Field -> index of the header cell it reads. */
export type ColumnMapping = Partial<Record<Field, number>>;

export interface FormatDetection {
  format: FormatName;
  mapping: ColumnMapping;
  /** Why this format: "Shopify orders export (Name, Financial Status, Lineitem quantity ...)". */
  evidence: string;
  /** Order ids starting with this prefix are cancellations (UCI Online Retail's "C" invoices). */
  cancelPrefix?: string;
}

/** Lower-case letters and digits only: "Lineitem quantity" -> "lineitemquantity". */
export function normaliseHeader(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '');
}

/** Shopify's orders export, by header name. */
const SHOPIFY: Partial<Record<Field, string>> = {
  order: 'Name', date: 'Created at', customer: 'Email', item: 'Lineitem sku', name: 'Lineitem name',
  quantity: 'Lineitem quantity', price: 'Lineitem price', currency: 'Currency', subtotal: 'Subtotal',
  orderTotal: 'Total', shipping: 'Shipping', financialStatus: 'Financial Status', cancelledAt: 'Cancelled at',
  refunded: 'Refunded Amount', lineDiscount: 'Lineitem discount', paymentMethod: 'Payment Method',
  country: 'Shipping Country', source: 'Source',
};

/** Header synonyms for generic line-item exports, most specific first (normalised spelling). */
const SYNONYMS: Record<Exclude<Field, 'subtotal' | 'orderTotal' | 'shipping' | 'financialStatus' | 'cancelledAt' | 'refunded' | 'lineDiscount' | 'paymentMethod'>, string[]> = {
  order: ['orderid', 'ordernumber', 'orderno', 'ordernum', 'numeroordine', 'idordine', 'ordine', 'bestillingsnummer', 'ordrenummer', 'bestellnummer', 'numeropedido', 'invoiceno', 'invoicenumber', 'invoiceid', 'invoice', 'order', 'name', 'transactionid', 'receiptnumber'],
  date: ['orderdate', 'invoicedate', 'createdat', 'orderdatetime', 'orderedat', 'purchasedate', 'datecreated', 'created', 'date', 'timestamp', 'datetime', 'data', 'fecha', 'datum'],
  customer: ['customerid', 'customer', 'customeremail', 'email', 'cliente', 'kunde', 'client', 'clientid', 'userid', 'buyeremail', 'buyer', 'customerkey', 'customerno'],
  item: ['stockcode', 'sku', 'productid', 'productcode', 'itemid', 'variantsku', 'lineitemsku', 'articleno', 'articlenumber', 'article', 'item', 'codice', 'artikelnummer'],
  name: ['description', 'productname', 'itemname', 'lineitemname', 'title', 'product', 'itemdescription', 'prodotto', 'produkt', 'descrizione'],
  quantity: ['quantity', 'qty', 'lineitemquantity', 'itemquantity', 'units', 'quantita', 'qta', 'antall', 'menge', 'cantidad', 'quantite'],
  price: ['unitprice', 'price', 'itemprice', 'lineitemprice', 'priceeach', 'unitpriceincltax', 'prezzo', 'prezzounitario', 'pris', 'preis', 'precio', 'prix'],
  total: ['linetotal', 'itemtotal', 'sales', 'lineamount', 'linerevenue', 'extendedprice', 'totale', 'belop', 'sum'],
  cost: ['unitcost', 'cost', 'costprice', 'costperitem', 'cogs'],
  profit: ['profit', 'lineprofit', 'grossprofit'],
  currency: ['currency', 'currencycode', 'ordercurrency', 'valuta', 'valuta', 'waehrung', 'moneda'],
  status: ['orderstatus', 'status', 'stato'],
  country: ['country', 'countryregion', 'shippingcountry', 'billingcountry', 'paese', 'land', 'pais'],
  source: ['source', 'channel', 'saleschannel', 'sourcename', 'utmsource'],
};

const REQUIRED_LINES: Field[] = ['order', 'date'];

/** Levenshtein distance, for "did you mean" on headers and options. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const kept = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = kept;
    }
  }
  return row[b.length];
}

/** The header cell closest to any synonym of a field, for the "closest match" hint. */
export function closestHeader(field: Field, header: readonly string[]): string | undefined {
  const wanted = field in SYNONYMS ? SYNONYMS[field as keyof typeof SYNONYMS] : [normaliseHeader(SHOPIFY[field] ?? field)];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const cell of header) {
    const n = normaliseHeader(cell);
    if (!n) continue;
    for (const w of wanted) {
      const d = editDistance(n, w) / Math.max(w.length, 1);
      if (d < bestDistance) {
        bestDistance = d;
        best = cell;
      }
    }
  }
  return bestDistance <= 0.5 ? best : undefined;
}

/** Parses "order=InvoiceNo,price=UnitPrice" into field -> header name. */
export function parseMapOption(text: string): Partial<Record<Field, string>> {
  const mapping: Partial<Record<Field, string>> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      throw new AovError('E_USAGE', `--map entry "${part}" is not field=Header.`, { hint: 'Example: --map order=InvoiceNo,price=UnitPrice' });
    }
    const field = part.slice(0, eq).trim() as Field;
    if (!(FIELDS as readonly string[]).includes(field)) {
      const guess = [...FIELDS].sort((a, b) => editDistance(field, a) - editDistance(field, b))[0];
      throw new AovError('E_USAGE', `--map: unknown field "${field}" (did you mean "${guess}"?).`, { hint: `Fields: ${FIELDS.join(', ')}.` });
    }
    mapping[field] = part.slice(eq + 1).trim();
  }
  return mapping;
}

function findHeader(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const n = normaliseHeader(name);
  return header.findIndex((h) => normaliseHeader(h) === n);
}

function isShopify(header: readonly string[]): boolean {
  const names = new Set(header.map(normaliseHeader));
  return ['name', 'financialstatus', 'lineitemquantity', 'lineitemprice', 'subtotal'].every((h) => names.has(h));
}

/**
 * Detects the format of a file from its header and builds the column mapping.
 * Throws E_MISSING_COLUMN (naming the columns found and the closest one) when a
 * required field has no column.
 */
export function detectFormat(
  header: readonly string[],
  file: string,
  options: { format?: FormatName; map?: Partial<Record<Field, string>> } = {},
): FormatDetection {
  const format: FormatName = options.format ?? (isShopify(header) ? 'shopify' : 'lines');
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  let evidence: string;
  let cancelPrefix: string | undefined;

  if (format === 'shopify') {
    for (const [field, name] of Object.entries(SHOPIFY) as [Field, string][]) {
      const index = findHeader(header, name);
      if (index >= 0) mapping[field] = index;
    }
    if (mapping.country === undefined) {
      const billing = findHeader(header, 'Billing Country');
      if (billing >= 0) mapping.country = billing;
    }
    evidence = options.format ? '--format shopify' : 'Shopify orders export (Name, Financial Status, Lineitem quantity, Lineitem price, Subtotal)';
  } else {
    // Explicit mappings first, so a synonym never takes a column the user assigned elsewhere.
    evidence = options.format ? '--format lines' : 'line items (generic), columns matched by name';
  }
  for (const [field, name] of Object.entries(options.map ?? {}) as [Field, string][]) {
    const index = findHeader(header, name);
    if (index < 0) {
      const closest = header.slice().sort((a, b) => editDistance(normaliseHeader(a), normaliseHeader(name)) - editDistance(normaliseHeader(b), normaliseHeader(name)))[0];
      throw new AovError('E_MISSING_COLUMN', `${file}: --map ${field}=${name}, but there is no column "${name}".`, {
        hint: `Columns found: ${header.join(', ')}.${closest ? ` Closest: "${closest}".` : ''}`,
        context: { file, column: name },
      });
    }
    mapping[field] = index;
  }
  for (const index of Object.values(mapping)) used.add(index as number);

  if (format === 'lines') {
    const normalised = header.map(normaliseHeader);
    for (const [field, synonyms] of Object.entries(SYNONYMS) as [Field, string[]][]) {
      if (mapping[field] !== undefined) continue;
      for (const synonym of synonyms) {
        const index = normalised.findIndex((h, i) => h === synonym && !used.has(i));
        if (index >= 0) {
          mapping[field] = index;
          used.add(index);
          break;
        }
      }
    }
    // UCI Online Retail marks cancellations with a "C" before the invoice number.
    if (mapping.order !== undefined && normalised[mapping.order] === 'invoiceno') cancelPrefix = 'C';
  }

  const required: Field[] = format === 'shopify' ? ['order', 'date', 'subtotal'] : REQUIRED_LINES;
  for (const field of required) {
    if (mapping[field] === undefined) throw missingColumn(field, header, file);
  }
  if (format === 'lines' && mapping.price === undefined && mapping.total === undefined) {
    throw missingColumn('price', header, file, 'a unit price or a line total');
  }
  return { format, mapping, evidence, cancelPrefix };
}

function missingColumn(field: Field, header: readonly string[], file: string, what?: string): AovError {
  const closest = closestHeader(field, header);
  const examples = field in SYNONYMS ? SYNONYMS[field as keyof typeof SYNONYMS].slice(0, 4).join(', ') : field;
  return new AovError(
    'E_MISSING_COLUMN',
    `${file}: no column for ${what ?? `the ${field}`} (looked for names like ${examples}).${closest ? ` Closest header: "${closest}".` : ''}`,
    {
      hint: `Columns found: ${header.map((h) => `"${h}"`).join(', ')}. Map one with --map ${field}=<header>.`,
      context: { file, column: field },
    },
  );
}
