// The ceiling on calibration (issue #16): how close to the true uptake can ANY estimate from a
// year of order values get, at the harness's shop sizes? An oracle that knows each shop's true
// distribution of order values without the threshold (the expected counts, from a sample of
// 200,000 of the shop's orders) still sees the year's counts, which are Poisson-noisy. It
// reads the moved orders from the orders missing below the past threshold T0, in aov's reach
// [T0 - R, T0): the quantity the calibration estimates (the share of the carts in reach that
// topped up). No fitting, no price points, no landing window to guess: what is left is
// counting noise alone. Also shown: the same with the excess above T0 (in [T0, T0 + the
// dearest item), where every top-up lands) weighted in by its counting variance; it counts the
// orders that moved from beyond the reach too (the true response has a tail past it), so it
// measures a larger quantity.
//   node bench/threshold-sim/oracle.mjs [--shops 200] [--seed 16] [--world mixed|prior] [--json]
// Needs `npm run build`. Deterministic for a seed (the same shops as run.mjs --past-threshold).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { generateShop, scoreCalibration, trueZoneShare } = await import(path.join(root, 'dist/analysis/thresholdSimulation.js'));
const { responseAssumptions } = await import(path.join(root, 'dist/analysis/thresholdResponse.js'));

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const shops = Number(flag('shops', 200));
const seed = Number(flag('seed', 16));
const world = flag('world', 'mixed');

