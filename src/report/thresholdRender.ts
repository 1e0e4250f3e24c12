/** `aov suggest-threshold` output: aov.threshold/v1 JSON, the terminal view, and the threshold rule. */
import Table from 'cli-table3';
import type { Candidate, PriorUnknown, UnknownSensitivity } from '../analysis/threshold.js';
import type { ReachReading } from '../analysis/calibration.js';
import type { ThresholdPlan } from '../analysis/thresholdPlan/plan.js';
import { formatAmount, formatCount, formatDay, formatPct, money, plainChars, ratio, truncate, wrap, type Style, formatProbability } from './format.js';
import { thresholdMessages } from './ruleMessages.js';
import { visible } from './visible.js';
import { recommendationReason, resultReason } from './thresholdReasons.js';

/** One currency's threshold decision, as the plan made it (src/analysis/thresholdPlan/plan.ts). */
export type ThresholdView = ThresholdPlan;

function candidateJson(c: Candidate, decimals: number) {
  const m = (x: number) => money(x, decimals);
  return {
    threshold: m(c.threshold),
    aboveAovPct: ratio(c.aboveAovPct, 4),
    shareAlreadyAbove: ratio(c.shareAlreadyAbove),
    ordersInReach: c.ordersInReach,
    ordersInReachNotCredited: c.ordersInReachNotCredited,
    expectedTopUps: ratio(c.expectedTopUps, 2),
    projectedAov: m(c.projectedAovMinor),
    incrementalRevenue: m(c.incrementalRevenueMinor),
    incrementalMargin: m(c.incrementalMarginMinor),
    rewardCost: m(c.rewardCostMinor),
    expectedNetMargin: m(c.expectedNetMarginMinor),
    netPerMonth: m(c.netPerMonthMinor),
    netLow: m(c.netLowMinor),
    netHigh: m(c.netHighMinor),
    probabilityPositive: ratio(c.probabilityPositive, 4),
    probabilityMeanPositive: ratio(c.probabilityMeanPositive, 4),
    sweep: { low: m(c.sweepLowMinor), high: m(c.sweepHighMinor) },
    breakEven: {
      uptake: c.breakEvenUptake === null ? null : ratio(c.breakEvenUptake, 4),
      zoneShare: c.breakEvenZoneShare === null ? null : ratio(c.breakEvenZoneShare, 4),
      priorProbability: c.priorProbabilityAboveBreakEven === null ? null : ratio(c.priorProbabilityAboveBreakEven, 4),
    },
    decidedBy: c.sensitivity.map((s) => sensitivityJson(s, decimals)),
  };
}

/** One unknown's sensitivity; reach and overshoot as money, uptake and returns as shares. */
function sensitivityJson(s: UnknownSensitivity, decimals: number) {
  const value = (x: number) => (s.unknown === 'reach' || s.unknown === 'overshoot' ? money(x, decimals) : ratio(x, 4));
  const side = (g: UnknownSensitivity['low']) => ({ from: value(g.from), to: value(g.to), probabilityPositive: ratio(g.probabilityPositive, 4) });
  return { unknown: s.unknown, index: ratio(s.index, 4), low: side(s.low), high: side(s.high) };
}

const UNKNOWN_WORDS: Record<PriorUnknown, string> = {
  uptake: 'the uptake (the share of carts a tiny gap below that top up)',
  reach: 'the reach (how far below the threshold a cart still tops up)',
  overshoot: 'the overshoot (how far past the threshold a top-up lands)',
  returns: 'the share of top-up items returned',
  shape: 'the shape of the fall-off (how fast the uptake drops as the gap grows)',
};

/** Below this first-order index no single unknown is said to decide the answer. */
export const DECIDING_INDEX = 0.1;

/**
 * The assumption that decides whether a candidate pays: the unknown of the prior with the
 * largest first-order sensitivity index on "net > 0", and P(net > 0) at its low and high end.
 */
