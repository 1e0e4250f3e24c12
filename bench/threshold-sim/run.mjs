// Scores `aov suggest-threshold` on simulated shops whose true response is known (issue #16).
//   node bench/threshold-sim/run.mjs [--shops 200] [--seed 16] [--model legacy|prior|calibrated] [--world mixed|cautious|generous|prior] [--reach-spread 3] [--uptake-prior 0.05-0.35] [--true-uptake 0.05-0.3] [--past-threshold] [--add-on-overshoot] [--resamples 1000] [--json]
// --past-threshold: a threshold ran through each shop's history (model calibrated reads it); also scores the calibration itself.
// Needs `npm run build`. Prints the summary and one line per shop; deterministic for a seed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { runSimulation, generateShop, scoreCalibration, summariseCalibration } = await import(path.join(root, 'dist/analysis/thresholdSimulation.js'));

const args = process.argv.slice(2);
const { flag } = (await import(path.join(root, 'bench/args.mjs'))).readFlags(args);
const shops = Number(flag('shops', 200));
const seed = Number(flag('seed', 16));
const model = flag('model', 'prior');
const resamples = Number(flag('resamples', 1000));
const world = flag('world', 'mixed');
const reachSpread = flag('reach-spread') === undefined ? undefined : Number(flag('reach-spread'));
const trueUptakeRange = flag('true-uptake') === undefined ? undefined : flag('true-uptake').split('-').map(Number);
const uptakeRange = flag('uptake-prior') === undefined ? undefined : flag('uptake-prior').split('-').map(Number);
const pastThreshold = args.includes('--past-threshold');
const shapes = flag('shapes') === undefined ? undefined : flag('shapes').split(',');
// --add-on-overshoot: the overshoot prior from the add-on prices' quartiles (before the catalogue overshoot), to compare.
const addOnOvershoot = args.includes('--add-on-overshoot');
const started = performance.now();
const { scores, summary } = runSimulation(seed, shops, { model, resamples, world, reachSpread, uptakeRange, trueUptakeRange, pastThreshold, shapes, addOnOvershoot });
const calibration = pastThreshold ? summariseCalibration(Array.from({ length: shops }, (_, id) => scoreCalibration(generateShop(seed, id, { world, trueUptakeRange, pastThreshold, populationSize: 1000 })))) : null;
const seconds = (performance.now() - started) / 1000;
if (args.includes('--json')) {
  process.stdout.write(JSON.stringify({ seed, shops, model, world, reachSpread, uptakeRange, resamples, pastThreshold, seconds, summary, calibration, scores }, null, 1) + '\n');
} else {
  const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
  process.stdout.write(`model ${model}, world ${world}, seed ${seed}, ${shops} shops, ${resamples} resamples, ${seconds.toFixed(1)} s\n`);
  process.stdout.write(`shops with a truly profitable candidate: ${summary.shopsWithProfitableCandidate}\n`);
  process.stdout.write(`recommended (P >= 0.9): ${summary.recommended}; truly net > 0: ${summary.recommendedTrulyPositive} (${pct(summary.precision)})\n`);
  process.stdout.write(`median regret among recommendations: ${pct(summary.medianRegret)}; over profitable shops (a miss = 100%): ${pct(summary.medianRegretAllProfitable)}\n`);
  process.stdout.write(`recommendations whose 90% interval holds the true net: ${summary.recommendedIntervalsCovering} of ${summary.recommended}; all candidates: ${pct(summary.candidateCoverage)}\n`);
  process.stdout.write(`median claimed / true net (recommendations with true net > 0): ${summary.medianClaimedOverTrue.toFixed(2)}\n`);
  process.stdout.write(`profit kept following every answer, of an oracle's: ${pct(summary.capturedProfitShare)} (losses of losing recommendations: ${pct(summary.lossShare)})\n`);
  process.stdout.write('is P(net > 0) calibrated? each shop at its best claimed candidate, by P:\n');
  for (const b of summary.reliability) process.stdout.write(`  P ${b.from.toFixed(1)}-${b.to.toFixed(1)}: ${b.shops} shops, mean P ${pct(b.meanProbability)}, truly pay ${pct(b.trulyPositive)}\n`);
  process.stdout.write('is P(expected net > 0) calibrated? (without one window\'s top-up randomness)\n');
  for (const b of summary.meanReliability) process.stdout.write(`  P ${b.from.toFixed(1)}-${b.to.toFixed(1)}: ${b.shops} shops, mean P ${pct(b.meanProbability)}, truly pay ${pct(b.trulyPositive)}\n`);
  for (const r of summary.meanRules) process.stdout.write(`  rule P(expected net > 0) >= ${r.confidence}: ${r.recommended} recommended, ${pct(r.precision)} truly > 0, median regret ${pct(r.medianRegret)}, profit kept ${pct(r.capturedProfitShare)}\n`);
  for (const r of summary.rules) process.stdout.write(`  rule P >= ${r.confidence}: ${r.recommended} recommended, ${pct(r.precision)} truly > 0, median regret ${pct(r.medianRegret)}, profit kept ${pct(r.capturedProfitShare)}\n`);
  if (calibration) {
    const c = calibration;
    process.stdout.write(`calibration at the past threshold: uptake (share of carts within reach that top up) within 30% of the truth in ${c.within30} of ${c.shops} shops (${pct(c.within30 / c.shops)}); 95% intervals holding it ${c.covers} (${pct(c.covers / c.shops)})\n`);
    process.stdout.write(`  used (excess and dip agree, uptake <= 1): ${c.used}; of those within 30% ${c.usedWithin30}, intervals holding the truth ${c.usedCovers} (${pct(c.usedCovers / c.used)}); refused ${c.shops - c.used}\n`);
    process.stdout.write(`  by information: shops with >= 100 truly moved orders ${c.informative}, within 30% ${c.informativeWithin30} (${pct(c.informativeWithin30 / c.informative)})\n`);
  }
  if (args.includes('--shops-detail')) for (const s of scores) process.stdout.write(JSON.stringify(s) + '\n');
}
