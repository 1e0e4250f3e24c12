/**
 * What `aov evaluate` and `aov report --rules` share: every job (evaluationRules.ts) run on
 * every currency it applies to, with its JSON document and terminal text, and the guardrails.
 * A recipe over analysis and renderers, not a command.
 */
import { tablesForAmounts } from './shopCurrency.js';
import { evaluateBundle } from '../analysis/evaluateBundle.js';
import { bundleEvaluationInputs } from '../analysis/evaluateBundleInputs.js';
import { guardrails } from '../analysis/evaluateGuardrails.js';
import { planThresholdEvaluation } from '../analysis/evaluatePlan.js';
import { evaluateSecondOrder } from '../analysis/evaluateSecondOrder.js';
import type { OrderTable } from '../analysis/types.js';
import { AovError, quoteValue } from '../errors.js';
import type { BasketResult } from '../io/baskets.js';
import {
  bundleEvaluationJson, guardrailsJson, renderBundleEvaluation, renderGuardrails, renderSecondOrderEvaluation,
  renderThresholdEvaluation, secondOrderEvaluationJson, thresholdEvaluationJson,
} from '../report/evaluateRender.js';
import type { Style } from '../report/format.js';
import { marginRateOf } from '../analysis/thresholdPlan/margin.js';
import type { EvaluateOptions } from './evaluate.js';
import type { EvaluationJob } from './evaluationRules.js';

/** A rule not evaluated, and why (a type literal: report.json's evaluations take any field). */
export type SkippedEvaluation = { kind: 'skipped'; ruleId: string; type: string; reason: string };

export type ThresholdEvaluationDocument = ReturnType<typeof thresholdEvaluationJson>;

/** One evaluation's aov.evaluate/v1 document. */
export type EvaluationDocument = ThresholdEvaluationDocument | ReturnType<typeof secondOrderEvaluationJson> | ReturnType<typeof bundleEvaluationJson> | SkippedEvaluation;

export interface EvaluationOutput {
  documents: EvaluationDocument[];
  texts: string[];
  guardrails: ReturnType<typeof guardrailsJson>[];
  notes: string[];
}

