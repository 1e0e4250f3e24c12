/**
 * Export formats and column mapping. A format is recognised from the header, and every
 * field is found by header name (never by position: columns come and go between export
 * versions). `--map field=Header` overrides any field.
 */
import { AovError, columnsFound, quoteValue } from '../errors.js';

/** The fields aov understands, in CLI spelling (as used by --map). */
export const FIELDS = [
  'order', 'date', 'customer', 'item', 'name', 'quantity', 'price', 'total', 'cost', 'profit',
  'currency', 'status', 'country', 'source',
  // order-level fields (Shopify and order-level exports)
  'subtotal', 'orderTotal', 'shipping', 'financialStatus', 'cancelledAt', 'refunded', 'lineDiscount', 'paymentMethod',
  // fallback customer key for guest checkouts
  'billingName', 'postalCode',
  // a line that ships nothing (Shopify's Lineitem requires shipping = false: protection, tips, gift cards)
  'requiresShipping',
  // the parent product of a variant line (WooCommerce product_id beside variation_id, PrestaShop
  // product_id beside product_attribute_id): variants with one parent are one product in bundles
  'parent',
  // a variant's own id beside its product id (PrestaShop product_attribute_id, WooCommerce
  // variation_id; 0 on a product without variants): read only when the item is the product id
  // (no SKU column), to tell the variants apart: the item is then "<product id>-<variant id>"
  'variant',
] as const;
export type Field = (typeof FIELDS)[number];

export type FormatName =
  | 'shopify' | 'woocommerce' | 'woocommerce-packed' | 'woocommerce-analytics' | 'prestashop' | 'magento' | 'bigcommerce' | 'lines';
export const FORMAT_NAMES: readonly FormatName[] = [
  'shopify', 'woocommerce', 'woocommerce-packed', 'woocommerce-analytics', 'prestashop', 'magento', 'bigcommerce', 'lines',
];

/** Field -> index of the header cell it reads. */
export type ColumnMapping = Partial<Record<Field, number>>;

/** How a format packs several line items into one cell. */
export type PackedLayout = 'woocommerce' | 'woocommerce-analytics' | 'bigcommerce';

export interface FormatDetection {
  format: FormatName;
  mapping: ColumnMapping;
  /** Why this format: "Shopify orders export (Name, Financial Status, Lineitem quantity ...)". */
  evidence: string;
  /** Order ids starting with this prefix are cancellations (UCI Online Retail's "C" invoices). */
  cancelPrefix?: string;
  /** 'order': the value is an order-level column (subtotal field); 'line': the sum of the lines. */
  valueLevel: 'order' | 'line';
  /** Cells that hold packed line items, and how they are packed. */
  packed?: { layout: PackedLayout; columns: number[] };
  /** Whether the format has line items at all (bundles need them). */
  hasLineItems: boolean;
  /** What the order value is, in words, for the output. */
  valueDefinition: string;
}

/** Lower-case letters and digits only: "Lineitem quantity" -> "lineitemquantity". */
export function normaliseHeader(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '');
}

/**
 * A platform's export layout: how to recognise it from the header, and which header
 * (normalised spelling, first found wins) holds each field. Documented for `aov formats`.
 */
export interface FormatProfile {
  name: FormatName;
  title: string;
  needs: string;
  /** Normalised headers that must all be present (each entry: any one of the alternatives). */
  signature: string[][];
  columns: Partial<Record<Field, string[]>>;
  required: Field[];
  valueLevel: 'order' | 'line';
  valueDefinition: string;
  packed?: { layout: PackedLayout; columnPattern: RegExp };
  hasLineItems: boolean;
}

const SUBTOTAL_DEFINITION = 'merchandise after discounts, excluding shipping and tax';