export function decidingSentence(v: ThresholdView, c: Candidate): string {
  const top = c.sensitivity[0];
  if (!top) return '';
  // (no spread in the answer: nothing to decide between)
  if (c.probabilityPositive === 0) return 'It loses money in every draw of the prior: no value of the assumptions within their ranges makes it pay.';
  if (c.probabilityPositive === 1) return 'It pays in every draw of the prior: no value of the assumptions within their ranges makes it lose.';
  if (!(top.index >= DECIDING_INDEX)) {
    return `No single assumption decides it (none accounts for ${formatPct(DECIDING_INDEX, 0)} of whether it pays): the spread comes from their combination, the orders and which of them top up.`;
  }
  const money = top.unknown === 'reach' || top.unknown === 'overshoot';
  const value = (x: number) => (money ? formatAmount(x, v.decimals) : formatPct(x, 0));
  const range = (g: UnknownSensitivity['low']) => `${g.from === g.to ? value(g.from) : `${value(g.from)}-${value(g.to)}`}${money ? ` ${v.currency}` : ''}`;
  const noun: Record<PriorUnknown, (g: UnknownSensitivity['low']) => string> = {
    uptake: (g) => `an uptake of ${range(g)}`, reach: (g) => `a reach of ${range(g)}`,
    overshoot: (g) => `an overshoot of ${range(g)}`, returns: (g) => `${range(g)} returned`,
    // (several shapes are a harness option, bench/threshold-sim --shapes; the command has one)
    shape: (g) => `the prior's fall-off shape no. ${g.from + 1}`,
  };
  const rest = c.sensitivity.slice(1).filter((s) => s.index >= DECIDING_INDEX).map((s) => s.unknown);
  // What would settle it: the data that pins this unknown.
  const settle: Record<PriorUnknown, string> = {
    uptake: 'A threshold that ran measures it: --existing-threshold.',
    reach: 'Give --reach if you know it; a threshold that ran narrows it: --existing-threshold.',
    overshoot: 'Give --overshoot if you know it.',
    returns: 'Give --returns from your return rate.',
    shape: 'A threshold that ran narrows it: --existing-threshold.',
  };
  return (
    `What decides it is ${UNKNOWN_WORDS[top.unknown]}: it pays in ${formatProbability(top.low.probabilityPositive)} of the draws with ${noun[top.unknown](top.low)} and in ${formatProbability(top.high.probabilityPositive)} with ${noun[top.unknown](top.high)}` +
    `${rest.length ? `; ${rest.join(' and ')} also matter${rest.length === 1 ? 's' : ''}` : ''}. ${settle[top.unknown]}`
  );
}

/**
 * What the answer depends on: the break-even uptake at a threshold, as the share of the carts
 * within reach below it that must top up, and how likely the prior makes that.
 */
export function breakEvenSentence(v: ThresholdView, c: Candidate): string {
  const a = (x: number) => `${formatAmount(x, v.decimals)} ${v.currency}`;
  if (c.breakEvenUptake === null) return `At ${a(c.threshold)} no uptake pays: even if every cart within ${a(v.assumptions.reachMinor)} topped up, the reward on the orders already above would cost more.`;
  const share = c.breakEvenZoneShare ?? c.breakEvenUptake;
  // (the uptake prior's probability of the break-even uptake at the point reach: not P(net > 0), which also integrates the reach, overshoot and returns)
  const prior = c.priorProbabilityAboveBreakEven === null ? `(assumed: ${formatPct(v.assumptions.p0, 0)} at a tiny gap)` : `; the uptake prior alone puts that at ${formatProbability(c.priorProbabilityAboveBreakEven)}`;
  return `At ${a(c.threshold)} it is profitable if at least ${formatPct(share, 0)} of the carts within ${a(v.assumptions.reachMinor)} below it top up (an uptake of ${formatPct(c.breakEvenUptake, 0)} at a tiny gap)${prior}.`;
}

