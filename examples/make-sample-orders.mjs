#!/usr/bin/env node
// Writes fixtures/sample-orders.csv: a seeded, realistic small tea shop (EUR) used by the
// README's first command and by demos. Deterministic: the same script gives the same bytes.
//   node examples/make-sample-orders.mjs > fixtures/sample-orders.csv
function mulberry32(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = mulberry32(20240101);
const products = [
  ['TEA-EG', 'Earl Grey, loose 100 g', 8.9, 3.1], ['TEA-GS', 'Green Sencha 100 g', 9.5, 3.4],
  ['TEA-RB', 'Rooibos Vanilla 100 g', 7.9, 2.6], ['TEA-CH', 'Masala Chai 100 g', 8.5, 2.9],
  ['TEA-MA', 'Matcha Ceremonial 30 g', 24.0, 10.5], ['TEA-OO', 'Oolong Milky 50 g', 12.5, 4.8],
  ['TEA-DJ', 'Darjeeling First Flush 100 g', 14.9, 6.0], ['TEA-PM', 'Peppermint 50 g', 5.9, 1.7],
  ['ACC-INF', 'Infuser, steel', 6.5, 1.9], ['ACC-WHK', 'Matcha whisk (chasen)', 16.0, 5.5],
  ['ACC-BWL', 'Matcha bowl', 22.0, 8.0], ['ACC-TIN', 'Storage tin', 4.5, 1.2],
  ['POT-GL', 'Glass teapot 0.8 l', 29.0, 11.0], ['POT-CI', 'Cast-iron teapot', 59.0, 24.0],
  ['CUP-2', 'Double-wall cups (2)', 18.0, 6.5], ['HON-1', 'Acacia honey 250 g', 7.5, 3.0],
  ['BIS-1', 'Butter biscuits', 4.9, 1.6], ['GFT-BX', 'Gift box', 3.5, 0.9],
];
const weights = [14, 9, 8, 8, 5, 5, 5, 6, 7, 3, 3, 6, 3, 1, 3, 4, 6, 2];
const totalWeight = weights.reduce((a, b) => a + b, 0);
function pickProduct() {
  let r = rng() * totalWeight;
  for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i;
  return 0;
}
const countries = ['DE', 'DE', 'DE', 'AT', 'NL', 'FR', 'IT', 'BE'];
const customers = Array.from({ length: 1400 }, (_, i) => `cust${String(i + 1).padStart(4, '0')}@example.com`);
const rows = [['Order ID', 'Order Date', 'Customer Email', 'SKU', 'Product', 'Quantity', 'Unit Price', 'Unit Cost', 'Currency', 'Country', 'Status']];
let orderNumber = 10000;
const start = Date.UTC(2024, 0, 1);
for (let day = 0; day < 366; day++) {
  const season = 1 + 0.35 * Math.sin(((day - 250) / 366) * 2 * Math.PI) + (day > 320 ? 0.6 : 0);
  const ordersToday = Math.round((5 + rng() * 4) * season);
  for (let k = 0; k < ordersToday; k++) {
    orderNumber++;
    const t = new Date(start + day * 86400000 + Math.floor(rng() * 86400000));
    const date = t.toISOString().slice(0, 16).replace('T', ' ');
    // Repeat customers: a small core buys often.
    const customer = rng() < 0.35 ? customers[Math.floor(rng() * rng() * 200)] : customers[Math.floor(rng() * customers.length)];
    const basket = new Map();
    const size = 1 + Math.floor(-Math.log(1 - rng()) * 1.4);
    for (let j = 0; j < size; j++) basket.set(pickProduct(), 1 + (rng() < 0.2 ? 1 : 0));
    // Planted pairs: matcha with the whisk, a teapot with cups, chai with honey.
    if (basket.has(4) && rng() < 0.45) basket.set(9, 1);
    if (basket.has(12) && rng() < 0.4) basket.set(14, 1);
    if (basket.has(3) && rng() < 0.3) basket.set(15, 1);
    // A few wholesale-size orders.
    if (rng() < 0.004) basket.set(0, 40 + Math.floor(rng() * 60));
    const status = rng() < 0.02 ? 'cancelled' : 'completed';
    const country = countries[Math.floor(rng() * countries.length)];
    for (const [index, qty] of [...basket.entries()].sort((a, b) => a[0] - b[0])) {
      const [sku, name, price, cost] = products[index];
      rows.push([`SO-${orderNumber}`, date, customer, sku, name, String(qty), price.toFixed(2), cost.toFixed(2), 'EUR', country, status]);
    }
  }
}
const quote = (cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
process.stdout.write(rows.map((r) => r.map(quote).join(',')).join('\n') + '\n');
