/** `aov evaluate` output: the terminal view (80 columns) and the aov.evaluate/v1 JSON of each evaluation. */
import type { BundleEvaluation } from '../analysis/evaluateBundle.js';
import type { Guardrails } from '../analysis/evaluateGuardrails.js';
import type { SecondOrderEvaluation } from '../analysis/evaluateSecondOrder.js';
import { MIN_FLANK_ORDERS } from '../analysis/evaluateBunching.js';
import { TOO_EARLY_UPTAKE, type ThresholdEvaluation } from '../analysis/evaluateThreshold.js';
import { formatAmount, formatCount, formatDay, formatPct, money, ratio, wrap, type Style, formatProbability } from './format.js';

export const EVALUATE_SCHEMA = 'aov.evaluate/v1';

/** What a threshold evaluation is about, beside the analysis: the currency, the mode, the rule it came from. */
export interface ThresholdContext {
  currency: string;
  decimals: number;
  mode: 'gift' | 'free-shipping';
  /** The rule's id when it came from --rules. */
  ruleId?: string;
  notes: string[];
  /** The file --write-calibration wrote the measured uptake to. */
  calibrationFile?: string;
}

const WIDTH = 80;
const LABEL = 20;

/** "Label               text wrapped under itself" lines, within 80 columns. */
export function labelled(label: string, text: string): string {
  const body = wrap(text, WIDTH - LABEL - 2).split('\n');
  return body.map((line, i) => `  ${(i === 0 ? label : '').padEnd(LABEL)}${line}`).join('\n');
}

const signed = (x: number, decimals: number) => `${x >= 0 ? '+' : '-'}${formatAmount(Math.abs(x), decimals)}`;
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
const pct = (x: number) => `${x >= 0 && formatPct(x) !== '0.0%' ? '+' : ''}${formatPct(x)}`;
const count = (x: number) => (Number.isFinite(x) ? formatCount(Math.round(x)) : '–');
/** "12 months", "18.5 months" */
const months = (x: number) => `${Number.isInteger(Math.round(x * 10) / 10) ? Math.round(x) : x.toFixed(1)} months`;

/** The evidence rows as JSON: what the terminal, Markdown and HTML show, in words. */
const evidenceJson = (rows: [string, string][]) => rows.map(([label, text]) => ({ label, text }));

