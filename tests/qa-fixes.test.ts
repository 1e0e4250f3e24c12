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
