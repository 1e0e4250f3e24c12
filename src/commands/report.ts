/** `aov report`: every analysis into report.md, report.html, report.json and rules.json, for scheduled CI. */
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { evaluateRules, parseFailRule, type MetricValue } from '../analysis/alerts.js';
import { analyzeTable } from '../analysis/analyzeTable.js';
import { suggestTier } from '../analysis/loyalty.js';
import { AovError, EXIT_ALERT } from '../errors.js';
import { loadCosts } from '../io/costs.js';
import { loadOrders } from '../io/load.js';
import { readPreviousReport } from '../io/previousReport.js';
import { loadSurvey } from '../io/survey.js';
import { npsBesideAov } from '../analysis/nps.js';
import { assertWritable, lockFileSet, type FileSet } from '../io/output.js';
import { mergeRules, validateRules, type Rule } from '../io/rulesFile.js';
import { stringify } from '../report/analyzeJson.js';
import { bundleRules } from '../report/bundlesRender.js';
import { renderHtml } from '../report/html.js';
import { tierRule } from '../report/loyaltyRender.js';
import { renderMarkdown } from '../report/markdown.js';
import { alertMessage, headlineMetrics, reportCurrency, reportDocument } from '../report/reportDocument.js';
import { type ReportAlert, type ReportComparison, type ReportCurrency, type ReportDocument, type ReportEvaluation } from '../report/reportTypes.js';
import { createStyle } from '../report/format.js';
import { jobsFromRules, runEvaluations, type EvaluationJob } from './evaluationJobs.js';
import { formatMessages, formatStatus } from '../report/messages.js';
import { thresholdRule } from '../report/thresholdRender.js';
import { planBundles } from '../analysis/bundlesPlan.js';
import { bundlesSettings } from './bundlesSettings.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';
import { thresholdSettings, type ThresholdOptions } from './thresholdSettings.js';
import { planThreshold } from '../analysis/thresholdPlan/plan.js';
import type { ThresholdSettings } from '../analysis/thresholdPlan/settings.js';

export interface ReportOptions extends InputCliOptions, Omit<ThresholdOptions, keyof InputCliOptions | 'json' | 'color' | 'emit'> {
  out: string;
  compare?: string;
  failOn?: string[];
  now?: string;
  title: string;
  period?: 'day' | 'week' | 'month';
  tz?: string;
  minSupport: string;
  maxSize: number;
  quiet?: boolean;
  nps?: string;
  /** An aov.rules/v1 file: the "Did it work?" section evaluates each rule from its startsAt. */
  rules?: string;
}

const SUMMARY_LIMIT = 1024 * 1024 - 1024;

export async function report(files: string[], options: ReportOptions): Promise<number> {
  const rules = (options.failOn ?? []).map(parseFailRule);
  // (every threshold option parsed before the lock is taken: a typo fails fast)
  const settings = thresholdSettings(options);
  if (options.now !== undefined && Number.isNaN(Date.parse(options.now))) {
    throw new AovError('E_USAGE', `--now ${options.now} is not a date-time.`, { hint: 'Example: --now 2024-06-03T06:00:00Z' });
  }
  // (the rules file read and checked before the lock as well)
  const jobs = options.rules ? await jobsFromRules(options.rules, undefined) : null;
  const names = ['report.md', 'report.html', 'report.json', 'rules.json'];
  const targets = names.map((f) => path.join(options.out, f));
  // One run at a time in --out, and the four files replaced as one set (io/output.ts).
  const fileSet = await lockFileSet(options.out, (note) => {
    if (!options.quiet) process.stderr.write(formatMessages('note', [note]));
  });
  try {
    return await writeReport(files, options, { rules, settings, names, targets, jobs }, fileSet);
  } finally {
    await fileSet.release();
  }
}

interface ReportPlan {
  rules: ReturnType<typeof parseFailRule>[];
  jobs: EvaluationJob[] | null;
  settings: ThresholdSettings;
  names: readonly string[];
  targets: readonly string[];
}