export function recommendationSentence(v: ThresholdView): string {
  const a = (x: number) => `${formatAmount(x, v.decimals)} ${v.currency}`;
  const r = v.result.recommendation;
  const reward = v.mode === 'gift' ? 'a free gift' : 'free shipping';
  if (r) {
    const c = v.result.candidates.find((x) => x.threshold === r.threshold)!;
    return (
      // Measured from the anchor it names (aboveAovPct is from the mean, which --anchor median is not).
      `Offer ${reward} above ${a(r.threshold)} (${formatPct(r.threshold / v.anchorMinor - 1, 0)} above the ${v.anchor} order of ${a(v.anchorMinor)}): ` +
      `expected +${a(c.netPerMonthMinor)} net margin a month (90% ${a(c.netLowMinor / v.window.months)} to ${a(c.netHighMinor / v.window.months)}), ` +
      `P(gain) ${formatProbability(r.probabilityPositive)}; AOV ${a(v.result.baseAovMinor)} -> ${a(c.projectedAovMinor)}. ${breakEvenSentence(v, c)}` +
      (c.sensitivity.length ? ` ${decidingSentence(v, c)}` : '')
    );
  }
  const needed = v.result.needed;
  const parts: string[] = [];
  if (needed?.uptakeNeeded !== null && needed?.uptakeNeeded !== undefined) parts.push(`an uptake of ${formatPct(needed.uptakeNeeded, 0)} or more (assumed ${formatPct(v.assumptions.p0, 0)})`);
  if (needed?.rewardCostNeededMinor !== null && needed?.rewardCostNeededMinor !== undefined) {
    parts.push(needed.rewardCostNeededMinor < 1 ? `a ${v.mode === 'gift' ? 'gift' : 'reward'} that costs next to nothing` : `a ${v.mode === 'gift' ? 'gift' : 'reward'} costing under ${a(needed.rewardCostNeededMinor)}`);
  }
  const best = needed ? v.result.candidates.find((x) => x.threshold === needed.threshold) : undefined;
  // What the search solved for: the bar a recommendation must clear (the break-even sentence after it is another question).
  const bar = v.result.noRecommendation?.kind === 'not confident' ? v.result.noRecommendation.confidence : 0.9;
  return `No threshold to recommend: ${resultReason(v.result)}.${parts.length ? ` At ${needed ? a(needed.threshold) : 'the best candidate'}, P(net > 0) would reach ${formatPct(bar, 0)} with ${parts.join(' or ')}.` : ''}${best && v.assumptions.prior ? ` ${breakEvenSentence(v, best)}${best.sensitivity.length ? ` ${decidingSentence(v, best)}` : ''}` : ''}`;
}

export function thresholdRule(v: ThresholdView) {
  const r = v.result.recommendation;
  if (!r) return null;
  const c = v.result.candidates.find((x) => x.threshold === r.threshold)!;
  const kind = v.mode === 'gift' ? 'gift' : 'free_shipping';
  const gaps = v.sortedValues.filter((x) => x < r.threshold && x >= r.threshold - v.assumptions.reachMinor);
  const typicalGap = gaps.length ? r.threshold - gaps[Math.floor(gaps.length / 2)] : v.assumptions.reachMinor / 2;
  const { message, examples } = thresholdMessages(kind, v.locales, v.currency, Math.round(typicalGap) / 10 ** v.decimals);
  const amount = (x: number) => formatAmount(x, v.decimals).replace(/,/g, '');
  return {
    type: v.mode === 'gift' ? ('gift_threshold' as const) : ('free_shipping_threshold' as const),
    threshold: { amount: amount(r.threshold), currency: v.currency },
    basis: v.assumptions.basis.value,
    reward: { kind, description: v.mode === 'gift' ? 'free gift' : 'free shipping', cost: { amount: amount(v.assumptions.rewardMinor), currency: v.currency } },
    message,
    messageExamples: examples,
    gapFillers: v.gapFillers.slice(0, 6).map((g) => ({ item: g.label, name: g.name, price: { amount: amount(g.priceMinor), currency: v.currency }, closes: g.closes })),
    expected: {
      netMarginPerMonth: money(c.netPerMonthMinor, v.decimals),
      netMarginWindow: money(c.expectedNetMarginMinor, v.decimals),
      netLow: money(c.netLowMinor, v.decimals),
      netHigh: money(c.netHighMinor, v.decimals),
      probabilityPositive: ratio(c.probabilityPositive, 4),
      decidedBy: c.sensitivity.map((s) => sensitivityJson(s, v.decimals)),
      projectedAov: money(c.projectedAovMinor, v.decimals),
      topUpsPerMonth: ratio(c.expectedTopUps / v.window.months, 2),
    },
    assumptions: assumptionsJson(v),
    data: { from: formatDay(v.window.from), to: formatDay(v.window.to), orders: v.window.orders },
  };
}

