/**
 * Validation against the JSON Schema files under schemas/ (the public contracts, shipped in
 * the package), with ajv. Each problem comes back as the field's JSON pointer and one
 * sentence, e.g. { path: '/currencies/0/aov', message: 'missing field "median"' }.
 */
import { readFileSync } from 'node:fs';
import { editDistance } from './formats.js';

export interface ValidationIssue {
  /** JSON pointer of the field, e.g. /rules/0/threshold/amount; "/" for the whole document. */
  path: string;
  message: string;
}

interface AjvError {
  keyword: string;
  parentSchema?: { properties?: Record<string, unknown> };
  instancePath: string;
  params: unknown;
  message?: string;
  propertyName?: string;
}

interface AjvLike {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: AjvError[] | null };
}

export interface ValidatorOptions {
  /** The sentence for a key refused by a schema's propertyNames (its pattern error says less). */
  badPropertyName?: (name: string) => string;
}

/** A validator for schemas/<file>, compiled once on first use. */
export function schemaValidator(file: string, options: ValidatorOptions = {}): (document: unknown) => Promise<ValidationIssue[]> {
  let validate: ReturnType<AjvLike['compile']> | undefined;
  return async (document) => {
    if (!validate) {
      const { default: Ajv } = (await import('ajv/dist/2020.js')) as unknown as { default: new (options: object) => AjvLike };
      const schema = JSON.parse(readFileSync(new URL(`../../schemas/${file}`, import.meta.url), 'utf8'));
      // (verbose: errors carry their schema, so an unknown key can be matched to the closest known one)
      validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
    }
    if (validate(document)) return [];
    return describeErrors(validate.errors ?? [], options);
  };
}

/** 'unknown field "minSpnd" (did you mean "minSpend"?)' when a known field is close. */
function unknownField(name: string, schema: AjvError['parentSchema']): string {
  const known = Object.keys(schema?.properties ?? {});
  const closest = known.map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) })).sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))[0];
  return `unknown field "${name}"${closest && closest.d <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${closest.k}"?)` : ''}`;
}

function describeErrors(errors: readonly AjvError[], options: ValidatorOptions): ValidationIssue[] {
  // if/then branches repeat the same problem; keep the most specific message per path.
  const seen = new Map<string, ValidationIssue>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    // The pattern error under propertyNames says less than the propertyNames sentence.
    if (e.keyword === 'pattern' && e.propertyName !== undefined) continue;
    const path = e.instancePath || '/';
    const detail =
      e.keyword === 'propertyNames' ? (options.badPropertyName ?? ((name: string) => `bad field name "${name}"`))((e.params as { propertyName: string }).propertyName)
      : e.keyword === 'required' ? `missing field "${(e.params as { missingProperty: string }).missingProperty}"`
      : e.keyword === 'enum' ? `${e.message} (${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')})`
      : e.keyword === 'const' ? `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`
      : e.keyword === 'additionalProperties' ? unknownField((e.params as { additionalProperty: string }).additionalProperty, e.parentSchema)
      : e.message ?? e.keyword;
    const key = `${path} ${detail}`;
    if (!seen.has(key)) seen.set(key, { path, message: detail });
  }
  return [...seen.values()];
}
