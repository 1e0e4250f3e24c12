import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, fixture, runAov, runJson, tempDir } from './helpers.js';

describe('every threshold answer says what it assumes and where each number came from (#16)', () => {
  it('suggest-threshold --json: the origin of each assumption follows the options given', () => {
    const doc = runJson(['suggest-threshold', fixture('sample-orders.csv'), '--gift-cost', '0.25', '--resamples', '200']);
    // The sample has costs per line: margins are data, the gift cost an option, the uptake the prior.
    expect(doc.assumptions.origin).toEqual({ uptake: 'prior', reach: 'data', overshoot: 'data', margin: 'data', topUpMargin: 'data', reward: 'option' });
    const given = runJson(['suggest-threshold', path.join(DATA, 'shopify_orders_export.csv'), '--margin', '0.5', '--gift-cost', '3', '--uptake', '0.1', '--reach', '40', '--resamples', '200']);
    // No costs in the Shopify export: the margin and the top-up's margin are the option.
    expect(given.assumptions.origin).toEqual({ uptake: 'option', reach: 'option', overshoot: 'data', margin: 'option', topUpMargin: 'option', reward: 'option' });
    expect(given.assumptions.topUpMargin).toBeNull();
    const shipping = runJson(['suggest-threshold', path.join(DATA, 'shopify_orders_export.csv'), '--margin', '0.5', '--mode', 'free-shipping', '--resamples', '200']);
    expect(shipping.assumptions.origin.reward).toBe('data');
  });

  it('says no assumption decides an answer that loses in every draw, instead of naming one', () => {
    const doc = runJson(['suggest-threshold', path.join(DATA, 'superstore.csv'), '--currency', 'USD', '--gift-cost', '3', '--resamples', '200']);
    expect(doc.candidates.every((c: { probabilityPositive: number }) => c.probabilityPositive === 0)).toBe(true);
    expect(doc.summary).toContain('It loses money in every draw of the prior');
    expect(doc.summary).not.toContain('What decides it');
  });

  it('states the basis the threshold is compared with, in the JSON and the rule (--value)', () => {
    const dir = tempDir('aov-basis-');
    for (const value of ['subtotal', 'total']) {
      const rules = path.join(dir, `${value}.json`);
      const doc = runJson(['suggest-threshold', path.join(DATA, 'shopify_orders_export.csv'), '--margin', '0.5', '--gift-cost', '0.3', '--value', value, '--resamples', '200', '--emit', rules]);
      expect(doc.assumptions.basis).toBe(value);
      const emitted = JSON.parse(readFileSync(rules, 'utf8'));
      expect(emitted.rules[0].basis).toBe(value);
      expect(runAov(['rules', '--check', rules]).code).toBe(0);
    }
  });

  it('the report lists them in Markdown and HTML, and report.json carries them', () => {
    const out = tempDir('aov-assumptions-');
    const run = runAov(['report', fixture('sample-orders.csv'), '--gift-cost', '0.25', '--out', out, '--resamples', '200']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    const rows = doc.currencies[0].threshold.assumptions as { assumption: string; origin: string; source: string }[];
    expect(rows.map((r) => [r.assumption, r.origin])).toEqual([
      ['Uptake at a tiny gap', 'prior'],
      ['Reach (how far below the threshold a cart tops up)', 'data'],
      ['Overshoot past the threshold', 'data'],
      ['Margin', 'data'],
      ['Margin on a top-up', 'data'],
      ['Threshold compared with', 'option'],
      ['Gift cost per qualifying order', 'option'],
      ['Top-up items returned', 'prior'],
    ]);
    expect(rows[6].source).toBe('--gift-cost');
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('**What it assumes**');
    expect(md).toMatch(/\| Gift cost per qualifying order \| 0\\?\.25 EUR \| option \| \\?--gift-cost \|/);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html.match(/<tr data-origin="(data|option|prior|default)">/g)?.length).toBe(8);
    // And the summary names what decides it.
    expect(doc.currencies[0].threshold.summary).toMatch(/What decides it is the (uptake|reach|overshoot|share of top-up items returned)|No single assumption decides it/);
  });
});
