/** The "what was read" block every command prints: files, detection, and the row accounting. */
import type { InputSummary } from '../io/load.js';
import { reasonLabel } from '../io/reasons.js';
import { formatCount, wrap, type Style } from './format.js';
import { formatMessages } from './messages.js';
import { visible } from './visible.js';

export function renderInput(input: InputSummary, style: Style): string {
  const { chalk } = style;
  const lines: string[] = [];
  for (const f of input.perFile) {
    const layout = f.delimiter ? `${f.encoding}, delimiter ${JSON.stringify(f.delimiter)}, decimal "${f.decimalMark}"` : 'Parquet';
    lines.push(`${chalk.bold(visible(f.file))}: ${f.format}, ${formatCount(f.rows)} rows, ${layout}, dates ${f.dateFormat}, ${f.currencyEvidence.startsWith('column') ? `currency from ${f.currencyEvidence}` : `currency ${f.currency} (${f.currencyEvidence})`}`);
  }
  const parts = (counts: Record<string, number | undefined>) =>
    Object.entries(counts)
      .filter(([, n]) => n)
      .map(([reason, n]) => `${reasonLabel(reason)} ${formatCount(n!)}`)
      .join(', ');
  const excluded = parts(input.excluded);
  const rejected = parts(input.rejectedByReason);
  lines.push(
    `Rows: ${formatCount(input.rows)} read = ${formatCount(input.rowsUsed)} used + ${formatCount(input.rowsExcluded)} excluded${excluded ? ` (${excluded})` : ''} + ${formatCount(input.rejected)} rejected${rejected ? ` (${rejected})` : ''}`,
  );
  lines.push(`Order value: ${input.valueDefinition}.`);
  for (const problem of input.problems.slice(0, 5)) lines.push(chalk.yellow(`  ! ${visible(problem.message)}`));
  if (input.problems.length > 5 || input.rejected > input.problems.length) {
    lines.push(chalk.dim(`  (${formatCount(input.rejected)} rejected rows in all; --json lists the first ${input.problems.length})`));
  }
  const block = lines.map((line) => wrap(line, 78).replace(/\n/g, '\n  ')).join('\n');
  // Notes in the one message form of stderr (report/messages.ts).
  return `${block}\n${formatMessages('note', input.notes)}`.trimEnd();
}