/** The verdict in one or two sentences, with the figure that decides it. */
export function thresholdVerdict(e: ThresholdEvaluation, c: ThresholdContext): { word: string; sentence: string } {
  const a = (x: number) => `${formatAmount(x, c.decimals)} ${c.currency}`;
  const b = e.bunching;
  const x = e.economics;
  const moved = b ? `${count(b.movedOrders)} orders moved (95% ${count(b.movedOrdersLow)} to ${count(b.movedOrdersHigh)})` : '';
  const net = x ? `net ${signed(x.netMinor, c.decimals)} ${c.currency} over ${x.months.toFixed(1)} months (95% ${signed(x.netLowMinor, c.decimals)} to ${signed(x.netHighMinor, c.decimals)})` : '';
  const reward = c.mode === 'gift' ? 'gifts' : 'shipping waived';
  switch (e.verdict.reason) {
    case 'inconsistent':
      return { word: 'CANNOT TELL', sentence: `the orders around ${a(e.thresholdMinor)} changed shape between the two periods in a way that scaling the orders before cannot follow: ${count(b!.missingBelow)} orders are missing below it but ${count(b!.excessAbove)} in excess above, where a threshold moves the same orders across (they disagree by ${Math.abs(b!.inconsistency).toFixed(1)} standard errors, ${b!.inconsistencyAllowed.toFixed(1)} allowed). The figures below are shown, not evidence.` };
    case 'oneSided':
      return { word: 'CANNOT TELL', sentence: `the change around ${a(e.thresholdMinor)} shows on one side of it only: against the orders before the start, scaled, ${count(b!.missingBelow)} are missing in the ${a(b!.belowMinor)} below it and ${count(b!.excessAbove)} in excess in the ${a(b!.aboveMinor)} above, where the orders a threshold moves leave from below and arrive above. Something else changed the orders around it, and scaling the orders before cannot stand in for what would have happened. The figures below are shown, not evidence.` };
    case 'negative':
      return { word: 'CANNOT TELL', sentence: `the orders around ${a(e.thresholdMinor)} moved the wrong way for a threshold: against the orders before the start, scaled, ${count(b!.missingBelow)} are missing in the ${a(b!.belowMinor)} below it and ${count(b!.excessAbove)} in excess in the ${a(b!.aboveMinor)} above, where a threshold only takes orders from below it to above: something else changed them, and scaling the orders before cannot stand in for what would have happened. The figures below are shown, not evidence.` };
    case 'tooEarly': {
      const t = e.tooEarly!;
      const effect = `a 10% effect (${formatPct(t.uptake, 0)} of the carts within ${a(e.reachMinor)} below ${a(e.thresholdMinor)} topping up) to show`;
      if (b && !Number.isFinite(b.movedOrders)) return { word: 'TOO EARLY', sentence: `the orders before the start are too few near ${a(e.thresholdMinor)} to scale them to the orders after (under ${MIN_FLANK_ORDERS} in a ${a(b.flankMinor)} flank beside the windows), however long it runs.` };
      if (!Number.isFinite(t.neededOrders)) return { word: 'TOO EARLY', sentence: `the orders before the start are too few for ${effect}, however long it runs (${count(e.counterfactual.orders)} in the ${months(e.counterfactual.months)} before).` };
      const days = t.days < t.minDays ? ` and at least ${t.minDays} days (${t.days.toFixed(0)} so far)` : '';
      return { word: 'TOO EARLY', sentence: `${count(t.moreOrders)} more orders needed${days} for ${effect}; ${count(e.post.orders)} orders since the start.` };
    }
    case 'pays':
      return { word: 'KEEP', sentence: `it pays: ${moved}, and the margin on what they added beats the ${reward}: ${net}.` };
    case 'uncertain':
      return { word: 'KEEP, WATCHING', sentence: `it works, ${moved}, but whether it pays is not yet clear: ${net}; P(net > 0) ${formatProbability(x!.probabilityPositive)}.` };
    case 'rewardsAlreadyAbove':
      return { word: 'RAISE', sentence: `${moved} and each earns more than its reward, but the ${reward} on the ${count(x!.qualifyingOrders - Math.max(0, b!.movedOrders))} orders that were above it anyway cost more: ${net}. A higher threshold pays fewer of them.` };
    case 'movedEarnLess':
      return { word: 'STOP', sentence: `${moved}, but each earns ${a(x!.extraMarginMinor / Math.max(1, b!.movedOrders))} in margin against ${a(x!.rewardPaidMinor / Math.max(1, x!.qualifyingOrders))} of reward: ${net}.` };
    case 'cannotPay':
      return { word: 'STOP', sentence: `it cannot pay: ${moved}; even at the most it can have moved, each adding its gap plus ${a(x!.overshootCeilingMinor)} (the dearest tenth of add-ons), the margin does not cover the ${reward} on ${count(x!.qualifyingOrders)} qualifying orders: at most ${signed(x!.netCeilingMinor, c.decimals)} ${c.currency} over ${x!.months.toFixed(1)} months. Whether it moved any is not yet known; that it does not pay is.` };
    case 'fewInReach':
      return { word: 'LOWER', sentence: `no effect: ${moved}, and only ${formatPct(b!.counterfactualInReach / e.post.orders, 0)} of the orders are within ${a(e.reachMinor)} below it, close enough to top up. A lower threshold puts more carts in reach.` };
    case 'noEffect':
      return { word: 'STOP', sentence: `no effect: ${moved}; an uptake of ${formatPct(TOO_EARLY_UPTAKE, 0)} or more is ruled out (95% upper bound ${formatPct(Math.max(0, b!.uptakeHigh))}), and the ${reward} cost ${a(x!.rewardPaidMinor)} on orders that were above it anyway.` };
  }
}

