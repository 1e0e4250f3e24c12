// The ceilings on `aov evaluate`'s two missed targets (issue #18), for the harness's shops: an
// oracle that knows each shop's expected counterfactual count of carts in aov's reach
// [T - R, T) after the start (no counterfactual to build from the months before, no trend or
// season to adjust for) still sees this period's counts, which are Poisson. It reads the uptake
// as (expected - observed) / expected, from the dip below T (the quantity the truth's zone share
// is defined on).
//  - "no effect" on a null shop: the uptake's one-sided 97.5% upper bound (Poisson, exact)
//    below 10% of the carts in reach, aov's equivalence rule; the chance of it is
//    P(O >= the count where the bound falls under 10%), O ~ Poisson(E).
//  - uptake within 30% of the truth u on the planted twin: P(|(E - O) / E - u| <= 0.3 u),
//    O ~ Poisson(E (1 - u)) (each cart in reach tops up with its own chance, averaging u).
// Both are exact probabilities per shop (no simulation noise), averaged over the shops; E is the
// null twin's count of post-period carts in reach, at 6 months and at 24 months after the start
// (the until-ready cap).
//   node bench/evaluate-sim/oracle.mjs [--shops 100] [--seed 19] [--json]
// Needs `npm run build`. Deterministic for a seed (the same shops as run.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { generateEvaluationShop, UNTIL_READY_MONTHS } = await import(path.join(root, 'dist/analysis/evaluateSimulation.js'));
const { TOO_EARLY_UPTAKE } = await import(path.join(root, 'dist/analysis/evaluateThreshold.js'));
const { shopWorld } = await import(path.join(root, 'dist/analysis/thresholdSimulation.js'));
const { createRng } = await import(path.join(root, 'dist/analysis/random.js'));
const { ResponseHistogram, phi } = await import(path.join(root, 'bench/response-information.mjs'));

const args = process.argv.slice(2);
const { flag } = (await import(path.join(root, 'bench/args.mjs'))).readFlags(args);
const shops = Number(flag('shops', 100));
const seed = Number(flag('seed', 19));
const DAY = 86_400_000;

/** P(X <= k) for X ~ Poisson(mean), summed in log space (k < 0: 0). */
function poissonCdf(k, mean) {
  if (k < 0) return 0;
  if (mean === 0) return 1;
  let logP = -mean;
  let total = Math.exp(logP);
  for (let j = 1; j <= k; j++) {
    logP += Math.log(mean) - Math.log(j);
    total += Math.exp(logP);
  }
  return Math.min(1, total);
}
const poissonBetween = (lo, hi, mean) => (hi < lo ? 0 : poissonCdf(Math.floor(hi), mean) - poissonCdf(Math.ceil(lo) - 1, mean));

/**
 * The smallest observed count o at which the uptake's 97.5% upper bound, (E - lower_o) / E with
 * lower_o the exact one-sided 97.5% lower bound on a Poisson mean given o, is under the margin.
 */
function noEffectFrom(E, margin) {
  // lower bound on the Poisson mean given o: the m with P(X >= o | m) = 0.025.
  const lower = (o) => {
    if (o === 0) return 0;
    let lo = 0;
    let hi = o + 10 * Math.sqrt(o) + 10;
    for (let it = 0; it < 60; it++) {
      const m = (lo + hi) / 2;
      if (1 - poissonCdf(o - 1, m) < 0.025) lo = m;
      else hi = m;
    }
    return (lo + hi) / 2;
  };
  let a = 0;
  let b = Math.ceil(2 * E + 50);
  while (a < b) {
    const o = (a + b) >> 1;
    if ((E - lower(o)) / E < margin) b = o;
    else a = o + 1;
  }
  return a;
}

/**
 * The information bound (bench/response-information.mjs) for the post period: its
 * counterfactual density from 20 fresh draws of each post-period order from the shop's own
 * source, at its date's trend and season (the harness's truth.valueScaleAt). Returns the
 * histogram (I at any u, and the zone factor c: the zone share is u c).
 */
function postHistogram(seed, id, shop) {
  const world = shopWorld(seed, id, {});
  // (the harness's own trend and season at each order's date)
  const scaleAt = shop.truth.valueScaleAt;
  const histogram = new ResponseHistogram(shop.thresholdMinor, world, shop.truth.reachMinor);
  const draws = 20;
  const draw = createRng((seed * 104_723 + id * 15_485_867 + 41) >>> 0);
  for (const t of shop.table.placedAt) {
    if (t < shop.sinceMs) continue;
    const scale = scaleAt(t);
    for (let d = 0; d < draws; d++) histogram.add(world.source.draw(draw, scale).value, 1 / draws);
  }
  return histogram;
}