/** Values of a sorted array in [lo, hi). */
function countIn(sorted, lo, hi) {
  const first = (x) => {
    let a = 0;
    let b = sorted.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (sorted[m] < x) a = m + 1;
      else b = m;
    }
    return a;
  };
  return first(hi) - first(lo);
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 on erf; error under 1.5e-7). */
function phi(x) {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * The information bound: the Fisher information on the uptake u in the year's histogram when
 * everything else is known (the counterfactual density, the response's fall-off and the items
 * a top-up picks, so where each moved order leaves and where it lands), I(u) = sum over bins
 * of (d mu_k / du)^2 / mu_k, with Poisson counts mu_k = n (f_k - u a_k + u l_k). No unbiased
 * estimate of the zone share z = u c can have a smaller standard deviation than c / sqrt(I)
 * (Cramer-Rao); at that spread (normal) it is within 30% with probability 2 Phi(0.3 u sqrt(I)) - 1.
 */
function informationCeiling(shop, T0, n) {
  const { uptake: u, decayScaleMinor: s, itemPriceMinor: prices, itemChoiceWeight: weights } = shop.truth;
  const population = shop.truth.populationMinor;
  const top = prices[prices.length - 1];
  const width = Math.max(1, Math.round(T0 / 400));
  const bins = Math.ceil((T0 + top) / width) + 1;
  const f = new Float64Array(bins);
  const a = new Float64Array(bins);
  const l = new Float64Array(bins);
  const suffix = new Float64Array(prices.length + 1);
  for (let j = prices.length - 1; j >= 0; j--) suffix[j] = suffix[j + 1] + weights[j];
  const firstAtLeast = (g) => {
    let lo = 0;
    let hi = prices.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (prices[m] < g) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  // (every 4th of the 200,000 population values: the densities, for speed)
  const step = 4;
  const share = step / population.length;
  for (let i = 0; i < population.length; i += step) {
    const v = population[i];
    const k = Math.floor(v / width);
    if (k < bins) f[k] += share;
    if (v >= T0) continue;
    const g = T0 - v;
    const first = firstAtLeast(g);
    if (first === prices.length || suffix[first] <= 0) continue;
    const q = Math.exp(-g / s);
    a[k] += share * q;
    for (let j = first; j < prices.length; j++) {
      const to = Math.floor((v + prices[j]) / width);
      if (to < bins) l[to] += (share * q * weights[j]) / suffix[first];
    }
  }
  let information = 0;
  for (let k = 0; k < bins; k++) {
    const mu = n * (f[k] - u * a[k] + u * l[k]);
    const d = n * (l[k] - a[k]);
    if (mu > 0 && d !== 0) information += (d * d) / mu;
  }
  return 2 * phi(0.3 * u * Math.sqrt(information)) - 1;
}

const rows = [];
for (let id = 0; id < shops; id++) {
  const shop = generateShop(seed, id, { world, pastThreshold: true, populationSize: 200_000 });
  const values = shop.history.valueMinor;
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const { reachMinor } = responseAssumptions(shop.history.addOnPriceMinor, mean);
  const T0 = shop.past.thresholdMinor;
  const truth = trueZoneShare(shop, reachMinor);
  const population = shop.truth.populationMinor;
  const scale = n / population.length;
  const top = shop.truth.itemPriceMinor[shop.truth.itemPriceMinor.length - 1];
  const observed = Float64Array.from(values).sort();
  // Expected (without the threshold) and observed counts below and above T0.
  const expectedBelow = countIn(population, T0 - reachMinor, T0) * scale;
  const expectedAbove = countIn(population, T0, T0 + top) * scale;
  const dip = expectedBelow - countIn(observed, T0 - reachMinor, T0);
  const excess = countIn(observed, T0, T0 + top) - expectedAbove;
  // Inverse-variance weights (Poisson: variance = the expected count).
  const wBelow = expectedBelow > 0 ? 1 / expectedBelow : 0;
  const wAbove = expectedAbove > 0 ? 1 / expectedAbove : 0;
  const moved = (wBelow * dip + wAbove * excess) / (wBelow + wAbove);
  const movedDip = dip;
  // (the oracle knows the expected number of carts in reach, not this year's realisation)
  const zone = countIn(shop.past.counterfactualMinor, T0 - reachMinor, T0);
  const share = moved / expectedBelow;
  const shareDip = movedDip / expectedBelow;
  const aov = scoreCalibration(generateShop(seed, id, { world, pastThreshold: true, populationSize: 1000 }));
  const ceiling = informationCeiling(shop, T0, n);
  rows.push({
    id, orders: n, trueMoved: shop.past.moved, zone, truth, share, shareDip, ceiling,
    within30: Math.abs(share / truth - 1) <= 0.3, dipWithin30: Math.abs(shareDip / truth - 1) <= 0.3, aovWithin30: aov.within30,
  });
}
const count = (f) => rows.filter(f).length;
const pct = (k, of) => `${k} of ${of} (${((100 * k) / of).toFixed(1)}%)`;
const summary = {
  seed, shops, world,
  oracleWithin30: count((r) => r.within30), oracleDipWithin30: count((r) => r.dipWithin30), aovWithin30: count((r) => r.aovWithin30),
  informative: count((r) => r.trueMoved >= 100), oracleInformativeWithin30: count((r) => r.trueMoved >= 100 && r.dipWithin30),
  informationCeiling: rows.reduce((t, r) => t + r.ceiling, 0) / rows.length,
  informationCeilingInformative: rows.filter((r) => r.trueMoved >= 100).reduce((t, r) => t + r.ceiling, 0) / Math.max(1, rows.filter((r) => r.trueMoved >= 100).length),
  medianOrders: rows.map((r) => r.orders).sort((a, b) => a - b)[rows.length >> 1],
  medianTrueMoved: rows.map((r) => r.trueMoved).sort((a, b) => a - b)[rows.length >> 1],
};
if (args.includes('--json')) process.stdout.write(JSON.stringify({ summary, rows }, null, 1) + '\n');
else {
  process.stdout.write(`seed ${seed}, world ${world}, ${shops} shops (median ${summary.medianOrders} orders a year, ${summary.medianTrueMoved} truly moved)\n`);
  process.stdout.write(`within 30% of the true uptake: oracle (the dip below) ${pct(summary.oracleDipWithin30, shops)}; oracle with the excess above weighted in ${pct(summary.oracleWithin30, shops)}; aov's calibration ${pct(summary.aovWithin30, shops)}\n`);
  process.stdout.write(`shops with >= 100 truly moved orders: ${summary.informative}; oracle (the dip) within 30% ${pct(summary.oracleInformativeWithin30, summary.informative)}\n`);
  process.stdout.write(`information bound (Cramer-Rao, everything but the uptake known): expected share within 30% at most ${(100 * summary.informationCeiling).toFixed(1)}% of shops; ${(100 * summary.informationCeilingInformative).toFixed(1)}% of those with >= 100 moved\n`);
}
