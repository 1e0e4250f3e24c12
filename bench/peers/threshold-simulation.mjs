// The simulation step of `aov suggest-threshold` on its own: the orders are imported with
// aov's own loader (not timed), then simulateThresholds runs with the command's defaults
// (--range 15-30 above the mean, margin 0.4, a 3.00 gift, uptake 0.3, reach 25% of AOV) at
// the size: 31 candidates (a 0.5% step, not rounded to whole units so none merge) and
// 1,000 Poisson-bootstrap resamples.
// Prints one JSON line: { orders, candidates, resamples, importSeconds, simulationSeconds,
// withSearchSeconds, recommended }.
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
const { tables } = await loadOrders([file], { cache: false });
const imported = performance.now();
const table = tables[0];
let total = 0;
for (const v of table.valueMinor) total += v;
const anchor = total / table.valueMinor.length;
const candidates = candidateThresholds(anchor, table.decimals, 0.15, 0.3, 0.005, 'none');
const reach = Math.round(anchor * 0.25);
const months = Math.max((table.placedAt[table.placedAt.length - 1] - table.placedAt[0]) / (30.44 * 86_400_000), 1 / 30);
const inputs = {
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
};
// The simulation proper (skipNeeded), then the whole call as the command makes it, which adds
// the "what would have to be true" search when nothing is recommended.
const t0 = performance.now();
const result = simulateThresholds({ ...inputs, skipNeeded: true });
const t1 = performance.now();
const full = simulateThresholds(inputs);
const t2 = performance.now();
process.stdout.write(
  `${JSON.stringify({
    orders: table.valueMinor.length,
    candidates: result.candidates.length,
    resamples: 1000,
    importSeconds: +((imported - started) / 1000).toFixed(3),
    simulationSeconds: +((t1 - t0) / 1000).toFixed(3),
    withSearchSeconds: +((t2 - t1) / 1000).toFixed(3),
    recommended: full.recommendation !== null,
  })}\n`,
);
