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

/**
 * An error for stderr in aov's one form: `aov: error: ...`, then `  hint: ...` and
 * `  note: ...` lines. In a terminal (`width` 80) each is wrapped to 80 columns with its
 * continuation lines indented under its text; in a log or a pipe (`width` 0) each stays one
 * line, so that one error is one line to grep. A line break the message holds is kept.
 */
export function formatError(message: string, lines: { hint?: string; note?: string } = {}, width = 0): string {
  let out = hanging('aov: error: ', message, '  ', width);
  if (lines.hint) out += hanging('  hint: ', lines.hint, '    ', width);
  if (lines.note) out += hanging('  note: ', lines.note, '    ', width);
  return out;
}

/** `label` + text, words wrapped so that no row passes `width` columns (0: no wrapping); later rows start with `indent`. */
function hanging(label: string, text: string, indent: string, width: number): string {
  if (width <= 0) return `${label}${text.split('\n').map(visible).join('\n')}\n`;
  const rows: string[] = [];
  text.split('\n').forEach((part, i) => {
    // A later line of the text keeps its own indent when it has one ("         or in ...").
    const own = /^\s+/.exec(part)?.[0] ?? '';
    let row = i === 0 ? label : own.length > indent.length ? own : indent;
    let empty = true;
    for (const word of visible(part).split(/\s+/).filter(Boolean)) {
      if (!empty && row.length + 1 + word.length > width) {
        rows.push(row);
        row = indent + word;
      } else row += (empty ? '' : ' ') + word;
      empty = false;
    }
    rows.push(row);
  });
  return `${rows.join('\n')}\n`;
}
