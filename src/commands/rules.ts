/** `aov rules --check FILE`: validate a (hand-edited) aov.rules/v1 file and explain each error. */
import { readFileSync } from 'node:fs';
import { AovError } from '../errors.js';
import { validateRules } from '../io/rulesFile.js';

export async function checkRulesCommand(file: string): Promise<number> {
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
    throw new AovError('E_CONFIG', `${file}: not valid JSON (${(error as Error).message}).`, { context: { file } });
  }
  const issues = await validateRules(document);
  if (issues.length === 0) {
    const count = (document as { rules: unknown[] }).rules.length;
    process.stdout.write(`${file}: valid aov.rules/v1 (${count} rule${count === 1 ? '' : 's'}).\n`);
    return 0;
  }
  process.stderr.write(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n`);
  for (const issue of issues) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
  return 2;
}
