import { describe, expect, it } from 'vitest';
import { fixture, runAov } from './helpers.js';

describe('a currency aov cannot tell is asked for, not guessed (#21)', () => {
  it('stops on "kr" amounts with no currency column, naming the file, the candidates and --currency', () => {
    const run = runAov(['analyze', fixture('kr_no_country.csv')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('fixtures/kr_no_country.csv: the amounts are in "kr", which names several currencies (NOK, SEK, DKK, ISK)');
    expect(run.stderr).toContain('--currency NOK');
  });

  it('reads the same file once the currency is given', () => {
    const run = runAov(['analyze', fixture('kr_no_country.csv'), '--currency', 'SEK', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.currency ?? doc.currencies?.[0]?.currency).toBe('SEK');
  });
});
