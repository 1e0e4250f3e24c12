import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressReporter } from '../src/io/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream, writes };
}

describe('progress on long runs', () => {
  afterEach(() => vi.useRealTimers());

  it('shows the phase on a terminal after two seconds, updates it, and clears it when done', () => {
    vi.useFakeTimers();
    const { stream, writes } = fakeStream(true);
    const p = progressReporter({}, stream);
    p.report('reading orders.csv');
    vi.advanceTimersByTime(1500);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(600);
    expect(writes.at(-1)).toContain('reading orders.csv (2 s)');
    p.report('classifying 10 rows');
    expect(writes.at(-1)).toContain('classifying 10 rows');
    p.report('');
    expect(writes.at(-1)).toBe('\r\u001b[2K');
    const count = writes.length;
    vi.advanceTimersByTime(5000);
    expect(writes.length).toBe(count);
  });

  it('says nothing when stderr is not a terminal or with --quiet', () => {
    vi.useFakeTimers();
    for (const [tty, quiet] of [[false, false], [true, true]] as const) {
      const { stream, writes } = fakeStream(tty);
      const p = progressReporter({ quiet }, stream);
      p.report('reading');
      vi.advanceTimersByTime(5000);
      expect(writes).toEqual([]);
    }
  });
});
