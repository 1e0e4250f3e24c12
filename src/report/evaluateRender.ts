/** `aov evaluate` output: the terminal view (80 columns) and the aov.evaluate/v1 JSON of each evaluation. */
import type { ThresholdEvaluation } from '../analysis/evaluateThreshold.js';
import { formatAmount, formatCount, formatDay, formatPct, money, ratio, wrap, type Style } from './format.js';

export const EVALUATE_SCHEMA = 'aov.evaluate/v1';

/** What a threshold evaluation is about, beside the analysis: the currency, the mode, the rule it came from. */
export interface ThresholdContext {
  currency: string;
  decimals: number;
  mode: 'gift' | 'free-shipping';
  /** The rule's id when it came from --rules. */
  ruleId?: string;
  notes: string[];
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

/** The verdict in one or two sentences, with the figure that decides it. */
export function thresholdVerdict(e: ThresholdEvaluation, c: ThresholdContext): { word: string; sentence: string } {
  const a = (x: number) => `${formatAmount(x, c.decimals)} ${c.currency}`;
  const b = e.bunching;
  const x = e.economics;
  const moved = b ? `${count(b.movedOrders)} orders moved (95% ${count(b.movedOrdersLow)} to ${count(b.movedOrdersHigh)})` : '';
  const net = x ? `net ${signed(x.netMinor, c.decimals)} ${c.currency} over ${x.months.toFixed(1)} months (95% ${signed(x.netLowMinor, c.decimals)} to ${signed(x.netHighMinor, c.decimals)})` : '';
  const reward = c.mode === 'gift' ? 'gifts' : 'shipping waived';
  switch (e.verdict.reason) {
    case 'tooEarly': {
      const t = e.tooEarly!;
      const effect = `a 10% effect (${formatPct(t.uptake, 0)} of the carts within ${a(e.reachMinor)} below ${a(e.thresholdMinor)} topping up) to show`;
      if (!Number.isFinite(t.neededOrders)) return { word: 'TOO EARLY', sentence: `the orders before the start are too few for ${effect}, however long it runs (${count(e.pre.orders)} in the 12 months before).` };
      const days = t.days < t.minDays ? ` and at least ${t.minDays} days (${t.days.toFixed(0)} so far)` : '';
      return { word: 'TOO EARLY', sentence: `${count(t.moreOrders)} more orders needed${days} for ${effect}; ${count(e.post.orders)} orders since the start.` };
    }
    case 'pays':
      return { word: 'KEEP', sentence: `it pays: ${moved}, and the margin on what they added beats the ${reward}: ${net}.` };
    case 'uncertain':
      return { word: 'KEEP, WATCHING', sentence: `it works, ${moved}, but whether it pays is not yet clear: ${net}; P(net > 0) ${formatPct(x!.probabilityPositive, 0)}.` };
    case 'rewardsAlreadyAbove':
      return { word: 'RAISE', sentence: `${moved} and each earns more than its reward, but the ${reward} on the ${count(x!.qualifyingOrders - Math.max(0, b!.movedOrders))} orders that were above it anyway cost more: ${net}. A higher threshold pays fewer of them.` };
    case 'movedEarnLess':
      return { word: 'STOP', sentence: `${moved}, but each earns ${a(x!.extraMarginMinor / Math.max(1, b!.movedOrders))} in margin against ${a(x!.rewardPaidMinor / Math.max(1, x!.qualifyingOrders))} of reward: ${net}.` };
    case 'fewInReach':
      return { word: 'LOWER', sentence: `no effect: ${moved}, and only ${formatPct(b!.counterfactualInReach / e.post.orders, 0)} of the orders are within ${a(e.reachMinor)} below it, close enough to top up. A lower threshold puts more carts in reach.` };
    case 'noEffect':
      return { word: 'STOP', sentence: `no effect: ${moved}; the ${reward} cost ${a(x!.rewardPaidMinor)} on orders that were above it anyway.` };
  }
}

/** The evidence behind the verdict, one labelled line each (terminal and report). */
export function thresholdEvidence(e: ThresholdEvaluation, c: ThresholdContext): [string, string][] {
  const a = (x: number) => `${formatAmount(x, c.decimals)} ${c.currency}`;
  const T = a(e.thresholdMinor);
  const rows: [string, string][] = [];
  rows.push([`At or above ${formatAmount(e.thresholdMinor, c.decimals)}`, `${formatPct(e.pre.share)} of orders before -> ${formatPct(e.post.share)} after (${pts(e.shareChange.change)}, 95% ${pts(e.shareChange.low)} to ${pts(e.shareChange.high)})`]);
  const b = e.bunching;
  if (b) {
    rows.push(['Orders moved', `${count(b.movedOrders)} (95% ${count(b.movedOrdersLow)} to ${count(b.movedOrdersHigh)}): ${count(b.missingBelow)} missing in the ${a(b.belowMinor)} below ${T}, ${count(b.excessAbove)} in excess in the ${a(b.aboveMinor)} above, against the ${count(e.pre.orders)} orders before the start scaled to the ${count(e.post.orders)} after (${b.intervalSource})`]);
    rows.push(['Uptake', `${formatPct(b.uptake)} of the carts within ${a(b.reachMinor)} below it topped up (95% ${formatPct(Math.max(0, b.uptakeLow))} to ${formatPct(b.uptakeHigh)}); reach: ${e.reachSource}`]);
  }
  const ch = e.change;
  const how = ch.method === 'none' ? 'not adjusted for season or trend (under 3 whole months before the start)' : ch.method === 'same months a year before' ? 'against the same months a year before, times the growth over a year just before the start' : `against the trend of the ${ch.windows.trendMonths} months before the start`;
  rows.push(['AOV', `${a(ch.mean.actualMinor)} against ${a(ch.mean.expectedMinor)} expected (${pct(ch.mean.change)}, 95% ${pct(ch.mean.changeLow)} to ${pct(ch.mean.changeHigh)}), ${how}; plain before/after ${pct(ch.mean.plainChange)}`]);
  rows.push(['Median order', `${a(ch.median.actualMinor)} against ${a(ch.median.expectedMinor)} (${pct(ch.median.change)}, 95% ${pct(ch.median.changeLow)} to ${pct(ch.median.changeHigh)}); plain ${pct(ch.median.plainChange)}`]);
  const x = e.economics;
  if (x) {
    const reward = c.mode === 'gift' ? 'gift' : 'shipping waived';
    rows.push([c.mode === 'gift' ? 'Gifts paid' : 'Shipping waived', `${a(x.rewardPaidMinor)}: ${count(x.qualifyingOrders)} qualifying orders x ${a(x.rewardPaidMinor / Math.max(1, x.qualifyingOrders))} (${x.rewardSource}); ${a(x.rewardToAlreadyAboveMinor)} of it to orders above it anyway`]);
    rows.push(['Margin on moved', `${a(x.extraMarginMinor)} (95% ${a(x.extraMarginLowMinor)} to ${a(x.extraMarginHighMinor)}): moved orders x ${a(x.perMovedOrderMinor)} added each (the gap of the carts in reach plus an overshoot of ${a(x.overshootMinor)}, ${x.overshootSource}) x margin ${formatPct(x.marginRate)} (${x.marginSource})`]);
    rows.push(['Net', `${signed(x.netMinor, c.decimals)} ${c.currency} (95% ${signed(x.netLowMinor, c.decimals)} to ${signed(x.netHighMinor, c.decimals)}) over ${x.months.toFixed(1)} months, ${signed(x.netMinor / x.months, c.decimals)} a month; P(net > 0) ${formatPct(x.probabilityPositive, 0)}; the ${reward} counted on every qualifying order`]);
  }
  return rows;
}

export function renderThresholdEvaluation(e: ThresholdEvaluation, c: ThresholdContext, style: Style): string {
  const a = (x: number) => `${formatAmount(x, c.decimals)} ${c.currency}`;
  const what = c.mode === 'gift' ? 'Gift threshold' : 'Free-shipping threshold';
  const head = `${what} ${a(e.thresholdMinor)}${c.ruleId ? ` (${c.ruleId})` : ''}, live since ${formatDay(e.sinceMs)}: ${e.post.days.toFixed(0)} days, ${count(e.post.orders)} orders`;
  const v = thresholdVerdict(e, c);
  const lines = [style.chalk.bold(wrap(head, WIDTH)), wrap(`${style.chalk.bold(v.word)}: ${v.sentence}`, WIDTH), ''];
  for (const [label, text] of thresholdEvidence(e, c)) lines.push(labelled(label, text));
  return `${lines.join('\n')}\n`;
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
    verdict: { action: e.verdict.action, reason: e.verdict.reason, headline: `${v.word}: ${v.sentence}` },
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
          counterfactualInReach: ratio(b.counterfactualInReach, 2),
          intervalSource: b.intervalSource, placebos: b.placebosUsed, placeboInflation: ratio(b.placeboInflation, 4),
        }
      : null,
    uptake: b ? { estimate: ratio(b.uptake), low: ratio(Math.max(0, b.uptakeLow)), high: ratio(b.uptakeHigh) } : null,
    tooEarly: e.tooEarly ? { neededOrders: Number.isFinite(e.tooEarly.neededOrders) ? e.tooEarly.neededOrders : null, moreOrders: Number.isFinite(e.tooEarly.moreOrders) ? e.tooEarly.moreOrders : null, days: ratio(e.tooEarly.days, 2), minDays: e.tooEarly.minDays, effectUptake: e.tooEarly.uptake } : null,
    economics: x
      ? {
          months: ratio(x.months, 2),
          qualifyingOrders: x.qualifyingOrders, rewardPaid: m(x.rewardPaidMinor), rewardSource: x.rewardSource, rewardToAlreadyAbove: m(x.rewardToAlreadyAboveMinor),
          perMovedOrder: m(x.perMovedOrderMinor), overshoot: m(x.overshootMinor), overshootSource: x.overshootSource,
          marginRate: ratio(x.marginRate, 4), marginSource: x.marginSource,
          extraMargin: m(x.extraMarginMinor), extraMarginLow: m(x.extraMarginLowMinor), extraMarginHigh: m(x.extraMarginHighMinor),
          net: m(x.netMinor), netLow: m(x.netLowMinor), netHigh: m(x.netHighMinor), netPerMonth: m(x.netMinor / x.months),
          probabilityPositive: ratio(x.probabilityPositive, 4),
        }
      : null,
    aov: {
      method: e.change.method,
      windows: Object.fromEntries(Object.entries(e.change.windows).map(([k, w]) => [k, Array.isArray(w) ? [formatDay(w[0]), formatDay(w[1] - 1)] : w])),
      mean: change(e.change.mean),
      median: change(e.change.median),
      resamples: e.change.resamples,
    },
    notes: c.notes,
  };
}
