import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { amountOptions, shopCurrency, tablesForAmounts, THRESHOLD_AMOUNTS } from '../src/commands/shopCurrency.js';
import { formatProbability } from '../src/report/format.js';
import { fixture, runAov, tempDir } from './helpers.js';

const t = (currency: string, n: number) => ({ currency, valueMinor: new Float64Array(n) });

describe('amounts are in the shop currency (QA: --gift-cost 3 was read as 3 JPY beside EUR)', () => {
  it('the shop currency is the one with the most orders; ties by code', () => {
    expect(shopCurrency([t('JPY', 3), t('EUR', 5)])).toBe('EUR');
    expect(shopCurrency([t('JPY', 5), t('EUR', 5)])).toBe('EUR');
    expect(shopCurrency([])).toBeUndefined();
  });

  it('keeps every table without amounts or with one currency, else the shop currency, with a note per other', () => {
    const tables = [t('JPY', 300), t('EUR', 301)];
    expect(tablesForAmounts(tables, []).tables).toHaveLength(2);
    expect(tablesForAmounts([t('JPY', 3)], ['--gift-cost 3']).tables).toHaveLength(1);
    const out = tablesForAmounts(tables, ['--gift-cost 3', '--reach 8']);
    expect(out.tables.map((x) => x.currency)).toEqual(['EUR']);
    expect(out.notes).toEqual([
      'JPY: 300 orders left out: --gift-cost 3, --reach 8 are amounts in EUR, the shop currency (the currency of most orders). Run aov on the JPY orders alone, with amounts in JPY, to plan them.',
    ]);
    expect(amountOptions({ giftCost: 3, margin: 0.4, reach: undefined, overshoot: 0 }, THRESHOLD_AMOUNTS)).toEqual(['--gift-cost 3', '--overshoot 0']);
  });

  it('suggest-threshold plans the shop currency only and says why; analyze still reports both', () => {
    const r = runAov(['suggest-threshold', fixture('two_currencies.csv'), '--gift-cost', '1', '--margin', '0.4', '--force', '--json', '--no-cache']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).currencies.map((c: { currency: string }) => c.currency)).toEqual(['EUR']);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain('JPY: 2 orders left out: --gift-cost 1 is an amount in EUR, the shop currency');
    const analyze = JSON.parse(runAov(['analyze', fixture('two_currencies.csv'), '--json', '--no-cache']).stdout);
    expect(analyze.currencies.map((c: { currency: string }) => c.currency).sort()).toEqual(['EUR', 'JPY']);
  });

  it('a rule file gets no second-order gift that fails the 90% bar, and says so', () => {
    const dir = tempDir('aov-bar-');
    const out = path.join(dir, 'rules.json');
    // A 3.00 EUR gift on the sample shop pays in about 15% of the resamples (aov suggest-second-order).
    const r = runAov(['rules', fixture('sample-orders.csv'), '--gift-cost', '3', '--min-support', '20', '--out', out, '--no-cache']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.rules.map((x: { type: string }) => x.type)).not.toContain('second_order_gift');
    expect(r.stderr.replace(/\s+/g, ' ')).toMatch(/EUR second-order gift: pays in \d+% of the resamples at a \d+% lift \(a rule needs 90%; expected net -\d/);
  });

  it('a probability is never printed as a certainty', () => {
    expect([formatProbability(1), formatProbability(0.996), formatProbability(0.994), formatProbability(0.5), formatProbability(0.004), formatProbability(0)]).toEqual(['> 99%', '> 99%', '99%', '50%', '< 1%', '< 1%']);
    const r = runAov(['suggest-threshold', fixture('sample-orders.csv'), '--gift-cost', '0.1', '--no-prior', '--uptake', '0.6', '--no-cache']);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).not.toMatch(/P\(gain\) 100%/);
    expect(text).toMatch(/P\(gain\) > 99%/);
  });
});
