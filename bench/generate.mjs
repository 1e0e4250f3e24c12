#!/usr/bin/env node
// Writes a seeded, realistic Shopify orders export (the 79-column layout of
// ../shared/data/shopify_orders_export.csv) with exactly --lines line items, streaming:
// rows are built in ~1 MB chunks and written with backpressure, so memory stays flat at
// any size. Same seed and size, same bytes.
//
//   node bench/generate.mjs --lines 1000000 --seed 42 --out $TMPDIR/aov-bench/orders-1e6.csv
//   node bench/generate.mjs --lines 1e5 | gzip > orders.csv.gz      (stdout when --out is absent)
//   node bench/generate.mjs --orders 1e6 --out orders-1M.csv          (stop at a number of orders instead)
//
// What is in it, and why (each one is something a real export has and a fast path can trip on):
// - one row per line item; order-level fields (Financial Status, Subtotal, Total, Cancelled at,
//   Refunded Amount, addresses, notes ...) only on an order's first row, as Shopify writes them;
// - a catalogue of 2,000 products with Zipf-like popularity (a few best sellers, a long tail)
//   and planted pairs and one triple (an anchor product pulls its partners into the basket
//   most of the time), so frequent itemsets exist beyond chance;
// - repeat customers (about 40% of orders come from someone who ordered before), guest orders
//   without an email, a few huge wholesale orders (40-250 lines, large quantities);
// - refunds (refunded / partially_refunded with a Refunded Amount), cancellations (Cancelled
//   at), voided authorisations, a few test orders (bogus gateway) and free replacement orders
//   (Subtotal 0.00);
// - quoted fields: names and companies with commas ("Smith, Anna"), product names with commas
//   and doubled quotes, multi-line notes (newlines inside quotes), non-ASCII (® and accents);
// - USD, dates as "2023-04-09 19:46:45 -0700".
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The header of ../shared/data/shopify_orders_export.csv, copied exactly (79 columns). */
export const SHOPIFY_HEADER =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References';
export const COLUMN_COUNT = 79;

const PRODUCTS = 2000;
const ZIPF_EXPONENT = 1.1;
/** Orders above this Subtotal ship free (a threshold for suggest-threshold to find). */
const FREE_SHIPPING_CENTS = 100_00;
const START_SECONDS = Date.UTC(2021, 0, 1) / 1000;
const SPAN_SECONDS = 3 * 365 * 86400;

