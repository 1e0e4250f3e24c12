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
const { ResponseHistogram, firstAtLeast, phi } = await import(path.join(root, 'bench/response-information.mjs'));

const args = process.argv.slice(2);
const { flag } = (await import(path.join(root, 'bench/args.mjs'))).readFlags(args);
const shops = Number(flag('shops', 200));
const seed = Number(flag('seed', 16));
const world = flag('world', 'mixed');

/** Values of a sorted array in [lo, hi). */
const countIn = (sorted, lo, hi) => firstAtLeast(sorted, hi) - firstAtLeast(sorted, lo);

/**
 * The information bound (bench/response-information.mjs) for the history year: the shop's
 * population sample (every 4th of 200,000, for speed) scaled to the year's orders. At the
 * Cramer-Rao spread, with a normal shape, an estimate is within 30% with probability
 * 2 Phi(0.3 u sqrt(I)) - 1.
 */
function informationCeiling(shop, T0, n, reachMinor) {
  const population = shop.truth.populationMinor;
  const histogram = new ResponseHistogram(T0, shop.truth, reachMinor);
  const step = 4;
  for (let i = 0; i < population.length; i += step) histogram.add(population[i], (n * step) / population.length);
  return 2 * phi(0.3 * shop.truth.uptake * Math.sqrt(histogram.information(shop.truth.uptake))) - 1;
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
  const ceiling = informationCeiling(shop, T0, n, reachMinor);
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
