// Scores `aov evaluate --threshold T --since DATE` on simulated shops with a planted effect of
// known size at a known date, and on their null twins (no effect; trend, season, huge orders) (issue #18).
//   node bench/evaluate-sim/run.mjs [--shops 100] [--seed 19] [--post-months 6] [--pre-months 18]
//     [--orders 300-20000] [--resamples 500] [--until-ready [--cap-months 24]] [--counterfactual-months 24] [--json] [--shops-detail]
// --until-ready: a shop told "too early: N more orders needed" comes back once they are in (its
// post period extended by the days N orders take at its own rate, the first months unchanged),
// until it gets a verdict or --cap-months after the start; the verdict it then gets is scored.
// Needs `npm run build`. Deterministic for a seed. The harness is src/analysis/evaluateSimulation.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { runEvaluationSimulation } = await import(path.join(root, 'dist/analysis/evaluateSimulation.js'));

const args = process.argv.slice(2);
const { flag } = (await import(path.join(root, 'bench/args.mjs'))).readFlags(args);
const shops = Number(flag('shops', 100));
const seed = Number(flag('seed', 19));
const postMonths = Number(flag('post-months', 6));
const preMonths = Number(flag('pre-months', 18));
const resamples = Number(flag('resamples', 500));
const ordersRange = flag('orders') === undefined ? undefined : flag('orders').split('-').map(Number);
const untilReady = args.includes('--until-ready');
const capMonths = Number(flag('cap-months', 24));
const counterfactualMonths = flag('counterfactual-months') === undefined ? undefined : Number(flag('counterfactual-months'));
const started = performance.now();
const { planted, nulls, summary: s } = runEvaluationSimulation(seed, shops, { postMonths, preMonths, resamples, ordersRange, untilReady, capMonths, counterfactualMonths });
const seconds = (performance.now() - started) / 1000;
if (args.includes('--json')) {
  process.stdout.write(JSON.stringify({ seed, shops, postMonths, preMonths, resamples, ordersRange, untilReady, capMonths, seconds, summary: s, planted, nulls }, null, 1) + '\n');
} else {
  const pct = (n, d) => (d ? `${((n / d) * 100).toFixed(1)}%` : 'n/a');
  const median = (xs) => {
    const a = xs.filter(Number.isFinite).sort((x, y) => x - y);
    return a.length ? a[Math.floor((a.length - 1) / 2)] : NaN;
  };
  process.stdout.write(`seed ${seed}, ${shops} shops (each planted and null), ${preMonths} months before the start, ${postMonths} after${untilReady ? `, then coming back when told until a verdict or ${capMonths} months after` : ''}, ${resamples} resamples, ${seconds.toFixed(0)} s\n`);
  if (untilReady) {
    const months = (list) => median(list.map((x) => x.postMonths)).toFixed(1);
    const verdicts = (list) => list.filter((x) => x.verdict !== 'wait');
    const rounds = (list) => median(list.map((x) => x.rounds));
    process.stdout.write(`months after the start when scored: median planted ${months(planted)}, null ${months(nulls)}; of those given a verdict: planted ${months(verdicts(planted))} (${verdicts(planted).length}), null ${months(verdicts(nulls))} (${verdicts(nulls).length}); evaluations run: median ${rounds(planted)} planted, ${rounds(nulls)} null\n`);
    process.stdout.write(`still too early at the end: planted ${s.plantedTooEarly} (${s.plantedNeverReady} told "however long it runs", ${s.plantedTooEarly - s.plantedNeverReady} at the cap), null ${s.nullTooEarly} (${s.nullNeverReady}, ${s.nullTooEarly - s.nullNeverReady})\n`);
  }
  process.stdout.write(`orders after the start: median ${median(planted.map((x) => x.postOrders))}; truly moved orders: median ${median(planted.map((x) => x.trueMoved))}; true uptake (zone share): median ${(median(planted.map((x) => x.trueUptake)) * 100).toFixed(1)}%\n`);
  process.stdout.write(`planted: moved-orders 95% interval holds the truth in ${s.covers} of ${s.shops} (${pct(s.covers, s.shops)}; target 90%)\n`);
  process.stdout.write(`planted: uptake within 30% of the truth in ${s.within30} (${pct(s.within30, s.shops)}; target 80%); its 95% interval holds it in ${s.uptakeCovers} (${pct(s.uptakeCovers, s.shops)})\n`);
  process.stdout.write(`  shops with >= 100 truly moved orders: ${s.informative}, within 30% ${s.informativeWithin30} (${pct(s.informativeWithin30, s.informative)})\n`);
  process.stdout.write(`  shops where aov says its uptake is known to within ±30%: ${s.saysPrecise}, within 30% of the truth ${s.saysPreciseWithin30} (${pct(s.saysPreciseWithin30, s.saysPrecise)})\n`);
  process.stdout.write(`planted: effect detected ${s.detected}, waiting (too early) ${s.plantedTooEarly}, cannot tell ${planted.filter((x) => x.effect === 'unclear').length}\n`);
  process.stdout.write(`null: "no effect" or "cannot pay" ${s.nullNoEffect} (${pct(s.nullNoEffect, s.shops)}; target 90%), waiting (too early) ${s.nullTooEarly}, cannot tell ${nulls.filter((x) => x.effect === 'unclear').length}, false alarm (effect detected) ${s.nullFalseAlarm} (${pct(s.nullFalseAlarm, s.shops)})\n`);
  process.stdout.write(`  of the "no effect": an uptake of 10% ruled out ${s.nullRuledOut}, cannot pay ${s.nullNoEffect - s.nullRuledOut}; planted told "cannot pay" ${s.plantedCannotPay}, of which truly paying ${s.plantedCannotPayButPays}\n`);
  const ready = s.shops - s.nullTooEarly;
  process.stdout.write(`null, of the ${ready} given a verdict: "no effect" ${s.nullNoEffect} (${pct(s.nullNoEffect, ready)}), false alarm ${s.nullFalseAlarm} (${pct(s.nullFalseAlarm, ready)})\n`);
  const detected = planted.filter((x) => x.effect === 'detected' && x.trueAddedSpendMinor > 0);
  const ratios = detected.map((x) => x.addedSpendMinor / x.trueAddedSpendMinor);
  process.stdout.write(`planted, effect detected: spend the moved orders added, estimate / truth: median ${median(ratios).toFixed(2)} over ${detected.length} shops (quartiles ${[0.25, 0.75].map((q) => { const a = ratios.filter(Number.isFinite).sort((x, y) => x - y); return a.length ? a[Math.floor(q * (a.length - 1))].toFixed(2) : 'n/a'; }).join(', ')})\n`);
  const verdicts = (list) => Object.entries(list.reduce((m, x) => ((m[x.verdict] = (m[x.verdict] ?? 0) + 1), m), {})).map(([k, v]) => `${k} ${v}`).join(', ');
  process.stdout.write(`verdicts: planted ${verdicts(planted)}; null ${verdicts(nulls)}\n`);
  if (args.includes('--shops-detail')) for (let i = 0; i < planted.length; i++) process.stdout.write(JSON.stringify({ planted: planted[i], null: nulls[i] }) + '\n');
}
