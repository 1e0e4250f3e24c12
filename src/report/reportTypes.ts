/**
 * The `aov.report/v1` document: what `aov report` writes as report.json and what the
 * Markdown and HTML renderers read. Amounts are major-unit numbers rounded to the
 * currency's decimals; ratios are plain fractions (0.153 = 15.3%).
 */

export const REPORT_SCHEMA = 'aov.report/v1';

export interface ReportDocument {
  schema: typeof REPORT_SCHEMA;
  /** Only with --now (no wall-clock time otherwise, so reports are byte-identical). */
  generatedAt: string | null;
  title: string;
  input: ReportInput;
  currencies: ReportCurrency[];
  /** Alerts from --fail-on rules, and warnings from the analysis. */
  alerts: ReportAlert[];
  /** With --compare: the previous report's headline figures and the changes. */
  comparison: ReportComparison | null;
  /** With --rules: did each rule work since it went live (the aov.evaluate/v1 evaluations); absent without --rules. */
  evaluation?: ReportEvaluation | null;
}

/** The "Did it work?" section: each rule's evaluation as `aov evaluate --rules` writes it, and the guardrails. */
export interface ReportEvaluation {
  rulesFile: string;
  evaluations: {
    kind: 'threshold' | 'second_order_gift' | 'bundle' | 'skipped';
    ruleId: string | null;
    title?: string;
    verdict?: { action: string; reason: string; headline: string };
    evidence?: { label: string; text: string }[];
    /** Skipped rules: why. */
    reason?: string;
    [key: string]: unknown;
  }[];
  guardrails: { currency: string; since: string; evidence?: { label: string; text: string }[]; warnings?: string[]; [key: string]: unknown }[];
}

export interface ReportInput {
  files: string[];
  format: string;
  valueDefinition: string;
  rows: number;
  rowsUsed: number;
  rowsExcluded: number;
  excluded: Record<string, number>;
  rejected: number;
  rejectedByReason: Record<string, number>;
  orders: number;
  notes: string[];
}

export interface ReportCurrency {
  currency: string;
  decimals: number;
  from: string;
  to: string;
  orders: number;
  revenue: number;
  verdict: string;
  aov: { mean: number; median: number; trimmedMean: number; winsorizedMean: number; mad: number };
  percentiles: { p10: number; p25: number; p75: number; p90: number; p99: number };
  customers: { customers: number; repeatCustomerShare: number | null; firstOrderAov: number | null; repeatOrderAov: number | null };
  largestOrder: { order: string; value: number; shareOfRevenue: number };
  /** Order-value histogram for the chart: equal-width bins from 0 to the 99th percentile, and the count above. */
  histogram: { binWidth: number; counts: number[]; above: number; aboveFrom: number };
  trend: ReportTrend | null;
  threshold: ReportThreshold | null;
  bundles: ReportBundles | null;
  warnings: { code: string; message: string }[];
  /** The rules this currency's sections wrote to rules.json, and those considered but not written; optional: absent in reports before it. */
  rules?: ReportRules;
  /** With --nps: NPS (points) overall and per month, and the AOV-up/NPS-down guard. */
  nps?: {
    overall: number | null;
    low: number | null;
    high: number | null;
    answers: number;
    /** promoters, passives, detractors: the counts --fail-on nps reads for the change's interval (optional: absent in reports before them). */
    monthly: { month: string; nps: number | null; n: number; promoters?: number; passives?: number; detractors?: number }[];
    guard: string | null;
    guardFired: boolean;
  } | null;
}

export interface ReportTrend {
  period: 'day' | 'week' | 'month';
  series: { period: string; orders: number; mean: number | null; median: number | null; trimmedMean: number | null; outliers: number; partial: boolean }[];
  /** Slope in currency per period, with a 95% interval. */
  theilSen: { median: { slope: number; low: number; high: number } | null; mean: { slope: number; low: number; high: number } | null };
  mannKendall: { median: { s: number; tau: number; p: number } | null; mean: { s: number; tau: number; p: number } | null };
  influence: { period: string; order: string; value: number; shareOfPeriodRevenue: number; meanWithout: number }[];
  verdict: string;
  /**
   * The last complete period against the one before: each statistic's change (this period's
   * minus the last's, currency) with its 95% percentile bootstrap interval; what --fail-on tells
   * a change from noise with. Null with fewer than two complete periods; absent in reports before it.
   */
  lastChange?: ReportPeriodChange | null;
}

