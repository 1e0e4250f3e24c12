/** Renderers for the loyalty suggestions: aov.tier/v1, aov.secondOrder/v1, the NPS block, and their rules. */
import type { SurveyData } from '../io/survey.js';
import type { SecondOrderResult, TierResult } from '../analysis/loyalty.js';
import type { NpsBesideAov, NpsResult } from '../analysis/nps.js';
import { formatAmount, formatCount, formatDay, formatPct, money, ratio, wrap, type Style, formatProbability } from './format.js';

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

/** The once-per-customer condition cannot be enforced on an order without an account or email. */
export const GUEST_CHECKOUT_POLICY = 'not eligible: the once-per-customer condition needs an account or email';

/** Guest orders: without any customer key, or with the stand-in key (billing name + postal code). */
const guestOrderCount = (r: SecondOrderResult) => r.guestOrders + r.guestKeyOrders;
const guestShare = (r: SecondOrderResult) => (r.orders ? guestOrderCount(r) / r.orders : NaN);

export function secondOrderRule(r: SecondOrderResult, currency: string, decimals: number, gift: { costMinor: number; description: string }, validDays: number, customerKey: string) {
  const u = r.uncertainty;
  return {
    type: 'second_order_gift' as const,
    oncePerCustomer: true,
    customerKey,
    guestCheckout: GUEST_CHECKOUT_POLICY,
    gift: { description: gift.description, cost: { amount: formatAmount(gift.costMinor, decimals).replace(/,/g, ''), currency } },
    validDays,
    expected: {
      baseSecondOrderRate: ratio(r.baseRate),
      secondOrderAov: money(r.secondOrderAovMinor, decimals),
      extraSecondOrdersPerYear: ratio(r.scenarios.base.extraSecondOrders, 1),
      netMarginPerYear: money(r.scenarios.base.netMinor, decimals),
      netMarginPerYearInterval: [money(u.netLowMinor, decimals), money(u.netHighMinor, decimals)],
      breakEvenLift: Number.isFinite(r.breakEvenLift) ? ratio(r.breakEvenLift) : null,
      breakEvenLiftInterval: [ratio(u.breakEvenLiftLow), ratio(u.breakEvenLiftHigh)],
      intervalLevel: u.level,
      eligibleNow: r.eligibleNow,
      guestOrderShare: ratio(guestShare(r)),
    },
    assumptions: {
      lift: r.scenarios.base.lift,
      liftRange: [ratio(r.scenarios.low.lift), ratio(r.scenarios.high.lift)],
      burnInDays: r.burnInDays,
      newCustomers: `first order after the first ${r.burnInDays} days of data (burn-in): earlier ones may predate the export`,
      secondOrders: `second orders placed within ${validDays} days of the first`,
      interval: `${Math.round(u.level * 100)}% seeded bootstrap over new customers (${u.resamples} resamples, seed ${u.seed})`,
    },
  };
}

export function secondOrderJson(r: SecondOrderResult, currency: string, decimals: number, rule: ReturnType<typeof secondOrderRule>, keyWarning: string | null) {
  const m = (x: number) => money(x, decimals);
  const u = r.uncertainty;
  const scenario = (s: SecondOrderResult['scenarios']['base']) => ({
    lift: ratio(s.lift), extraSecondOrders: ratio(s.extraSecondOrders, 1), extraMargin: m(s.extraMarginMinor), giftCost: m(s.giftCostMinor), subsidy: m(s.subsidyMinor), net: m(s.netMinor),
  });
  return {
    schema: 'aov.secondOrder/v1',
    currency,
    customers: r.customers,
    burnIn: { days: r.burnInDays, until: formatDay(r.burnInEnd) },
    newCustomers: r.newCustomers,
    burnedInCustomers: r.burnedIn,
    oneOrderCustomers: r.oneOrderCustomers,
    eligibleNow: r.eligibleNow,
    orders: r.orders,
    guestOrders: { orders: guestOrderCount(r), withoutKey: r.guestOrders, guestKey: r.guestKeyOrders, guestKeyCustomers: r.guestKeyCustomers, share: ratio(guestShare(r)), policy: GUEST_CHECKOUT_POLICY },
    secondOrderRates: r.rates.map((x) => ({ days: x.days, rate: ratio(x.rate), eligible: x.eligible })),
    medianDaysToSecondOrder: ratio(r.medianDaysToSecondOrder, 1),
    firstOrderAov: m(r.firstOrderAovMinor),
    secondOrderAov: m(r.secondOrderAovMinor),
    secondOrdersWithinValidity: r.secondOrdersWithinValidity,
    allCustomersSecondOrderAovWithinValidity: m(r.allCustomersSecondOrderAovWithinMinor),
    allSecondOrderAov: m(r.allSecondOrderAovMinor),
    baseSecondOrderRate: ratio(r.baseRate),
    baseRateEligible: r.baseRateEligible,
    newCustomersPerYear: ratio(r.newCustomersPerYear, 1),
    scenarios: { low: scenario(r.scenarios.low), base: scenario(r.scenarios.base), high: scenario(r.scenarios.high) },
    breakEvenLift: Number.isFinite(r.breakEvenLift) ? ratio(r.breakEvenLift) : null,
    breakEvenLiftInterval: { level: u.level, low: ratio(u.breakEvenLiftLow), high: ratio(u.breakEvenLiftHigh), resamples: u.resamples, seed: u.seed },
    netInterval: { level: u.level, low: m(u.netLowMinor), high: m(u.netHighMinor) },
    probabilityPays: ratio(u.probabilityPays),
    warning: keyWarning,
    rule,
  };
}

