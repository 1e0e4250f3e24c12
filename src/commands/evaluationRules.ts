/**
 * The jobs of `aov evaluate` and `aov report --rules`: one thing to measure, from the options or
 * from a rule of an aov.rules/v1 file, with the date it went live.
 */
import { AovError } from '../errors.js';
import { ruleId, validateRules, type Rule, type RulesDocument } from '../io/rulesFile.js';
import { parseSince } from './thresholdSettings.js';

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