/** mulberry32: a small, fast, seedable 32-bit PRNG (Tommy Ettinger), good enough for test data. */
function mulberry32(seed) {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A CSV cell: quoted (quotes doubled) only when it holds a comma, a quote or a line break. */
function cell(text) {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Integer cents -> "12.34". */
function money(cents) {
  const whole = Math.floor(cents / 100);
  const rest = cents - whole * 100;
  return `${whole}.${rest < 10 ? '0' : ''}${rest}`;
}

const STYLES = [
  ['Greyson', 'SKINNY'], ['Brando', 'SLIM'], ['Jagger', 'MOTO'], ['Ellis', 'SLIM STRAIGHT'], ['West', 'RELAXED SHORT'],
  ['Porter', 'CHINO SHORT'], ['Hollis', 'JACKET'], ['Marlow', 'DENIM SHORT'], ['Ansel', 'MONFRÈRE'], ['Dean', 'TEE'],
  ['Sutton', 'KNIT'], ['Calder', 'BELT'],
];
const COLOURS = ['Noir', 'Blanc', 'Smoke', 'Velvet Gold', 'Velvet Café', 'Coated Merlot', 'Noho Light Vintage', 'Indigo', 'Sand', 'Olive', 'Rust', 'Stone'];
const SIZES = ['28', '29', '30', '31', '32', '33', '34', '36', '38', 'S', 'M', 'L', 'XL'];
const STATES = [
  // code, name, tax name, rate (basis points)
  ['CA', 'California', 'California State Tax 7.25%', 725], ['NY', 'New York', 'New York State Tax 0%', 0],
  ['TX', 'Texas', 'Texas State Tax 6.25%', 625], ['FL', 'Florida', 'Florida State Tax 6%', 600],
  ['WA', 'Washington', 'Washington State Tax 6.5%', 650], ['IL', 'Illinois', 'Illinois State Tax 6.25%', 625],
  ['NJ', 'New Jersey', 'New Jersey State Tax 6.625%', 663], ['OR', 'Oregon', 'Oregon State Tax 0%', 0],
  ['MA', 'Massachusetts', 'Massachusetts State Tax 6.25%', 625], ['CO', 'Colorado', 'Colorado State Tax 2.9%', 290],
];
const STATE_WEIGHTS = [30, 14, 10, 9, 7, 6, 5, 4, 4, 3];
const FIRST_NAMES = ['Anna', 'James', 'Maria', 'Robert', 'Linda', 'Michael', 'Sofía', 'David', 'Zoë', 'Chen', 'Priya', 'Omar'];
const LAST_NAMES = ['Smith', 'Johnson', 'García', 'Brown', "O'Neil", 'Nguyen', 'Müller', 'Kim', 'Patel', 'Rossi', 'Walker', 'Lee'];
const NOTES = [
  'Please leave at the back door.\nGate code 4512, thanks!',
  'Gift for my brother, no invoice in the box please',
  'Can you hem these to 30"?\nHappy to pay extra.',
  'Ship together with order #1234\n\nThanks,\nAnna',
  'Call before delivery: 555-0100',
];
const SHIPPING_METHODS = [['Ground', 795], ['UPS 2nd Day Air®', 1850], ['UPS Next Day Air®', 3550]];

/** Product catalogue; names and SKUs are pre-quoted once, since they are written millions of times. */
function makeCatalogue(random) {
  const products = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const [style, vendor] = STYLES[i % STYLES.length];
    const colour = COLOURS[Math.floor(random() * COLOURS.length)];
    const size = SIZES[Math.floor(random() * SIZES.length)];
    // ~3% of names carry a comma and ~1% a double quote: both force quoting.
    const roll = random();
    const name = roll < 0.03 ? `${style} ${colour}, Limited - ${size}` : roll < 0.04 ? `${style} "${colour}" ${size}" inseam` : `${style} ${colour} - ${size}`;
    // Prices between ~$20 and ~$300, log-uniform, to whole 5 or 9 cents endings.
    const priceCents = Math.round(Math.exp(Math.log(2000) + random() * Math.log(15)) / 5) * 5 - (random() < 0.5 ? 1 : 0);
    products.push({
      name: cell(name),
      sku: cell(`${1000 + (i % STYLES.length)}${String.fromCharCode(65 + (i % 26))}${i}_${colour.toUpperCase()}_${size}`),
      vendor: cell(vendor),
      price: priceCents,
      priceText: money(priceCents),
      compareText: money(random() < 0.6 ? priceCents : Math.round(priceCents * (1.2 + random()))),
    });
  }
  return products;
}

/** Zipf-like popularity: P(rank k) proportional to k^-s, over a seeded shuffle of the catalogue. */
function makePopularity(random) {
  const cdf = new Float64Array(PRODUCTS);
  let total = 0;
  for (let k = 0; k < PRODUCTS; k++) cdf[k] = total += Math.pow(k + 1, -ZIPF_EXPONENT);
  for (let k = 0; k < PRODUCTS; k++) cdf[k] /= total;
  const byRank = Int32Array.from({ length: PRODUCTS }, (_, i) => i);
  for (let i = PRODUCTS - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [byRank[i], byRank[j]] = [byRank[j], byRank[i]];
  }
  return {
    byRank,
    draw() {
      const u = random();
      let lo = 0;
      let hi = PRODUCTS - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      return byRank[lo];
    },
  };
}

/** Cumulative weights -> a sampler of indexes. */
function weighted(random, weights) {
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf = [];
  let sum = 0;
  for (const w of weights) cdf.push((sum += w) / total);
  return () => {
    const u = random();
    for (let i = 0; i < cdf.length; i++) if (u < cdf[i]) return i;
    return cdf.length - 1;
  };
}

/**
 * Generates the export and writes it to `out` (a path, or stdout when absent): exactly
 * `lines` line items, or exactly `orders` orders when that is given instead.
 * @param {{ lines?: number, orders?: number, seed?: number, out?: string }} options
 * @returns {Promise<{ lines: number, orders: number, bytes: number, customers: number, plantedPairs: string[][] }>}
 */
export async function generateShopifyExport({ lines = Infinity, orders: orderLimit = Infinity, seed = 42, out }) {
  if (lines === Infinity && orderLimit === Infinity) throw new Error('give --lines or --orders');
  for (const [flag, n] of [['--lines', lines], ['--orders', orderLimit]]) {
    if (n !== Infinity && (!Number.isInteger(n) || n < 1)) throw new Error(`${flag} must be a positive integer, got ${n}`);
  }
  const random = mulberry32(seed);
  const catalogue = makeCatalogue(random);
  const popularity = makePopularity(random);
  const pickState = weighted(random, STATE_WEIGHTS);

  // Planted bundles: popular anchors (popularity ranks 3-15) pull unpopular partners (ranks
  // 50-500) into the basket 70% of the time, so each planted pair reaches about 1-4% support
  // (above the 1% the benchmark mines at) with a lift far above chance.
  const partners = new Map();
  const plantedPairs = [];
  const usedRanks = new Set();
  const pickRank = (from, to) => {
    for (;;) {
      const rank = from + Math.floor(random() * (to - from));
      if (!usedRanks.has(rank)) {
        usedRanks.add(rank);
        return popularity.byRank[rank];
      }
    }
  };
  for (let p = 0; p < 6; p++) {
    const anchor = pickRank(3, 16);
    const group = p === 5 ? [pickRank(50, 500), pickRank(50, 500)] : [pickRank(50, 500)];
    partners.set(anchor, group);
    plantedPairs.push([anchor, ...group].map((i) => catalogue[i].sku));
  }

  const stream = out ? createWriteStream(out) : process.stdout;
  let bytes = 0;
  let chunk = `${SHOPIFY_HEADER}\n`;
  const flush = async () => {
    bytes += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) await once(stream, 'drain');
    chunk = '';
  };

  // Date strings: cache the yyyy-mm-dd part per day; the clock part is plain arithmetic.
  const dayCache = new Map();
  const pad2 = (n) => (n < 10 ? `0${n}` : `${n}`);
  const stamp = (epochSeconds) => {
    // Pacific time, as the reference export: -0700 from March to October, -0800 otherwise.
    const month = new Date(epochSeconds * 1000).getUTCMonth();
    const offsetHours = month >= 2 && month <= 9 ? 7 : 8;
    const wall = epochSeconds - offsetHours * 3600;
    const day = Math.floor(wall / 86400);
    let date = dayCache.get(day);
    if (date === undefined) {
      date = new Date(day * 86400000).toISOString().slice(0, 10);
      dayCache.set(day, date);
    }
    const second = wall - day * 86400;
    return `${date} ${pad2(Math.floor(second / 3600))}:${pad2(Math.floor((second % 3600) / 60))}:${pad2(second % 60)} -0${offsetHours}00`;
  };

  // Order arrival: exponential gaps sized so the whole file spans about three years.
  const expectedOrders = orderLimit !== Infinity ? orderLimit : Math.max(1, lines / 2.2);
  const meanGap = SPAN_SECONDS / expectedOrders;
  let clock = START_SECONDS;
  let customers = 0;
  let orders = 0;
  let written = 0;
  const customerEmail = (index) => `cust-${(Math.imul(index + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0')}${(index % 251).toString(16).padStart(2, '0')}@example.com`;
  const basket = [];
  const quantities = [];

  while (written < lines && orders < orderLimit) {
    orders++;
    clock += Math.max(1, Math.round(-Math.log(1 - random()) * meanGap));
    const created = Math.floor(clock);

    // Basket: mostly one or two lines, a geometric tail, a few wholesale orders.
    basket.length = 0;
    quantities.length = 0;
    const huge = random() < 0.0002;
    let wanted = huge ? 40 + Math.floor(random() * 210) : random() < 0.5 ? 1 : 2 + Math.floor(-Math.log(1 - random()) / 0.6);
    if (wanted > 12 && !huge) wanted = 12;
    const add = (product, quantity) => {
      if (basket.includes(product)) return;
      basket.push(product);
      quantities.push(quantity);
    };
    for (let attempts = 0; basket.length < wanted && attempts < wanted * 4; attempts++) {
      const product = popularity.draw();
      const u = random();
      add(product, huge ? 1 + Math.floor(random() * 10) : u < 0.93 ? 1 : u < 0.98 ? 2 : 3 + Math.floor(random() * 3));
      const group = partners.get(product);
      if (group && random() < 0.7) for (const partner of group) add(partner, 1);
    }
    // The last order is cut so the file holds exactly `lines` line items.
    if (basket.length > lines - written) {
      basket.length = lines - written;
      quantities.length = basket.length;
    }

    // Money, in cents: subtotal after a discount code; free shipping from $100; state tax.
    let gross = 0;
    for (let i = 0; i < basket.length; i++) gross += catalogue[basket[i]].price * quantities[i];
    const d = random();
    const [discountCode, discountRate] = d < 0.002 ? ['FREE', 1] : d < 0.06 ? ['WELCOME', 0.1] : d < 0.08 ? ['SPRING15', 0.15] : d < 0.085 ? ['VIP, 20% off', 0.2] : ['', 0];
    const discount = Math.round(gross * discountRate);
    const subtotal = gross - discount;
    const method = SHIPPING_METHODS[random() < 0.85 ? 0 : random() < 0.7 ? 1 : 2];
    const shipping = subtotal === 0 || (method[1] === 795 && subtotal >= FREE_SHIPPING_CENTS) ? 0 : method[1];
    const [stateCode, stateName, taxName, taxRate] = STATES[pickState()];
    const taxes = Math.round((subtotal * taxRate) / 10000);
    const total = subtotal + shipping + taxes;

    // Customer: about 40% of orders come from someone who ordered before; 1% are guests.
    let email = '';
    const c = random();
    if (c >= 0.01) email = customers > 0 && c < 0.41 ? customerEmail(Math.floor(random() * customers)) : customerEmail(customers++);

    // Status: paid, refunded (some cancelled first), partially refunded, voided, a few others.
    const s = random();
    let financial = 'paid';
    let cancelled = false;
    let refunded = 0;
    let paid = true;
    let fulfilment = 'fulfilled';
    if (s < 0.025) [financial, cancelled, paid, fulfilment] = ['voided', true, false, 'unfulfilled'];
    else if (s < 0.035) [financial, cancelled, refunded, fulfilment] = ['refunded', true, total, 'unfulfilled'];
    else if (s < 0.09) [financial, refunded] = ['refunded', total];
    else if (s < 0.15) [financial, refunded] = ['partially_refunded', Math.max(1, Math.round(total * (0.1 + 0.6 * random())))];
    else if (s < 0.151) [financial, paid] = ['authorized', false];
    else if (s < 0.152) financial = 'partially_paid';
    else if (s < 0.155) fulfilment = 'unfulfilled';
    const test = random() < 0.0001;

    const createdText = stamp(created);
    const name = `#${1000 + orders}`;
    const first = FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)];
    const last = LAST_NAMES[Math.floor(random() * LAST_NAMES.length)];
    const customerName = cell(random() < 0.1 ? `${last}, ${first}` : `${first} ${last}`);
    const company = random() < 0.04 ? cell(`${last} & Sons, Inc.`) : '';
    const street = random() < 0.25 ? cell(`${1 + Math.floor(random() * 9999)} Main St, Apt ${1 + Math.floor(random() * 40)}`) : '';
    const note = random() < 0.03 ? cell(NOTES[Math.floor(random() * NOTES.length)]) : '';
    const noteAttributes = note && random() < 0.5 ? cell('gift_wrap: yes\ngift_message: Happy birthday, love') : '';
    const accepts = random() < 0.65 ? 'yes' : 'no';
    const orderId = 5_000_000_000_000 + orders * 37;
    const pos = email === '' && random() < 0.7;

    for (let i = 0; i < basket.length; i++) {
      const product = catalogue[basket[i]];
      const lineFulfilment = fulfilment === 'fulfilled' ? 'fulfilled' : 'pending';
      if (i === 0) {
        chunk +=
          `${name},${email},${financial},${paid ? stamp(created + 60 + Math.floor(random() * 1800)) : ''},${fulfilment},` +
          `${fulfilment === 'fulfilled' ? stamp(created + 40000 + Math.floor(random() * 100000)) : ''},${accepts},USD,` +
          `${money(subtotal)},${money(shipping)},${money(taxes)},${money(total)},${discountCode ? cell(discountCode) : ''},${money(discount)},` +
          `${cell(method[0])},${createdText},${quantities[i]},${product.name},${product.priceText},${product.compareText},${product.sku},` +
          `true,true,${lineFulfilment},` +
          // Billing Name .. Billing Phone (24-33), Shipping Name .. Shipping Phone (34-43)
          `${customerName},${street},${street},,${company},,,${stateCode},US,,` +
          `${customerName},${street},${street},,${company},,,${stateCode},US,,` +
          // Notes, Note Attributes, Cancelled at, Payment Method, Payment Reference, Refunded Amount (44-49)
          `${note},${noteAttributes},${cancelled ? stamp(created + 3600 + Math.floor(random() * 400000)) : ''},` +
          `${test ? 'bogus' : pos ? 'Cash' : 'Shopify Payments'},,${money(refunded)},` +
          // Vendor .. Lineitem discount (50-59)
          `${product.vendor},0.00,,,,${orderId},,${random() < 0.95 ? 'Low' : 'Medium'},${pos ? 'pos' : 'web'},0.00,` +
          // Tax 1-5 (60-69), Phone .. Payment References (70-78)
          `${taxName},${money(taxes)},,,,,,,,,,,,${stateName},${stateName},,,,\n`;
      } else {
        chunk +=
          `${name},${email},,,,,,,,,,,,,,${createdText},${quantities[i]},${product.name},${product.priceText},${product.compareText},${product.sku},` +
          `true,true,${lineFulfilment},,,,,,,,,,,,,,,,,,,,,,,,,,,${product.vendor},,,,,,,,,0.00,,,,,,,,,,,,,,,,,,,\n`;
      }
    }
    written += basket.length;
    if (chunk.length > 1 << 20) await flush();
  }
  await flush();
  if (out) {
    stream.end();
    await once(stream, 'finish');
  }
  return { lines: written, orders, bytes, customers, plantedPairs };
}

function parseArgs(argv) {
  const options = { lines: undefined, orders: undefined, seed: 42, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--lines') options.lines = Number(value);
    else if (flag === '--orders') options.orders = Number(value);
    else if (flag === '--seed') options.seed = Number(value);
    else if (flag === '--out') options.out = value;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write('Usage: node bench/generate.mjs [--lines N | --orders N] [--seed S] [--out FILE]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${flag}`);
    i++;
  }
  if (options.lines === undefined && options.orders === undefined) options.lines = 100_000;
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const options = parseArgs(process.argv.slice(2));
    if (options.out) await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
    const started = Date.now();
    const result = await generateShopifyExport(options);
    process.stderr.write(
      `generated ${result.lines} line items, ${result.orders} orders, ${result.customers} customers, ` +
        `${(result.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        `; planted: ${result.plantedPairs.map((g) => g.join(' + ')).join('; ')}\n`,
    );
  } catch (error) {
    process.stderr.write(`generate: ${error.message}\n`);
    process.exitCode = 2;
  }
}