/** The evidence behind the verdict, one labelled line each (terminal and report). */
export function thresholdEvidence(e: ThresholdEvaluation, c: ThresholdContext): [string, string][] {
  const a = (x: number) => `${formatAmount(x, c.decimals)} ${c.currency}`;
  const T = a(e.thresholdMinor);
  const rows: [string, string][] = [];
  rows.push([`At or above ${formatAmount(e.thresholdMinor, c.decimals)}`, `${formatPct(e.pre.share)} of orders before -> ${formatPct(e.post.share)} after (${pts(e.shareChange.change)}, 95% ${pts(e.shareChange.low)} to ${pts(e.shareChange.high)})`]);
  const b = e.bunching;
  if (b && !Number.isFinite(b.movedOrders)) {
    rows.push(['Orders moved', `not measured: under ${MIN_FLANK_ORDERS} orders before the start in the ${a(b.flankMinor)} beside the windows (${a(b.belowMinor)} below ${T}, ${a(b.aboveMinor)} above), where the orders before are scaled to the orders after`]);
  } else if (b) {
    rows.push(['Orders moved', `${count(b.movedOrders)} (95% ${count(b.movedOrdersLow)} to ${count(b.movedOrdersHigh)}): ${count(b.missingBelow)} missing in the ${a(b.belowMinor)} below ${T}, ${count(b.excessAbove)} in excess in the ${a(b.aboveMinor)} above, against the ${count(e.counterfactual.orders)} orders of the ${months(e.counterfactual.months)} before the start scaled to the ${count(e.post.orders)} after (${b.intervalSource}${b.intervalSource === 'bootstrap' ? ': no placebo amount fits beside the windows, so nothing checks the scaling on this shop, and a change of shape between the periods can read as moved orders' : ''})`]);
    if (b.movedOrdersHighWider > b.movedOrdersHighWindow) rows.push(['Upper end', `${count(b.movedOrdersHigh)} read from windows 1.5 times as wide (${a(b.widerBelowMinor)} below, ${a(b.widerAboveMinor)} above; these windows alone: ${count(b.movedOrdersHighWindow)}): orders that came from further below or landed further above are missed by the narrower windows, so their upper end would be too low`]);
    else if (!Number.isFinite(b.movedOrdersHighWider)) rows.push(['Upper end', `from these windows alone: windows 1.5 times as wide (${a(b.widerBelowMinor)} below, ${a(b.widerAboveMinor)} above) have too few orders beside them to scale, so orders that came from further below or landed further above may be missed`]);
    const uptake = b.uptake > 0 ? `${formatPct(b.uptake)} of the carts within ${a(b.reachMinor)} below it topped up (95% ${formatPct(Math.max(0, b.uptakeLow))} to ${formatPct(b.uptakeHigh)})` : `about 0% of the carts within ${a(b.reachMinor)} below it topped up (at most ${formatPct(Math.max(0, b.uptakeHigh))} at 95%)`;
    rows.push(['Uptake', `${uptake}; reach: ${e.reachSource}`]);
    if (e.uptakePrecision) rows.push(['Uptake precision', uptakePrecisionText(e.uptakePrecision, b.uptakeHigh)]);
  }
  const ch = e.change;
  const trend = (flat: boolean | undefined) => (flat ? `the level of the ${ch.windows.trendMonths} months before the start (their trend is not significant; no same months a year before)` : `the trend of the ${ch.windows.trendMonths} months before the start (no same months a year before)`);
  const how = ch.method === 'none' ? 'not adjusted for season or trend (under 3 whole months before the start)'
    : ch.method === 'same months a year before' ? 'against the same months a year before, times the growth over a year just before the start'
      : `against ${trend(ch.windows.flat?.mean)}`;
  rows.push(['AOV', `${a(ch.mean.actualMinor)} against ${a(ch.mean.expectedMinor)} expected (${pct(ch.mean.change)}, 95% ${pct(ch.mean.changeLow)} to ${pct(ch.mean.changeHigh)}), ${how}; plain before/after ${pct(ch.mean.plainChange)}`]);
  const medianHow = ch.method === 'pre-period trend' && ch.windows.flat?.median !== ch.windows.flat?.mean ? `, against ${trend(ch.windows.flat?.median)}` : '';
  rows.push(['Median order', `${a(ch.median.actualMinor)} against ${a(ch.median.expectedMinor)} (${pct(ch.median.change)}, 95% ${pct(ch.median.changeLow)} to ${pct(ch.median.changeHigh)})${medianHow}; plain ${pct(ch.median.plainChange)}`]);
  const x = e.economics;
  if (x) {
    const reward = c.mode === 'gift' ? 'gift' : 'shipping waived';
    const paidOn = x.paidShare === null ? `${count(x.qualifyingOrders)} qualifying orders x ${a(x.rewardMinor)} (${x.rewardSource})`
      : `${count(x.qualifyingOrders)} qualifying orders, the ${formatPct(x.paidShare, 0)} of them that would pay shipping (as many as before the start; the others shipped free anyway) x ${a(x.rewardMinor)} (${x.rewardSource})`;
    const measured = Number.isFinite(x.extraMarginMinor);
    rows.push([c.mode === 'gift' ? 'Gifts paid' : 'Shipping waived', `${a(x.rewardPaidMinor)}: ${paidOn}${measured ? `; ${a(x.rewardToAlreadyAboveMinor)} of it to orders above it anyway` : ''}`]);
    if (!measured) {
      // The orders moved are not measured, so neither is the margin on them: the rewards are the only figure.
      rows.push(['Net', `not measured: the ${reward} cost ${a(x.rewardPaidMinor)} over ${x.months.toFixed(1)} months; the margin on the orders it moved is unknown, as they are not measured`]);
    } else {
    rows.push(['Margin on moved', `${a(x.extraMarginMinor)} (95% ${a(x.extraMarginLowMinor)} to ${a(x.extraMarginHighMinor)}): moved orders x ${a(x.perMovedOrderMinor)} added each (the gap of the carts in reach plus an overshoot of ${a(x.overshootMinor)}, ${x.overshootSource}) x margin ${formatPct(x.marginRate)} (${x.marginSource})`]);
    // A count the verdict calls no evidence gets no probability: a P(net > 0) beside CANNOT TELL would read as one.
    const probability = e.effect === 'unclear' ? 'no P(net > 0): the moved orders above are not evidence (CANNOT TELL)' : `P(net > 0) ${formatProbability(x.probabilityPositive)}`;
    rows.push(['Net', `${signed(x.netMinor, c.decimals)} ${c.currency} (95% ${signed(x.netLowMinor, c.decimals)} to ${signed(x.netHighMinor, c.decimals)}) over ${x.months.toFixed(1)} months, ${signed(x.netMinor / x.months, c.decimals)} a month; ${probability}; the ${reward} counted on every qualifying order`]);
    }
  }
  const cal = e.calibration;
  if (cal) rows.push(['Next suggestion', `aov suggest-threshold ... ${calibrationFlags(cal, c.decimals)}: the measured uptake at a tiny gap, ${formatPct(cal.p0)} (90% ${formatPct(cal.low)} to ${formatPct(cal.high)}; the share that topped up over ${formatPct(cal.meanWeight, 0)}, aov's linear response over the carts in reach), as the prior the next suggestion starts from${e.effect === 'too early' ? ' (a wide one: it is too early)' : e.uptakePrecision && !e.uptakePrecision.precise ? ' (a wide one: the uptake is not yet known to within ±30%)' : ''}`]);
  return rows;
}