/** The report itself, run while this process holds --out. */
async function writeReport(files: string[], options: ReportOptions, { rules, settings, names, targets, jobs }: ReportPlan, fileSet: FileSet): Promise<number> {
  assertWritable(targets, options.force);
  const previous = options.compare ? { document: await readPreviousReport(options.compare) } : null;

  const costFile = options.costs ? await loadCosts(options.costs) : undefined;
  const loaded = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), tz: options.tz, itemCosts: costFile?.costs, customerKeys: !!options.nps || !!jobs }, { baskets: {} });
  const survey = options.nps ? await loadSurvey(options.nps) : undefined;
  const notes: string[] = [];
  const rulesOut: Rule[] = [];
  const currencies: ReportCurrency[] = [];
  for (const table of loaded.tables) {
    const analysis = analyzeTable(table, { trend: { period: options.period } });
    const canSimulate = (options.giftCost !== undefined || options.mode === 'free-shipping') && (table.marginMinor || options.margin !== undefined);
    let threshold = null;
    if (canSimulate) {
      try {
        threshold = planThreshold(table, loaded.baskets, settings, loaded.input.perFile.some((f) => f.columns.shipping !== undefined));
      } catch (error) {
        if (!(error instanceof AovError) || !['E_TOO_FEW_ORDERS', 'E_USAGE'].includes(error.code)) throw error;
        notes.push(`${table.currency}: no threshold section (${error.message})`);
      }
    } else if (currencies.length === 0) {
      const missing = 'No threshold section: give --gift-cost (and --margin when the export has no costs) to simulate one.';
      notes.push(missing);
      // A weekly job's log shows stderr: a report without its main section must not pass unnoticed.
      process.stderr.write(formatMessages('warning', [missing]));
    }
    const isMainCurrency = loaded.baskets && loaded.baskets.priceCurrency === table.currency;
    const bundles = isMainCurrency && loaded.input.perFile.every((f) => f.hasLineItems)
      ? planBundles(loaded.baskets!, bundlesSettings({ minSupport: options.minSupport, maxSize: options.maxSize }, loaded.baskets!.priceCurrency), [], {})
      : null;
    const current = reportCurrency({ analysis, valueMinor: table.valueMinor, threshold, bundles });
    if (survey) {
      const r = npsBesideAov(table, survey.answers);
      const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);
      current.nps = {
        overall: round(r.overall.nps), low: round(r.overall.low), high: round(r.overall.high), answers: r.overall.n,
        monthly: r.monthly.map((m) => ({ month: m.month, nps: round(m.nps.nps), n: m.nps.n })),
        guard: r.guard?.message ?? null, guardFired: Boolean(r.guard?.fired),
      };
      if (r.guard?.fired) current.warnings.push({ code: 'AOV_UP_NPS_DOWN', message: r.guard.message });
      if (r.unmatched) notes.push(`${options.nps}: ${r.unmatched} of ${r.answers} answers match no customer in the orders${survey.rejected ? `; ${survey.rejected} unreadable` : ''}.`);
    }
    currencies.push(current);
    const rule = threshold ? thresholdRule(threshold) : null;
    if (rule) rulesOut.push(rule);
    if (bundles) rulesOut.push(...bundleRules(bundles));
    if (table.customerCount >= 10) rulesOut.push(tierRule(suggestTier(table), table.currency, table.decimals));
  }

  const comparison = previous ? compare(previous.document, options.compare!, currencies) : null;
  const values: MetricValue[] = comparison
    ? comparison.metrics
    : currencies.flatMap((c) => periodOverPeriod(c));
  const fired = evaluateRules(rules, values);
  const alerts: ReportAlert[] = [
    ...fired.map((f) => ({ level: 'error' as const, rule: f.rule, message: alertMessage(f) })),
    ...currencies.flatMap((c) => c.warnings.map((w) => ({ level: 'warning' as const, rule: w.code, message: `${c.currency}: ${w.message}` }))),
  ];
  for (const rule of rules) {
    if (!values.some((v) => v.metric === rule.metric && v.previous !== null && v.current !== null)) {
      notes.push(`--fail-on ${rule.text}: no ${comparison ? 'previous value in the compared report' : 'previous complete period'} to compare with; not evaluated.`);
    }
  }
  // Did it work? Each rule of --rules from its startsAt (aov evaluate --rules, the same evaluations).
  let evaluation: ReportEvaluation | null = null;
  if (jobs) {
    const out = await runEvaluations(jobs, { tables: loaded.tables, baskets: loaded.baskets, exportHasShipping: loaded.input.perFile.some((f) => f.columns.shipping !== undefined) }, {
      margin: options.margin, reach: options.reach, resamples: options.resamples, seed: options.seed, npsAnswers: survey?.answers,
    }, createStyle(false));
    evaluation = { rulesFile: options.rules!, evaluations: out.documents as ReportEvaluation['evaluations'], guardrails: out.guardrails as ReportEvaluation['guardrails'] };
    notes.push(...out.notes);
  }
  const input = { ...loaded.input, notes: [...loaded.input.notes, ...notes] };
  const document = reportDocument(options.title, input, currencies, alerts, comparison, options.now ? new Date(options.now).toISOString() : null, evaluation);
  const markdown = renderMarkdown(document);
  const rulesDocument = mergeRules(undefined, rulesOut, true, 'rules.json');
  const issues = await validateRules(rulesDocument);
  if (issues.length) throw new AovError('E_INTERNAL', `internal: generated rules fail the schema (${issues[0].path}: ${issues[0].message}).`, {});
  const contents = [markdown, renderHtml(document), stringify(document), stringify(rulesDocument)];
  await fileSet.replace(names.map((name, i) => ({ name, content: contents[i] })));

  if (process.env.GITHUB_STEP_SUMMARY) {
    const text = Buffer.byteLength(markdown) > SUMMARY_LIMIT ? `${markdown.slice(0, SUMMARY_LIMIT / 2)}\n\n_(cut to fit the 1 MiB job summary; the full report is in ${targets[0]})_\n` : markdown;
    try {
      await appendFile(process.env.GITHUB_STEP_SUMMARY, text);
    } catch (error) {
      // The report is written; a job summary that cannot be appended must not lose the annotations or the alert exit code.
      process.stderr.write(formatMessages('warning', [`cannot append the job summary to ${process.env.GITHUB_STEP_SUMMARY} (${(error as Error).message}); the report files are written.`]));
    }
  }
  if (process.env.GITHUB_ACTIONS === 'true') {
    for (const a of alerts.slice(0, 10)) process.stdout.write(`::${a.level === 'error' ? 'error' : 'warning'}::${escapeAnnotation(`${a.rule}: ${a.message}`)}\n`);
  }
  if (!options.quiet) {
    process.stderr.write(formatStatus(`Wrote ${targets.join(', ')}.`));
    for (const a of alerts.filter((x) => x.level === 'error')) process.stderr.write(formatStatus(`alert: ${a.message}`));
  }
  return fired.length ? EXIT_ALERT : 0;
}