export function renderSecondOrder(r: SecondOrderResult, currency: string, decimals: number, validDays: number, keyWarning: string | null, style: Style): string {
  const a = (x: number) => `${formatAmount(x, decimals)} ${currency}`;
  const rates = r.rates.filter((x) => x.eligible > 0).map((x) => `${x.days} days ${formatPct(x.rate)}`).join(', ');
  const s = r.scenarios;
  const u = r.uncertainty;
  const liftText = (x: number) => (Number.isFinite(x) ? formatPct(x) : 'never');
  const lines = [
    style.chalk.bold(`Second-order gift (one per customer, valid ${validDays} days)`),
    wrap(
      `${formatCount(r.eligibleNow)} new customers are eligible now (first order in the last ${validDays} days of data, no second order yet; ` +
        `${formatCount(r.oneOrderCustomers)} customers have one order in all).`,
      78,
    ),
    wrap(
      (r.burnInDays > 0
        ? `New customers: ${formatCount(r.newCustomers)} first seen after a ${r.burnInDays}-day burn-in (to ${formatDay(r.burnInEnd)}); ` +
          `${formatCount(r.burnedIn)} first seen in it are not counted as new (they may have ordered before the export; --burn-in sets it). `
        : `New customers: ${formatCount(r.newCustomers)} (no burn-in: everyone first seen in the data counts, though some may have ordered before the export). `) +
        `They ordered again within ${rates || 'n/a'}; ` +
        `median ${Number.isFinite(r.medianDaysToSecondOrder) ? Math.round(r.medianDaysToSecondOrder) : '–'} days to the second order. ` +
        `Their second orders within ${validDays} days average ${a(r.secondOrderAovMinor)} (${formatCount(r.secondOrdersWithinValidity)} ${r.secondOrdersWithinValidity === 1 ? 'order' : 'orders'}; first orders ${a(r.firstOrderAovMinor)}; ` +
        `all second orders, any customer, any time: ${a(r.allSecondOrderAovMinor)}).`,
      78,
    ),
    wrap(
      `Per year of new customers (${formatCount(r.newCustomersPerYear)}): with a ${formatPct(s.base.lift)} lift the gift adds ${Number.isFinite(s.base.extraSecondOrders) ? s.base.extraSecondOrders.toFixed(1) : '–'} second orders and nets ${a(s.base.netMinor)} ` +
        `(sampling 90% ${a(u.netLowMinor)} to ${a(u.netHighMinor)}; low ${formatPct(s.low.lift)}: ${a(s.low.netMinor)}; high ${formatPct(s.high.lift)}: ${a(s.high.netMinor)}), after paying ${a(s.base.subsidyMinor)} for gifts on second orders that would have come anyway. ` +
        (Number.isFinite(r.breakEvenLift)
          ? `It breaks even at a ${formatPct(r.breakEvenLift)} lift (90% ${liftText(u.breakEvenLiftLow)} to ${liftText(u.breakEvenLiftHigh)}, bootstrap over customers); at ${formatPct(s.base.lift)} it pays in ${formatProbability(u.probabilityPays)} of resamples.`
          : 'The margin on a second order is below the gift cost: it never pays.'),
      78,
    ),
  ];
  // Guest checkouts are always stated; over 5% of orders (keyWarning) they are a warning.
  const guestLine =
    `${keyWarning ? '! ' : ''}Guest checkouts: ${formatCount(guestOrderCount(r))} orders (${formatPct(guestShare(r))}) have no account or email` +
    (r.guestKeyOrders ? ` (${formatCount(r.guestKeyOrders)} keyed by billing name + postal code only, from ${formatCount(r.guestKeyCustomers)} guests, left out of the new customers)` : '') +
    `. The rule makes them not eligible: "one per customer" needs an account or email.`;
  lines.push(keyWarning ? style.chalk.yellow(wrap(guestLine, 78)) : wrap(guestLine, 78));
  return `${lines.join('\n')}\n`;
}

