import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeRules, validateRules } from '../src/io/rulesFile.js';
import { DATA, runAov, tempDir } from './helpers.js';

describe('the aov.rules/v1 schema', () => {
  it('accepts the rules the tool emits (tier and second-order gift)', async () => {
    const tier = JSON.parse(runAov(['suggest-tier', path.join(DATA, 'shopify_orders_export.csv'), '--json']).stdout).rule;
    const second = JSON.parse(runAov(['suggest-second-order', path.join(DATA, 'shopify_orders_export.csv'), '--gift-cost', '5', '--margin', '0.5', '--json']).stdout).rule;
    const document = mergeRules(undefined, [tier, second], false, 'rules.json');
    expect(await validateRules(document)).toEqual([]);
    expect(document.rules.map((r) => r.id)).toEqual(['priority_support_tier:USD', 'second_order_gift:USD']);
  });

  it('rejects a broken rule with a message naming the field', async () => {
    const issues = await validateRules({
      schema: 'aov.rules/v1',
      rules: [{ type: 'gift_threshold', threshold: { amount: '59,00', currency: 'EUR' }, reward: { kind: 'gift' }, message: { en: 'x' } }],
    });
    expect(issues).toContainEqual({ path: '/rules/0/threshold/amount', message: 'must match pattern "^-?[0-9]+(\\.[0-9]{1,4})?$"' });
    const missing = await validateRules({ schema: 'aov.rules/v1', rules: [{ type: 'priority_support_tier', window: '365d', responseTargetHours: 2 }] });
    expect(missing).toContainEqual({ path: '/rules/0', message: 'missing field "minSpend"' });
  });

  it('aov rules --check explains each error and exits 2, or confirms a valid file', () => {
    const dir = tempDir('aov-rules-');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schema: 'aov.rules/v1', rules: [{ type: 'bundle', items: ['A'], evidence: { support: 2, confidence: 0.5, lift: 1.2 } }] }));
    const result = runAov(['rules', '--check', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/rules/0/items: must NOT have fewer than 2 items');
    expect(result.stderr).toContain('/rules/0/evidence/support: must be <= 1');
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ schema: 'aov.rules/v1', rules: [] }));
    expect(runAov(['rules', '--check', good]).stdout).toContain('valid aov.rules/v1 (0 rules)');
  });

  it('merges rule by rule: keeps other rules, refuses to replace one without force', () => {
    const existing = mergeRules(undefined, [{ type: 'bundle', items: ['A', 'B'], evidence: {} }], false, 'r.json');
    const merged = mergeRules(existing, [{ type: 'bundle', items: ['C', 'D'], evidence: {} }], false, 'r.json');
    expect(merged.rules.map((r) => r.id)).toEqual(['bundle:A+B', 'bundle:C+D']);
    expect(() => mergeRules(merged, [{ type: 'bundle', items: ['A', 'B'], evidence: { lift: 2 } }], false, 'r.json')).toThrow(/already has a rule "bundle:A\+B"/);
    const forced = mergeRules(merged, [{ type: 'bundle', items: ['A', 'B'], evidence: { lift: 2 } }], true, 'r.json');
    expect(forced.rules).toHaveLength(2);
    expect(forced.rules[0].evidence).toEqual({ lift: 2 });
  });
});

