import { describe, expect, it } from 'vitest';
import { AovError } from '../src/errors.js';
import { openEngine } from '../src/io/engine.js';
import { amountSql, detectDateLayout, detectDecimalMark, splitCurrency } from '../src/io/locale.js';

describe('decimal mark detection', () => {
  it('reads 1.234,50 and 12,5 as decimal comma, 1,234.50 and 12.5 as decimal dot', () => {
    expect(detectDecimalMark(['€ 1.234,50', '12,5'])).toBe(',');
    expect(detectDecimalMark(['1,234.50', '12.5'])).toBe('.');
    expect(detectDecimalMark(["1'234.50"])).toBe('.');
    expect(detectDecimalMark(['1 234,50'])).toBe(',');
  });

  it('does not let ambiguous thousands (1,234) decide, and falls back', () => {
    expect(detectDecimalMark(['1,234', '2,000'], '.')).toBe('.');
    expect(detectDecimalMark(['1,234', '2,000'], ',')).toBe(',');
  });

  it('splits currency symbols and codes from amounts', () => {
    expect(splitCurrency('€ 12,50')).toEqual({ number: '12,50', symbol: '€' });
    expect(splitCurrency('129 kr')).toEqual({ number: '129', symbol: 'kr' });
    expect(splitCurrency('$219.40')).toEqual({ number: '219.40', symbol: '$' });
  });
});

describe('amount parsing in SQL', () => {
  it('parses locale amounts exactly and refuses text, exponents and junk', async () => {
    const engine = await openEngine();
    try {
      const cases: [string, ',' | '.', string | null][] = [
        ['€ 1.234,50', ',', '1234.500000'],
        ['1 234,50', ',', '1234.500000'],
        ['129,00 kr', ',', '129.000000'],
        ['12,5', ',', '12.500000'],
        ['$219.40', '.', '219.400000'],
        ["1'234.50", '.', '1234.500000'],
        ['1,234.50', '.', '1234.500000'],
        ['-3.20', '.', '-3.200000'],
        ['EUR 10', '.', '10.000000'],
        ['abc', '.', null],
        ['12abc34', '.', null],
        ['1e12', '.', null],
        ['1.2.3', '.', null],
      ];
      for (const [text, mark, expected] of cases) {
        const rows = await engine.rows(`SELECT CAST(${amountSql(`'${text.replace(/'/g, "''")}'`, mark)} AS VARCHAR) AS v`);
        expect([text, rows[0].v]).toEqual([text, expected]);
      }
    } finally {
      engine.close();
    }
  });
});

describe('date layout detection', () => {
  it('takes day-first when a day above 12 comes first, month-first when it comes second', () => {
    expect(detectDateLayout(['01/02/2023', '14/02/2023'], 'Date', 'f.csv').layout.name).toBe('dd/mm/yyyy');
    expect(detectDateLayout(['01/02/2023', '02/14/2023'], 'Date', 'f.csv').layout.name).toBe('mm/dd/yyyy');
    expect(detectDateLayout(['2023-04-09 19:46:45 -0700'], 'Date', 'f.csv').layout.name).toBe('yyyy-mm-dd');
    expect(detectDateLayout(['03/01/19', '31/12/19'], 'Date', 'f.csv').layout.name).toBe('dd/mm/yy');
    expect(detectDateLayout(['01.02.2023'], 'Date', 'f.csv').layout.name).toBe('dd.mm.yyyy');
  });

  it('refuses to guess when every date reads both ways, unless --date-format says', () => {
    expect(() => detectDateLayout(['01/02/2023', '03/04/2023'], 'Date', 'f.csv')).toThrow(AovError);
    expect(() => detectDateLayout(['01/02/2023'], 'Date', 'f.csv')).toThrow(
      expect.objectContaining({ code: 'E_AMBIGUOUS_DATE', hint: expect.stringMatching(/--date-format dmy/) }),
    );
    expect(detectDateLayout(['01/02/2023'], 'Date', 'f.csv', 'mdy').layout.name).toBe('mm/dd/yyyy');
  });
});