function npsJson(r: NpsResult) {
  return { n: r.n, promoters: r.promoters, passives: r.passives, detractors: r.detractors, nps: ratio(r.nps, 2), low: ratio(r.low, 2), high: ratio(r.high, 2) };
}

/** What the survey import could not use: the count, by reason, and the first rows with their line and column. */
export type SurveyRejects = Pick<SurveyData, 'file' | 'rejected' | 'rejectedByReason' | 'problems'>;

export function npsBesideJson(r: NpsBesideAov, decimals: number, survey: SurveyRejects) {
  return {
    file: survey.file,
    interval: 'adjusted Wald, 95% (Rocks 2016)',
    answers: r.answers,
    rejected: survey.rejected,
    rejectedByReason: survey.rejectedByReason,
    problems: survey.problems.map((p) => ({ reason: p.reason, line: p.line ?? null, column: p.column ?? null, value: p.value ?? null, message: p.message })),
    matched: r.matched,
    unmatched: r.unmatched,
    overall: npsJson(r.overall),
    monthly: r.monthly.map((p) => ({ month: p.month, orders: p.orders, mean: money(p.meanMinor, decimals), nps: npsJson(p.nps) })),
    byTier: r.byTier ? { members: npsJson(r.byTier.members), others: npsJson(r.byTier.others) } : null,
    byThreshold: r.byThreshold ? { threshold: money(r.byThreshold.threshold, decimals), reached: npsJson(r.byThreshold.reached), notReached: npsJson(r.byThreshold.notReached) } : null,
    guard: r.guard ? { fired: r.guard.fired, aovChange: ratio(r.guard.aovChange), npsChange: ratio(r.guard.npsChange, 2), npsChangeLow: ratio(r.guard.npsChangeLow, 2), npsChangeHigh: ratio(r.guard.npsChangeHigh, 2), z: ratio(r.guard.z, 3), message: r.guard.message } : null,
  };
}

export function renderNps(r: NpsBesideAov, survey: SurveyRejects, style: Style, currency = ''): string {
  const f = (x: NpsResult) => (x.n ? `${x.nps.toFixed(0)} (95% ${x.low.toFixed(0)} to ${x.high.toFixed(0)}, n=${x.n})` : 'no answers');
  const lines = [
    `${currency ? `${currency} ` : ''}NPS ${f(r.overall)} from ${survey.file}; ${formatCount(r.matched)} answers matched to customers, ${formatCount(r.unmatched)} not matched, ${formatCount(survey.rejected)} unreadable.`,
  ];
  const first = survey.problems[0];
  if (first) lines.push(style.chalk.yellow(`! ${survey.rejected > 1 ? 'The first unreadable answer' : 'Unreadable'}: ${first.message}${survey.rejected > 1 ? ' (--json lists the first ' + survey.problems.length + ')' : ''}.`));
  if (r.byTier) lines.push(`Premium tier NPS ${f(r.byTier.members)}; others ${f(r.byTier.others)}.`);
  if (r.byThreshold) lines.push(`Customers who reached the threshold: NPS ${f(r.byThreshold.reached)}; who did not: ${f(r.byThreshold.notReached)}.`);
  if (r.guard) lines.push(r.guard.fired ? style.chalk.red(`! ${r.guard.message}`) : r.guard.message);
  return lines.map((l) => wrap(l, 78)).join('\n');
}
