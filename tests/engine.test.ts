import { describe, expect, it } from 'vitest';
import { openEngine } from '../src/io/engine.js';

describe('engine.columns', () => {
  it('reads DOUBLE, INTEGER and BIGINT columns with their NULLs across several chunks, as the SQL defines them', async () => {
    const engine = await openEngine();
    try {
      // 5,000 rows span three 2,048-row chunks; every 7th value is NULL, so NULL bits fall
      // inside and across the validity words of each chunk.
      const data = await engine.columns(
        `SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.5 END::DOUBLE AS d,
                CASE WHEN i % 7 = 0 THEN NULL ELSE i END::INTEGER AS n,
                CASE WHEN i % 7 = 0 THEN NULL ELSE i END::BIGINT AS b
         FROM range(5000) t(i) ORDER BY i`,
        { d: 'f64', n: 'i32', b: 'f64' },
      );
      const d = data.d as Float64Array;
      const n = data.n as Int32Array;
      const b = data.b as Float64Array;
      expect(d).toHaveLength(5000);
      for (let i = 0; i < 5000; i++) {
        const isNull = i % 7 === 0;
        expect(d[i]).toBe(isNull ? NaN : i * 0.5);
        expect(n[i]).toBe(isNull ? -1 : i);
        expect(b[i]).toBe(isNull ? NaN : i);
      }
    } finally {
      engine.close();
    }
  });
});
