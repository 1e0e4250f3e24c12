/** `aov suggest-threshold`: load -> window -> simulate candidates (and calibrate) -> render, emit the rule. */
import { detectThresholds } from '../analysis/bunching.js';
import { calibrateUptake } from '../analysis/calibration.js';
import { candidateThresholds, type Rounding } from '../analysis/priceRounding.js';
import { medianSorted, sortedCopy } from '../analysis/robust.js';
import { DEFAULT_REACH_SPREAD, DEFAULT_RETURN_RANGE, DEFAULT_UPTAKE_RANGE, gapFillers, reachScales, responseAssumptions, simulateThresholds, thresholdPrior, type ThresholdPrior, type GapFillerItem, type ResponseShape } from '../analysis/threshold.js';
import type { OrderTable } from '../analysis/types.js';
import { windowTable } from '../analysis/window.js';
import { AovError, quoteValue } from '../errors.js';
import type { BasketResult } from '../io/baskets.js';
import { loadCosts } from '../io/costs.js';
import { loadOrders } from '../io/load.js';
import { emitRules } from '../io/rulesFile.js';
import { stringify } from '../report/analyzeJson.js';
import { createStyle, decideColor } from '../report/format.js';
import { renderThreshold, thresholdJson, thresholdRule, type ThresholdView } from '../report/thresholdRender.js';
import { formatMessages } from '../report/messages.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';
import { parsePercentRange, parseShareRangeText, VALUE_SPECS } from './optionSpecs.js';

export interface ThresholdOptions extends InputCliOptions {
  mode: 'gift' | 'free-shipping';
  margin?: number;
  giftCost?: number;
  shippingCost?: number;
  costs?: string;
  range: string;
  anchor: 'mean' | 'median';
  step: number;
  round: Rounding;
  uptake?: number;
  /** --uptake-prior: 90% range of the uptake at a tiny gap, e.g. 0.05-0.35. */
  uptakePrior?: string;
  /** --returns: range of the share of top-up add-ons returned, e.g. 0.03-0.18. */
  returns?: string;
  /** --reach-spread: the reach prior runs from reach / spread to reach x spread. */
  reachSpread?: number;
  /** false with --no-prior: p0, reach and overshoot taken as known (the model before issue #16). */
  prior?: boolean;
  reach?: number;
  overshoot?: number;
  shape: ResponseShape;
  since?: string;
  resamples: number;
  seed: number;
  calibrate?: boolean;
  existingThreshold?: number;
  locale?: string[];
  emit?: string;
  force?: boolean;
  json?: boolean;
  color?: boolean;
}

/** Default uptake: 30% of carts with a tiny gap top up (an assumption; --uptake or --calibrate replaces it). */
export const DEFAULT_UPTAKE = 0.3;

export function parseRange(text: string): [number, number] {
  const range = parsePercentRange(text);
  if (!range) throw new AovError('E_USAGE', `--range ${quoteValue(text)}: expected ${VALUE_SPECS.range.expected}.`, { hint: VALUE_SPECS.range.hint });
  return range;
}

/** A range of shares, "0.05-0.35" or "5-35%", for --uptake-prior and --returns. */
export function parseShareRange(text: string, flag: string): [number, number] {
  const range = parseShareRangeText(text);
  if (!range) throw new AovError('E_USAGE', `${flag} ${text}: expected a range of shares such as 0.05-0.35 or 5-35%.`, {});
  return range;
}

function parseSince(text: string): number {
  const t = Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(t)) throw new AovError('E_USAGE', `--since ${text}: expected a date such as 2024-01-31.`, {});
  return t;
}

export async function suggestThreshold(files: string[], options: ThresholdOptions): Promise<number> {
  const [fromPct, toPct] = parseRange(options.range);
  const costFile = options.costs ? await loadCosts(options.costs) : undefined;
  const loaded = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), itemCosts: costFile?.costs }, { baskets: { excludeItems: undefined } });
  const views: ThresholdView[] = [];
  for (const full of loaded.tables) {
    const view = buildView(full, loaded.baskets, options, fromPct, toPct, loaded.input.perFile.some((f) => f.columns.shipping !== undefined));
    if (view) views.push(view);
  }
  if (views.length === 0) throw new AovError('E_NO_DATA', 'No orders in the window.', { hint: 'Check --since.' });
  if (options.emit) {
    const rules = views.map(thresholdRule).filter((r): r is NonNullable<typeof r> => r !== null);
    if (rules.length) await emitRules(options.emit, rules, Boolean(options.force));
    else process.stderr.write(`aov: no rule written to ${options.emit}: there is no recommendation.\n`);
  }
  if (options.json) {
    const documents = views.map(thresholdJson);
    process.stdout.write(stringify({ ...documents[0], currencies: documents }));
  } else {
    const style = createStyle(decideColor(options.color));
    process.stdout.write(views.map((v) => renderThreshold(v, style)).join('\n'));
  }
  // Notes on stderr after the result (with or without --json); the result alone on stdout.
  for (const v of views) process.stderr.write(formatMessages('note', v.notes, views.length > 1 ? v.currency : ''));
  return 0;
}

