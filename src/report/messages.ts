/**
 * Messages for stderr, in one form for every command: `aov: warning: ...` and `aov: note: ...`,
 * wrapped to 80 columns with continuation lines indented. Results go to stdout; these never do,
 * so `aov X --json > x.json` keeps a pure JSON document and a job's log still shows the warnings.
 */
import { wrap } from './format.js';
import { visible } from './visible.js';

export type MessageLevel = 'warning' | 'note';

/** A status line ("Wrote report/report.md, ..."), wrapped the same way: long paths each start a line. */
export function formatStatus(text: string): string {
  return `${wrap(visible(text), 78).replace(/\n/g, '\n  ')}\n`;
}

/** One message per entry; a prefix (a currency, when there are several) goes before each. */
export function formatMessages(level: MessageLevel, messages: readonly string[], prefix = ''): string {
  return messages.map((message) => `${wrap(`aov: ${level}: ${prefix ? `${prefix}: ` : ''}${visible(message)}`, 78).replace(/\n/g, '\n  ')}\n`).join('');
}