/** Whether the measured uptake is precise enough to calibrate the next suggestion with, and what would make it so. */
export function uptakePrecisionText(p: NonNullable<ThresholdEvaluation['uptakePrecision']>, uptakeHigh: number): string {
  const target = `±${formatPct(p.target, 0)}`;
  if (!Number.isFinite(p.relativeHalfWidth)) return `the uptake is not measured above 0, so it has no ± of its own (its 95% interval ends at ${formatPct(Math.max(0, uptakeHigh))}); calibrating the next suggestion with it needs it known to within ${target}`;
  const known = `known to within ±${formatPct(p.relativeHalfWidth, 0)} of itself (95%)`;
  if (p.precise) return `${known}: precise enough to calibrate the next suggestion with (${target} needed)`;
  const more = Number.isFinite(p.moreOrders) ? `about ${formatCount(p.moreOrders)} more orders would narrow it to ${target}` : `if it stays near ${formatPct(p.estimate)}, the noise of the orders before the start alone is wider than ${target} of it, so more orders after may never narrow it that far; the estimate will move, so look again at ${formatCount(2 * p.ordersNow)} orders`;
  return `only ${known}, too loosely to calibrate the next suggestion with (${target} needed); ${more}`;
}

/** The suggest-threshold options that carry a measured uptake: a 90% prior range (never 0, which no prior can be) and the reach it is measured at. */
export function calibrationFlags(cal: NonNullable<ThresholdEvaluation['calibration']>, decimals: number): string {
  return `--uptake-prior ${uptakePriorRange(cal)} --reach ${formatAmount(cal.reachMinor, decimals).replace(/,/g, '')}`;
}

/** "0.081-0.214": the range as --uptake-prior reads it (shares from above 0 to under 1, the smaller first). */
export function uptakePriorRange(cal: NonNullable<ThresholdEvaluation['calibration']>): string {
  const round = (x: number) => Number(Math.min(0.999, Math.max(0.001, x)).toFixed(3));
  const low = round(cal.low);
  const high = Math.max(round(cal.high), low + 0.001);
  return `${low}-${Number(high.toFixed(3))}`;
}

export function thresholdTitle(e: ThresholdEvaluation, c: ThresholdContext): string {
  const what = c.mode === 'gift' ? 'Gift threshold' : 'Free-shipping threshold';
  return `${what} ${formatAmount(e.thresholdMinor, c.decimals)} ${c.currency}${c.ruleId ? ` (${c.ruleId})` : ''}, live since ${formatDay(e.sinceMs)}: ${count(e.post.days)} days, ${count(e.post.orders)} orders`;
}

export function renderThresholdEvaluation(e: ThresholdEvaluation, c: ThresholdContext, style: Style): string {
  return renderBlock(thresholdTitle(e, c), thresholdVerdict(e, c), thresholdEvidence(e, c), style);
}

