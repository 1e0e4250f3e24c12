/** Renderers for the loyalty suggestions: aov.tier/v1, aov.secondOrder/v1, the NPS block, and their rules. */
import type { SecondOrderResult, TierResult } from '../analysis/loyalty.js';
import type { NpsBesideAov, NpsResult } from '../analysis/nps.js';
import { formatAmount, formatCount, formatDay, formatPct, money, ratio, wrap, type Style } from './format.js';

export function tierRule(t: TierResult, currency: string, decimals: number, responseTargetHours = 2) {
  return {
    type: 'priority_support_tier' as const,
    name: 'Premium',
    minSpend: { amount: formatAmount(t.minSpendMinor, decimals).replace(/,/g, ''), currency },
    window: `${t.windowDays}d`,
    responseTargetHours,
    members: t.members,
    expected: {
      memberRevenueShare: ratio(t.memberRevenueShare),
      memberAov: money(t.memberAovMinor, decimals),
      everyoneAov: money(t.everyoneAovMinor, decimals),
      nearLine: t.nearLine,
    },
    assumptions: { topShare: t.topShare, spend: `order value summed per customer over the last ${t.windowDays} days of data` },
  };
}

export function tierJson(t: TierResult, currency: string, decimals: number, responseTargetHours?: number) {
  const m = (x: number) => money(x, decimals);
  return {
    schema: 'aov.tier/v1',
    currency,
    window: { days: t.windowDays, from: formatDay(t.windowFrom), to: formatDay(t.windowTo) },
    customers: t.customers,
    topShare: t.topShare,
    minSpend: m(t.minSpendMinor),
    members: t.members,
    memberRevenueShare: ratio(t.memberRevenueShare),
    memberAov: m(t.memberAovMinor),
    everyoneAov: m(t.everyoneAovMinor),
    memberRepeatRate: ratio(t.memberRepeatRate),
    everyoneRepeatRate: ratio(t.everyoneRepeatRate),
    nearLine: t.nearLine,
    rule: tierRule(t, currency, decimals, responseTargetHours),
  };
}

export function renderTier(t: TierResult, currency: string, decimals: number, style: Style): string {
  const a = (x: number) => `${formatAmount(x, decimals)} ${currency}`;
  return (
    [
      style.chalk.bold(wrap(`Premium tier: customers who spent ${a(t.minSpendMinor)} or more in the last ${t.windowDays} days of data`, 78)),
      wrap(
        `${formatCount(t.members)} of ${formatCount(t.customers)} customers (${formatPct(t.members / t.customers)}) bring ${formatPct(t.memberRevenueShare)} of revenue; ` +
          `their AOV is ${a(t.memberAovMinor)} vs ${a(t.everyoneAovMinor)} for everyone, and ${formatPct(t.memberRepeatRate)} of them ordered more than once (everyone: ${formatPct(t.everyoneRepeatRate)}). ` +
          `${formatCount(t.nearLine)} customers sit within 10% below the line: a "you're close to Premium" message could move them.`,
        78,
      ),
    ].join('\n') + '\n'
  );
}

export function secondOrderRule(r: SecondOrderResult, currency: string, decimals: number, gift: { costMinor: number; description: string }, validDays: number, customerKey: string) {
  return {
    type: 'second_order_gift' as const,
    oncePerCustomer: true,
    customerKey,
    gift: { description: gift.description, cost: { amount: formatAmount(gift.costMinor, decimals).replace(/,/g, ''), currency } },
    validDays,
    expected: {
      baseSecondOrderRate: ratio(r.baseRate),
      extraSecondOrdersPerYear: ratio(r.scenarios.base.extraSecondOrders, 1),
      netMarginPerYear: money(r.scenarios.base.netMinor, decimals),
      breakEvenLift: Number.isFinite(r.breakEvenLift) ? ratio(r.breakEvenLift) : null,
    },
    assumptions: { lift: r.scenarios.base.lift, liftRange: [r.scenarios.low.lift, r.scenarios.high.lift] },
  };
}

export function secondOrderJson(r: SecondOrderResult, currency: string, decimals: number, rule: ReturnType<typeof secondOrderRule>, keyWarning: string | null) {
  const m = (x: number) => money(x, decimals);
  const scenario = (s: SecondOrderResult['scenarios']['base']) => ({
    lift: ratio(s.lift), extraSecondOrders: ratio(s.extraSecondOrders, 1), extraMargin: m(s.extraMarginMinor), giftCost: m(s.giftCostMinor), subsidy: m(s.subsidyMinor), net: m(s.netMinor),
  });
  return {
    schema: 'aov.secondOrder/v1',
    currency,
    customers: r.customers,
    eligibleNow: r.eligibleNow,
    secondOrderRates: r.rates.map((x) => ({ days: x.days, rate: ratio(x.rate), eligible: x.eligible })),
    medianDaysToSecondOrder: ratio(r.medianDaysToSecondOrder, 1),
    firstOrderAov: m(r.firstOrderAovMinor),
    secondOrderAov: m(r.secondOrderAovMinor),
    newCustomersPerYear: ratio(r.newCustomersPerYear, 1),
    scenarios: { low: scenario(r.scenarios.low), base: scenario(r.scenarios.base), high: scenario(r.scenarios.high) },
    breakEvenLift: Number.isFinite(r.breakEvenLift) ? ratio(r.breakEvenLift) : null,
    warning: keyWarning,
    rule,
  };
}