export const PROFILES: readonly FormatProfile[] = [
  {
    name: 'shopify',
    title: 'Shopify orders export (one row per line item; order fields on the first row)',
    needs: 'Name, Created at, Subtotal; line items from Lineitem quantity/price/sku/name',
    signature: [['name'], ['financialstatus'], ['lineitemquantity'], ['lineitemprice'], ['subtotal']],
    columns: {
      order: ['name'], date: ['createdat'], customer: ['email'], item: ['lineitemsku'], name: ['lineitemname'],
      quantity: ['lineitemquantity'], price: ['lineitemprice'], currency: ['currency'], subtotal: ['subtotal'],
      orderTotal: ['total'], shipping: ['shipping'], financialStatus: ['financialstatus'], cancelledAt: ['cancelledat'],
      refunded: ['refundedamount'], lineDiscount: ['lineitemdiscount'], paymentMethod: ['paymentmethod'],
      country: ['shippingcountry', 'billingcountry'], source: ['source'], billingName: ['billingname'], postalCode: ['billingzip'],
      requiresShipping: ['lineitemrequiresshipping'],
    },
    required: ['order', 'date', 'subtotal'],
    valueLevel: 'order',
    valueDefinition: `order Subtotal: ${SUBTOTAL_DEFINITION}`,
    hasLineItems: true,
  },
  {
    name: 'bigcommerce',
    title: 'BigCommerce orders export (line items packed in "Product Details")',
    needs: 'Order ID, Order Date, Subtotal (ex tax) or Order Total, Product Details',
    signature: [['orderid'], ['productdetails']],
    columns: {
      order: ['orderid'], date: ['orderdate'], status: ['orderstatus'], customer: ['customeremail', 'customerid'],
      currency: ['ordercurrencycode', 'currency'], subtotal: ['subtotalextax', 'subtotalinctax', 'subtotal', 'ordertotalinctax', 'ordertotal'],
      orderTotal: ['ordertotalinctax', 'ordertotal'], shipping: ['shippingcostextax', 'shippingcost'], country: ['shippingcountry', 'billingcountry'],
      paymentMethod: ['paymentmethod'],
    },
    required: ['order', 'date', 'subtotal'],
    valueLevel: 'order',
    valueDefinition: `order Subtotal (ex tax): ${SUBTOTAL_DEFINITION}`,
    packed: { layout: 'bigcommerce', columnPattern: /^productdetails$/ },
    hasLineItems: true,
  },
  {
    name: 'woocommerce-packed',
    title: 'WooCommerce order export with packed line_item_1..N cells (name:X|sku:Y|quantity:2|total:20.00)',
    needs: 'order_id or order_number, order_date, line_item_1 ...',
    signature: [['lineitem1'], ['orderid', 'ordernumber']],
    columns: {
      order: ['ordernumber', 'orderid'], date: ['orderdate', 'date'], status: ['status', 'orderstatus'],
      currency: ['ordercurrency', 'currency'], customer: ['customeremail', 'billingemail', 'email', 'customerid'],
      orderTotal: ['ordertotal'], shipping: ['shippingtotal'], paymentMethod: ['paymentmethod', 'paymentmethodtitle'],
      country: ['shippingcountry', 'billingcountry'],
    },
    required: ['order', 'date'],
    valueLevel: 'line',
    valueDefinition: 'sum of the line items\' totals (after discounts, excluding shipping and tax)',
    packed: { layout: 'woocommerce', columnPattern: /^lineitem\d+$/ },
    hasLineItems: true,
  },
  {
    name: 'woocommerce-analytics',
    title: 'WooCommerce Analytics orders download (products packed as "2× Name, 1× Other")',
    needs: 'Date, Order #, Net Sales, Product(s)',
    signature: [['order'], ['netsales'], ['products'], ['itemssold']],
    columns: {
      order: ['order'], date: ['date'], status: ['status'], customer: ['customer'], subtotal: ['netsales'],
      orderTotal: ['nrevenueformatted', 'netrevenue'],
    },
    required: ['order', 'date', 'subtotal'],
    valueLevel: 'order',
    valueDefinition: 'Net Sales: merchandise after coupons and refunds, excluding shipping and tax',
    packed: { layout: 'woocommerce-analytics', columnPattern: /^products$/ },
    hasLineItems: true,
  },
  {
    name: 'woocommerce',
    title: 'WooCommerce order export, one row per line item (order_number, ..., product_name, sku, quantity, item_total)',
    needs: 'order_number or order_id, order_date, quantity, item_total',
    signature: [['ordernumber', 'orderid'], ['orderdate'], ['ordertotal'], ['itemtotal', 'linetotal']],
    columns: {
      order: ['ordernumber', 'orderid'], date: ['orderdate'], status: ['status', 'orderstatus'], currency: ['ordercurrency', 'currency'],
      customer: ['customeremail', 'billingemail', 'email', 'customerid'], name: ['productname', 'itemname'], item: ['sku', 'productid'],
      quantity: ['quantity', 'qty'], total: ['itemtotal', 'linetotal'], price: ['itemprice', 'price'], orderTotal: ['ordertotal'],
      shipping: ['shippingtotal'], paymentMethod: ['paymentmethod', 'paymentmethodtitle'], country: ['shippingcountry', 'billingcountry'],
      // A variation's line carries its parent's product_id (and its own variation_id, 0 on simple products).
      parent: ['productid', 'itemproductid', 'parentid'],
      variant: ['variationid'],
    },
    required: ['order', 'date'],
    valueLevel: 'line',
    valueDefinition: 'sum of item_total over the order\'s lines (after discounts, excluding shipping and tax)',
    hasLineItems: true,
  },
  {
    name: 'magento',
    title: 'Magento 2 orders grid export (order level; amounts like $219.40)',
    needs: 'ID, Purchase Date, Subtotal or Grand Total (Purchased), Status',
    signature: [['purchasedate'], ['grandtotalpurchased', 'grandtotalbase'], ['status']],
    columns: {
      order: ['id', 'incrementid', 'ordernumber'], date: ['purchasedate'], status: ['status'], customer: ['customeremail', 'billtoname'],
      subtotal: ['subtotal', 'grandtotalpurchased', 'grandtotalbase'], orderTotal: ['grandtotalpurchased', 'grandtotalbase'],
      shipping: ['shippingandhandling'], paymentMethod: ['paymentmethod'], refunded: ['totalrefunded'], source: ['purchasepoint'],
    },
    required: ['order', 'date', 'subtotal'],
    valueLevel: 'order',
    valueDefinition: `order Subtotal (else Grand Total): ${SUBTOTAL_DEFINITION}`,
    hasLineItems: false,
  },
  {
    name: 'prestashop',
    title: 'PrestaShop orders export (;-delimited, headers in English, French, Italian or Spanish; order level)',
    needs: 'Reference or ID, Date, Total (tax incl.), Status',
    signature: [['reference', 'riferimento', 'referencia'], ['total', 'totale'], ['etat', 'stato', 'estado', 'status'], ['paiement', 'pagamento', 'pago', 'payment']],
    columns: {
      order: ['reference', 'riferimento', 'referencia', 'id'], date: ['date', 'data', 'fecha'], status: ['etat', 'stato', 'estado', 'status'],
      customer: ['client', 'cliente', 'customer'], subtotal: ['total', 'totale'], paymentMethod: ['paiement', 'pagamento', 'pago', 'payment'],
      country: ['livraison', 'consegna', 'entrega', 'delivery', 'pays', 'paese', 'pais', 'country'],
    },
    required: ['order', 'date', 'subtotal'],
    valueLevel: 'order',
    valueDefinition: 'order Total (tax and shipping included: PrestaShop\'s export has no merchandise subtotal)',
    hasLineItems: false,
  },
];

