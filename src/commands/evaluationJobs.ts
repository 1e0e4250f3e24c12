/**
 * What `aov evaluate` and `aov report --rules` share: the jobs of a rules file (each rule from
 * its startsAt) and every job run on every currency it applies to, with its JSON document and
 * terminal text. A recipe over analysis and renderers, not a command.
 */
import { evaluateBundle } from '../analysis/evaluateBundle.js';
import { guardrails } from '../analysis/evaluateGuardrails.js';
import { planThresholdEvaluation } from '../analysis/evaluatePlan.js';
import { evaluateSecondOrder } from '../analysis/evaluateSecondOrder.js';
import { groupProducts, productBaskets } from '../analysis/products.js';
import type { OrderTable } from '../analysis/types.js';
import { AovError, quoteValue } from '../errors.js';
import type { BasketResult } from '../io/baskets.js';
import { ruleId, validateRules, type Rule, type RulesDocument } from '../io/rulesFile.js';
import {
  bundleEvaluationJson, guardrailsJson, renderBundleEvaluation, renderGuardrails, renderSecondOrderEvaluation,
  renderThresholdEvaluation, secondOrderEvaluationJson, thresholdEvaluationJson,
} from '../report/evaluateRender.js';
import type { Style } from '../report/format.js';
import { marginRateOf } from '../analysis/thresholdPlan/margin.js';
import { parseSince } from './thresholdSettings.js';

import type { EvaluateOptions } from './evaluate.js';

/** One thing to measure, from the options or a rule, with the date it went live. */
export type EvaluationJob =
  | { kind: 'threshold'; sinceMs: number; ruleId?: string; mode: 'gift' | 'free-shipping'; threshold: number; currency?: string; giftCost?: number; shippingCost?: number }
  | { kind: 'second_order_gift'; sinceMs: number; ruleId?: string; giftCost: number; validDays: number; currency?: string }
  | { kind: 'bundle'; sinceMs: number; ruleId?: string; items: string[]; price?: number; currency?: string }
  | { kind: 'skipped'; ruleId: string; type: string; reason: string };

/** The jobs of a rules file: each rule from its startsAt, or --since. */
export async function jobsFromRules(file: string, since: number | undefined): Promise<EvaluationJob[]> {
  const { readFileSync } = await import('node:fs');
  let document: RulesDocument;
  try {
    document = JSON.parse(readFileSync(file, 'utf8')) as RulesDocument;
  } catch (error) {
    throw new AovError('E_CONFIG', `${file}: not a readable aov.rules/v1 file (${(error as Error).message}).`, { hint: 'Write one with aov rules orders.csv --out rules.json.', context: { file } });
  }
  const issues = await validateRules(document);
  if (issues.length) {
    throw new AovError('E_CONFIG', `${file}: ${issues[0].path}: ${issues[0].message}.`, { hint: `aov rules --check ${file} explains every problem.`, context: { file, column: issues[0].path } });
  }
  return document.rules.map((rule: Rule): EvaluationJob => {
    const id = ruleId(rule);
    if (rule.type === 'priority_support_tier') return { kind: 'skipped', ruleId: id, type: rule.type, reason: 'a support tier changes service, not orders: nothing in the orders to measure it by' };
    const startsAt = typeof rule.startsAt === 'string' ? parseSince(rule.startsAt, `${id}: startsAt`) : since;
    if (startsAt === undefined) return { kind: 'skipped', ruleId: id, type: rule.type, reason: 'no startsAt in the rule and no --since: when it went live is not known' };
    const amount = (m: unknown) => (m && typeof m === 'object' ? Number((m as { amount: string }).amount) : undefined);
    const currency = (m: unknown) => (m && typeof m === 'object' ? (m as { currency: string }).currency : undefined);
    if (rule.type === 'gift_threshold' || rule.type === 'free_shipping_threshold') {
      const reward = rule.reward as { cost?: unknown };
      const cost = amount(reward.cost);
      return {
        kind: 'threshold', sinceMs: startsAt, ruleId: id, mode: rule.type === 'gift_threshold' ? 'gift' : 'free-shipping', threshold: amount(rule.threshold)!, currency: currency(rule.threshold),
        giftCost: rule.type === 'gift_threshold' ? cost : undefined, shippingCost: rule.type === 'free_shipping_threshold' ? cost : undefined,
      };
    }
    if (rule.type === 'second_order_gift') {
      const gift = rule.gift as { cost?: unknown };
      const cost = amount(gift.cost);
      if (cost === undefined) return { kind: 'skipped', ruleId: id, type: rule.type, reason: 'the gift has no cost in the rule' };
      return { kind: 'second_order_gift', sinceMs: startsAt, ruleId: id, giftCost: cost, validDays: rule.validDays as number, currency: currency(gift.cost) };
    }
    if (rule.type === 'bundle') return { kind: 'bundle', sinceMs: startsAt, ruleId: id, items: rule.items as string[], price: amount(rule.price), currency: currency(rule.price) };
    return { kind: 'skipped', ruleId: id, type: rule.type, reason: 'a support tier changes service, not orders: nothing in the orders to measure it by' };
  });
}