function zoneCount(shop) {
  const { valueMinor, placedAt } = shop.table;
  const lo = shop.thresholdMinor - shop.truth.reachMinor;
  let n = 0;
  for (let i = 0; i < valueMinor.length; i++) if (placedAt[i] >= shop.sinceMs && valueMinor[i] >= lo && valueMinor[i] < shop.thresholdMinor) n++;
  return n;
}

const rows = [];
for (let id = 0; id < shops; id++) {
  const null6 = generateEvaluationShop(seed, id, { planted: false });
  const capDays = (Date.UTC(2024, 18 + UNTIL_READY_MONTHS, 1) - Date.UTC(2024, 18 + 6, 1)) / DAY;
  const null24 = generateEvaluationShop(seed, id, { planted: false, extraDays: capDays });
  const planted = generateEvaluationShop(seed, id, { planted: true });
  const u = planted.truth.zoneShare;
  const row = { id, u };
  for (const [label, shop] of [['6', null6], ['24', null24]]) {
    const E = zoneCount(shop);
    row[`E${label}`] = E;
    row[`noEffect${label}`] = E > 0 ? 1 - poissonCdf(noEffectFrom(E, TOO_EARLY_UPTAKE) - 1, E) : 0;
    row[`within30_${label}`] = E > 0 && u > 0 ? poissonBetween(E * (1 - 1.3 * u), E * (1 - 0.7 * u), E * (1 - u)) : 0;
    // The bound: z = u c with sd c / sqrt(I). No effect (u = 0): the 97.5% upper end z + 1.96 sd under 10%.
    const histogram = postHistogram(seed, id, shop);
    const [at0, atU, c] = [histogram.information(0), histogram.information(planted.truth.uptake), histogram.zoneFactor];
    row[`boundNoEffect${label}`] = at0 > 0 ? phi((TOO_EARLY_UPTAKE * Math.sqrt(at0)) / c - 1.96) : 0;
    row[`boundWithin30_${label}`] = atU > 0 && u > 0 ? 2 * phi(0.3 * planted.truth.uptake * Math.sqrt(atU)) - 1 : 0;
  }
  rows.push(row);
}
const mean = (key) => rows.reduce((a, r) => a + r[key], 0) / rows.length;
const median = (key) => rows.map((r) => r[key]).sort((a, b) => a - b)[rows.length >> 1];
const summary = {
  seed, shops, medianCartsInReach6: median('E6'), medianCartsInReach24: median('E24'), medianTrueUptake: median('u'),
  noEffect6: mean('noEffect6'), noEffect24: mean('noEffect24'), within30_6: mean('within30_6'), within30_24: mean('within30_24'),
  boundNoEffect6: mean('boundNoEffect6'), boundNoEffect24: mean('boundNoEffect24'), boundWithin30_6: mean('boundWithin30_6'), boundWithin30_24: mean('boundWithin30_24'),
};
if (args.includes('--json')) process.stdout.write(JSON.stringify({ summary, rows }, null, 1) + '\n');
else {
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  process.stdout.write(`seed ${seed}, ${shops} shops: carts in reach after the start, median ${summary.medianCartsInReach6} (6 months) and ${summary.medianCartsInReach24} (${UNTIL_READY_MONTHS} months); true uptake median ${summary.medianTrueUptake.toFixed(3)}\n`);
  process.stdout.write(`oracle from the dip, null shops told "no effect" (expected share): ${pct(summary.noEffect6)} at 6 months, ${pct(summary.noEffect24)} at ${UNTIL_READY_MONTHS} months (target 90%)\n`);
  process.stdout.write(`oracle from the dip, planted shops with the uptake within 30%: ${pct(summary.within30_6)} at 6 months, ${pct(summary.within30_24)} at ${UNTIL_READY_MONTHS} months (target 80%)\n`);
  process.stdout.write(`information bound (Cramer-Rao, everything but the uptake known): "no effect" at most ${pct(summary.boundNoEffect6)} / ${pct(summary.boundNoEffect24)}; uptake within 30% at most ${pct(summary.boundWithin30_6)} / ${pct(summary.boundWithin30_24)} (6 / ${UNTIL_READY_MONTHS} months)\n`);
}