export function thresholdEvaluationJson(e: ThresholdEvaluation, c: ThresholdContext) {
  const m = (x: number) => money(x, c.decimals);
  const b = e.bunching;
  const x = e.economics;
  const period = (p: ThresholdEvaluation['pre']) => ({ from: formatDay(p.from), to: formatDay(p.to - 1), days: ratio(p.days, 2), orders: p.orders, atOrAbove: p.atOrAbove, share: ratio(p.share) });
  const change = (s: ThresholdEvaluation['change']['mean']) => ({ actual: m(s.actualMinor), expected: m(s.expectedMinor), change: ratio(s.change), low: ratio(s.changeLow), high: ratio(s.changeHigh), plainChange: ratio(s.plainChange) });
  const v = thresholdVerdict(e, c);
  return {
    kind: 'threshold' as const,
    ruleId: c.ruleId ?? null,
    currency: c.currency,
    mode: c.mode,
    threshold: m(e.thresholdMinor),
    since: formatDay(e.sinceMs),
    title: thresholdTitle(e, c),
    verdict: { action: e.verdict.action, reason: e.verdict.reason, headline: `${v.word}: ${v.sentence}` },
    evidence: evidenceJson(thresholdEvidence(e, c)),
    effect: e.effect,
    before: period(e.pre),
    after: period(e.post),
    shareChange: { change: ratio(e.shareChange.change), low: ratio(e.shareChange.low), high: ratio(e.shareChange.high) },
    reach: m(e.reachMinor),
    reachSource: e.reachSource,
    movedOrders: b
      ? {
          estimate: ratio(b.movedOrders, 2), low: ratio(b.movedOrdersLow, 2), high: ratio(b.movedOrdersHigh, 2),
          missingBelow: ratio(b.missingBelow, 2), excessAbove: ratio(b.excessAbove, 2),
          windowBelow: m(b.belowMinor), windowAbove: m(b.aboveMinor), flank: m(b.flankMinor),
          highWindow: ratio(b.movedOrdersHighWindow, 2), highWider: ratio(b.movedOrdersHighWider, 2),
          widerBelow: m(b.widerBelowMinor), widerAbove: m(b.widerAboveMinor),
          counterfactualInReach: ratio(b.counterfactualInReach, 2),
          counterfactualFrom: formatDay(e.counterfactual.from), counterfactualOrders: e.counterfactual.orders,
          intervalSource: b.intervalSource, placebos: b.placebosUsed, placeboInflation: ratio(b.placeboInflation, 4),
          consistent: b.consistent, inconsistency: ratio(b.inconsistency, 4),
        }
      : null,
    uptake: b ? { estimate: ratio(b.uptake), low: ratio(Math.max(0, b.uptakeLow)), high: ratio(b.uptakeHigh), precision: uptakePrecisionJson(e.uptakePrecision) } : null,
    tooEarly: e.tooEarly ? { neededOrders: Number.isFinite(e.tooEarly.neededOrders) ? e.tooEarly.neededOrders : null, moreOrders: Number.isFinite(e.tooEarly.moreOrders) ? e.tooEarly.moreOrders : null, days: ratio(e.tooEarly.days, 2), minDays: e.tooEarly.minDays, effectUptake: e.tooEarly.uptake } : null,
    economics: x
      ? {
          months: ratio(x.months, 2),
          qualifyingOrders: x.qualifyingOrders, rewardPaid: m(x.rewardPaidMinor), rewardSource: x.rewardSource, rewardToAlreadyAbove: m(x.rewardToAlreadyAboveMinor),
          reward: m(x.rewardMinor), paidShare: x.paidShare === null ? null : ratio(x.paidShare, 4),
          perMovedOrder: m(x.perMovedOrderMinor), overshoot: m(x.overshootMinor), overshootSource: x.overshootSource,
          marginRate: ratio(x.marginRate, 4), marginSource: x.marginSource,
          extraMargin: m(x.extraMarginMinor), extraMarginLow: m(x.extraMarginLowMinor), extraMarginHigh: m(x.extraMarginHighMinor),
          net: m(x.netMinor), netLow: m(x.netLowMinor), netHigh: m(x.netHighMinor), netPerMonth: m(x.netMinor / x.months),
          probabilityPositive: ratio(x.probabilityPositive, 4),
          overshootCeiling: m(x.overshootCeilingMinor), netCeiling: m(x.netCeilingMinor),
        }
      : null,
    calibration: e.calibration ? { uptakeAtTinyGap: ratio(e.calibration.p0, 4), low90: ratio(e.calibration.low, 4), high90: ratio(e.calibration.high, 4), reach: m(e.calibration.reachMinor), suggestThresholdOptions: calibrationFlags(e.calibration, c.decimals), file: c.calibrationFile ?? null } : null,
    aov: {
      method: e.change.method,
      windows: Object.fromEntries(Object.entries(e.change.windows).map(([k, w]) => [k, Array.isArray(w) ? [formatDay(w[0]), formatDay(w[1] - 1)] : w])),
      trendTested: e.change.windows.flat ?? null,
      mean: change(e.change.mean),
      median: change(e.change.median),
      resamples: e.change.resamples,
    },
    notes: c.notes,
  };
}

const uptakePrecisionJson = (p: ThresholdEvaluation['uptakePrecision']) => p
  ? {
      relativeHalfWidth95: Number.isFinite(p.relativeHalfWidth) ? ratio(p.relativeHalfWidth, 4) : null,
      target: p.target, precise: p.precise,
      neededOrders: Number.isFinite(p.neededOrders) ? p.neededOrders : null,
      moreOrders: Number.isFinite(p.moreOrders) ? p.moreOrders : null,
    }
  : null;

/** A second-order gift or bundle evaluation's context. */
export interface RuleContext {
  currency: string;
  decimals: number;
  ruleId?: string;
  notes: string[];
}

const rateLine = (before: number, after: number, change: { change: number; low: number; high: number; p: number }) =>
  `${formatPct(before)} before -> ${formatPct(after)} after (${pts(change.change)}, 95% ${pts(change.low)} to ${pts(change.high)}; ${change.p < 0.001 ? 'p < 0.001' : `p = ${change.p.toFixed(3)}`})`;