const formatShare = (x: number) => `${Number((x * 100).toFixed(1))}%`;

export function buildView(full: OrderTable, baskets: BasketResult | undefined, options: ThresholdOptions, fromPct: number, toPct: number, exportHasShipping: boolean): ThresholdView | null {
  const windowed = windowTable(full, options.since ? { since: parseSince(options.since) } : { months: 12 });
  const table = windowed.table;
  const n = table.valueMinor.length;
  if (n === 0) return null;
  if (n < 100 && !options.force) {
    throw new AovError('E_TOO_FEW_ORDERS', `Only ${n} ${table.currency} orders in the window: too few for a threshold to be told apart from chance.`, {
      hint: 'Use a longer window (--since), or --force to see the numbers anyway.',
    });
  }
  const scale = 10 ** table.decimals;
  const notes: string[] = [];
  const sorted = sortedCopy(table.valueMinor);
  const meanMinor = sorted.reduce((a, b) => a + b, 0) / n;
  const anchorMinor = options.anchor === 'median' ? medianSorted(sorted) : meanMinor;

  // Margin: per-order margins from cost or profit data, else the --margin rate.
  let margin: string;
  let marginMinor: Float64Array | undefined;
  if (table.marginMinor) {
    marginMinor = table.marginMinor;
    let m = 0;
    for (const x of marginMinor) m += x;
    let losing = 0;
    for (const x of marginMinor) if (x < 0) losing++;
    const average = `${((m / sorted.reduce((a, b) => a + b, 0)) * 100).toFixed(1)}%`;
    margin = `per order from cost/profit data (average ${average}; ${((losing / marginMinor.length) * 100).toFixed(1)}% of orders lose money)`;
    // --margin is not silently dropped: the export's own margins win, and the output says so.
    if (options.margin !== undefined) notes.push(`--margin ${options.margin} is not used: the export has cost or profit data, so each order's own margin is used (average ${average}).`);
  } else if (options.margin !== undefined) {
    margin = `${(options.margin * 100).toFixed(1)}% (--margin)`;
  } else {
    throw new AovError('E_USAGE', `--margin is needed: the ${table.currency} orders have no cost or profit data.`, {
      hint: 'Example: --margin 0.4 (40% gross margin), or --costs costs.csv with sku,cost.',
    });
  }

  // Reward: the gift cost, or the shipping fee waived (the shipping each order paid, when the export has it).
  let rewardMinor: number;
  let rewardSource: string;
  let shippingMinor: Float64Array | undefined;
  if (options.mode === 'gift') {
    if (options.giftCost === undefined) throw new AovError('E_USAGE', '--gift-cost is needed in gift mode.', { hint: 'Example: --gift-cost 3.50' });
    rewardMinor = Math.round(options.giftCost * scale);
    rewardSource = '--gift-cost';
  } else if (exportHasShipping && table.shippingMinor && options.shippingCost === undefined) {
    shippingMinor = table.shippingMinor;
    const paid = Array.from(shippingMinor).filter((x) => Number.isFinite(x) && x > 0).sort((a, b) => a - b);
    // (the median in whole minor units: it is charged as a fee where an order's own is unknown)
    rewardMinor = paid.length ? Math.round(medianSorted(paid)) : 0;
    const shippedFree = Array.from(shippingMinor).filter((x) => Number.isFinite(x) && x === 0).length;
    rewardSource = `the shipping each order paid in the export (median shown); ${shippedFree.toLocaleString('en-US')} orders paid none and are credited with no top-up (they already ship free)`;
  } else {
    if (options.shippingCost === undefined) throw new AovError('E_USAGE', '--shipping-cost is needed: the export has no shipping column.', { hint: 'Example: --mode free-shipping --shipping-cost 4.90' });
    rewardMinor = Math.round(options.shippingCost * scale);
    rewardSource = '--shipping-cost';
  }

  // Reach and overshoot from add-on prices: the cheapest item of multi-item orders.
  // Only the add-ons of orders inside the window (the arrays are sorted by price, so the filtered one is too).
  const inWindow = new Set(table.orderIds);
  const addOns = baskets && baskets.priceCurrency === table.currency ? baskets.addOnPriceMinor.filter((_, k) => inWindow.has(baskets.addOnOrderIds[k])) : new Float64Array(0);
  const assumed = responseAssumptions(addOns, anchorMinor, {
    reachMinor: options.reach !== undefined ? Math.round(options.reach * scale) : undefined,
    overshootMinor: options.overshoot !== undefined ? Math.round(options.overshoot * scale) : undefined,
  });
  const { reachMinor, reachSource } = assumed;
  let { overshootMinor, overshootSource } = assumed;

  // Calibration: an existing threshold (given, or found by --calibrate) tells the real uptake.
  let p0 = options.uptake ?? DEFAULT_UPTAKE;
  let p0Source = options.uptake !== undefined ? '--uptake' : 'default assumption: 30% of carts with a tiny gap top up';
  // Bunching is looked for in multi-item orders only: a single-item order's value is a
  // catalogue price, and popular prices are spikes that are not bunching (the Shopify export's
  // single products at 198-248 read as a threshold at 195 with 79% uptake). A cart that tops
  // up adds an item, so every moved order is a multi-item one.
  const multiItem = table.valueMinor.filter((_, i) => table.itemCount[i] > 1);
  const detected = detectThresholds(multiItem, table.decimals, reachMinor);
  const existing = options.existingThreshold !== undefined ? Math.round(options.existingThreshold * scale) : options.calibrate ? detected[0]?.threshold : undefined;
  if (options.calibrate && existing === undefined) notes.push('--calibrate found no significant bunching at a round amount; the default uptake is used.');
  const scales = reachScales(options.reachSpread ?? DEFAULT_REACH_SPREAD);
  const calibration = existing !== undefined ? calibrateUptake(table.valueMinor, existing, reachMinor, scales, { seed: options.seed }) : null;
  const at = existing !== undefined ? (existing / scale).toFixed(table.decimals) : '';
  if (calibration && !calibration.used) notes.push(`The bunching at ${at} is not used: ${calibration.refusal}.`);
  if (calibration?.used && calibration.bunching.intervalSource === 'bootstrap') notes.push(`The calibration's interval at ${at} holds the orders' resampling noise only: fewer than 8 placebo amounts fit around it, so a misfit of the smooth counterfactual is not in it.`);
  const calibrated = calibration?.used === true && options.uptake === undefined;
  if (calibrated) {
    const b = calibration!.bunching;
    const evidence = `${b.intervalSource === 'bootstrap and placebos' ? `bootstrap and ${b.placebosUsed} placebo thresholds` : 'bootstrap'}`;
    if (calibration!.none) {
      // No bunching is evidence too: the history says about 0, up to its upper bound. The
      // default (an assumption) would overrule the shop's own data.
      p0 = 0;
      p0Source = `calibrated at the existing threshold ${at}: no bunching (about 0%, at most ${formatShare(calibration!.p0High)} at 95%, ${evidence})`;
      notes.push(`No bunching at ${at}: no orders moved to it; the uptake is taken as about 0 (at most ${formatShare(calibration!.p0High)}), not the default.`);
    } else {
      p0 = Math.min(1, calibration!.p0);
      p0Source = `calibrated from bunching at the existing threshold ${at} (all orders; 95% interval from the ${evidence})`;
    }
  }
  // The prior over what the history cannot tell (issue #16), unless --no-prior.
  let prior: ThresholdPrior | undefined;
  let priorView: ThresholdView['assumptions']['prior'] = null;
  if (options.prior !== false) {
    const uptakeRange = options.uptake !== undefined || calibrated ? null : parseShareRange(options.uptakePrior ?? DEFAULT_UPTAKE_RANGE.join('-'), '--uptake-prior');
    const returnRange = parseShareRange(options.returns ?? DEFAULT_RETURN_RANGE.join('-'), '--returns');
    const point = calibrated ? calibration!.uptakeByReach![scales.indexOf(1)] : undefined;
    const built = thresholdPrior(addOns, reachMinor, {
      uptakeRange, returnRange, reachSpread: options.reachSpread,
      // The calibration: one Beta per reach scale from the moved orders and their 95% interval (calibration.ts).
      uptakeBeta: point,
      overshootMinor: options.overshoot !== undefined ? overshootMinor : undefined,
    });
    prior = built.prior;
    if (calibrated) prior.uptakeByReach = calibration!.uptakeByReach!;
    overshootMinor = built.overshootMinor;
    overshootSource = built.overshootSource;
    if (prior.uptake) {
      p0 = prior.uptake.alpha / (prior.uptake.alpha + prior.uptake.beta);
      if (!calibrated) p0Source = `prior: 90% between ${formatShare(uptakeRange![0])} and ${formatShare(uptakeRange![1])}, an assumption`;
      else p0Source += ' (its 95% interval as the prior; each reach the prior allows gets the uptake the same moved orders imply there)';
    }
    priorView = {
      uptake: prior.uptake ? { alpha: prior.uptake.alpha, beta: prior.uptake.beta, range: calibrated ? [calibration!.p0Low, calibration!.p0High] : (uptakeRange as [number, number]) } : null,
      reachScales: [...prior.reachScales], overshootLowMinor: prior.overshootLowMinor, overshootHighMinor: prior.overshootHighMinor,
      returnLow: prior.returnLow, returnHigh: prior.returnHigh,
    };
  }
  const candidates = candidateThresholds(anchorMinor, table.decimals, fromPct, toPct, options.step / 100, options.round);
  const result = simulateThresholds({
    valueMinor: table.valueMinor, marginMinor, margin: options.margin, rewardMinor, shippingMinor, candidates,
    p0, reachMinor, overshootMinor, shape: options.shape, resamples: options.resamples, seed: options.seed, months: windowed.months, prior,
  });
  if (result.tooFewOrders) notes.push(`Only ${n} orders: read these figures as a rough guide.`);
  // The best candidate at an end of the range says the optimum may lie outside it.
  const nets = result.candidates.map((c) => c.expectedNetMarginMinor);
  const best = nets.indexOf(Math.max(...nets));
  if (nets.length > 2 && (best === 0 || best === nets.length - 1)) {
    notes.push(`The best expected net is at the ${best === 0 ? 'lowest' : 'highest'} candidate (${(result.candidates[best].threshold / scale).toFixed(table.decimals)}, ${options.range}% above the ${options.anchor}): a threshold ${best === 0 ? 'lower' : 'higher'} than the range may do better; widen --range to see.`);
  }
  if (meanMinor / scale < 30 || meanMinor / scale > 150) notes.push(`AOV ${(meanMinor / scale).toFixed(2)} ${table.currency} is outside 30-150, the range the 15-30% rule of thumb was built for.`);

  // Gap fillers: items priced to close the reach-zone gaps, by attach rate in reach-zone carts.
  const threshold = result.recommendation?.threshold ?? result.needed?.threshold;
  const fillers: ThresholdView['gapFillers'] = [];
  if (threshold !== undefined && baskets && baskets.priceCurrency === table.currency) {
    const valueOf = new Map<string, number>();
    table.orderIds.forEach((id, i) => valueOf.set(id, table.valueMinor[i]));
    const lo = threshold - reachMinor;
    const gaps: number[] = [];
    const attach = new Float64Array(baskets.baskets.itemLabels.length);
    let zoneCarts = 0;
    baskets.orderIds.forEach((id, b) => {
      const v = valueOf.get(id);
      if (v === undefined || v < lo || v >= threshold) return;
      zoneCarts++;
      gaps.push(threshold - v);
      for (let k = baskets.baskets.offsets[b]; k < baskets.baskets.offsets[b + 1]; k++) attach[baskets.baskets.items[k]]++;
    });
    const price = baskets.baskets.itemPriceMinor!;
    const cost = baskets.baskets.itemCostMinor;
    const items: GapFillerItem[] = baskets.baskets.itemLabels.map((_, i) => ({
      item: i,
      priceMinor: price[i],
      marginMinor: cost && Number.isFinite(cost[i]) ? price[i] - cost[i] : null,
      attachRate: zoneCarts ? attach[i] / zoneCarts : 0,
    })).filter((it) => Number.isFinite(it.priceMinor) && it.priceMinor > 0);
    for (const g of gapFillers(Float64Array.from(gaps), items)) fillers.push({ ...g, label: baskets.baskets.itemLabels[g.item], name: baskets.itemNames[g.item] });
  }
  return {
    currency: table.currency, decimals: table.decimals, mode: options.mode,
    window: { from: windowed.from, to: windowed.to, months: windowed.months, orders: n },
    anchor: options.anchor, anchorMinor, result,
    assumptions: { p0, p0Source, reachMinor, reachSource, overshootMinor, overshootSource, shape: options.shape, margin, rewardMinor, rewardSource, resamples: options.resamples, seed: options.seed, prior: priorView },
    calibration, detected: existing === undefined ? detected : detected.filter((d) => d.threshold !== existing), gapFillers: fillers,
    sortedValues: sorted, locales: options.locale ?? [], notes,
  };
}
