import { describe, expect, it } from 'vitest';
import { evaluateRules, parseFailRule } from '../src/analysis/alerts.js';
import { AovError } from '../src/errors.js';

describe('--fail-on rules', () => {
  it('parses relative and absolute rules', () => {
    expect(parseFailRule('aov.median:-10%')).toEqual({ text: 'aov.median:-10%', metric: 'aov.median', change: -0.1, falls: true, relative: true });
    expect(parseFailRule('nps:-5')).toEqual({ text: 'nps:-5', metric: 'nps', change: -5, falls: true, relative: false });
    expect(parseFailRule('orders:+50%').change).toBe(0.5);
    expect(() => parseFailRule('aov.median<-10%')).toThrow(AovError);
    expect(() => parseFailRule('aov.medain:-10%')).toThrow(/unknown metric "aov.medain"/);
  });

  it('fires a fall rule at or beyond the limit and not before', () => {
    const rule = parseFailRule('aov.median:-10%');
    // 100 -> 90 is exactly -10%: fires. 100 -> 91 is -9%: does not.
    expect(evaluateRules([rule], [{ currency: 'EUR', metric: 'aov.median', previous: 100, current: 90 }])).toHaveLength(1);
    expect(evaluateRules([rule], [{ currency: 'EUR', metric: 'aov.median', previous: 100, current: 91 }])).toHaveLength(0);
    // A rise never fires a fall rule.
    expect(evaluateRules([rule], [{ currency: 'EUR', metric: 'aov.median', previous: 100, current: 150 }])).toHaveLength(0);
  });

  it('reads "-0%" as any fall, not as "+0%" (it fired on a rise: -0 is +0 as a number)', () => {
    const rule = parseFailRule('aov.median:-0%');
    expect(evaluateRules([rule], [{ currency: 'EUR', metric: 'aov.median', previous: 100, current: 150 }])).toHaveLength(0);
    expect(evaluateRules([rule], [{ currency: 'EUR', metric: 'aov.median', previous: 100, current: 99 }])).toHaveLength(1);
    expect(evaluateRules([parseFailRule('aov.median:+0%')], [{ currency: 'EUR', metric: 'aov.median', previous: 100, current: 99 }])).toHaveLength(0);
  });

  it('compares absolute rules in points and skips missing baselines', () => {
    const rule = parseFailRule('nps:-5');
    const fired = evaluateRules([rule], [
      { currency: 'EUR', metric: 'nps', previous: 40, current: 34 },
      { currency: 'USD', metric: 'nps', previous: null, current: 10 },
    ]);
    expect(fired).toEqual([{ rule: 'nps:-5', currency: 'EUR', metric: 'nps', previous: 40, current: 34, change: -6, relative: false }]);
  });
});
