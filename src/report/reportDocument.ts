/** Builds the aov.report/v1 document from the analysis results (major units, rounded). */
import type { FailRule, FiredAlert, HeadlineFigures, MetricValue } from '../analysis/alerts.js';
import type { BootstrapInterval } from '../analysis/bootstrap.js';
import type { PeriodComparison } from '../analysis/trend.js';
import type { CurrencyAnalysis } from '../analysis/analyzeTable.js';
import type { NpsBesideAov } from '../analysis/nps.js';
import type { InputSummary } from '../io/load.js';
import { inputJson, verdictText } from './analyzeJson.js';
import type { BundlesView, bundleRuleChoice } from './bundlesRender.js';
import type { tierRule } from './loyaltyRender.js';
import { formatDay, formatPct, money, ratio } from './format.js';
import { REPORT_SCHEMA, type ReportAlert, type ReportComparison, type ReportCurrency, type ReportDocument, type ReportEvaluation, type ReportPeriodChange, type ReportRule, type ReportRules } from './reportTypes.js';
import { assumptionRows, recommendationSentence, type thresholdRule, type ThresholdView } from './thresholdRender.js';
import { trendVerdictText } from './trendVerdict.js';
import { recommendationReason } from './thresholdReasons.js';

export interface ReportParts {
  analysis: CurrencyAnalysis;
  /** Order values of the currency, for the histogram. */
  valueMinor: Float64Array;
  threshold: ThresholdView | null;
  bundles: BundlesView | null;
}

/** Equal-width bins from 0 to the 99th percentile, and the count above. */
function histogram(valueMinor: Float64Array, decimals: number) {
  const sorted = Float64Array.from(valueMinor).sort();
  const top = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] || 1;
  const bins = 30;
  const width = Math.max(1, Math.ceil(top / bins));
  const counts = new Array(bins).fill(0);
  let above = 0;
  for (const v of sorted) {
    const b = Math.floor(v / width);
    if (b >= bins) above++;
    else counts[Math.max(0, b)]++;
  }
  return { binWidth: money(width, decimals)!, counts, above, aboveFrom: money(bins * width, decimals)! };
}

export function reportCurrency(parts: ReportParts): ReportCurrency {
  const a = parts.analysis;
  const s = a.summary;
  const m = (x: number) => money(x, s.decimals) ?? 0;
  const t = a.trend;
  const line = (l: typeof t.theilSen.median) => (l ? { slope: l.slope / 10 ** s.decimals, low: l.low / 10 ** s.decimals, high: l.high / 10 ** s.decimals } : null);
  const mk = (k: typeof t.mannKendall.median) => (k ? { s: k.s, tau: ratio(k.tau) ?? 0, p: ratio(k.p) ?? 1 } : null);
  const th = parts.threshold;
  const b = parts.bundles;
  return {
    currency: s.currency,
    decimals: s.decimals,
    from: formatDay(s.from),
    to: formatDay(s.to),
    orders: s.orders,
    revenue: m(s.revenueMinor),
    verdict: verdictText(s),
    aov: { mean: m(s.aov.meanMinor), median: m(s.aov.medianMinor), trimmedMean: m(s.aov.trimmedMeanMinor), winsorizedMean: m(s.aov.winsorizedMeanMinor), mad: m(s.aov.madMinor) },
    percentiles: { p10: m(s.percentilesMinor.p10), p25: m(s.percentilesMinor.p25), p75: m(s.percentilesMinor.p75), p90: m(s.percentilesMinor.p90), p99: m(s.percentilesMinor.p99) },
    customers: {
      customers: a.customers.customers,
      repeatCustomerShare: ratio(a.customers.repeatRate),
      firstOrderAov: money(s.customers.firstOrderAovMinor, s.decimals),
      repeatOrderAov: money(s.customers.repeatOrderAovMinor, s.decimals),
    },
    largestOrder: { order: s.largestOrder.order, value: m(s.largestOrder.valueMinor), shareOfRevenue: ratio(s.largestOrder.shareOfRevenue) ?? 0 },
    histogram: histogram(parts.valueMinor, s.decimals),
    trend: {
      period: t.period,
      series: t.series.map((p) => ({ period: p.period, orders: p.orders, mean: money(p.meanMinor, s.decimals), median: money(p.medianMinor, s.decimals), trimmedMean: money(p.trimmedMeanMinor, s.decimals), outliers: p.outliers, partial: p.partial })),
      theilSen: { median: line(t.theilSen.median), mean: line(t.theilSen.mean) },
      mannKendall: { median: mk(t.mannKendall.median), mean: mk(t.mannKendall.mean) },
      influence: t.influence.map((i) => ({ period: i.period, order: i.order, value: m(i.valueMinor), shareOfPeriodRevenue: ratio(i.shareOfPeriodRevenue) ?? 0, meanWithout: m(i.meanWithoutMinor) })),
      verdict: trendVerdictText(t.verdict),
      lastChange: periodChange(t.periodOverPeriod.last, s.decimals),
    },
    threshold: th
      ? {
          mode: th.mode,
          baseAov: m(th.result.baseAovMinor),
          candidates: th.result.candidates.map((c) => ({
            threshold: m(c.threshold), aboveAovPct: ratio(c.aboveAovPct, 4) ?? 0, shareAlreadyAbove: ratio(c.shareAlreadyAbove) ?? 0, ordersInReach: c.ordersInReach,
            expectedTopUps: ratio(c.expectedTopUps, 2) ?? 0, projectedAov: m(c.projectedAovMinor), incrementalRevenue: m(c.incrementalRevenueMinor), incrementalMargin: m(c.incrementalMarginMinor),
            rewardCost: m(c.rewardCostMinor), expectedNetMargin: m(c.expectedNetMarginMinor), netLow: m(c.netLowMinor), netHigh: m(c.netHighMinor), probabilityPositive: ratio(c.probabilityPositive, 4) ?? 0,
          })),
          recommendation: th.result.recommendation
            ? { threshold: m(th.result.recommendation.threshold), expectedNetMargin: m(th.result.recommendation.expectedNetMarginMinor), probabilityPositive: ratio(th.result.recommendation.probabilityPositive, 4) ?? 0, reason: recommendationReason(th.result.recommendation) }
            : null,
          windowMonths: ratio(th.window.months, 2) ?? undefined,
          summary: recommendationSentence(th),
          assumptions: assumptionRows(th),
          reach: m(th.assumptions.reachMinor),
        }
      : null,
    bundles: b
      ? {
          baskets: b.mining.baskets,
          items: b.labels.length,
          minSupportCount: b.mining.minSupportCount,
          pairs: b.pairs.slice(0, 15).map((r) => ({
            items: [b.labels[r.a], b.labels[r.b]] as [string, string],
            names: [b.names[r.a], b.names[r.b]] as [string, string],
            supportCount: r.supportCount,
            support: ratio(r.support) ?? 0,
            confidence: [ratio(r.confidence[0]) ?? 0, ratio(r.confidence[1]) ?? 0] as [number, number],
            lift: ratio(r.lift) ?? 0,
            q: r.q,
          })),
          sets: b.sets.slice(0, 10).map((set) => ({
            items: set.items.map((i) => b.labels[i]),
            names: set.items.map((i) => b.names[i]),
            basketsWithAll: set.basketsWithAll,
            minConfidence: ratio(set.minConfidence) ?? 0,
          })),
        }
      : null,
    warnings: a.warnings,
  };
}