function assumptionsJson(v: ThresholdView) {
  const a = v.assumptions;
  return {
    uptake: a.p0, uptakeSource: a.p0Source,
    reach: money(a.reachMinor, v.decimals), reachSource: a.reachSource,
    overshoot: money(a.overshootMinor, v.decimals), overshootSource: a.overshootSource,
    origin: a.origin,
    basis: a.basis.value, basisText: a.basis.text,
    shape: a.shape, margin: a.margin,
    topUpMargin: a.topUpMarginRate === null ? null : ratio(a.topUpMarginRate, 4), topUpMarginSource: a.topUpMarginSource,
    rewardCost: money(a.rewardMinor, v.decimals), rewardSource: a.rewardSource,
    resamples: a.resamples, seed: a.seed,
    prior: a.prior
      ? {
          uptake: a.prior.uptake ? { distribution: 'beta', alpha: ratio(a.prior.uptake.alpha, 4), beta: ratio(a.prior.uptake.beta, 4), range90: a.prior.uptake.range.map((x) => ratio(x, 4)) } : null,
          reachScales: a.prior.reachScales.map((x) => ratio(x, 4)),
          overshoot: { low: money(a.prior.overshootLowMinor, v.decimals), high: money(a.prior.overshootHighMinor, v.decimals) },
          returns: { low: ratio(a.prior.returnLow, 4), high: ratio(a.prior.returnHigh, 4) },
        }
      : null,
  };
}

/** One assumption of a threshold decision: what, its value, where it came from. */
export interface AssumptionRow {
  assumption: string;
  value: string;
  source: string;
  origin: 'data' | 'option' | 'prior' | 'default';
}

/**
 * Every assumption the decision rests on, with its value and origin (data, an option, the
 * stated prior, aov's default), for the report's table. With a prior, the uptake, reach and
 * overshoot rows give the prior's range too, and the returns (a prior only) get a row.
 */
export function assumptionRows(v: ThresholdView): AssumptionRow[] {
  const a = (x: number) => `${formatAmount(x, v.decimals)} ${v.currency}`;
  const s = v.assumptions;
  const p = s.prior;
  const rows: AssumptionRow[] = [
    {
      assumption: 'Uptake at a tiny gap', value: `${formatPct(s.p0, 0)}${p?.uptake ? ` (${s.origin.uptake === 'data' ? '95% interval' : 'prior 90%'} ${formatPct(p.uptake.range[0], 0)}-${formatPct(p.uptake.range[1], 0)})` : ''}`,
      source: s.p0Source, origin: s.origin.uptake,
    },
    {
      assumption: 'Reach (how far below the threshold a cart tops up)', value: `${a(s.reachMinor)}${p ? ` (prior x${p.reachScales[0].toFixed(2)} to x${p.reachScales[p.reachScales.length - 1].toFixed(2)})` : ''}`,
      source: `${s.reachSource}${p ? '; the spread is the prior\'s' : ''}`, origin: s.origin.reach,
    },
    {
      assumption: 'Overshoot past the threshold', value: `${a(s.overshootMinor)}${p ? ` (${formatAmount(p.overshootLowMinor, v.decimals)} to ${a(p.overshootHighMinor)})` : ''}`,
      source: s.overshootSource, origin: s.origin.overshoot,
    },
    { assumption: 'Margin', value: s.margin.startsWith('per order') ? 'per order' : s.margin.split(' ')[0], source: s.margin, origin: s.origin.margin },
    { assumption: 'Margin on a top-up', value: s.topUpMarginRate !== null ? formatPct(s.topUpMarginRate) : 'the order\'s own', source: s.topUpMarginSource, origin: s.origin.topUpMargin },
    { assumption: 'Threshold compared with', value: `order ${s.basis.value}`, source: s.basis.text, origin: 'option' },
    { assumption: v.mode === 'gift' ? 'Gift cost per qualifying order' : 'Shipping waived per qualifying order', value: a(s.rewardMinor), source: s.rewardSource, origin: s.origin.reward },
  ];
  if (p) rows.push({ assumption: 'Top-up items returned', value: `${formatPct(p.returnLow, 0)}-${formatPct(p.returnHigh, 0)}`, source: 'a stated prior (--returns): padded purchases come back more often than others (Cachon, Gallino & Xu 2018); their margin is lost, the reward is not', origin: 'prior' });
  return rows;
}