export function secondOrderVerdict(e: SecondOrderEvaluation, c: RuleContext): { word: string; sentence: string } {
  const a = (x: number) => `${formatAmount(x, c.decimals)} ${c.currency}`;
  const lift = `the second-order rate within ${e.validDays} days went ${formatPct(e.rate.before)} -> ${formatPct(e.rate.after)}`;
  const net = `net ${signed(e.netMinor, c.decimals)} ${c.currency} (95% ${signed(e.netLowMinor, c.decimals)} to ${signed(e.netHighMinor, c.decimals)}) on the ${count(e.after.customers)} new customers after`;
  switch (e.verdict.reason) {
    case 'tooEarly':
      return Number.isFinite(e.tooEarly?.neededCustomers ?? NaN)
        ? { word: 'TOO EARLY', sentence: `${count(e.tooEarly!.moreCustomers)} more new customers seen for ${e.validDays} days needed for a 10% rise in the second-order rate to show; ${count(e.after.customers)} so far.` }
        : { word: 'TOO EARLY', sentence: `the new customers before the start (${count(e.before.customers)}) are too few for a 10% rise in the second-order rate to show, however long it runs.` };
    case 'noEffect':
      return { word: 'STOP', sentence: `no effect: ${lift}, and a 10% rise is ruled out (the change's 95% upper end, ${pts(e.rate.high)}, is below ${pts(e.rate.before * 0.1)}); ${count(e.giftsGiven)} gifts given cost ${a(e.giftsGiven * e.giftCostMinor)}.` };
    case 'pays':
      return { word: 'KEEP', sentence: `it pays: ${lift}; ${net}.` };
    case 'costsMore':
      return { word: 'STOP', sentence: `${lift}, but the gifts cost more than the extra second orders earn: ${net}.` };
    case 'uncertain':
      return { word: 'KEEP, WATCHING', sentence: `${lift}, but whether it pays is not yet clear: ${net}.` };
  }
}

export function secondOrderTitle(e: SecondOrderEvaluation, c: RuleContext): string {
  return `Second-order gift${c.ruleId ? ` (${c.ruleId})` : ''}, live since ${formatDay(e.sinceMs)}, valid ${e.validDays} days`;
}

export function secondOrderEvidence(e: SecondOrderEvaluation, c: RuleContext): [string, string][] {
  const a = (x: number) => `${formatAmount(x, c.decimals)} ${c.currency}`;
  return [
    ['Second-order rate', rateLine(e.rate.before, e.rate.after, e.rate)],
    ['Cohorts', `new customers first seen ${formatDay(e.before.from)} to ${formatDay(e.before.to)} (${count(e.before.customers)}, their ${e.validDays} days closed before the start) against ${formatDay(e.after.from)} to ${formatDay(e.after.to)} (${count(e.after.customers)}, seen ${e.validDays} days); not adjusted for season`],
    ['Gifts given', `${count(e.giftsGiven)} x ${a(e.giftCostMinor)} = ${a(e.giftsGiven * e.giftCostMinor)}`],
    ['Extra orders', `${count(e.extraSecondOrders)} (95% ${count(e.extraLow)} to ${count(e.extraHigh)}) x ${a(e.secondOrderAovMinor)} second-order AOV x margin ${formatPct(e.marginRate)}; net ${signed(e.netMinor, c.decimals)} ${c.currency} (95% ${signed(e.netLowMinor, c.decimals)} to ${signed(e.netHighMinor, c.decimals)})`],
  ];
}

export function renderSecondOrderEvaluation(e: SecondOrderEvaluation, c: RuleContext, style: Style): string {
  return renderBlock(secondOrderTitle(e, c), secondOrderVerdict(e, c), secondOrderEvidence(e, c), style);
}

/** A title, the verdict and the labelled evidence, within 80 columns. */
function renderBlock(title: string, v: { word: string; sentence: string }, evidence: [string, string][], style: Style): string {
  const lines = [style.chalk.bold(wrap(title, WIDTH)), wrap(`${style.chalk.bold(v.word)}: ${v.sentence}`, WIDTH), ''];
  for (const [label, text] of evidence) lines.push(labelled(label, text));
  return `${lines.join('\n')}\n`;
}