export function reportDocument(
  title: string,
  input: InputSummary,
  currencies: ReportCurrency[],
  alerts: ReportAlert[],
  comparison: ReportComparison | null,
  generatedAt: string | null,
  evaluation?: ReportEvaluation | null,
): ReportDocument {
  return {
    schema: REPORT_SCHEMA,
    generatedAt,
    title,
    input: reportInput(input),
    currencies,
    alerts,
    comparison,
    ...(evaluation ? { evaluation } : {}),
  };
}

/** The headline metrics --fail-on and --compare read, per currency. */
export function headlineMetrics(c: ReportCurrency): Record<string, number | null> {
  return {
    'aov.mean': c.aov.mean,
    'aov.median': c.aov.median,
    'aov.trimmedMean': c.aov.trimmedMean,
    'aov.winsorizedMean': c.aov.winsorizedMean,
    orders: c.orders,
    revenue: c.revenue,
    'customers.repeatShare': c.customers.repeatCustomerShare,
    nps: c.nps?.overall ?? null,
  };
}

/** The headline metrics of every currency, as --compare reads them. */
export function headlineFigures(currencies: readonly ReportCurrency[]): HeadlineFigures[] {
  return currencies.map((c) => ({ currency: c.currency, metrics: headlineMetrics(c) }));
}

/** A currency's NPS block: points to one decimal (null where there is no figure). */
export function reportNps(r: NpsBesideAov): NonNullable<ReportCurrency['nps']> {
  const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);
  return {
    overall: round(r.overall.nps), low: round(r.overall.low), high: round(r.overall.high), answers: r.overall.n,
    monthly: r.monthly.map((m) => ({ month: m.month, nps: round(m.nps.nps), n: m.nps.n, promoters: m.nps.promoters, passives: m.nps.passives, detractors: m.nps.detractors })),
    guard: r.guard?.message ?? null, guardFired: Boolean(r.guard?.fired),
  };
}

/** The last period's change of each statistic, with its bootstrap interval, in major units. */
function periodChange(c: PeriodComparison | null, decimals: number): ReportPeriodChange | null {
  if (!c) return null;
  const block = (i: BootstrapInterval | null) =>
    i && Number.isFinite(i.estimate) ? { change: money(i.estimate, decimals) ?? 0, low: money(i.low, decimals) ?? 0, high: money(i.high, decimals) ?? 0 } : null;
  return { period: c.period, against: c.against, orders: c.orders, againstOrders: c.againstOrders, mean: block(c.meanChangeMinor), median: block(c.medianChangeMinor), trimmedMean: block(c.trimmedMeanChangeMinor) };
}