/** The prior in one line for the terminal. */
function priorLine(v: ThresholdView): string {
  const p = v.assumptions.prior;
  if (!p) return 'No prior (--no-prior): uptake, reach and overshoot are taken as known, so the interval and P>0 cover the orders only.';
  const a = (x: number) => formatAmount(x, v.decimals);
  const uptake = p.uptake ? `uptake at a tiny gap ~ Beta(${p.uptake.alpha.toFixed(1)}, ${p.uptake.beta.toFixed(1)}) (90% ${formatPct(p.uptake.range[0], 0)}-${formatPct(p.uptake.range[1], 0)})` : `uptake ${formatPct(v.assumptions.p0, 0)} taken as known`;
  return `Prior (an assumption, not data): ${uptake}; reach x${p.reachScales[0].toFixed(2)} to x${p.reachScales[p.reachScales.length - 1].toFixed(2)}; overshoot ${a(p.overshootLowMinor)} to ${a(p.overshootHighMinor)} (${p.overshootBasis}); ${formatPct(p.returnLow, 0)}-${formatPct(p.returnHigh, 0)} of top-up items returned. Interval and P>0 also cover the orders and which of them top up.`;
}

export function thresholdJson(v: ThresholdView) {
  const m = (x: number) => money(x, v.decimals);
  const cal = v.calibration;
  return {
    schema: 'aov.threshold/v1',
    currency: v.currency,
    mode: v.mode,
    window: { from: formatDay(v.window.from), to: formatDay(v.window.to), months: ratio(v.window.months, 2), orders: v.window.orders },
    baseAov: m(v.result.baseAovMinor),
    anchor: { kind: v.anchor, value: m(v.anchorMinor) },
    assumptions: assumptionsJson(v),
    candidates: v.result.candidates.map((c) => candidateJson(c, v.decimals)),
    recommendation: v.result.recommendation
      ? { threshold: m(v.result.recommendation.threshold), expectedNetMargin: m(v.result.recommendation.expectedNetMarginMinor), probabilityPositive: ratio(v.result.recommendation.probabilityPositive, 4), reason: recommendationReason(v.result.recommendation) }
      : null,
    reason: resultReason(v.result),
    summary: recommendationSentence(v),
    needed: v.result.needed
      ? { threshold: m(v.result.needed.threshold), uptake: v.result.needed.uptakeNeeded === null ? null : ratio(v.result.needed.uptakeNeeded, 3), rewardCost: v.result.needed.rewardCostNeededMinor === null ? null : m(v.result.needed.rewardCostNeededMinor) }
      : null,
    calibration: cal
      ? {
          threshold: m(cal.bunching.threshold), used: cal.used, refusal: cal.refusal,
          movedOrders: ratio(cal.bunching.movedOrders, 1), movedOrdersLow: ratio(cal.bunching.movedOrdersLow, 1), movedOrdersHigh: ratio(cal.bunching.movedOrdersHigh, 1),
          p0: ratio(cal.p0, 4), p0Low: ratio(cal.p0Low, 4), p0High: ratio(cal.p0High, 4),
          zoneShare: ratio(cal.bunching.zoneShare, 4), zoneShareLow: ratio(cal.bunching.zoneShareLow, 4), zoneShareHigh: ratio(cal.bunching.zoneShareHigh, 4),
          reach: m(cal.bunching.reachMinor), z: ratio(cal.bunching.z, 2),
          intervalSource: cal.bunching.intervalSource, placebos: cal.bunching.placebosUsed,
          consistency: { excessAbove: ratio(cal.bunching.excessAbove, 1), missingBelow: ratio(cal.bunching.missingBelow, 1), disagreement: ratio(cal.bunching.inconsistency, 2), placeboBound: ratio(cal.bunching.placeboInconsistency, 2), consistent: cal.bunching.consistent },
          byReach: cal.byReach?.map((r) => ({
            reachScale: ratio(r.scale, 3), reach: m(r.reachMinor),
            movedOrders: ratio(r.movedOrders, 1), movedOrdersLow: ratio(r.movedOrdersLow, 1), movedOrdersHigh: ratio(r.movedOrdersHigh, 1),
            source: r.priorBecause === null ? 'data' : 'prior', priorBecause: r.priorBecause,
          })) ?? null,
        }
      : null,
    detectedThresholds: v.detected.map((d) => ({ threshold: m(d.threshold), movedOrders: ratio(d.movedOrders, 1), z: ratio(d.z, 2) })),
    gapFillers: v.gapFillers.map((g) => ({ item: g.label, name: g.name, price: m(g.priceMinor), margin: g.marginMinor === null ? null : m(g.marginMinor), attachRate: ratio(g.attachRate, 4), closes: g.closes, gap: m(g.gapMinor) })),
    rule: thresholdRule(v),
    notes: v.notes,
  };
}