export function secondOrderEvaluationJson(e: SecondOrderEvaluation, c: RuleContext, marginSource: string) {
  const m = (x: number) => money(x, c.decimals);
  const v = secondOrderVerdict(e, c);
  const cohort = (x: SecondOrderEvaluation['before']) => ({ from: formatDay(x.from), to: formatDay(x.to), customers: x.customers, secondOrders: x.secondOrders, rate: ratio(x.customers ? x.secondOrders / x.customers : NaN) });
  return {
    kind: 'second_order_gift' as const, ruleId: c.ruleId ?? null, currency: c.currency, since: formatDay(e.sinceMs), validDays: e.validDays,
    title: secondOrderTitle(e, c),
    verdict: { action: e.verdict.action, reason: e.verdict.reason, headline: `${v.word}: ${v.sentence}` },
    evidence: evidenceJson(secondOrderEvidence(e, c)),
    before: cohort(e.before), after: cohort(e.after),
    rateChange: { change: ratio(e.rate.change), low: ratio(e.rate.low), high: ratio(e.rate.high), p: ratio(e.rate.p) },
    giftsGiven: e.giftsGiven, giftCost: m(e.giftCostMinor), secondOrderAov: m(e.secondOrderAovMinor),
    extraSecondOrders: { estimate: ratio(e.extraSecondOrders, 2), low: ratio(e.extraLow, 2), high: ratio(e.extraHigh, 2) },
    net: { estimate: m(e.netMinor), low: m(e.netLowMinor), high: m(e.netHighMinor) },
    marginRate: ratio(e.marginRate, 4), marginSource,
    tooEarly: e.tooEarly ? { neededCustomers: Number.isFinite(e.tooEarly.neededCustomers) ? e.tooEarly.neededCustomers : null, moreCustomers: Number.isFinite(e.tooEarly.moreCustomers) ? e.tooEarly.moreCustomers : null } : null,
    notes: c.notes,
  };
}

export interface BundleContext extends RuleContext {
  items: string[];
  names: string[];
}

export function bundleVerdict(e: BundleEvaluation, c: BundleContext): { word: string; sentence: string } {
  const a = (x: number) => `${formatAmount(x, c.decimals)} ${c.currency}`;
  const rate = `baskets with all of it among baskets with any went ${formatPct(e.attach.before)} -> ${formatPct(e.attach.after)}`;
  const net = e.netMinor === null ? 'its margin is not known (give --margin or item costs)' : `net ${signed(e.netMinor, c.decimals)} ${c.currency} (95% ${signed(e.netLowMinor!, c.decimals)} to ${signed(e.netHighMinor!, c.decimals)})`;
  switch (e.verdict.reason) {
    case 'tooEarly':
      return Number.isFinite(e.tooEarly?.neededBaskets ?? NaN)
        ? { word: 'TOO EARLY', sentence: `${count(e.tooEarly!.moreBaskets)} more baskets with any of its items needed for a 10% rise in the attach rate to show; ${count(e.after.withAny)} so far.` }
        : { word: 'TOO EARLY', sentence: `the baskets before the start (${count(e.before.withAny)} with any of its items) are too few for a 10% rise in the attach rate to show.` };
    case 'noEffect':
      return { word: 'STOP', sentence: `no effect: ${rate}, and a 10% rise is ruled out (the change's 95% upper end, ${pts(e.attach.high)}, is below ${pts(e.attach.before * 0.1)})${e.discountGivenMinor ? `; the discount cost ${a(e.discountGivenMinor)}` : ''}.` };
    case 'pays':
      return { word: 'KEEP', sentence: `it pays: ${rate}; ${net}.` };
    case 'costsMore':
      return { word: 'STOP', sentence: `${rate}, but the discount costs more than the extra attaches earn: ${net}.` };
    case 'uncertain':
      return { word: 'KEEP, WATCHING', sentence: `${rate}; whether it pays is not yet clear: ${net}.` };
  }
}

export function bundleTitle(e: BundleEvaluation, c: BundleContext): string {
  const what = c.items.map((item, i) => (c.names[i] && c.names[i] !== item ? `${c.names[i]} (${item})` : item)).join(' + ');
  return `Bundle ${what}${c.ruleId ? ` (${c.ruleId})` : ''}, live since ${formatDay(e.sinceMs)}`;
}

/** "before (12 months)", or the shorter span the data hold: "before (9 months, from 2024-01-03)". */
function beforeSpan(e: BundleEvaluation): string {
  if (!Number.isFinite(e.firstBeforeMs)) return 'before (no basket in the 12 months before)';
  const months = (e.sinceMs - e.firstBeforeMs) / (30.4375 * 86_400_000);
  return months >= 11.5 ? 'before (12 months)' : `before (${Math.max(1, Math.round(months))} month${Math.round(months) > 1 ? 's' : ''}, from ${formatDay(e.firstBeforeMs)})`;
}

export function bundleEvidence(e: BundleEvaluation, c: BundleContext): [string, string][] {
  const a = (x: number) => `${formatAmount(x, c.decimals)} ${c.currency}`;
  const rows: [string, string][] = [
    ['Attach rate', rateLine(e.attach.before, e.attach.after, e.attach)],
    ['Baskets', `${count(e.before.withAll)} of ${count(e.before.withAny)} with any of its items had all ${beforeSpan(e)}, ${count(e.after.withAll)} of ${count(e.after.withAny)} after; not adjusted for season`],
  ];
  if (e.discountGivenMinor !== null) rows.push(['Discount given', `${a(e.discountGivenMinor)}: ${count(e.after.withAll)} complete bundles x ${a(e.discountPerBundleMinor!)}`]);
  if (e.marginPerExtraMinor !== null) rows.push(['Extra bundles', `${count(e.extraBundles)} (95% ${count(e.extraLow)} to ${count(e.extraHigh)}) x ${a(e.marginPerExtraMinor)} margin on the item that completes one`]);
  return rows;
}

