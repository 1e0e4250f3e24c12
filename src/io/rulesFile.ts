/**
 * The aov.rules/v1 file: validated against schemas/aov.rules.v1.json (the public contract,
 * shipped in the package), merged with an existing file rule by rule (never clobbered),
 * and written atomically.
 */
import { readFileSync } from 'node:fs';
import { AovError, quoteValue } from '../errors.js';
import { schemaValidator, type ValidationIssue } from './jsonSchema.js';

export const RULES_SCHEMA = 'aov.rules/v1';

export interface Rule {
  type: string;
  id?: string;
  [key: string]: unknown;
}

export interface RulesDocument {
  schema: typeof RULES_SCHEMA;
  generatedBy?: string;
  rules: Rule[];
}

export type { ValidationIssue } from './jsonSchema.js';

const validateAgainstSchema = schemaValidator('aov.rules.v1.json', { badPropertyName: (tag) => notALocale(tag) });

/** Validates a parsed rules document; returns the issues (empty when valid). */
export async function validateRules(document: unknown): Promise<ValidationIssue[]> {
  const issues = await validateAgainstSchema(document);
  return issues.length ? issues : localeIssues(document);
}

/** Whether a rule message's key is a language tag Intl accepts (the schema's pattern is only its shape). */
export function isLocaleTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

const notALocale = (tag: string) => `"${quoteValue(tag)}" is not a language tag such as it-IT or nb-NO (BCP 47)`;

/** Message keys the schema's pattern lets through but Intl refuses (e.g. "en-x"). */
function localeIssues(document: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  ((document as RulesDocument).rules ?? []).forEach((rule, index) => {
    const message = rule.message;
    if (typeof message !== 'object' || message === null) return;
    for (const tag of Object.keys(message)) if (!isLocaleTag(tag)) issues.push({ path: `/rules/${index}/message`, message: notALocale(tag) });
  });
  return issues;
}


/** A stable id per rule, so a re-run replaces its own rule and leaves the others. */
export function ruleId(rule: Rule): string {
  if (rule.id) return rule.id;
  const money = (rule.threshold ?? rule.minSpend) as { currency?: string } | undefined;
  const currency = money?.currency ?? ((rule.gift as { cost?: { currency?: string } } | undefined)?.cost?.currency ?? '');
  if (rule.type === 'bundle') return `bundle:${(rule.items as string[]).join('+')}`;
  return `${rule.type}:${currency}`;
}

/**
 * Merges new rules into an existing document: rules with another id are kept as they are;
 * a rule with the same id is replaced only with `force` (otherwise an error names it).
 */
export function mergeRules(existing: RulesDocument | undefined, incoming: readonly Rule[], force: boolean, file: string, fileOption = '--emit'): RulesDocument {
  const rules = [...(existing?.rules ?? [])];
  for (const rule of incoming) {
    const id = ruleId(rule);
    const at = rules.findIndex((r) => ruleId(r) === id);
    const withId = { id, ...rule };
    if (at < 0) rules.push(withId);
    else if (force) rules[at] = withId;
    else {
      throw new AovError('E_OUTPUT_EXISTS', `${file} already has a rule "${id}".`, {
        hint: `Add --force to replace it (the file's other rules are kept), or ${fileOption} another file.`,
        context: { file },
      });
    }
  }
  return { schema: RULES_SCHEMA, generatedBy: existing?.generatedBy ?? 'aov', rules };
}

/** Reads an existing rules file for merging: undefined when absent; an error when it is not aov.rules/v1 (unless force). */
export async function readRulesForMerge(file: string, force: boolean, fileOption = '--emit'): Promise<RulesDocument | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // Nothing there: a new file. Something there that cannot be read (a dangling symlink): not ours to replace.
    const { pathExists } = await import('./output.js');
    if (!pathExists(file) || force) return undefined;
    text = '';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed as RulesDocument).schema !== RULES_SCHEMA) {
    if (force) return undefined;
    throw new AovError('E_OUTPUT_EXISTS', `${file} exists and is not an aov.rules/v1 file; it is left untouched.`, {
      hint: `Choose another ${fileOption} file, or add --force to overwrite it.`,
      context: { file },
    });
  }
  const issues = await validateRules(parsed);
  if (issues.length && !force) {
    throw new AovError('E_CONFIG', `${file}: the existing rules file is not valid (${issues[0].path}: ${issues[0].message}); it is left untouched.`, {
      hint: `Check it with: aov rules --check ${file}`,
      context: { file, column: issues[0].path },
    });
  }
  return parsed as RulesDocument;
}

/**
 * Writes rules into `file`: merged rule by rule with an existing aov.rules/v1 file, validated
 * against the schema, written atomically. Returns the document written.
 */
/** Merges rules into `file` and writes it; `fileOption` is the option that named the file, for hints. */
export async function emitRules(file: string, incoming: readonly Rule[], force: boolean, fileOption = '--emit'): Promise<RulesDocument> {
  const { writeFileAtomic } = await import('./output.js');
  const existing = await readRulesForMerge(file, force, fileOption);
  const document = mergeRules(existing, incoming, force, file, fileOption);
  const issues = await validateRules(document);
  if (issues.length) {
    throw new AovError('E_INTERNAL', `internal: the rules aov produced do not match the schema (${issues[0].path}: ${issues[0].message}).`, {
      hint: 'Please report this; nothing was written.',
    });
  }
  await writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`, { force: true });
  return document;
}
