/**
 * The report's "Suggested rules" in words, shared by the Markdown and HTML renderers: per rule of
 * rules.json its kind, its key figures and its evidence, and per rule not written why. Plain
 * text; each renderer escapes it.
 */
import type { ReportRule, ReportRules } from './reportTypes.js';
import { formatCount, formatNumber, formatPct, formatProbability, formatQ } from './format.js';
import { formatMajorMoney, formatSignedMajor } from './svg.js';

export interface RuleSummary {
  id: string;
  type: string;
  /** "Bundle", "Priority support tier", ... */
  kind: string;
  /** What the rule does, with its key figures. */
  figures: string;
  /** Why it is suggested, in a sentence. */
  evidence: string;
}

const KIND_LABELS: Record<string, string> = {
  gift_threshold: 'Gift threshold',
  free_shipping_threshold: 'Free-shipping threshold',
  bundle: 'Bundle',
  second_order_gift: 'Second-order gift',
  priority_support_tier: 'Priority support tier',
};

/** A rule type of rules.json as a reader says it: "priority_support_tier" -> "Priority support tier". */
export function ruleKind(type: string): string {
  return KIND_LABELS[type] ?? type;
}

/** One written rule's kind, key figures and evidence. */
export function ruleSummary(rule: ReportRule, currency: string, decimals: number): RuleSummary {
  const money = (x: number | null) => formatMajorMoney(x, currency, decimals);
  const base = { id: rule.id, type: rule.type, kind: ruleKind(rule.type) };
  switch (rule.type) {
    case 'gift_threshold':
    case 'free_shipping_threshold':
      return {
        ...base,
        figures: `orders of ${money(rule.threshold)} or more get ${rule.type === 'gift_threshold' ? 'a free gift' : 'free shipping'} (costing ${money(rule.rewardCost)} each)`,
        evidence:
          `expected net margin ${formatSignedMajor(rule.netMarginPerMonth, decimals)} ${currency} a month after the reward's cost, positive in ${formatProbability(rule.probabilityPositive ?? NaN)} of the simulations` +
          (rule.projectedAov !== null ? `; projected AOV ${money(rule.projectedAov)}` : '') +
          (rule.topUpsPerMonth !== null ? ` with about ${formatNumber(rule.topUpsPerMonth, 1)} top-ups a month` : '') +
          '.',
      };
    case 'bundle': {
      const names = rule.items.map((id, k) => (rule.names[k] && rule.names[k] !== id ? `${rule.names[k]} (${id})` : id));
      const together = `bought together in ${formatCount(rule.supportCount)} baskets (${formatPct(rule.support, 2)} of baskets)`;
      const [first, second] = rule.items.map((id, k) => rule.names[k] || id);
      const confidence = rule.confidence ? `; ${formatPct(rule.confidence[0])} of baskets with ${first} also hold ${second}, ${formatPct(rule.confidence[1])} the other way round` : '';
      const lift = rule.lift !== null ? `; lift ${formatNumber(rule.lift, 2)}${rule.q !== null ? ` (q ${formatQ(rule.q)})` : ''}` : '';
      return { ...base, figures: `${names.join(' + ')} ${rule.price !== null ? `at ${money(rule.price)}` : 'with no bundle price (an item has no usual price)'}`, evidence: `${together}${confidence}${lift}.` };
    }
    case 'priority_support_tier':
      return {
        ...base,
        figures: `"${rule.name}": customers who spent ${money(rule.minSpend)} or more in the last ${formatCount(rule.windowDays)} days get a ${formatCount(rule.responseTargetHours)}-hour support response target`,
        evidence:
          `its ${formatCount(rule.members)} members (the top ${formatPct(rule.topShare, 0)} of customers by spend) bring ${formatPct(rule.memberRevenueShare)} of the window's revenue; their orders average ${money(rule.memberAov)} against ${money(rule.everyoneAov)} for everyone; ` +
          `${formatCount(rule.nearLine)} more customers are within 10% below the line.`,
      };
  }
}

/** The rules section's lead: how many rules went into rules.json. */
export function rulesLead(rules: ReportRules): string {
  const n = rules.written.length;
  return n === 0 ? 'No rule written to rules.json.' : `${formatCount(n)} ${n === 1 ? 'rule' : 'rules'} written to rules.json, in the file's order:`;
}

/** A rule considered but not written: its kind and why. */
export function notWrittenSummary(entry: ReportRules['notWritten'][number]): { kind: string; reason: string } {
  return { kind: ruleKind(entry.type), reason: /[.!?]$/.test(entry.reason) ? entry.reason : `${entry.reason}.` };
}
