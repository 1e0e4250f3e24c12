import { describe, expect, it } from 'vitest';
import { aovUpNpsDown, npsAdjustedWald, npsOf } from '../src/analysis/nps.js';

const scoresOf = (promoters: number, passives: number, detractors: number) => [
  ...Array(promoters).fill(10),
  ...Array(passives).fill(8),
  ...Array(detractors).fill(2),
];

/** Mulberry32 (Tommy Ettinger's public-domain generator), written out here so the simulation does not share the tool's code. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('NPS', () => {
  it('computes NPS and its adjusted Wald 95% interval by hand (Rocks 2016)', () => {
    // Hand computation (python3, math only): add 3/4 promoter, 3/2 passive, 3/4 detractor -> n + 3,
    // p~ = (P + 0.75)/(n + 3), d~ = (D + 0.75)/(n + 3), c = p~ - d~, se = sqrt((p~ + d~ - c^2)/(n + 3)),
    // interval c +- 1.959964 se clipped to [-1, 1].
    // 50/30/20: p~ = 50.75/103 = 0.492718, d~ = 20.75/103 = 0.201456, c = 0.291262, se = 0.076915 -> 14.0511 .. 44.2013.
    const r = npsOf(scoresOf(50, 30, 20));
    expect(r).toMatchObject({ n: 100, promoters: 50, passives: 30, detractors: 20 });
    expect(r.nps).toBeCloseTo(30, 10); // the point estimate stays the plain 50% - 20%
    expect(r.low).toBeCloseTo(14.051130, 4);
    expect(r.high).toBeCloseTo(44.201297, 4);
    // 12/5/3: p~ = 12.75/23, d~ = 3.75/23, c = 0.391304, se = 0.156632 -> 8.4311 .. 69.8297.
    expect(npsAdjustedWald(12, 5, 3)).toMatchObject({ low: expect.closeTo(8.431132, 4), high: expect.closeTo(69.829737, 4) });
    expect(npsAdjustedWald(12, 5, 3).center).toBeCloseTo(39.130435, 4);
    // 3/4/3: symmetric, c = 0, se = sqrt(0.576923/13) = 0.210663 -> -41.2891 .. 41.2891.
    expect(npsAdjustedWald(3, 4, 3)).toMatchObject({ center: 0, low: expect.closeTo(-41.289096, 4), high: expect.closeTo(41.289096, 4) });
    // 0/0/10: c = -0.769231, se = 0.150102 -> -1.063 (clipped to -100) .. -47.5036.
    expect(npsAdjustedWald(0, 0, 10)).toMatchObject({ low: -100, high: expect.closeTo(-47.503551, 4) });
  });

  it('gives five promoters an interval whose lower end is well below 100 (plain Wald: [100, 100])', () => {
    // n + 3 = 8: p~ = 5.75/8, d~ = 0.75/8, c = 0.625, se = sqrt((0.8125 - 0.390625)/8) = 0.229640 -> 17.4915 .. 100 (clipped from 107.5).
    const r = npsOf([10, 10, 9, 10, 9]);
    expect(r.nps).toBe(100);
    expect(r.low).toBeCloseTo(17.491453, 4);
    expect(r.high).toBe(100);
    expect(r.low).toBeLessThan(50);
  });

  it('covers the true NPS about 95% of the time from n = 5 on, and never leaves [-100, 100] (seeded simulation)', () => {
    // True (p, d) on a grid of midpoints with p + d < 1; answers drawn from the trinomial with our own generator.
    const random = mulberry32(20160416);
    const grid: [number, number][] = [];
    for (let i = 0; i < 10; i++) for (let j = 0; i + j < 9; j++) grid.push([0.05 + i * 0.1, 0.05 + j * 0.1]);
    const usable = grid; // 45 points, p + d from 0.1 to 0.9
    const runs = 1000;
    const meanCoverage: Record<number, number> = {};
    const minCoverage: Record<number, number> = {};
    let outside = 0;
    for (const n of [5, 10, 20, 50]) {
      const coverages: number[] = [];
      for (const [p, d] of usable) {
        const truth = (p - d) * 100;
        let covered = 0;
        for (let run = 0; run < runs; run++) {
          let promoters = 0;
          let detractors = 0;
          for (let k = 0; k < n; k++) {
            const u = random();
            if (u < p) promoters++;
            else if (u < p + d) detractors++;
          }
          const interval = npsAdjustedWald(promoters, n - promoters - detractors, detractors);
          if (interval.low < -100 || interval.high > 100 || interval.low > interval.high) outside++;
          if (interval.low - 1e-9 <= truth && truth <= interval.high + 1e-9) covered++;
        }
        coverages.push(covered / runs);
      }
      meanCoverage[n] = coverages.reduce((a, b) => a + b, 0) / coverages.length;
      minCoverage[n] = Math.min(...coverages);
    }
    // Exact enumeration of the trinomial on the same 45 points (python3, math.comb) gives mean coverage
    // 0.949 / 0.952 / 0.952 / 0.951 at n = 5 / 10 / 20 / 50, least 0.90 / 0.93 / 0.94 / 0.94
    // (plain Wald: mean 0.81 / 0.88 / 0.93 / 0.94, least 0.55 / 0.78 / 0.86 / 0.90).
    for (const n of [5, 10, 20, 50]) expect(meanCoverage[n], `n = ${n}`).toBeGreaterThanOrEqual(0.93);
    for (const n of [5, 10, 20, 50]) expect(minCoverage[n], `n = ${n}`).toBeGreaterThan(0.86);
    expect(outside).toBe(0);
  });

  it('classifies 9-10 as promoters, 7-8 passives, 0-6 detractors', () => {
    expect(npsOf([9, 10, 7, 8, 6, 0])).toMatchObject({ promoters: 2, passives: 2, detractors: 2, nps: 0 });
  });

  it('warns when AOV rises while NPS falls significantly, and not when NPS holds', () => {
    const good = scoresOf(80, 20, 0);
    const bad = scoresOf(30, 30, 40);
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
    expect(falling.npsChangeHigh).toBeLessThan(0);
    expect(falling.message).toMatch(/may be too aggressive/);
    const holding = aovUpNpsDown([
      { period: '2024-01', revenueMinor: 500000, orders: 100, scores: good },
      { period: '2024-02', revenueMinor: 600000, orders: 100, scores: good },
    ])!;
    expect(holding.fired).toBe(false);
  });

  it('reads the change on the adjusted intervals: ten promoters then 7 promoters + 3 passives is not a significant fall', () => {
    // Plain Wald gives the all-promoter half a zero standard error, so -30 points / 0.145 = z -2.07 would fire.
    // Adjusted (python3): earlier c = 0.769231, se = 0.150102; later c = 0.538462, se = 0.167311;
    // change -23.0769 points, se 22.4774, z = -1.02667, 95% -67.1319 .. 20.9780.
    const guard = aovUpNpsDown([
      { period: '2024-01', revenueMinor: 500000, orders: 100, scores: scoresOf(10, 0, 0) },
      { period: '2024-02', revenueMinor: 600000, orders: 100, scores: scoresOf(7, 3, 0) },
    ])!;
    expect(guard.npsChange).toBeCloseTo(-30, 9);
    expect(guard.z).toBeCloseTo(-1.026671, 5);
    expect(guard.npsChangeLow).toBeCloseTo(-67.131857, 4);
    expect(guard.npsChangeHigh).toBeCloseTo(20.978011, 4);
    expect(guard.fired).toBe(false);
    expect(guard.message).toContain('95% -67.1 to 21.0');
  });
});