export function renderSecondOrder(r: SecondOrderResult, currency: string, decimals: number, validDays: number, keyWarning: string | null, style: Style): string {
  const a = (x: number) => `${formatAmount(x, decimals)} ${currency}`;
  const rates = r.rates.filter((x) => x.eligible > 0).map((x) => `${x.days} days ${formatPct(x.rate)}`).join(', ');
  const s = r.scenarios;
  const lines = [
    style.chalk.bold(`Second-order gift (one per customer, valid ${validDays} days)`),
    wrap(
      `${formatCount(r.eligibleNow)} customers have exactly one order (eligible now). First-time customers ordered again within ${rates || 'n/a'}; ` +
        `median ${Number.isFinite(r.medianDaysToSecondOrder) ? Math.round(r.medianDaysToSecondOrder) : '–'} days to the second order. ` +
        `Second orders average ${a(r.secondOrderAovMinor)} (first orders ${a(r.firstOrderAovMinor)}).`,
      78,
    ),
    wrap(
      `Per year of new customers (${formatCount(r.newCustomersPerYear)}): with a ${formatPct(s.base.lift)} lift the gift adds ${s.base.extraSecondOrders.toFixed(1)} second orders and nets ${a(s.base.netMinor)} ` +
        `(low ${formatPct(s.low.lift)}: ${a(s.low.netMinor)}; high ${formatPct(s.high.lift)}: ${a(s.high.netMinor)}), after paying ${a(s.base.subsidyMinor)} for gifts on second orders that would have come anyway. ` +
        (Number.isFinite(r.breakEvenLift) ? `It breaks even at a ${formatPct(r.breakEvenLift)} lift.` : 'The margin on a second order is below the gift cost: it never pays.'),
      78,
    ),
  ];
  if (keyWarning) lines.push(style.chalk.yellow(wrap(`! ${keyWarning}`, 78)));
  return `${lines.join('\n')}\n`;
}

function npsJson(r: NpsResult) {
  return { n: r.n, promoters: r.promoters, passives: r.passives, detractors: r.detractors, nps: ratio(r.nps, 2), low: ratio(r.low, 2), high: ratio(r.high, 2) };
}

export function npsBesideJson(r: NpsBesideAov, decimals: number, file: string, rejected: number) {
  return {
    file,
    interval: 'adjusted Wald, 95% (Rocks 2016)',
    answers: r.answers,
    rejected,
    matched: r.matched,
    unmatched: r.unmatched,
    overall: npsJson(r.overall),
    monthly: r.monthly.map((p) => ({ month: p.month, orders: p.orders, mean: money(p.meanMinor, decimals), nps: npsJson(p.nps) })),
    byTier: r.byTier ? { members: npsJson(r.byTier.members), others: npsJson(r.byTier.others) } : null,
    byThreshold: r.byThreshold ? { threshold: money(r.byThreshold.threshold, decimals), reached: npsJson(r.byThreshold.reached), notReached: npsJson(r.byThreshold.notReached) } : null,
    guard: r.guard ? { fired: r.guard.fired, aovChange: ratio(r.guard.aovChange), npsChange: ratio(r.guard.npsChange, 2), npsChangeLow: ratio(r.guard.npsChangeLow, 2), npsChangeHigh: ratio(r.guard.npsChangeHigh, 2), z: ratio(r.guard.z, 3), message: r.guard.message } : null,
  };
}

export function renderNps(r: NpsBesideAov, file: string, rejected: number, style: Style, currency = ''): string {
  const f = (x: NpsResult) => (x.n ? `${x.nps.toFixed(0)} (95% ${x.low.toFixed(0)} to ${x.high.toFixed(0)}, n=${x.n})` : 'no answers');
  const lines = [
    `${currency ? `${currency} ` : ''}NPS ${f(r.overall)} from ${file}; ${formatCount(r.matched)} answers matched to customers, ${formatCount(r.unmatched)} not matched, ${formatCount(rejected)} unreadable.`,
  ];
  if (r.byTier) lines.push(`Premium tier NPS ${f(r.byTier.members)}; others ${f(r.byTier.others)}.`);
  if (r.byThreshold) lines.push(`Customers who reached the threshold: NPS ${f(r.byThreshold.reached)}; who did not: ${f(r.byThreshold.notReached)}.`);
  if (r.guard) lines.push(r.guard.fired ? style.chalk.red(`! ${r.guard.message}`) : r.guard.message);
  return lines.map((l) => wrap(l, 78)).join('\n');
}