/**
 * How the calibration read each reach the prior allows: each with its own windows, and where
 * the history cannot be read there, the stated prior.
 */
export function reachReadingSentence(readings: readonly ReachReading[], a: (minor: number) => string): string {
  const read = readings.filter((r) => r.priorBecause === null);
  const prior = readings.filter((r) => r.priorBecause !== null);
  const list = (rs: readonly ReachReading[]) => rs.map((r) => a(r.reachMinor)).join(', ');
  const moved = read.map((r) => `${r.movedOrders.toFixed(0)} at ${a(r.reachMinor)}`).join(', ');
  const head = `Each reach the prior allows is read with its own windows (moved orders: ${moved})`;
  if (!prior.length) return `${head}.`;
  const reasons = [...new Set(prior.map((r) => r.priorBecause))].join('; ');
  return `${head}; at ${list(prior)} the history cannot be read (${reasons}), so the stated uptake prior stands there.`;
}

/** A horizontal histogram of order values with the AOV, the threshold and the reach zone marked. */
export function renderHistogram(v: ThresholdView, threshold: number | null, style: Style, rows = 16): string {
  const values = v.sortedValues;
  if (values.length === 0) return '';
  const top = values[Math.min(values.length - 1, Math.floor(values.length * 0.98))];
  const width = Math.max(1, Math.ceil(top / rows));
  const counts = new Array(rows).fill(0);
  for (const x of values) if (x < rows * width) counts[Math.max(0, Math.floor(x / width))]++;
  const max = Math.max(...counts, 1);
  const a = (x: number) => formatAmount(x, v.decimals);
  const lines: string[] = [];
  const reach = v.assumptions.reachMinor;
  for (let i = 0; i < rows; i++) {
    const lo = i * width;
    const hi = lo + width;
    const marks: string[] = [];
    if (v.result.baseAovMinor >= lo && v.result.baseAovMinor < hi) marks.push('AOV');
    if (threshold !== null && threshold >= lo && threshold < hi) marks.push('threshold');
    const inReach = threshold !== null && hi > threshold - reach && lo < threshold;
    const bar = (inReach ? '▒' : '█').repeat(Math.round((counts[i] / max) * 36));
    const label = `${a(lo).padStart(9)} - ${a(hi).padEnd(9)}`;
    lines.push(`${label} ${inReach ? style.chalk.yellow(bar) : bar}${marks.length ? ` <- ${marks.join(', ')}` : ''}`);
  }
  lines.push(style.chalk.dim(wrap(`▒ = reach zone (orders within ${a(reach)} below the threshold); ${formatCount(values.length - counts.reduce((s, c) => s + c, 0))} orders above ${a(rows * width)} not shown`, 78)));
  return lines.join('\n');
}

