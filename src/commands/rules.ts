/**
 * `aov rules orders.csv --out rules.json`: the threshold, bundle, second-order and tier
 * suggestions with one set of options, written as one validated aov.rules/v1 file (and with
 * --target, as the platform's own objects). `aov rules --check FILE` is rulesCheck.ts.
 */
import path from 'node:path';
import { loadCosts } from '../io/costs.js';
import { loadOrders } from '../io/load.js';
import { assertWritable } from '../io/output.js';
import { emitRules } from '../io/rulesFile.js';
import { stringify } from '../report/analyzeJson.js';
import { formatMessages, formatStatus } from '../report/messages.js';
import { rulesWrittenStatus } from '../report/rulesMessages.js';
import { requireInputs, toLoadOptions } from './inputOptions.js';
import { suggestedRules } from './suggestedRules.js';
import { targetSettings } from './targetSettings.js';
import { thresholdSettings, type ThresholdOptions } from './thresholdSettings.js';

/** The options of `aov rules` besides the input and threshold ones (src/options/optionTable.ts). */
export interface RulesOwnOptions {
  check?: string;
  out?: string;
  target?: string;
  starts?: string;
  ends?: string;
  tz?: string;
  giftProduct?: string;
  secondOrderGiftCost?: number;
  lift: number;
  validDays: number;
  top: number;
  window: number;
  minSupport: string;
  maxSize: number;
  bundleUplift?: string;
  bundleElasticity?: string;
  locale?: string[];
  force?: boolean;
  json?: boolean;
}

export interface RulesOptions extends RulesOwnOptions, ThresholdOptions {
  json?: boolean;
  force?: boolean;
}

export async function rulesCommand(files: string[], options: RulesOptions): Promise<number> {
  const settings = thresholdSettings(options);
  // With --target, --out names the folder; the aov.rules/v1 file goes into it as rules.json.
  targetSettings({ ...options, target: options.target ?? '' }, new Date().toISOString().slice(0, 10));
  const targetDir = options.target ? (options.out ?? options.target) : undefined;
  const rulesFile = targetDir ? path.join(targetDir, 'rules.json') : (options.out ?? 'rules.json');
  // A folder that already holds a hand-over is refused before any work (nothing is half replaced).
  if (targetDir && !options.force) assertWritable([path.join(targetDir, 'aov-target.json')], false);
  const costFile = options.costs ? await loadCosts(options.costs) : undefined;
  const loaded = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), itemCosts: costFile?.costs, customerKeys: true }, { baskets: {} });
  const { rules, skipped } = suggestedRules(loaded, settings, options);
  const document = await emitRules(rulesFile, rules, Boolean(options.force), '--out');
  // Status on stderr, as aov report does: the rules are in the file.
  process.stderr.write(formatStatus(rulesWrittenStatus(rulesFile, document)));
  process.stderr.write(formatMessages('note', skipped.map((s) => `not written: ${s}`)));
  if (options.target && targetDir) {
    const { writeTarget } = await import('./rulesTarget.js');
    await writeTarget(document, { ...options, target: options.target, out: targetDir, file: rulesFile });
  }
  if (options.json) process.stdout.write(stringify(document));
  return 0;
}