export function renderBundleEvaluation(e: BundleEvaluation, c: BundleContext, style: Style): string {
  return renderBlock(bundleTitle(e, c), bundleVerdict(e, c), bundleEvidence(e, c), style);
}

export function bundleEvaluationJson(e: BundleEvaluation, c: BundleContext) {
  const m = (x: number | null) => (x === null ? null : money(x, c.decimals));
  const v = bundleVerdict(e, c);
  const group = (x: BundleEvaluation['before']) => ({ baskets: x.baskets, withEither: x.withAny, withBoth: x.withAll, attachRate: ratio(x.withAny ? x.withAll / x.withAny : NaN) });
  return {
    kind: 'bundle' as const, ruleId: c.ruleId ?? null, items: c.items, names: c.names, currency: c.currency, since: formatDay(e.sinceMs),
    title: bundleTitle(e, c),
    verdict: { action: e.verdict.action, reason: e.verdict.reason, headline: `${v.word}: ${v.sentence}` },
    evidence: evidenceJson(bundleEvidence(e, c)),
    before: group(e.before), after: group(e.after),
    attachChange: { change: ratio(e.attach.change), low: ratio(e.attach.low), high: ratio(e.attach.high), p: ratio(e.attach.p) },
    discountGiven: m(e.discountGivenMinor), extraMargin: e.marginPerExtraMinor === null ? null : m(e.extraBundles * e.marginPerExtraMinor),
    net: { estimate: m(e.netMinor), low: m(e.netLowMinor), high: m(e.netHighMinor) },
    notes: c.notes,
  };
}

export function guardrailsTitle(g: Guardrails, c: RuleContext): string {
  return `Guardrails (${c.currency}, from ${formatDay(g.sinceMs)})`;
}

export function guardrailsEvidence(g: Guardrails): [string, string][] {
  const rows: [string, string][] = [];
  const f = g.ordersPerCustomer;
  rows.push(['Orders/customer', f
    ? `${f.before.toFixed(2)} in the ${f.days.toFixed(0)} days before -> ${f.after.toFixed(2)} after (${pct(f.change)}, 95% ${pct(f.low)} to ${pct(f.high)}; customers with an account or email)`
    : 'not measured: no customer keys, or no window of equal length before the start']);
  if (g.nps) rows.push(['NPS', `${g.nps.before.nps.toFixed(0)} before (${count(g.nps.before.n)} answers) -> ${g.nps.after.nps.toFixed(0)} after (${count(g.nps.after.n)}): ${g.nps.change >= 0 ? '+' : ''}${g.nps.change.toFixed(0)} points, 95% ${g.nps.low.toFixed(0)} to ${g.nps.high.toFixed(0)}`]);
  return rows;
}

export function renderGuardrails(g: Guardrails, c: RuleContext, style: Style): string {
  const lines = [style.chalk.bold(guardrailsTitle(g, c))];
  for (const [label, text] of guardrailsEvidence(g)) lines.push(labelled(label, text));
  for (const w of guardrailWarnings(g)) lines.push(wrap(`${style.chalk.bold('Warning')}: ${w}`, WIDTH));
  return `${lines.join('\n')}\n`;
}

export function guardrailWarnings(g: Guardrails): string[] {
  const out: string[] = [];
  if (g.frequencyWarning) out.push('AOV went up but customers order less often: a rule that raises AOV by cutting order frequency is not a win; compare revenue per customer.');
  if (g.npsWarning) out.push('AOV went up while NPS fell: the higher orders may cost goodwill.');
  return out;
}

export function guardrailsJson(g: Guardrails, c: RuleContext) {
  const f = g.ordersPerCustomer;
  const warnings = guardrailWarnings(g);
  const nps = (r: NonNullable<Guardrails['nps']>['before']) => ({ nps: ratio(r.nps, 2), low: ratio(r.low, 2), high: ratio(r.high, 2), answers: r.n });
  return {
    currency: c.currency, since: formatDay(g.sinceMs),
    title: guardrailsTitle(g, c),
    evidence: evidenceJson(guardrailsEvidence(g)),
    warnings,
    ordersPerCustomer: f
      ? { before: ratio(f.before, 4), after: ratio(f.after, 4), change: ratio(f.change), low: ratio(f.low), high: ratio(f.high), days: ratio(f.days, 2), warning: g.frequencyWarning ? warnings[0] : null }
      : { before: null, after: null, change: null, warning: null },
    nps: g.nps ? { before: nps(g.nps.before), after: nps(g.nps.after), change: ratio(g.nps.change, 2), low: ratio(g.nps.low, 2), high: ratio(g.nps.high, 2), warning: g.npsWarning ? warnings[warnings.length - 1] : null } : null,
  };
}