export function renderThreshold(v: ThresholdView, style: Style): string {
  const { chalk } = style;
  const out: string[] = [];
  const a = (x: number) => formatAmount(x, v.decimals);
  out.push(chalk.bold(wrap(recommendationSentence(v), 78)));
  out.push(chalk.dim(wrap(`${v.currency}, ${formatCount(v.window.orders)} orders ${formatDay(v.window.from)} to ${formatDay(v.window.to)}, thresholds on the order ${v.assumptions.basis.value}; uptake ${formatPct(v.assumptions.p0, 0)} (${v.assumptions.p0Source}), reach ${a(v.assumptions.reachMinor)} (${v.assumptions.reachSource}), overshoot ${a(v.assumptions.overshootMinor)}, margin ${v.assumptions.margin}${v.assumptions.topUpMarginRate !== null ? `, top-up margin ${v.assumptions.topUpMarginSource}` : ''}, ${v.mode === 'gift' ? 'gift' : 'shipping'} cost ${a(v.assumptions.rewardMinor)}.`, 78)));
  const t = new Table({
    head: ['Threshold', '+AOV', 'Above', 'Top-ups', 'AOV after', 'Net/month', '90% (month)', 'P>0'],
    style: { ...style.tableStyle, 'padding-left': 1, 'padding-right': 0 },
    chars: plainChars(),
    colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  const rec = v.result.recommendation?.threshold;
  for (const c of v.result.candidates) {
    const row = [
      `${c.threshold === rec ? '> ' : ''}${a(c.threshold)}`, formatPct(c.aboveAovPct, 0), formatPct(c.shareAlreadyAbove, 0), c.expectedTopUps.toFixed(0), a(c.projectedAovMinor),
      a(c.netPerMonthMinor), `${a(c.netLowMinor / v.window.months)}..${a(c.netHighMinor / v.window.months)}`, formatProbability(c.probabilityPositive),
    ];
    t.push(c.threshold === rec ? row.map((cell) => chalk.green(cell)) : row);
  }
  out.push(chalk.dim(wrap(priorLine(v), 78)));
  out.push(t.toString());
  out.push(renderHistogram(v, rec ?? v.result.needed?.threshold ?? null, style));
  if (v.calibration) {
    const c = v.calibration.bunching;
    const evidence = c.intervalSource === 'bootstrap and placebos' ? `the orders resampled and ${c.placebosUsed} placebo thresholds` : 'the orders resampled';
    const used = v.calibration.used ? (v.assumptions.p0Source.startsWith('calibrated') ? 'used above' : 'not used: --uptake was given') : `not used: ${v.calibration.refusal}`;
    const moved = c.movedOrders > 0 ? `about ${c.movedOrders.toFixed(0)} orders topped up to reach it` : `no orders moved to it (estimate ${c.movedOrders.toFixed(0)})`;
    out.push(wrap(`Calibration at the existing threshold ${a(c.threshold)}: ${moved} (95% ${c.movedOrdersLow.toFixed(0)} to ${c.movedOrdersHigh.toFixed(0)}, from ${evidence}), an uptake of ${formatPct(v.calibration.p0, 0)} (95% ${formatPct(v.calibration.p0Low, 0)} to ${formatPct(v.calibration.p0High, 0)}); ${used}.`, 78));
    const readings = v.calibration.byReach;
    if (v.calibration.used && readings) out.push(wrap(reachReadingSentence(readings, a), 78));
  }
  for (const d of v.detected) out.push(chalk.yellow(wrap(`! Orders bunch just above ${a(d.threshold)} (about ${d.movedOrders.toFixed(0)} extra orders, z = ${d.z.toFixed(1)}): a threshold may already be running there; --existing-threshold ${formatAmount(d.threshold, v.decimals)} calibrates from it.`, 78)));
  if (v.gapFillers.length) {
    out.push(chalk.bold('Gap fillers for the "you\'re X away" widget'));
    out.push(chalk.dim('  item                           price   closes gap    in carts'));
    for (const g of v.gapFillers.slice(0, 6)) out.push(`  ${truncate(visible(g.name), 28).padEnd(28)} ${a(g.priceMinor).padStart(8)}   ${g.closes.padEnd(6)} ${a(g.gapMinor).padStart(6)}   ${formatPct(g.attachRate).padStart(8)}`);
  }
  return `${out.join('\n')}\n`;
}