/** Header synonyms for generic line-item exports, most specific first (normalised spelling). */
const SYNONYMS: Partial<Record<Field, string[]>> = {
  // (order-export headers in Italian, Norwegian, Danish, Swedish, German, Dutch, French and Spanish too)
  order: ['orderid', 'idorder', 'ordernumber', 'orderno', 'ordernum', 'numeroordine', 'idordine', 'ordine', 'bestillingsnummer', 'ordrenummer', 'ordrenr', 'bestellnummer', 'bestellnr',
    'bestelnummer', 'ordernummer', 'ordernr', 'numerodecommande', 'numerocommande', 'numerodepedido', 'numeropedido', 'nodecommande', 'commande', 'pedido', 'bestilling', 'bestellung', 'bestelling', 'invoiceno', 'invoicenumber', 'invoiceid', 'invoice', 'order', 'name', 'transactionid', 'receiptnumber'],
  date: ['orderdate', 'invoicedate', 'createdat', 'dateadd', 'orderdatetime', 'orderedat', 'purchasedate', 'datecreated', 'created', 'ordredato', 'bestillingsdato', 'bestelldatum', 'besteldatum',
    'orderdatum', 'datedecommande', 'fechadelpedido', 'fechapedido', 'dataordine', 'date', 'timestamp', 'datetime', 'data', 'fecha', 'datum', 'dato'],
  customer: ['customerid', 'customer', 'customeremail', 'email', 'kundennummer', 'kundenummer', 'kundenr', 'kundnummer', 'klantnummer', 'numeroclient', 'idcliente',
    'cliente', 'kunde', 'kund', 'klant', 'client', 'epost', 'courriel', 'clientid', 'userid', 'buyeremail', 'buyer', 'customerkey', 'customerno'],
  // (PrestaShop's order lines: product_reference is the combination's SKU, product_id its parent)
  item: ['stockcode', 'sku', 'productreference', 'productid', 'productcode', 'itemid', 'variantsku', 'lineitemsku', 'articleno', 'articlenumber', 'article', 'item', 'codice', 'artikelnummer',
    'artikelnr', 'varenummer', 'varenr', 'reference', 'referencia', 'codigo', 'produktnummer'],
  name: ['description', 'productname', 'itemname', 'lineitemname', 'title', 'product', 'itemdescription', 'prodotto', 'produkt', 'descrizione', 'produktname', 'produktnavn',
    'produktnamn', 'productnaam', 'nomduproduit', 'nombredelproducto', 'produit', 'producto', 'artikel', 'vare', 'beschreibung', 'beskrivelse'],
  quantity: ['quantity', 'qty', 'productquantity', 'lineitemquantity', 'itemquantity', 'units', 'quantita', 'qta', 'antall', 'antal', 'anzahl', 'aantal', 'menge', 'cantidad', 'quantite', 'stuck'],
  price: ['unitprice', 'price', 'itemprice', 'lineitemprice', 'priceeach', 'unitpriceincltax', 'unitpricetaxincl', 'productprice', 'prezzounitario', 'einzelpreis', 'stuckpreis', 'enhetspris', 'enhedspris', 'stykpris',
    'stykkpris', 'styckpris', 'prixunitaire', 'preciounitario', 'stukprijs', 'prezzo', 'pris', 'preis', 'precio', 'prix', 'prijs'],
  // ("Beløp": ø has no decomposition, so it normalises to "belp")
  total: ['linetotal', 'itemtotal', 'totalpricetaxincl', 'sales', 'lineamount', 'linerevenue', 'extendedprice', 'totale', 'belop', 'belp', 'gesamtpreis', 'summe', 'totaal', 'totalt', 'montant',
    'importe', 'bedrag', 'belopp', 'sum'],
  cost: ['unitcost', 'cost', 'costprice', 'costperitem', 'cogs'],
  profit: ['profit', 'lineprofit', 'grossprofit'],
  currency: ['currency', 'currencycode', 'ordercurrency', 'valuta', 'waehrung', 'wahrung', 'devise', 'moneda', 'divisa'],
  status: ['orderstatus', 'status', 'stato', 'bestellstatus', 'ordrestatus', 'statut', 'estado'],
  country: ['country', 'countryregion', 'shippingcountry', 'billingcountry', 'paese', 'land', 'pais'],
  source: ['source', 'channel', 'saleschannel', 'sourcename', 'utmsource'],
  billingName: ['billingname', 'customername', 'buyername'],
  postalCode: ['billingzip', 'billingpostcode', 'postalcode', 'postcode', 'zip', 'zipcode'],
  // Last, so that a lone product id is the item: only beside a SKU is it the variant's parent.
  parent: ['parentproductid', 'parentid', 'productid', 'itemproductid', 'idproduct'],
  variant: ['productattributeid', 'idproductattribute', 'variationid'],
};

