import { describe, expect, it } from 'vitest';
import { aovUpNpsDown, npsOf } from '../src/analysis/nps.js';

describe('NPS', () => {
  it('computes NPS and its 95% interval on a known sample', () => {
    // 50 promoters, 30 passives, 20 detractors: P = 0.5, D = 0.2, NPS = 30 points.
    // Var = (0.5 + 0.2 - 0.09) / 100 = 0.0061 -> SE = 0.078102 -> +-1.959964 x 7.8102 = +-15.3077 points.
    const scores = [...Array(50).fill(10), ...Array(30).fill(8), ...Array(20).fill(2)];
    const r = npsOf(scores);
    expect(r).toMatchObject({ n: 100, promoters: 50, passives: 30, detractors: 20 });
    expect(r.nps).toBeCloseTo(30, 10);
    expect(r.low).toBeCloseTo(30 - 15.3077, 3);
    expect(r.high).toBeCloseTo(30 + 15.3077, 3);
  });

  it('classifies 9-10 as promoters, 7-8 passives, 0-6 detractors', () => {
    expect(npsOf([9, 10, 7, 8, 6, 0])).toMatchObject({ promoters: 2, passives: 2, detractors: 2, nps: 0 });
  });

  it('warns when AOV rises while NPS falls significantly, and not when NPS holds', () => {
    const good = Array(80).fill(10).concat(Array(20).fill(8));
    const bad = Array(30).fill(10).concat(Array(40).fill(3), Array(30).fill(8));
    // AOV 50 -> 60 while NPS 80 -> -10 over 200 answers per half.
    const falling = aovUpNpsDown([
      { period: '2024-01', revenueMinor: 500000, orders: 100, scores: good },
      { period: '2024-02', revenueMinor: 500000, orders: 100, scores: good },
      { period: '2024-03', revenueMinor: 600000, orders: 100, scores: bad },
      { period: '2024-04', revenueMinor: 600000, orders: 100, scores: bad },
    ])!;
    expect(falling.fired).toBe(true);
    expect(falling.aovChange).toBeCloseTo(0.2, 12);
    expect(falling.npsChange).toBeCloseTo(-90, 9);
    expect(falling.message).toMatch(/may be too aggressive/);
    const holding = aovUpNpsDown([
      { period: '2024-01', revenueMinor: 500000, orders: 100, scores: good },
      { period: '2024-02', revenueMinor: 600000, orders: 100, scores: good },
    ])!;
    expect(holding.fired).toBe(false);
  });
});
