/**
 * `aov evaluate`: options -> the rules to measure (a threshold, a second-order gift, or each
 * rule of a rules file from its start) -> load -> per currency, each evaluation and the
 * guardrails -> render.
 */
import { AovError } from '../errors.js';
import { loadCosts } from '../io/costs.js';
import { loadOrders } from '../io/load.js';
import { loadSurvey } from '../io/survey.js';
import { stringify } from '../report/analyzeJson.js';
import { EVALUATE_SCHEMA } from '../report/evaluateRender.js';
import { createStyle, decideColor } from '../report/format.js';
import { formatMessages } from '../report/messages.js';
import { runEvaluations, type EvaluationOutput, type ThresholdEvaluationDocument } from './evaluationJobs.js';
import { jobsFromRules, type EvaluationJob } from './evaluationRules.js';
import { exportHasShipping, requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';
import { parseSince } from './thresholdSettings.js';

export interface EvaluateOptions extends InputCliOptions {
  threshold?: number;
  since?: string;
  rules?: string;
  secondOrderGift?: boolean;
  validDays: number;
  burnIn?: number;
  mode: 'gift' | 'free-shipping';
  margin?: number;
  giftCost?: number;
  shippingCost?: number;
  costs?: string;
  reach?: number;
  nps?: string;
  /** Write the measured uptake where the next suggest-threshold reads it: an aov.config.json-style file. */
  writeCalibration?: string;
  force?: boolean;
  resamples: number;
  seed: number;
  json?: boolean;
  color?: boolean;
}

/** The jobs the options ask for, checked before the data is read. */
async function jobsOf(options: EvaluateOptions): Promise<EvaluationJob[]> {
  const since = options.since !== undefined ? parseSince(options.since) : undefined;
  if (options.rules) return jobsFromRules(options.rules, since);
  if (since === undefined) throw new AovError('E_USAGE', '--since is needed: the date the rule went live.', { hint: 'Example: aov evaluate orders.csv --threshold 60 --since 2026-03-01 --gift-cost 2 --margin 0.45' });
  const jobs: EvaluationJob[] = [];
  if (options.threshold !== undefined) {
    if (options.mode === 'gift' && options.giftCost === undefined) throw new AovError('E_USAGE', '--gift-cost is needed in gift mode.', { hint: 'Example: --gift-cost 2.50' });
    jobs.push({ kind: 'threshold', sinceMs: since, mode: options.mode, threshold: options.threshold, giftCost: options.giftCost, shippingCost: options.shippingCost });
  }
  if (options.secondOrderGift) {
    if (options.giftCost === undefined) throw new AovError('E_USAGE', '--gift-cost is needed for a second-order gift.', { hint: 'Example: --second-order-gift --since 2026-01-15 --gift-cost 3' });
    jobs.push({ kind: 'second_order_gift', sinceMs: since, giftCost: options.giftCost, validDays: options.validDays });
  }
  if (jobs.length === 0) {
    throw new AovError('E_USAGE', 'Nothing to evaluate: give --threshold, --second-order-gift or --rules.', {
      hint: 'Examples: aov evaluate orders.csv --threshold 60 --since 2026-03-01 --gift-cost 2\n        aov evaluate orders.csv --rules rules.json',
    });
  }
  return jobs;
}

/**
 * The measured uptake as settings of the next `aov suggest-threshold`: an aov.config.json-style
 * file, { "suggest-threshold": { "uptakePrior": "LOW-HIGH", "reach": R } }, that it reads with
 * `aov --config FILE suggest-threshold ...` (or whose two keys go into the shop's own
 * aov.config.json). One threshold's: the first with a measured uptake; a note names the others.
 */
async function writeCalibration(file: string, out: EvaluationOutput, force: boolean): Promise<void> {
  const measured = out.documents.filter((d): d is ThresholdEvaluationDocument => d.kind === 'threshold' && d.calibration !== null);
  const first = measured[0];
  const calibration = first?.calibration;
  const range = calibration ? /--uptake-prior (\S+)/.exec(calibration.suggestThresholdOptions)?.[1] : undefined;
  if (!calibration || range === undefined) {
    out.notes.push(`--write-calibration ${file}: nothing written: no threshold's uptake was measured (too few orders around it, or the periods cannot be compared).`);
    return;
  }
  const { writeFileAtomic } = await import('../io/output.js');
  await writeFileAtomic(file, `${JSON.stringify({ 'suggest-threshold': { uptakePrior: range, reach: calibration.reach } }, null, 2)}\n`, { force });
  calibration.file = file;
  out.notes.push(`Wrote the measured uptake of ${first.ruleId ?? `the ${first.currency} threshold`} to ${file}: aov --config ${file} suggest-threshold ... starts from it (or copy its keys into aov.config.json).${measured.length > 1 ? ` ${measured.length - 1} other threshold${measured.length > 2 ? 's were' : ' was'} measured; one file holds one.` : ''}`);
}

export async function evaluate(files: string[], options: EvaluateOptions): Promise<number> {
  const jobs = await jobsOf(options);
  const costFile = options.costs ? await loadCosts(options.costs) : undefined;
  const loaded = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), itemCosts: costFile?.costs, customerKeys: true }, { baskets: { excludeItems: undefined } });
  const survey = options.nps ? await loadSurvey(options.nps) : undefined;
    const style = createStyle(decideColor(options.color));
  const out = await runEvaluations(jobs, { tables: loaded.tables, baskets: loaded.baskets, exportHasShipping: exportHasShipping(loaded.input) }, { ...options, npsAnswers: survey?.answers }, style);
  if (options.writeCalibration) await writeCalibration(options.writeCalibration, out, Boolean(options.force));
  if (out.documents.every((d) => d.kind === 'skipped')) {
    const why = out.notes.length ? out.notes.join(' ') : 'no orders before or after the start, or no rule with a start date.';
    throw new AovError('E_NO_DATA', `Nothing was evaluated: ${why}`, { hint: 'Check --since (or each rule\'s startsAt) against the dates in the export.' });
  }
  if (options.json) process.stdout.write(stringify({ schema: EVALUATE_SCHEMA, evaluations: out.documents, guardrails: out.guardrails, notes: out.notes }));
  else process.stdout.write(out.texts.join('\n'));
  if (survey?.rejected) out.notes.push(`${survey.file}: ${survey.rejected} survey answer(s) unreadable and left out; the first: ${survey.problems[0]?.message ?? 'see analyze --nps --json'}.`);
  process.stderr.write(formatMessages('note', out.notes));
  return 0;
}