/** Headers of a product id: a variant id names the item only when the item is one of these. */
const PRODUCT_ID_HEADERS = ['productid', 'itemproductid', 'idproduct'];

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
export function closestHeader(field: Field, header: readonly string[], profile?: FormatProfile): string | undefined {
  const wanted = (profile ? profile.columns[field] : SYNONYMS[field as keyof typeof SYNONYMS]) ?? [normaliseHeader(field)];
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

function matchesSignature(profile: FormatProfile, names: ReadonlySet<string>): boolean {
  return profile.signature.every((alternatives) => alternatives.some((a) => names.has(a)));
}

/** The profile for a format name ('lines' has none: it matches by synonyms). */
export function profileOf(format: FormatName): FormatProfile | undefined {
  return PROFILES.find((p) => p.name === format);
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
  const normalised = header.map(normaliseHeader);
  const names = new Set(normalised);
  const profile = options.format ? profileOf(options.format) : PROFILES.find((p) => matchesSignature(p, names));
  const format: FormatName = options.format ?? profile?.name ?? 'lines';
  const mapping: ColumnMapping = {};
  const used = new Set<number>();

  // Explicit mappings first, so a synonym never takes a column the user assigned elsewhere.
  for (const [field, name] of Object.entries(options.map ?? {}) as [Field, string][]) {
    const index = findHeader(header, name);
    if (index < 0) {
      const closest = header.slice().sort((a, b) => editDistance(normaliseHeader(a), normaliseHeader(name)) - editDistance(normaliseHeader(b), normaliseHeader(name)))[0];
      throw new AovError('E_MISSING_COLUMN', `${file}: --map ${field}=${quoteValue(name)}, but there is no column "${quoteValue(name)}".`, {
        hint: `${columnsFound(header)}${closest ? ` Closest: "${quoteValue(closest, 40)}".` : ''}`,
        context: { file, column: name },
      });
    }
    mapping[field] = index;
    used.add(index);
  }
  const columns: Partial<Record<Field, string[]>> = profile ? profile.columns : SYNONYMS;
  for (const [field, candidates] of Object.entries(columns) as [Field, string[]][]) {
    if (mapping[field] !== undefined) continue;
    for (const candidate of candidates) {
      const index = normalised.findIndex((h, i) => h === candidate && (!used.has(i) || profile !== undefined));
      if (index >= 0) {
        mapping[field] = index;
        if (!profile) used.add(index);
        break;
      }
    }
  }
  // A variant id beside a SKU adds nothing (the SKU names the variant): it is read only when
  // the item is the product id, which would otherwise make every variant one item.
  if (mapping.variant !== undefined && !options.map?.variant) {
    const itemIsProductId = mapping.item !== undefined && (mapping.item === mapping.parent || PRODUCT_ID_HEADERS.includes(normalised[mapping.item]));
    if (!itemIsProductId) delete mapping.variant;
  }
  let cancelPrefix: string | undefined;
  // UCI Online Retail marks cancellations with a "C" before the invoice number.
  if (!profile && mapping.order !== undefined && normalised[mapping.order] === 'invoiceno') cancelPrefix = 'C';

  const required: Field[] = profile ? profile.required : REQUIRED_LINES;
  for (const field of required) {
    if (mapping[field] !== undefined) continue;
    // A first line of dates and numbers is a data row: the export has no header.
    const dataLike = header.filter((h) => /^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|[-+]?[\d.,]+)\s*$/.test(h)).length;
    if (dataLike >= 2 && dataLike * 3 >= header.length) {
      throw new AovError('E_NO_HEADER', `${file}:1 looks like data, not a header (${header.slice(0, 4).map((h) => `"${quoteValue(h, 40)}"`).join(', ')} ...).`, {
        hint: 'Export with column names in the first line; aov maps columns by name. For a basket file (items per line) use --format baskets.',
        context: { file, line: 1 },
      });
    }
    // No cell of the first line names any field: a basket file (items per line, no header).
    if (!profile && Object.keys(mapping).length === 0) {
      throw new AovError('E_NO_HEADER', `${file}:1 names no column aov knows (${header.slice(0, 4).map((h) => `"${quoteValue(h, 40)}"`).join(', ')} ...): it looks like a basket file, one basket of items per line without a header.`, {
        hint: `Read it as one: aov bundles ${file} --format baskets. An order export needs column names in its first line.`,
        context: { file, line: 1 },
      });
    }
    throw missingColumn(field, header, file, profile);
  }
  // The same header twice on a column aov reads makes the mapping ambiguous.
  for (const [field, index] of Object.entries(mapping) as [Field, number][]) {
    const name = normalised[index];
    const twins = normalised.map((h, i) => (h === name ? i : -1)).filter((i) => i >= 0);
    if (twins.length > 1 && !options.map?.[field]) {
      throw new AovError('E_DUPLICATE_HEADER', `${file}:1 has the column "${quoteValue(header[index])}" ${twins.length} times (columns ${twins.map((i) => i + 1).join(' and ')}), and it is the ${field}.`, {
        hint: `Rename one in the export, or say which to use: --map ${field}=<header> with a unique name.`,
        context: { file, line: 1, column: quoteValue(header[index]) },
      });
    }
  }
  if (!profile && mapping.price === undefined && mapping.total === undefined) {
    throw missingColumn('price', header, file, undefined, 'a unit price or a line total');
  }
  const packedColumns = profile?.packed ? normalised.map((h, i) => (profile.packed!.columnPattern.test(h) ? i : -1)).filter((i) => i >= 0) : [];
  const evidence = options.format
    ? `--format ${options.format}`
    : profile
      ? `${profile.title}: header has ${profile.signature.map((alternatives) => header[normalised.findIndex((h) => alternatives.includes(h))]).join(', ')}`
      : 'line items (generic), columns matched by name';
  return {
    format,
    mapping,
    evidence,
    cancelPrefix,
    valueLevel: profile?.valueLevel ?? 'line',
    packed: profile?.packed && packedColumns.length ? { layout: profile.packed.layout, columns: packedColumns } : undefined,
    hasLineItems: profile?.hasLineItems ?? true,
    valueDefinition: profile?.valueDefinition ?? "sum of quantity x unit price (or line totals) over the order's lines with positive quantity and price",
  };
}

function missingColumn(field: Field, header: readonly string[], file: string, profile?: FormatProfile, what?: string): AovError {
  const closest = closestHeader(field, header, profile);
  const candidates = profile ? profile.columns[field] : SYNONYMS[field as keyof typeof SYNONYMS];
  const examples = (candidates ?? [field]).slice(0, 4).join(', ');
  return new AovError(
    'E_MISSING_COLUMN',
    `${file}: no column for ${what ?? `the ${field}`}${profile ? ` in this ${profile.name} export` : ''} (looked for names like ${examples}).${closest ? ` Closest header: "${quoteValue(closest, 40)}".` : ''}`,
    {
      hint: `${columnsFound(header, true)} Map one with --map ${field}=<header>.`,
      context: { file, column: field },
    },
  );
}