export interface ReportPeriodChange {
  period: string;
  against: string;
  orders: number;
  againstOrders: number;
  mean: { change: number; low: number; high: number } | null;
  median: { change: number; low: number; high: number } | null;
  trimmedMean: { change: number; low: number; high: number } | null;
}

export interface ReportThreshold {
  mode: 'gift' | 'free-shipping';
  baseAov: number;
  candidates: {
    threshold: number;
    aboveAovPct: number;
    shareAlreadyAbove: number;
    ordersInReach: number;
    expectedTopUps: number;
    projectedAov: number;
    incrementalRevenue: number;
    incrementalMargin: number;
    rewardCost: number;
    expectedNetMargin: number;
    netLow: number;
    netHigh: number;
    probabilityPositive: number;
  }[];
  recommendation: { threshold: number; expectedNetMargin: number; probabilityPositive: number; reason: string } | null;
  /** Months of orders the simulation covers: expectedNetMargin, netLow, netHigh and the costs are totals over them. */
  windowMonths?: number;
  /** Why there is no recommendation, or the sentence that states it. */
  summary: string;
  /** What the decision assumes: each assumption's value, source and origin (data, option, prior, default). */
  assumptions: { assumption: string; value: string; source: string; origin: 'data' | 'option' | 'prior' | 'default' }[];
  /** The reach zone of the recommended (or best) threshold: [threshold - reach, threshold). */
  reach: number;
}

export interface ReportBundles {
  baskets: number;
  items: number;
  minSupportCount: number;
  pairs: {
    items: [string, string];
    names: [string, string];
    supportCount: number;
    support: number;
    confidence: [number, number];
    lift: number;
    q: number;
  }[];
  /** Items bought together almost always (their pairs are not in `pairs`); optional: absent in reports before it. */
  sets?: { items: string[]; names: string[]; basketsWithAll: number; minConfidence: number }[];
}

export interface ReportAlert {
  level: 'error' | 'warning';
  /** The --fail-on rule, e.g. "aov.median:-10%", or a warning code. */
  rule: string;
  message: string;
  /** A --fail-on rule breached on the point figures but not beyond noise: why (then level is warning). Absent for warnings that are not rules. */
  noise?: string | null;
}

export interface ReportComparison {
  previousFile: string;
  /** Headline metric -> { previous, current, change (fraction) } per currency. */
  metrics: { currency: string; metric: string; previous: number | null; current: number | null; change: number | null }[];
}

/** A currency's suggested rules: each one written to rules.json (same id), and why the others were not. */
export interface ReportRules {
  written: ReportRule[];
  notWritten: { type: string; reason: string }[];
}

/** A rule as rules.json has it, reduced to the figures the report shows; amounts in major units. */
export type ReportRule = ReportThresholdRule | ReportBundleRule | ReportTierRule;

export interface ReportThresholdRule {
  id: string;
  type: 'gift_threshold' | 'free_shipping_threshold';
  threshold: number;
  rewardCost: number;
  /** Expected net margin per month, and the 90% interval and P(net > 0) over the simulated window. */
  netMarginPerMonth: number | null;
  netLow: number | null;
  netHigh: number | null;
  probabilityPositive: number | null;
  projectedAov: number | null;
  topUpsPerMonth: number | null;
}

export interface ReportBundleRule {
  id: string;
  type: 'bundle';
  items: string[];
  names: string[];
  /** The bundle price; null when an item has no usual price. */
  price: number | null;
  supportCount: number;
  support: number;
  /** A -> B and B -> A for a pair; null for a larger set. */
  confidence: [number, number] | null;
  lift: number | null;
  q: number | null;
}

export interface ReportTierRule {
  id: string;
  type: 'priority_support_tier';
  name: string;
  minSpend: number;
  windowDays: number;
  responseTargetHours: number;
  members: number;
  /** The share of customers the tier is drawn for (0.1 = the top 10%). */
  topShare: number;
  memberRevenueShare: number;
  memberAov: number | null;
  everyoneAov: number | null;
  /** Customers within 10% below the line. */
  nearLine: number;
}