describe('aov rules', () => {
  it('writes threshold, bundle, second-order and tier rules in one valid file, with evidence and assumptions', async () => {
    const { fixture } = await import('./helpers.js');
    const dir = tempDir('aov-rules-');
    const out = path.join(dir, 'rules.json');
    // --no-prior: under the stated prior (issue #16) no candidate reaches P(net > 0) >= 0.9 on
    // this shop, so no threshold rule is written; under the fixed assumptions it is. Likewise
    // --bundle-elasticity 2 (a known response, not the 0.6-2.6 prior under which the sample's
    // offers pay with P 67-70%) puts the bundles over the same bar.
    const result = runAov(['rules', fixture('sample-orders.csv'), '--gift-cost', '0.2', '--min-support', '20', '--no-prior', '--bundle-elasticity', '2', '--out', out]);
    expect(result.code).toBe(0);
    const doc = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8'));
    expect(await validateRules(doc)).toEqual([]);
    const types = new Set(doc.rules.map((r: { type: string }) => r.type));
    // A gift threshold is written when --gift-cost is given, a margin is known (here from the
    // Unit Cost column, src/commands/rules.ts) and a candidate is recommended: at an uptake of
    // 0.30 a 0.20 EUR gift against a 63.6% margin on a shop whose cheapest add-on is 3.50 EUR
    // pays for itself.
    expect(types).toEqual(new Set(['bundle', 'priority_support_tier', 'second_order_gift', 'gift_threshold']));
    const gift = doc.rules.filter((r: { type: string }) => r.type === 'gift_threshold');
    expect(gift).toHaveLength(1);
    expect(gift[0]).toMatchObject({ id: 'gift_threshold:EUR', reward: { kind: 'gift', cost: { amount: '0.20', currency: 'EUR' } }, threshold: { currency: 'EUR' } });
    for (const r of doc.rules) expect(r.evidence ?? r.expected).toBeDefined();
    // Status on stderr, as aov report's; nothing on stdout without --json.
    expect(result.stdout).toBe('');
    expect(result.stderr.replace(/\s+/g, ' ')).toMatch(/valid aov\.rules\/v1/);
    expect(result.stderr).not.toMatch(/not written: EUR threshold/);
    // Each bundle rule carries what it was judged on: P(net > 0) at or over the bar, and its net.
    for (const r of doc.rules.filter((x: { type: string }) => x.type === 'bundle')) {
      expect(r.evidence.economics.probabilityPays).toBeGreaterThanOrEqual(0.9);
      expect(r.evidence.economics.expectedNet).toBeGreaterThan(0);
    }
  });

  it('writes no bundle rule that pays with P(net > 0) under 0.9, and names each one skipped with its P and net', async () => {
    const { fixture } = await import('./helpers.js');
    const { readFileSync } = await import('node:fs');
    const out = path.join(tempDir('aov-rules-'), 'rules.json');
    // Under the default elasticity prior (0.6-2.6) the sample's three offers pay with P 67-70%
    // (aov bundles --json: offers[].economics.probabilityPays), under the 90% bar.
    const bundles = JSON.parse(runAov(['bundles', fixture('sample-orders.csv'), '--min-support', '20', '--json']).stdout);
    const offers = bundles.offers.filter((o: { viable: boolean }) => o.viable);
    expect(offers.length).toBeGreaterThan(0);
    const result = runAov(['rules', fixture('sample-orders.csv'), '--min-support', '20', '--out', out]);
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8')).rules.filter((r: { type: string }) => r.type === 'bundle');
    expect(written).toEqual([]);
    const stderr = result.stderr.replace(/\s+/g, ' ');
    for (const o of offers) {
      expect(o.economics.probabilityPays).toBeLessThan(0.9);
      const p = `${Math.round(o.economics.probabilityPays * 100)}%`;
      expect(stderr).toContain(`not written: EUR bundle ${o.items.join(' + ')}: pays with P ${p} at a ${Math.round(o.discount * 100)}% discount (a rule needs 90%); expected net ${o.economics.expectedNet.toFixed(2)} EUR`);
    }
  });

  it('writes no gift threshold when no gift cost is given, or when the gift costs more than any order brings', async () => {
    const { fixture } = await import('./helpers.js');
    const { readFileSync } = await import('node:fs');
    const dir = tempDir('aov-rules-');
    const typesOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')).rules.map((r: { type: string }) => r.type);
    const without = runAov(['rules', fixture('sample-orders.csv'), '--min-support', '20', '--out', path.join(dir, 'none.json')]);
    expect(without.code).toBe(0);
    expect(typesOf(path.join(dir, 'none.json'))).not.toContain('gift_threshold');
    expect(without.stderr.replace(/\s+/g, ' ')).toContain('aov: note: not written: EUR threshold: give --gift-cost');
    // A 1,000 EUR gift: the largest order in the sample is 877.80 EUR, so no threshold can pay.
    const dear = runAov(['rules', fixture('sample-orders.csv'), '--gift-cost', '1000', '--min-support', '20', '--out', path.join(dir, 'dear.json')]);
    expect(dear.code).toBe(0);
    expect(typesOf(path.join(dir, 'dear.json'))).not.toContain('gift_threshold');
    expect(dear.stderr.replace(/\s+/g, ' ')).toMatch(/not written: EUR threshold: no candidate is expected to pay/);
  });
});

describe('aov rules hints', () => {
  it('names --out, the option aov rules has, when the target is not a rules file (#21: it said --emit)', async () => {
    const { fixture } = await import('./helpers.js');
    const { writeFileSync } = await import('node:fs');
    const file = path.join(tempDir('aov-rules-hint-'), 'mine.json');
    writeFileSync(file, '{"mine": true}');
    const r = runAov(['rules', fixture('sample-orders.csv'), '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: Choose another --out file, or add --force to overwrite it.');
  });
});

describe('aov rules --check on a hand-edited file', () => {
  it('refuses misspelt keys and names the closest known one (#21: minSpnd, oncePerCustomr passed)', () => {
    const file = path.join(tempDir('aov-rules-typo-'), 'rules.json');
    writeFileSync(file, JSON.stringify({
      schema: 'aov.rules/v1',
      rules: [
        { type: 'priority_support_tier', minSpend: { amount: '100.00', currency: 'EUR' }, minSpnd: { amount: '100.00', currency: 'EUR' }, window: '365d', responseTargetHours: 4 },
        { type: 'second_order_gift', oncePerCustomer: true, oncePerCustomr: true, customerKey: 'email', gift: { description: 'mug' }, validDays: 90 },
      ],
    }));
    const r = runAov(['rules', '--check', file]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('/rules/0: unknown field "minSpnd" (did you mean "minSpend"?)');
    expect(r.stdout + r.stderr).toContain('/rules/1: unknown field "oncePerCustomr" (did you mean "oncePerCustomer"?)');
  });
});
