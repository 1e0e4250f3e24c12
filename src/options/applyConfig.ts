/**
 * aov.config.json applied to a command as its command line would be (the same choices and
 * value specs, command-line values first), and required options checked after it.
 */
import { InvalidArgumentError, type Command, type Option } from 'commander';
import { AovError, quoteValue } from '../errors.js';
import { CONFIG_FILE, findConfig, readConfig, type LoadedConfig } from '../io/config.js';
import { editDistance } from '../io/formats.js';
import { specOf, type ValueSpec } from './optionSpecs.js';
import { requiredSpec } from './optionTable.js';

/**
 * Applies aov.config.json to a command: every key must be an option of some command
 * (a key for another command is ignored here); command-line values win.
 */
export function applyConfig(program: Command, command: Command): LoadedConfig | undefined {
  const rootOptions = program.opts<{ config?: string | false }>();
  if (rootOptions.config === false) return undefined;
  const file = typeof rootOptions.config === 'string' ? rootOptions.config : findConfig(process.cwd());
  if (!file) return undefined;
  const config = readConfig(file);
  const allOptions = new Map<string, Option>();
  for (const c of program.commands) for (const o of c.options) allOptions.set(o.attributeName(), o);
  // A key named after a command ("bundles": {"top": 20}) holds settings for that command only,
  // and wins over the same key at the top level.
  const commandNames = new Set(program.commands.map((c) => c.name()));
  const sections = Object.entries(config.values).filter(([key]) => commandNames.has(key));
  for (const [name, section] of sections) {
    if (typeof section !== 'object' || section === null || Array.isArray(section)) {
      throw new AovError('E_CONFIG', `${file}: "${name}" should be an object of settings for aov ${name}; found ${quoteValue(JSON.stringify(section) ?? String(section))}.`, { context: { file, column: name } });
    }
  }
  const own = sections.find(([name]) => name === command.name())?.[1] as Record<string, unknown> | undefined;
  const topLevel = Object.entries(config.values).filter(([key]) => !commandNames.has(key));
  for (const [key] of topLevel) {
    // One key, one meaning: a top-level key that two commands read differently must be scoped.
    const meanings = new Map<string, string[]>();
    for (const c of program.commands) {
      const o = c.options.find((x) => x.attributeName() === key);
      const expected = o ? (specOf(o.parseArg)?.expected ?? o.flags) : undefined;
      if (expected !== undefined) meanings.set(expected, [...(meanings.get(expected) ?? []), c.name()]);
    }
    if (meanings.size > 1) {
      const users = [...meanings.entries()].map(([expected, names]) => `${names.join(', ')} (${expected})`).join(' and ');
      throw new AovError('E_CONFIG', `${file}: "${key}" means different things in ${users}.`, {
        hint: `Put it under the command it is for, e.g. { "${[...meanings.values()][0][0]}": { "${key}": ... } }.`,
        context: { file, column: key },
      });
    }
  }
  for (const [key, value] of [...topLevel, ...Object.entries(own ?? {})]) {
    // null: written by aov init for a setting not filled in yet.
    if (value === null) continue;
    const option = command.options.find((o) => o.attributeName() === key);
    if (!option) {
      if (allOptions.has(key)) continue;
      const known = [...allOptions.keys()];
      const guess = known.sort((a, b) => editDistance(key, a) - editDistance(key, b))[0];
      throw new AovError('E_CONFIG', `${file}: unknown setting "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}.`, {
        hint: `Settings are option names in camelCase: ${known.sort().join(', ')}.`,
        context: { file, column: key },
      });
    }
    if (command.getOptionValueSource(key) === 'cli') continue;
    command.setOptionValueWithSource(key, configValue(option, key, value, file), 'config');
    appliedFromConfig = { file, keys: [...(appliedFromConfig?.file === file ? appliedFromConfig.keys : []), key] };
  }
  return config;
}

/** The settings the running command took from a config file, named beside any error it ends with. */
let appliedFromConfig: { file: string; keys: string[] } | undefined;

/** The settings the running command took from a config file (for the note beside an error). */
export function settingsFromConfig(): { file: string; keys: string[] } | undefined {
  return appliedFromConfig;
}

/**
 * A config value checked as the command line would check it (the same choices and the same
 * value spec), with one wording: `aov.config.json: "top" should be a whole number ...; found 0.05.`
 */
function configValue(option: Option, key: string, value: unknown, file: string): unknown {
  const spec = specOf(option.parseArg);
  const fail = (expected: string) =>
    new AovError('E_CONFIG', `${file}: "${key}" should be ${expected}; found ${quoteValue(JSON.stringify(value) ?? String(value))}.`, {
      hint: spec ? `Example: "${key}": ${exampleOf(spec)} in ${CONFIG_FILE}, as ${spec.flag} ${exampleOf(spec, false)} on the command line.` : `Fix or remove "${key}" in ${file}.`,
      context: { file, column: key },
    });
  if (option.isBoolean()) {
    if (typeof value !== 'boolean') throw fail('true or false');
    return value;
  }
  const one = (item: unknown): unknown => {
    if (typeof item !== 'string' && typeof item !== 'number') throw fail(spec?.expected ?? 'a string or a number');
    const text = String(item);
    if (option.argChoices && !option.argChoices.includes(text)) throw fail(`one of ${option.argChoices.join(', ')}`);
    if (spec) {
      const parsed = spec.parse(text);
      if (parsed === undefined) throw fail(spec.expected);
      return parsed;
    }
    if (option.parseArg) {
      try {
        return option.parseArg(text, undefined as never);
      } catch (error) {
        if (error instanceof InvalidArgumentError) throw fail(error.message.replace(/\.$/, ''));
        throw error;
      }
    }
    return text;
  };
  if (option.variadic) return (Array.isArray(value) ? value : [value]).map(one);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && key === 'map') {
    return Object.entries(value as Record<string, unknown>).map(([f, h]) => `${f}=${String(h)}`).join(',');
  }
  return one(value);
}

/** The value of a spec's hint example ("Example: --step 1 (...)" -> 1), as JSON for a config file. */
function exampleOf(spec: ValueSpec, asJson = true): string {
  const example = new RegExp(`${spec.flag} (\\S+)`).exec(spec.hint)?.[1] ?? '...';
  return !asJson || Number.isFinite(Number(example)) ? example : JSON.stringify(example);
}

/** A required option with no value from the command line or the config: aov's own usage error. */
export function checkRequired(command: Command): void {
  for (const option of command.options) {
    const spec = requiredSpec(option);
    if (!spec || command.getOptionValue(option.attributeName()) !== undefined) continue;
    const key = option.attributeName();
    const value = new RegExp(`${option.long} (\\S+)`).exec(spec.example)?.[1] ?? '...';
    const json = Number.isFinite(Number(value)) ? value : JSON.stringify(value);
    throw new AovError('E_USAGE', `${option.long} is required: ${spec.description}.`, {
      hint: `Example: ${spec.example}\n        or in ${CONFIG_FILE}: { "${spec.command}": { "${key}": ${json} } }`,
    });
  }
}