/**
 * The report's alerts: the --fail-on rules that fired, then each currency's warnings. A rule
 * breached on the point figures whose change is within noise is a warning, not an error.
 */
export function reportAlerts(fired: readonly FiredAlert[], currencies: readonly ReportCurrency[]): ReportAlert[] {
  return [
    ...fired.map((f) => ({ level: f.noise === null ? ('error' as const) : ('warning' as const), rule: f.rule, message: alertMessage(f), noise: f.noise })),
    ...currencies.flatMap((c) => c.warnings.map((w) => ({ level: 'warning' as const, rule: w.code, message: `${c.currency}: ${w.message}` }))),
  ];
}

/** A note for each --fail-on rule that had nothing to compare with. */
export function unevaluatedRuleNotes(rules: readonly FailRule[], values: readonly MetricValue[], compared: boolean): string[] {
  return rules
    .filter((rule) => !values.some((v) => v.metric === rule.metric && v.previous !== null && v.current !== null))
    .map((rule) => `--fail-on ${rule.text}: no ${compared ? 'previous value in the compared report' : 'previous complete period'} to compare with; not evaluated.`);
}

/**
 * "EUR aov.median moved -12.0% (50 -> 44; 95% -20.1% to -3.9%), breaching aov.median:-10%",
 * and for a breach within noise "..., breaching aov.median:-10% on the point figures only: the
 * interval holds no change, so not an alert".
 */
export function alertMessage(f: FiredAlert): string {
  const amount = (x: number) => (f.relative ? `${x > 0 ? '+' : ''}${formatPct(x)}` : `${x >= 0 ? '+' : ''}${Number.isFinite(x) ? x.toFixed(2) : x > 0 ? 'inf' : '-inf'}`);
  const interval = f.interval ? `; 95% ${amount(f.interval.low)} to ${amount(f.interval.high)}${f.interval.method ? `, ${f.interval.method}` : ''}` : '';
  const base = `${f.currency} ${f.metric} moved ${amount(f.change)} (${f.previous} -> ${f.current}${interval}), breaching ${f.rule}`;
  return f.noise === null ? base : `${base} on the point figures only: ${f.noise}, so not an alert`;
}

/** The report's input block: the analyze JSON's, less the per-file detection and problem list. */
function reportInput(input: InputSummary): ReportDocument['input'] {
  const { problems, detected, excludedOrders, ...rest } = inputJson(input);
  return { ...rest, excluded: rest.excluded as Record<string, number>, rejectedByReason: rest.rejectedByReason as Record<string, number> };
}

/** A rule as the suggesting renderer built it for rules.json (thresholdRule, bundleRuleChoice, tierRule). */
export type SuggestedRule = NonNullable<ReturnType<typeof thresholdRule>> | ReturnType<typeof bundleRuleChoice>['rules'][number] | ReturnType<typeof tierRule>;

/** A decimal string of rules.json ("44.18") as a number. */
const amountOf = (money: { amount: string } | null) => (money ? Number(money.amount) : null);

/**
 * A currency's suggested rules for the report: each rule written to rules.json, under the id
 * rules.json gives it, with its key figures read from the rule itself (so the report and
 * rules.json cannot disagree), and the rules considered but not written with why.
 */
export function reportRules(written: readonly { id: string; rule: SuggestedRule }[], notWritten: ReportRules['notWritten']): ReportRules {
  return { written: written.map(({ id, rule }) => reportRule(id, rule)), notWritten: [...notWritten] };
}

function reportRule(id: string, rule: SuggestedRule): ReportRule {
  switch (rule.type) {
    case 'gift_threshold':
    case 'free_shipping_threshold':
      return {
        id, type: rule.type, threshold: Number(rule.threshold.amount), rewardCost: amountOf(rule.reward.cost) ?? 0,
        netMarginPerMonth: rule.expected.netMarginPerMonth, netLow: rule.expected.netLow, netHigh: rule.expected.netHigh,
        probabilityPositive: rule.expected.probabilityPositive, projectedAov: rule.expected.projectedAov, topUpsPerMonth: rule.expected.topUpsPerMonth,
      };
    case 'bundle': {
      const e = rule.evidence;
      return {
        id, type: 'bundle', items: rule.items, names: rule.names, price: amountOf(rule.price), supportCount: e.supportCount, support: e.support ?? 0,
        confidence: Array.isArray(e.confidence) ? [e.confidence[0] ?? 0, e.confidence[1] ?? 0] : null, lift: e.lift || null, q: e.q,
      };
    }
    case 'priority_support_tier':
      return {
        id, type: rule.type, name: rule.name, minSpend: Number(rule.minSpend.amount), windowDays: Number.parseInt(rule.window, 10), responseTargetHours: rule.responseTargetHours,
        members: rule.members, topShare: rule.assumptions.topShare, memberRevenueShare: rule.expected.memberRevenueShare ?? 0,
        memberAov: rule.expected.memberAov, everyoneAov: rule.expected.everyoneAov, nearLine: rule.expected.nearLine,
      };
  }
}
