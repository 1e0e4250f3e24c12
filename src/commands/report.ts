/** `aov report`: every analysis into report.md, report.html, report.json and rules.json, for scheduled CI. */
import path from 'node:path';
import { compareHeadlines, evaluateRules, parseFailRule, periodOverPeriod, type FailRule } from '../analysis/alerts.js';
import type { ThresholdSettings } from '../analysis/thresholdPlan/settings.js';
import { AovError, EXIT_ALERT } from '../errors.js';
import { loadCosts } from '../io/costs.js';
import { loadOrders } from '../io/load.js';
import { assertWritable, lockFileSet, type FileSet } from '../io/output.js';
import { readPreviousReport } from '../io/previousReport.js';
import { mergeRules, validateRules } from '../io/rulesFile.js';
import { loadSurvey } from '../io/survey.js';
import { stringify } from '../report/analyzeJson.js';
import { createStyle } from '../report/format.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { formatMessages, formatStatus } from '../report/messages.js';
import { headlineFigures, reportAlerts, reportDocument, unevaluatedRuleNotes } from '../report/reportDocument.js';
import type { ReportComparison, ReportEvaluation } from '../report/reportTypes.js';
import { runEvaluations } from './evaluationJobs.js';
import { jobsFromRules, type EvaluationJob } from './evaluationRules.js';
import { appendJobSummary, writeAnnotations } from './githubActions.js';
import { exportHasShipping, requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';
import { reportSections } from './reportSections.js';
import { thresholdSettings, type ThresholdOptions } from './thresholdSettings.js';

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
  bundleUplift?: string;
  bundleElasticity?: string;
  quiet?: boolean;
  nps?: string;
  /** An aov.rules/v1 file: the "Did it work?" section evaluates each rule from its startsAt. */
  rules?: string;
}

/** The four files of a report, replaced as one set. */
const REPORT_FILES = ['report.md', 'report.html', 'report.json', 'rules.json'] as const;

export async function report(files: string[], options: ReportOptions): Promise<number> {
  const rules = (options.failOn ?? []).map(parseFailRule);
  // (every threshold option parsed before the lock is taken: a typo fails fast)
  const settings = thresholdSettings(options);
  if (options.now !== undefined && Number.isNaN(Date.parse(options.now))) {
    throw new AovError('E_USAGE', `--now ${options.now} is not a date-time.`, { hint: 'Example: --now 2024-06-03T06:00:00Z' });
  }
  // (the rules file read and checked before the lock as well)
  const evaluations = options.rules ? { file: options.rules, jobs: await jobsFromRules(options.rules, undefined) } : null;
  // One run at a time in --out, and the four files replaced as one set (io/output.ts).
  const fileSet = await lockFileSet(options.out, (note) => {
    if (!options.quiet) process.stderr.write(formatMessages('note', [note]));
  });
  try {
    return await writeReport(files, options, { rules, settings, evaluations }, fileSet);
  } finally {
    await fileSet.release();
  }
}

interface ReportPlan {
  rules: FailRule[];
  evaluations: { file: string; jobs: EvaluationJob[] } | null;
  settings: ThresholdSettings;
}

/** The report itself, run while this process holds --out. */
async function writeReport(files: string[], options: ReportOptions, { rules, settings, evaluations }: ReportPlan, fileSet: FileSet): Promise<number> {
  const targets = REPORT_FILES.map((f) => path.join(options.out, f));
  assertWritable(targets, options.force);
  const previous = options.compare ? { file: options.compare, document: await readPreviousReport(options.compare) } : null;
  const costFile = options.costs ? await loadCosts(options.costs) : undefined;
  const loaded = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), tz: options.tz, itemCosts: costFile?.costs, customerKeys: !!options.nps || !!evaluations }, { baskets: {} });
  const survey = options.nps ? await loadSurvey(options.nps) : undefined;
  const { currencies, rules: rulesOut, notes, warnings } = reportSections(loaded, settings, options, survey);
  process.stderr.write(formatMessages('warning', warnings));

  let comparison: ReportComparison | null = null;
  if (previous) {
    const compared = compareHeadlines(headlineFigures(previous.document.currencies), headlineFigures(currencies), previous.file);
    for (const currency of compared.notCompared) process.stderr.write(formatMessages('warning', [`${previous.file} has no ${currency} figures; ${currency} is not compared.`]));
    comparison = { previousFile: previous.file, metrics: compared.metrics };
  }
  const values = comparison ? comparison.metrics : currencies.flatMap(periodOverPeriod);
  const fired = evaluateRules(rules, values);
  const alerts = reportAlerts(fired, currencies);
  notes.push(...unevaluatedRuleNotes(rules, values, comparison !== null));
  // Did it work? Each rule of --rules from its startsAt (aov evaluate --rules, the same evaluations).
  let evaluation: ReportEvaluation | null = null;
  if (evaluations) {
    const out = await runEvaluations(evaluations.jobs, { tables: loaded.tables, baskets: loaded.baskets, exportHasShipping: exportHasShipping(loaded.input) }, {
      margin: options.margin, reach: options.reach, resamples: options.resamples, seed: options.seed, npsAnswers: survey?.answers,
    }, createStyle(false));
    evaluation = { rulesFile: evaluations.file, evaluations: out.documents, guardrails: out.guardrails };
    notes.push(...out.notes);
  }
  const input = { ...loaded.input, notes: [...loaded.input.notes, ...notes] };
  const document = reportDocument(options.title, input, currencies, alerts, comparison, options.now ? new Date(options.now).toISOString() : null, evaluation);
  const markdown = renderMarkdown(document);
  const rulesDocument = mergeRules(undefined, rulesOut, true, 'rules.json');
  const issues = await validateRules(rulesDocument);
  if (issues.length) throw new AovError('E_INTERNAL', `internal: generated rules fail the schema (${issues[0].path}: ${issues[0].message}).`, {});
  const contents = [markdown, renderHtml(document), stringify(document), stringify(rulesDocument)];
  await fileSet.replace(REPORT_FILES.map((name, i) => ({ name, content: contents[i] })));

  await appendJobSummary(markdown, targets[0]);
  writeAnnotations(alerts);
  if (!options.quiet) {
    process.stderr.write(formatStatus(`Wrote ${targets.join(', ')}.`));
    for (const a of alerts.filter((x) => x.level === 'error')) process.stderr.write(formatStatus(`alert: ${a.message}`));
    for (const a of alerts.filter((x) => x.noise)) process.stderr.write(formatStatus(`within noise: ${a.message}`));
  }
  // A breach within noise is a warning in the report and the annotations; only a real one fails the job.
  return fired.some((f) => f.noise === null) ? EXIT_ALERT : 0;
}
