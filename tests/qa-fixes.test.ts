import { describe, expect, it } from 'vitest';
import { fixture, runAov } from './helpers.js';

const SAMPLE = fixture('sample-orders.csv');
const BAD_SURVEY = fixture('bad/nps_bad_rows.csv');

describe('unreadable NPS survey rows', () => {
  // fixtures/bad/nps_bad_rows.csv by hand (line 1 is the header):
  // 2 ok; 3 "eleven", 4 "11", 5 "-1", 8 "7.5": bad scores; 6 empty score; 7 "2024-13-45" bad date;
  // 9 two cells of three (refused by the reader); 10 ok. 9 rows = 2 answers + 7 rejected.
  it('counts unreadable survey rows by reason and names the first ones by line and column in --json', () => {
    const r = runAov(['analyze', SAMPLE, '--nps', BAD_SURVEY, '--json', '--no-cache']);
    expect(r.code).toBe(0);
    const nps = JSON.parse(r.stdout).currencies[0].nps;
    expect(nps.answers).toBe(2);
    expect(nps.rejected).toBe(7);
    expect(nps.rejectedByReason).toEqual({ badScore: 4, missingScore: 1, badDate: 1, malformedRow: 1 });
    expect(nps.problems.map((p: { line: number; column: string | null; value: string | null }) => [p.line, p.column, p.value])).toEqual([
      [3, 'Score', 'eleven'],
      [4, 'Score', '11'],
      [5, 'Score', '-1'],
      [6, 'Score', null],
      [7, 'Date', '2024-13-45'],
      [8, 'Score', '7.5'],
      [9, null, null],
    ]);
    expect(nps.problems[0].message).toBe(`${BAD_SURVEY}:3, column "Score": "eleven" is not a whole number from 0 to 10`);
  });

  it('names the first unreadable survey row in the terminal output', () => {
    const r = runAov(['analyze', SAMPLE, '--nps', BAD_SURVEY, '--no-cache']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\n(?!\n)/g, ' ');
    expect(text).toContain('7 unreadable');
    expect(text).toContain('nps_bad_rows.csv:3, column "Score": "eleven" is not a whole number from 0 to 10');
  });
});

describe('small shops: "the top 1%" only where it is about 1%', () => {
  it('names the largest of 3 orders, and of 3 customers, instead of "the top 1%" and "the top 10%"', async () => {
    const { writeFileSync } = await import('node:fs');
    const pathModule = await import('node:path');
    const { runAov: run, tempDir: temp } = await import('./helpers.js');
    // 5.00, 10.00 and 40.00: mean 18.33 over median 10.00 (> 1.25), so the verdict names the
    // large orders; ceil(1% of 3) = 1 order, 40.00 of 55.00 = 72.7% of revenue; without it 7.50.
    const file = pathModule.join(temp('aov-three-'), 'three.csv');
    writeFileSync(file, [
      'Order ID,Order Date,Customer Email,SKU,Product,Quantity,Unit Price,Currency',
      'T1,2024-01-01 10:00,a@x.com,S1,Tea,1,5.00,EUR',
      'T2,2024-01-02 10:00,b@x.com,S1,Tea,2,5.00,EUR',
      'T3,2024-01-03 10:00,c@x.com,S2,Pot,1,40.00,EUR',
    ].join('\n') + '\n');
    const r = run(['analyze', file]);
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('(the largest of the 3 orders brings 72.7% of revenue; without it AOV is 7.50 EUR)');
    expect(text).toContain('the largest of the 3 customers 72.7%.');
    expect(text).toMatch(/AOV w\/o largest +7\.50/);
    expect(text).not.toContain('top 1%');
    expect(text).not.toContain('top 10%');
  });
});
