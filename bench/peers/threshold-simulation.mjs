// The simulation step of `aov suggest-threshold` on its own: the orders are imported with
// aov's own loader (not timed), then simulateThresholds runs with the command's defaults
// (candidates 15-30% above the mean in 1% steps, rounded to whole units: 16 on a 240 AOV; the
// issue's 31 candidates are asked for with a 0.5% step) and 1,000 Poisson-bootstrap resamples.
// Prints one JSON line: { orders, candidates, resamples, importSeconds, simulationSeconds }.
//
//   node bench/peers/threshold-simulation.mjs orders.csv
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { loadOrders } = await import(path.join(root, 'dist/io/load.js'));
const { simulateThresholds } = await import(path.join(root, 'dist/analysis/threshold.js'));
const { candidateThresholds } = await import(path.join(root, 'dist/analysis/priceRounding.js'));

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/peers/threshold-simulation.mjs orders.csv\n');
  process.exit(2);
}
const started = performance.now();
const { tables } = await loadOrders([file]);
const imported = performance.now();
const table = tables[0];
let total = 0;
for (const v of table.valueMinor) total += v;
const anchor = total / table.valueMinor.length;
const candidates = candidateThresholds(anchor, table.decimals, 15, 30, 0.005, '1');
const reach = Math.round(anchor * 0.25);
const months = Math.max((table.placedAt[table.placedAt.length - 1] - table.placedAt[0]) / (30.44 * 86_400_000), 1 / 30);
const t0 = performance.now();
const result = simulateThresholds({
  valueMinor: table.valueMinor,
  margin: 0.4,
  rewardMinor: 3 * 10 ** table.decimals,
  candidates,
  p0: 0.3,
  reachMinor: reach,
  overshootMinor: Math.round(reach / 2),
  resamples: 1000,
  seed: 1,
  months,
});
const t1 = performance.now();
process.stdout.write(
  `${JSON.stringify({
    orders: table.valueMinor.length,
    candidates: result.candidates.length,
    resamples: 1000,
    importSeconds: +((imported - started) / 1000).toFixed(3),
    simulationSeconds: +((t1 - t0) / 1000).toFixed(3),
  })}\n`,
);
