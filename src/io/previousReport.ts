/**
 * The earlier report.json that `aov report --compare` reads: parsed and validated against
 * schemas/aov.report.v1.json before any figure is taken from it, so a foreign, hand-edited
 * or truncated file is a usage error naming the file and the field, never a crash.
 */
import { readFile } from 'node:fs/promises';
import { AovError, jsonSyntaxProblem, quoteValue } from '../errors.js';
import { REPORT_SCHEMA, type ReportDocument } from '../report/reportTypes.js';
import { schemaValidator, type ValidationIssue } from './jsonSchema.js';

const validateReportSchema = schemaValidator('aov.report.v1.json');

/** Validates a parsed report document; returns the issues (empty when valid). */
export function validateReport(document: unknown): Promise<ValidationIssue[]> {
  return validateReportSchema(document);
}

/** Reads and validates the --compare file. */
export async function readPreviousReport(file: string): Promise<ReportDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new AovError('E_NOT_A_FILE', `${file} is a folder, not a report.json (--compare).`, { hint: 'Point --compare at the report.json of an earlier run.', context: { file } });
    throw new AovError('E_NOT_FOUND', `${file}: no such file (--compare).`, { hint: 'Point --compare at the report.json of an earlier run.', context: { file } });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AovError('E_BAD_VALUE', `${file}: not valid JSON (${jsonSyntaxProblem(error)}); --compare needs the report.json of an earlier aov report run.`, {
      hint: 'Point --compare at the report.json of an earlier run (aov report --out DIR writes DIR/report.json).',
      context: { file },
    });
  }
  const issues = await validateReport(document);
  if (issues.length) {
    const [first] = [...issues].sort((x, y) => rank(x) - rank(y));
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length === 2 ? '' : 's'})` : '';
    const schema = (document as { schema?: unknown } | null)?.schema;
    const foreign = typeof document === 'object' && document !== null && !Array.isArray(document) && schema !== REPORT_SCHEMA;
    throw new AovError('E_BAD_VALUE', `${file}: not a valid ${REPORT_SCHEMA} report: ${describe(first)}${more}.`, {
      hint: foreign
        ? `--compare reads the report.json of an earlier aov report run; this file's "schema" is ${quoteValue(JSON.stringify(schema) ?? 'missing')}.`
        : 'The file is damaged or was edited by hand: compare with a report.json written by aov report, or run without --compare.',
      context: { file, column: fieldOf(first) },
    });
  }
  return document as ReportDocument;
}

/** The field a problem is about: "/currencies" for a missing "currencies" at the top. */
function fieldOf(issue: ValidationIssue): string {
  const missing = /^missing field "(.*)"$/.exec(issue.message);
  return missing ? `${issue.path === '/' ? '' : issue.path}/${missing[1]}` : issue.path;
}

/** "/currencies: must be array", "/currencies/0/aov/median: missing". */
function describe(issue: ValidationIssue): string {
  const missing = /^missing field "(.*)"$/.test(issue.message);
  return `${quoteValue(fieldOf(issue))}: ${missing ? 'missing' : quoteValue(issue.message)}`;
}

/** The problem to name first: the schema string, then what --compare reads (the currencies), then the rest. */
function rank(issue: ValidationIssue): number {
  const field = fieldOf(issue);
  if (field === '/schema') return 0;
  if (field.startsWith('/currencies')) return 1;
  return 2;
}
