import { describe, expect, it } from 'vitest';
import { applicabilityWarnings } from '../src/analysis/warnings.js';

describe('applicability warnings', () => {
  it('warns on low volume, thin margins, few repeat customers and an AOV outside 30-150', () => {
    const codes = applicabilityWarnings({ currency: 'EUR', decimals: 2, ordersPerMonth: 120, meanMinor: 2500, marginPerOrderMinor: 600, repeatRate: 0.05 }).map((w) => w.code);
    expect(codes).toEqual(['LOW_VOLUME', 'THIN_MARGIN', 'FEW_REPEAT_CUSTOMERS', 'AOV_OUTSIDE_RANGE']);
  });

  it('says nothing for a shop inside every range', () => {
    expect(applicabilityWarnings({ currency: 'EUR', decimals: 2, ordersPerMonth: 900, meanMinor: 6000, marginPerOrderMinor: 2400, repeatRate: 0.3 })).toEqual([]);
  });

  it('uses the currency decimals for the AOV range (JPY has none)', () => {
    expect(applicabilityWarnings({ currency: 'JPY', decimals: 0, ordersPerMonth: 900, meanMinor: 100 }).map((w) => w.code)).toEqual([]);
  });
});
