/** `aov evaluate`: load -> per currency, evaluate the threshold (or each rule) from its start date -> render. */
import { planThresholdEvaluation } from '../analysis/evaluatePlan.js';
import { AovError } from '../errors.js';
import { loadCosts } from '../io/costs.js';
import { loadOrders } from '../io/load.js';
import { stringify } from '../report/analyzeJson.js';
import { EVALUATE_SCHEMA, renderThresholdEvaluation, thresholdEvaluationJson, type ThresholdContext } from '../report/evaluateRender.js';
import { createStyle, decideColor } from '../report/format.js';
import { formatMessages } from '../report/messages.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';
import { parseSince } from './thresholdSettings.js';

export interface EvaluateOptions extends InputCliOptions {
  threshold?: number;
  since?: string;
  mode: 'gift' | 'free-shipping';
  margin?: number;
  giftCost?: number;
  shippingCost?: number;
  costs?: string;
  reach?: number;
  resamples: number;
  seed: number;
  json?: boolean;
  color?: boolean;
}

export async function evaluate(files: string[], options: EvaluateOptions): Promise<number> {
  // Every option checked before the data is read.
  if (options.threshold === undefined) throw new AovError('E_USAGE', '--threshold is needed: the order value the rule starts at.', { hint: 'Example: aov evaluate orders.csv --threshold 60 --since 2026-03-01 --gift-cost 2 --margin 0.45' });
  if (options.since === undefined) throw new AovError('E_USAGE', '--since is needed: the date the rule went live.', { hint: 'Example: --since 2026-03-01' });
  const sinceMs = parseSince(options.since);
  if (options.mode === 'gift' && options.giftCost === undefined) throw new AovError('E_USAGE', '--gift-cost is needed in gift mode.', { hint: 'Example: --gift-cost 2.50' });
  const costFile = options.costs ? await loadCosts(options.costs) : undefined;
  const loaded = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), itemCosts: costFile?.costs }, { baskets: { excludeItems: undefined } });
  const exportHasShipping = loaded.input.perFile.some((f) => f.columns.shipping !== undefined);
  const style = createStyle(decideColor(options.color));
  const documents: unknown[] = [];
  const texts: string[] = [];
  const notes: string[] = [];
  for (const table of loaded.tables) {
    const n = table.valueMinor.length;
    if (n === 0) continue;
    if (sinceMs > table.placedAt[n - 1]) {
      notes.push(`${table.currency}: no orders on or after ${options.since} (the data end ${new Date(table.placedAt[n - 1]).toISOString().slice(0, 10)}).`);
      continue;
    }
    const plan = planThresholdEvaluation(table, loaded.baskets, {
      mode: options.mode, thresholdMinor: Math.round(options.threshold * 10 ** table.decimals), sinceMs,
      margin: options.margin, giftCost: options.giftCost, shippingCost: options.shippingCost, reach: options.reach,
      resamples: options.resamples, seed: options.seed,
    }, exportHasShipping);
    const context: ThresholdContext = { currency: table.currency, decimals: table.decimals, mode: options.mode, notes: plan.notes };
    documents.push(thresholdEvaluationJson(plan.evaluation, context));
    texts.push(renderThresholdEvaluation(plan.evaluation, context, style));
    notes.push(...plan.notes.map((x) => (loaded.tables.length > 1 ? `${table.currency}: ${x}` : x)));
  }
  if (documents.length === 0) throw new AovError('E_NO_DATA', `No orders on or after ${options.since}: nothing to evaluate.`, { hint: 'Check --since against the dates in the export.' });
  if (options.json) process.stdout.write(stringify({ schema: EVALUATE_SCHEMA, evaluations: documents, notes }));
  else process.stdout.write(texts.join('\n'));
  process.stderr.write(formatMessages('note', notes));
  return 0;
}
