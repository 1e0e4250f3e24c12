/** `aov rules --target X`: an aov.rules/v1 document written as platform X's own objects into a folder. */
import { AovError } from '../errors.js';
import type { RulesDocument } from '../io/rulesFile.js';
import { writeTargetFolder } from '../io/targetFiles.js';
import { formatMessages, formatStatus } from '../report/messages.js';
import { targetNotes, targetWarnings, targetWrittenStatus } from '../report/rulesMessages.js';
import { renderTarget, TARGETS, type Target, type TargetManifest } from '../report/targets/index.js';
import { checkTargetAmounts, targetSettings, type TargetCliOptions } from './targetSettings.js';

const isTarget = (name: string): name is Target => (TARGETS as readonly string[]).includes(name);

/** Writes the target's files into --out (default: a folder named after the target) and says what was written on stderr. */
export async function writeTarget(document: RulesDocument, options: TargetCliOptions): Promise<TargetManifest> {
  const target = options.target;
  if (!isTarget(target)) throw new AovError('E_USAGE', `--target ${target}: expected one of ${TARGETS.join(', ')}.`, {});
  const settings = targetSettings(options, new Date().toISOString().slice(0, 10));
  checkTargetAmounts(document, options.file ?? 'rules.json');
  const dir = options.out ?? target;
  const { files, manifest } = renderTarget(document, target, settings);
  await writeTargetFolder(dir, files, Boolean(options.force));
  process.stderr.write(formatStatus(targetWrittenStatus(dir.replace(/\/+$/, ''), target, manifest, files.length)));
  process.stderr.write(formatMessages('warning', targetWarnings(target, manifest, settings)));
  process.stderr.write(formatMessages('note', targetNotes(manifest)));
  return manifest;
}
