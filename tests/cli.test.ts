import { describe, expect, it } from 'vitest';
import { fixture, runAov } from './helpers.js';

const ESC = '\u001b[';

describe('the aov command line', () => {
  it('starts --help with examples and lists analyze', () => {
    const result = runAov(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('Examples:')).toBe(true);
    expect(result.stdout).toContain('analyze');
  });

  it('prints plain text without colour codes when piped, and with NO_COLOR', () => {
    const piped = runAov(['analyze', fixture('two_currencies.csv')]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toContain(ESC);
    const forced = runAov(['analyze', fixture('two_currencies.csv')], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(ESC);
    const noColor = runAov(['analyze', fixture('two_currencies.csv')], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(noColor.stdout).not.toContain(ESC);
  });

  it('keeps the terminal report within 80 columns', () => {
    const result = runAov(['analyze', fixture('shopify_multiline.csv')]);
    const widest = Math.max(...result.stdout.split('\n').map((line) => [...line].length));
    expect(widest).toBeLessThanOrEqual(80);
  });

  it('exits 2 on an unknown option and suggests the closest', () => {
    const result = runAov(['analyze', fixture('bom.csv'), '--jsn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--jsn'[\s\S]*Did you mean --json\?/);
  });

  it('prints a stable aov.analyze/v1 document with --json', () => {
    const first = runAov(['analyze', fixture('two_currencies.csv'), '--json']);
    const second = runAov(['analyze', fixture('two_currencies.csv'), '--json']);
    expect(first.stdout).toBe(second.stdout);
    const document = JSON.parse(first.stdout);
    expect(document.schema).toBe('aov.analyze/v1');
    expect(document.currencies.map((c: { currency: string; revenue: number }) => [c.currency, c.revenue])).toEqual([
      ['EUR', 50],
      ['JPY', 4500],
    ]);
  });
});
