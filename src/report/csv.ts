/**
 * CSV output that is safe to open in a spreadsheet: a text cell starting with = + - @,
 * a tab or a carriage return would run as a formula (OWASP "CSV injection"), so it gets a
 * leading apostrophe; numbers are written as numbers and left alone.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */

/** One cell: numbers as they are, text neutralised and quoted when needed. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvTable(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}
