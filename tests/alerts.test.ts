import { describe, expect, it } from 'vitest';
import { evaluateRules, parseFailRule, periodOverPeriod } from '../src/analysis/alerts.js';
import { betaQuantile, clopperPearson, poissonRatioInterval } from '../src/analysis/beta.js';
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
    expect(fired).toEqual([{ rule: 'nps:-5', currency: 'EUR', metric: 'nps', previous: 40, current: 34, change: -6, relative: false, interval: null, noise: null }]);
  });
});

describe('--fail-on and noise', () => {
  /** The sample's last two months as report.json carries them (orders counted: 327 and 423). */
  const LAST_TWO_MONTHS = [
    { period: '2024-11', orders: 327, partial: false, mean: 20, median: 19, trimmedMean: 19.5 },
    { period: '2024-12', orders: 423, partial: false, mean: 19, median: 17.8, trimmedMean: 18 },
  ];

  it('calls a breach noise when the change interval holds 0, and real when it excludes 0', () => {
    const rule = parseFailRule('aov.median:-10%');
    const [noisy, real] = evaluateRules([rule], [
      { currency: 'EUR', metric: 'aov.median', previous: 50, current: 44, interval: { low: -12, high: 1, method: 'bootstrap' }, counts: { previous: 300, current: 280 } },
      { currency: 'USD', metric: 'aov.median', previous: 50, current: 40, interval: { low: -15, high: -5, method: 'bootstrap' }, counts: { previous: 300, current: 280 } },
    ]);
    expect(noisy.noise).toBe('its 95% interval holds no change');
    // The interval is put in the rule's terms: a relative rule divides by the previous value (-12 / 50, 1 / 50).
    expect(noisy.interval).toEqual({ low: -0.24, high: 0.02, method: 'bootstrap' });
    expect(real.noise).toBeNull();
    expect(real.interval).toEqual({ low: -0.3, high: -0.1, method: 'bootstrap' });
  });

  it('calls a breach noise when a period has under 20 orders, whatever its interval', () => {
    const [fired] = evaluateRules([parseFailRule('orders:-10%')], [
      { currency: 'EUR', metric: 'orders', previous: 19, current: 2, interval: { low: -18, high: -12 }, counts: { previous: 19, current: 2 } },
    ]);
    expect(fired.noise).toBe('the periods have 19 and 2 orders, under the 20 a change needs');
  });

  it('gives the orders an exact Poisson interval and the NPS an adjusted Wald one, period over period', () => {
    const values = periodOverPeriod({
      currency: 'EUR',
      to: '2024-12-31',
      trend: {
        series: LAST_TWO_MONTHS,
        lastChange: { period: '2024-12', against: '2024-11', median: { change: -1.2, low: -5.4, high: 1.9 } },
      },
      nps: { monthly: [{ month: '2024-11', nps: -23.5, n: 34, promoters: 8, passives: 10, detractors: 16 }, { month: '2024-12', nps: -4.8, n: 21, promoters: 7, passives: 6, detractors: 8 }] },
    });
    const orders = values.find((v) => v.metric === 'orders')!;
    // scipy: p = beta.ppf(0.025, 423, 328) and beta.ppf(0.975, 424, 327) of 750; ratio p / (1 - p) = 1.11708 and 1.49903.
    expect(orders.interval!.low / 327 + 1).toBeCloseTo(1.11708, 4);
    expect(orders.interval!.high / 327 + 1).toBeCloseTo(1.49903, 4);
    const median = values.find((v) => v.metric === 'aov.median')!;
    expect(median.interval).toEqual({ low: -5.4, high: 1.9, method: 'bootstrap' });
    // The mean has no interval in lastChange here: none is made up.
    expect(values.find((v) => v.metric === 'aov.mean')!.interval).toBeNull();
    const nps = values.find((v) => v.metric === 'nps')!;
    expect(nps.interval!.low).toBeCloseTo(-24.5527, 3);
    expect(nps.interval!.high).toBeCloseTo(59.4626, 3);
  });

  it('keeps intervals off a pair of periods the trend did not compare', () => {
    const values = periodOverPeriod({
      currency: 'EUR',
      to: '2024-12-31',
      trend: {
        series: LAST_TWO_MONTHS,
        lastChange: { period: '2024-11', against: '2024-10', median: { change: -1.2, low: -5.4, high: 1.9 } },
      },
    });
    expect(values.find((v) => v.metric === 'aov.median')!.interval).toBeNull();
  });
});

describe('the intervals behind --fail-on', () => {
  it('matches scipy for the Beta quantile, Clopper-Pearson and the Poisson ratio', () => {
    // scipy.stats.beta.ppf(0.025, 5, 6) = 0.187086; statsmodels proportion_confint(3, 10, method='beta') = (0.066740, 0.652453).
    expect(betaQuantile(0.025, 5, 6)).toBeCloseTo(0.187086, 5);
    const cp = clopperPearson(3, 10);
    expect(cp.low).toBeCloseTo(0.06674, 5);
    expect(cp.high).toBeCloseTo(0.652453, 5);
    expect(clopperPearson(0, 10).low).toBe(0);
    expect(clopperPearson(10, 10).high).toBe(1);
    const r = poissonRatioInterval(423, 327);
    expect(r.ratio).toBeCloseTo(423 / 327, 12);
    expect(r.low).toBeCloseTo(1.117076, 5);
    expect(r.high).toBeCloseTo(1.499028, 5);
    expect(poissonRatioInterval(5, 0).high).toBe(Infinity);
  });
});