/** GitHub workflow commands: %, CR and LF must be escaped in the message. */
export function escapeAnnotation(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function compare(previous: ReportDocument, file: string, current: ReportCurrency[]): ReportComparison {
  // A comparison that matches no currency would compare nothing and never alert: refuse it.
  const before = new Set(previous.currencies.map((p) => p.currency));
  const shared = current.filter((c) => before.has(c.currency)).map((c) => c.currency);
  if (shared.length === 0) {
    throw new AovError('E_BAD_VALUE', `${file} shares no currency with this run (it has ${[...before].join(', ') || 'none'}; this run ${current.map((c) => c.currency).join(', ')}): there is nothing to compare.`, {
      hint: 'Compare with a report of the same shop, or drop --compare.',
      context: { file },
    });
  }
  for (const c of current) if (!before.has(c.currency)) process.stderr.write(formatMessages('warning', [`${file} has no ${c.currency} figures; ${c.currency} is not compared.`]));
  const metrics: ReportComparison['metrics'] = [];
  for (const c of current) {
    const before = previous.currencies.find((p) => p.currency === c.currency);
    const now = headlineMetrics(c);
    const then = before ? headlineMetrics(before) : {};
    for (const [metric, value] of Object.entries(now)) {
      const prev = then[metric] ?? null;
      metrics.push({ currency: c.currency, metric, previous: prev, current: value, change: prev && value !== null ? (value - prev) / Math.abs(prev) : null });
    }
  }
  return { previousFile: file, metrics };
}

/** Without --compare: the last complete period against the one before it. */
function periodOverPeriod(c: ReportCurrency): MetricValue[] {
  const complete = (c.trend?.series ?? []).filter((p) => !p.partial && p.orders > 0);
  if (complete.length < 2) return [];
  const [before, last] = complete.slice(-2);
  // NPS is kept by month whatever --period is: its last two complete months with answers
  // (the data's last month is partial unless the data reaches its last day).
  const lastDay = c.to.slice(0, 10);
  const monthEnds = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const npsMonths = (c.nps?.monthly ?? []).filter((m) => m.n > 0 && (m.month < lastDay.slice(0, 7) || monthEnds(m.month) === lastDay));
  const [npsBefore, npsLast] = npsMonths.length >= 2 ? npsMonths.slice(-2) : [undefined, undefined];
  return [
    { currency: c.currency, metric: 'nps', previous: npsBefore?.nps ?? null, current: npsLast?.nps ?? null },
    { currency: c.currency, metric: 'aov.mean', previous: before.mean, current: last.mean },
    { currency: c.currency, metric: 'aov.median', previous: before.median, current: last.median },
    { currency: c.currency, metric: 'aov.trimmedMean', previous: before.trimmedMean, current: last.trimmedMean },
    { currency: c.currency, metric: 'orders', previous: before.orders, current: last.orders },
  ];
}
