/** `aov rules --check FILE`: validate a (hand-edited) aov.rules/v1 file and explain each error; with --target, convert it. */
import { readFileSync } from 'node:fs';
import { AovError, jsonSyntaxProblem } from '../errors.js';
import { validateRules, type RulesDocument } from '../io/rulesFile.js';
import { stringify } from '../report/analyzeJson.js';
import { targetSettings, type TargetCliOptions } from './targetSettings.js';

/** The aov.rulesCheck/v1 document `aov rules --check FILE --json` prints. */
export interface RulesCheckDocument {
  schema: 'aov.rulesCheck/v1';
  file: string;
  valid: boolean;
  /** How many rules the file holds when it is valid, else null. */
  rules: number | null;
  problems: { path: string; message: string }[];
}

export async function checkRulesCommand(file: string, options: { json?: boolean } & Partial<TargetCliOptions> = {}): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new AovError('E_NOT_FOUND', `${file}: no such file.`, { context: { file } });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AovError('E_CONFIG', `${file}: not valid JSON (${jsonSyntaxProblem(error)}).`, { context: { file } });
  }
  targetSettings({ target: '', ...options }, new Date().toISOString().slice(0, 10));
  const issues = await validateRules(document);
  // The schema has passed: the document is an aov.rules/v1 document.
  const valid = issues.length === 0 ? (document as RulesDocument) : null;
  if (options.target && valid) {
    // --check FILE --target X: the valid file converted (a problem is reported as without --target).
    const { writeTarget } = await import('./rulesTarget.js');
    const manifest = await writeTarget(valid, { ...options, target: options.target, file });
    if (options.json) process.stdout.write(stringify(manifest));
    return 0;
  }
  if (options.json) {
    const verdict: RulesCheckDocument = {
      schema: 'aov.rulesCheck/v1', file, valid: valid !== null, rules: valid ? valid.rules.length : null,
      problems: issues.map((issue) => ({ path: issue.path, message: issue.message })),
    };
    process.stdout.write(stringify(verdict));
    return valid ? 0 : 2;
  }
  if (valid) {
    const count = valid.rules.length;
    process.stdout.write(`${file}: valid aov.rules/v1 (${count} rule${count === 1 ? '' : 's'}).\n`);
    return 0;
  }
  process.stderr.write(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n`);
  for (const issue of issues) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
  return 2;
}
