/**
 * aov.config.json: settings for every command, found in the current folder or a parent
 * (or given with --config). Keys are the commands' option names in camelCase
 * (`--gift-cost` -> "giftCost"); command-line options override the file. Validated before
 * any work starts, with the field, what was expected and what was found.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AovError, jsonSyntaxProblem, quoteValue } from '../errors.js';

export const CONFIG_FILE = 'aov.config.json';

/**
 * Settings that count only when typed for the run: `--force` replaces the user's files, and a
 * config found in a parent folder must not do that on every run below it.
 */
export const COMMAND_LINE_ONLY: readonly string[] = ['force'];

export interface LoadedConfig {
  path: string;
  values: Record<string, unknown>;
}

/** The nearest aov.config.json from `start` upwards, or undefined. */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function readConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AovError('E_CONFIG', `${file}: cannot read the config file (${(error as Error).message}).`, { context: { file } });
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new AovError('E_CONFIG', `${file}${line ? `:${line}` : ''}: not valid JSON (${jsonSyntaxProblem(error)}).`, {
      hint: 'Check commas and quotes; JSON allows no comments and no trailing commas.',
      context: { file, line },
    });
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new AovError('E_CONFIG', `${file}: expected a JSON object of settings, found ${Array.isArray(values) ? 'an array' : typeof values}.`, { context: { file } });
  }
  const settings = { ...(values as Record<string, unknown>) };
  // "$schema" and "_comment*" keys are for editors and people.
  for (const key of Object.keys(settings)) if (key === '$schema' || key.startsWith('_')) delete settings[key];
  for (const key of COMMAND_LINE_ONLY) {
    if (key in settings) {
      throw new AovError('E_CONFIG', `${file}: "${key}" cannot be set in a config file; found ${quoteValue(JSON.stringify(settings[key]) ?? String(settings[key]))}.`, {
        hint: `--${key} replaces existing files, so it counts only on the command line of the run that should do so. Remove "${key}" from ${file}.`,
        context: { file, column: key },
      });
    }
  }
  return { path: file, values: settings };
}