/** Every job on every currency it applies to, and the guardrails per currency: the part `aov report --rules` shares. */
export async function runEvaluations(
  jobs: readonly EvaluationJob[], loaded: { tables: OrderTable[]; baskets?: BasketResult; exportHasShipping: boolean },
  options: Pick<EvaluateOptions, 'margin' | 'reach' | 'resamples' | 'seed' | 'burnIn'> & { npsAnswers?: { customerKey: string; score: number; answeredAt: number }[] }, style: Style,
): Promise<EvaluationOutput> {
  const out: EvaluationOutput = { documents: [], texts: [], guardrails: [], notes: [] };
  const many = loaded.tables.length > 1;
  for (const job of jobs) {
    if (job.kind === 'skipped') {
      out.documents.push({ kind: 'skipped', ruleId: job.ruleId, type: job.type, reason: job.reason });
      out.notes.push(`${job.ruleId}: not evaluated: ${job.reason}.`);
      continue;
    }
    let tables = loaded.tables.filter((t) => (job.currency ? t.currency === job.currency : job.kind !== 'bundle' || t.currency === loaded.baskets?.priceCurrency));
    if (!job.currency && job.kind !== 'bundle') {
      // Amounts from the command line (--threshold 60, --gift-cost 2) are in the shop currency.
      const given = job.kind === 'threshold' ? [`--threshold ${job.threshold}`, ...(job.giftCost !== undefined ? [`--gift-cost ${job.giftCost}`] : [])] : [`--gift-cost ${job.giftCost}`];
      const forAmounts = tablesForAmounts(tables, given);
      tables = forAmounts.tables;
      out.notes.push(...forAmounts.notes);
    }
    if (tables.length === 0) out.notes.push(`${job.ruleId ?? job.kind}: no ${job.currency ?? ''} orders to evaluate it on.`);
    for (const table of tables) {
      const n = table.valueMinor.length;
      const label = job.ruleId ?? (many ? table.currency : '');
      if (n === 0 || job.sinceMs > table.placedAt[n - 1]) {
        out.notes.push(`${label ? `${label}: ` : ''}no ${table.currency} orders on or after ${new Date(job.sinceMs).toISOString().slice(0, 10)}; not evaluated.`);
        continue;
      }
      if (job.sinceMs <= table.placedAt[0]) {
        // Every measure compares the periods: with nothing before the start there is nothing to compare with.
        out.notes.push(`${label ? `${label}: ` : ''}no ${table.currency} orders before ${new Date(job.sinceMs).toISOString().slice(0, 10)} (the first is on ${new Date(table.placedAt[0]).toISOString().slice(0, 10)}), so nothing to compare the orders after with; not evaluated.`);
        continue;
      }
      const scale = 10 ** table.decimals;
      if (job.kind === 'threshold') {
        const plan = planThresholdEvaluation(table, loaded.baskets, {
          mode: job.mode, thresholdMinor: Math.round(job.threshold * scale), sinceMs: job.sinceMs,
          margin: options.margin, giftCost: job.giftCost, shippingCost: job.shippingCost, reach: options.reach, resamples: options.resamples, seed: options.seed,
        }, loaded.exportHasShipping);
        const context = { currency: table.currency, decimals: table.decimals, mode: job.mode, ruleId: job.ruleId, notes: plan.notes };
        out.documents.push(thresholdEvaluationJson(plan.evaluation, context));
        out.texts.push(renderThresholdEvaluation(plan.evaluation, context, style));
        out.notes.push(...plan.notes.map((x) => (label ? `${label}: ${x}` : x)));
      } else if (job.kind === 'second_order_gift') {
        const margin = options.margin ?? marginRateOf(table);
        if (margin === undefined) throw new AovError('E_USAGE', `--margin is needed: the ${table.currency} orders have no cost or profit data.`, { hint: 'Example: --margin 0.4' });
        const e = evaluateSecondOrder(table, { sinceMs: job.sinceMs, validDays: job.validDays, giftCostMinor: Math.round(job.giftCost * scale), marginRate: margin, burnInDays: options.burnIn });
        const context = { currency: table.currency, decimals: table.decimals, ruleId: job.ruleId, notes: [] };
        out.documents.push(secondOrderEvaluationJson(e, context, options.margin !== undefined ? '--margin' : 'cost or profit data'));
        out.texts.push(renderSecondOrderEvaluation(e, context, style));
      } else {
        const b = loaded.baskets;
        if (!b || b.orderIds.length === 0) {
          out.notes.push(`${job.ruleId ?? 'bundle'}: the export has no line items; a bundle cannot be evaluated.`);
          continue;
        }
        const inputs = bundleEvaluationInputs(b, table, job.items);
        if (inputs.kind === 'missing') {
          out.notes.push(`${job.ruleId ?? 'bundle'}: ${inputs.missing.map((x) => quoteValue(x)).join(', ')} not in the baskets; not evaluated.`);
          continue;
        }
        const e = evaluateBundle(inputs.products, inputs.times, { sinceMs: job.sinceMs, items: inputs.items, bundlePriceMinor: job.price !== undefined ? Math.round(job.price * scale) : undefined, marginRate: options.margin ?? marginRateOf(table) });
        const context = { currency: table.currency, decimals: table.decimals, ruleId: job.ruleId, notes: [], items: job.items, names: inputs.names };
        out.documents.push(bundleEvaluationJson(e, context));
        out.texts.push(renderBundleEvaluation(e, context, style));
      }
    }
  }
  // The guardrails from the earliest start, per currency.
  const starts = jobs.filter((j) => j.kind !== 'skipped').map((j) => (j as { sinceMs: number }).sinceMs);
  if (starts.length) {
    const since = Math.min(...starts);
    for (const table of loaded.tables) {
      if (table.customerCount === 0 || !(table.placedAt[table.placedAt.length - 1] >= since)) continue;
      const aov = out.documents.find((d): d is ThresholdEvaluationDocument => d.kind === 'threshold' && d.currency === table.currency)?.aov.mean.change ?? null;
      const g = guardrails(table, since, aov, options.npsAnswers);
      const context = { currency: table.currency, decimals: table.decimals, notes: [] };
      out.guardrails.push(guardrailsJson(g, context));
      out.texts.push(renderGuardrails(g, context, style));
    }
  }
  return out;
}
