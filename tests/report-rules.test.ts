/**
 * `aov report`'s "Suggested rules" section against the rules.json written beside it: every rule
 * of the file is listed in report.md and report.html under its id, with its kind and its key
 * figures as the file states them, and what was considered but not written is said. Expected
 * values are read from rules.json (the other output of the same run), never from the report.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../src/io/previousReport.js';
import { fixture, runAov, tempDir } from './helpers.js';

interface RuleJson {
  id: string;
  type: string;
  [key: string]: any;
}

interface Run {
  md: string;
  html: string;
  report: any;
  rules: RuleJson[];
}

function report(extra: string[]): Run {
  const dir = tempDir('aov-report-rules-');
  // --gift-cost 0.2 --no-prior: the sample's threshold is recommended (tests/golden/rules-sample-shopify.json has it too).
  const result = runAov(['report', fixture('sample-orders.csv'), '--out', dir, '--quiet', '--no-cache', ...extra]);
  expect(result.code, result.stderr).toBe(0);
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  return { md: read('report.md'), html: read('report.html'), report: JSON.parse(read('report.json')), rules: JSON.parse(read('rules.json')).rules };
}

/** The Markdown "Suggested rules" section of the first currency, up to the next heading of its level or above. */
function rulesSection(md: string): string {
  const start = md.indexOf('### Suggested rules');
  expect(start, 'a Suggested rules section').toBeGreaterThanOrEqual(0);
  const rest = md.slice(start + 1);
  const end = rest.search(/\n#{2,4} /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The Markdown list item that names a rule id in its code span, Markdown escapes removed. */
function markdownItem(section: string, id: string): string {
  const line = section.split('\n').find((l) => l.startsWith('- ') && l.includes(`\`${id}\``));
  expect(line, `a list item for ${id}`).toBeDefined();
  return line!.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** The HTML list item with data-rule-id="id", as visible text. */
function htmlItem(html: string, id: string): string {
  const match = html.match(new RegExp(`<li data-rule-id="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</li>`));
  expect(match, `an HTML item for ${id}`).not.toBeNull();
  return match![1].replace(/<[^>]*>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The key figures a reader must find for a rule, as rules.json writes them (decimal strings, names). */
function keyFigures(rule: RuleJson): string[] {
  switch (rule.type) {
    case 'gift_threshold':
      return ['Gift threshold', `${rule.threshold.amount} ${rule.threshold.currency}`, `${rule.reward.cost.amount} ${rule.reward.cost.currency}`];
    case 'bundle':
      return ['Bundle', ...rule.names, `${rule.price.amount} ${rule.price.currency}`, `bought together in ${rule.evidence.supportCount} baskets`];
    case 'priority_support_tier':
      // 105 members: the count in rules.json; minSpend as the file's decimal string.
      return ['Priority support tier', rule.name, `${rule.minSpend.amount} ${rule.minSpend.currency}`, `${rule.members} members`, `last ${Number.parseInt(rule.window, 10)} days`];
    default:
      throw new Error(`no expectation for ${rule.type}`);
  }
}

describe('aov report: suggested rules', () => {
  let withThreshold: Run;
  let plain: Run;
  beforeAll(() => {
    // --bundle-elasticity 2: a known response, under which the sample's bundles pay with P 1 (under
    // the default prior, P 67-70%, they are not written: tests/rules-schema.test.ts).
    withThreshold = report(['--gift-cost', '0.2', '--no-prior', '--bundle-elasticity', '2']);
    plain = report([]);
  }, 120_000);

  it('writes a threshold, bundles and a support tier to rules.json for the sample (the cases below need each kind)', () => {
    expect(new Set(withThreshold.rules.map((r) => r.type))).toEqual(new Set(['gift_threshold', 'bundle', 'priority_support_tier']));
  });

  it('the Markdown report lists every rule rules.json has, with its kind, its key figures and its evidence', () => {
    const section = rulesSection(withThreshold.md);
    const listed = section.split('\n').filter((l) => /^- \*\*.*\*\* `[^`]+`:/.test(l));
    expect(listed).toHaveLength(withThreshold.rules.length);
    for (const rule of withThreshold.rules) {
      const item = markdownItem(section, rule.id);
      for (const figure of keyFigures(rule)) expect(item, `${rule.id}: ${figure}`).toContain(figure);
      expect(item, `${rule.id} has an evidence sentence`).toMatch(/Evidence: .+\.$/);
    }
  });

  it('the HTML report lists the same rules, under the ids rules.json gives them, with the same figures', () => {
    const ids = [...withThreshold.html.matchAll(/<li data-rule-id="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(ids).toEqual(withThreshold.rules.map((r) => r.id));
    for (const rule of withThreshold.rules) {
      const item = htmlItem(withThreshold.html, rule.id);
      for (const figure of keyFigures(rule)) expect(item, `${rule.id}: ${figure}`).toContain(figure);
      expect(item).toContain('Evidence: ');
    }
  });

  it('report.json carries the written rules with the ids of rules.json and validates against its schema', async () => {
    const written = withThreshold.report.currencies.flatMap((c: any) => c.rules.written);
    expect(written.map((r: any) => r.id)).toEqual(withThreshold.rules.map((r) => r.id));
    const tier = withThreshold.rules.find((r) => r.type === 'priority_support_tier')!;
    expect(written.find((r: any) => r.id === tier.id)).toMatchObject({ minSpend: Number(tier.minSpend.amount), members: tier.members });
    expect(await validateReport(withThreshold.report)).toEqual([]);
    expect(await validateReport(plain.report)).toEqual([]);
  });

  it('says a threshold was considered and not written when rules.json has none, in both renderers', () => {
    expect(plain.rules.some((r) => r.type.endsWith('_threshold'))).toBe(false);
    const section = rulesSection(plain.md);
    expect(section).toContain('Considered, not written:');
    // The reason is the one the command's warning gives: no --gift-cost.
    expect(section).toMatch(/- \*\*Gift threshold\*\*: not simulated: give --gift-cost/);
    expect(plain.html).toMatch(/<li data-not-written="gift_threshold"><strong>Gift threshold<\/strong>: not simulated: give <span class="flag">--gift-cost<\/span>/);
    // The rules that were written are still all listed.
    for (const rule of plain.rules) markdownItem(section, rule.id);
  });
});