export interface EvaluationOutput {
  documents: unknown[];
  texts: string[];
  guardrails: unknown[];
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
    const tables = loaded.tables.filter((t) => (job.currency ? t.currency === job.currency : job.kind !== 'bundle' || t.currency === loaded.baskets?.priceCurrency));
    if (tables.length === 0) out.notes.push(`${job.ruleId ?? job.kind}: no ${job.currency ?? ''} orders to evaluate it on.`);
    for (const table of tables) {
      const n = table.valueMinor.length;
      const label = job.ruleId ?? (many ? table.currency : '');
      if (n === 0 || job.sinceMs > table.placedAt[n - 1]) {
        out.notes.push(`${label ? `${label}: ` : ''}no ${table.currency} orders on or after ${new Date(job.sinceMs).toISOString().slice(0, 10)}; not evaluated.`);
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
        const grouping = groupProducts(b.baskets.itemLabels.map((label, i) => ({ label, name: b.itemNames[i] ?? '', lines: b.itemLines[i], parent: b.itemParents[i] })), { variantNames: b.variantNames });
        const products = productBaskets(b.baskets, grouping.productOf, grouping.labels, grouping.representative);
        const items = job.items.map((item) => {
          const sku = b.baskets.itemLabels.indexOf(item);
          const byLabel = grouping.labels.indexOf(item);
          return byLabel >= 0 ? byLabel : sku >= 0 ? grouping.productOf[sku] : -1;
        });
        const missing = job.items.filter((_, k) => items[k] < 0);
        if (missing.length) {
          out.notes.push(`${job.ruleId ?? 'bundle'}: ${missing.map((x) => quoteValue(x)).join(', ')} not in the baskets; not evaluated.`);
          continue;
        }
        const timeOf = new Map<string, number>();
        table.orderIds.forEach((id, i) => timeOf.set(id, table.placedAt[i]));
        const times = Float64Array.from(b.orderIds, (id) => timeOf.get(id) ?? NaN);
        const e = evaluateBundle(products, times, { sinceMs: job.sinceMs, items, bundlePriceMinor: job.price !== undefined ? Math.round(job.price * scale) : undefined, marginRate: options.margin ?? marginRateOf(table) });
        const context = { currency: table.currency, decimals: table.decimals, ruleId: job.ruleId, notes: [], items: job.items, names: items.map((i) => grouping.names[i]) };
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
      const aov = (out.documents as { kind: string; currency?: string; aov?: { mean: { change: number | null } } }[]).find((d) => d.kind === 'threshold' && d.currency === table.currency)?.aov?.mean.change ?? null;
      const g = guardrails(table, since, aov, options.npsAnswers);
      const context = { currency: table.currency, decimals: table.decimals, notes: [] };
      out.guardrails.push(guardrailsJson(g, context));
      out.texts.push(renderGuardrails(g, context, style));
    }
  }
  return out;
}
