/** `aov config [command]`: the settings a command would use and where each comes from. */
import type { Command } from 'commander';
import { stringify } from '../report/analyzeJson.js';

/** Where a setting's value comes from, as commander records it ('unset': no value at all). */
export type SettingSource = 'default' | 'config' | 'cli' | 'env' | 'implied' | 'unset';

/** The aov.config/v1 document `aov config --json` prints. */
export interface ConfigDocument {
  schema: 'aov.config/v1';
  command: string;
  /** The aov.config.json read, or null when none was found or --no-config was given. */
  configFile: string | null;
  /** One entry per setting (camelCase option name), in --help order; value null when unset. */
  settings: Record<string, { value: unknown; source: SettingSource }>;
}

export function configDocument(target: Command, configFile: string | null): ConfigDocument {
  const settings: ConfigDocument['settings'] = {};
  // --dedupe and --no-dedupe are one setting: each key once.
  for (const key of new Set(target.options.map((option) => option.attributeName()))) {
    const value = target.getOptionValue(key);
    settings[key] = { value: value === undefined ? null : value, source: (target.getOptionValueSource(key) ?? 'unset') as SettingSource };
  }
  return { schema: 'aov.config/v1', command: target.name(), configFile, settings };
}

export function renderConfig(document: ConfigDocument, json: boolean): string {
  if (json) return stringify(document);
  const lines = [`Settings for aov ${document.command}${document.configFile ? ` (config: ${document.configFile})` : ' (no config file)'}:`];
  for (const [key, { value, source }] of Object.entries(document.settings)) {
    lines.push(`  ${key.padEnd(18)} ${value === null ? '-' : JSON.stringify(value)}  (${source})`);
  }
  return `${lines.join('\n')}\n`;
}
