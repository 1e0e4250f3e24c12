/** `aov suggest-threshold`: load -> plan (window, margin, reward, calibration, prior, simulation) -> render, emit the rule. */
import { planThreshold, type ThresholdPlan } from '../analysis/thresholdPlan/plan.js';
import { AovError } from '../errors.js';
import { loadCosts } from '../io/costs.js';
import { loadOrders } from '../io/load.js';
import { emitRules } from '../io/rulesFile.js';
import { stringify } from '../report/analyzeJson.js';
import { createStyle, decideColor } from '../report/format.js';
import { renderThreshold, thresholdJson, thresholdRule } from '../report/thresholdRender.js';
import { exportHasShipping, requireInputs, toLoadOptions } from './inputOptions.js';
import { thresholdSettings, type ThresholdOptions } from './thresholdSettings.js';
import { formatMessages } from '../report/messages.js';
import { amountOptions, tablesForAmounts, THRESHOLD_AMOUNTS } from './shopCurrency.js';

export type { ThresholdOptions } from './thresholdSettings.js';

export async function suggestThreshold(files: string[], options: ThresholdOptions): Promise<number> {
  const settings = thresholdSettings(options);
  const costFile = options.costs ? await loadCosts(options.costs) : undefined;
  const loaded = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), itemCosts: costFile?.costs }, { baskets: { excludeItems: undefined } });
  // Amounts (--gift-cost 3) are in the shop currency: the other currencies are left out, with a note.
  const forAmounts = tablesForAmounts(loaded.tables, amountOptions(settings as unknown as Record<string, unknown>, THRESHOLD_AMOUNTS));
  process.stderr.write(formatMessages('note', forAmounts.notes, ''));
  const views = forAmounts.tables.map((table) => planThreshold(table, loaded.baskets, settings, exportHasShipping(loaded.input))).filter((v): v is ThresholdPlan => v !== null);
  if (views.length === 0) throw new AovError('E_NO_DATA', 'No orders in the window.', { hint: 'Check --since.' });
  if (options.emit) {
    const rules = views.map(thresholdRule).filter((r): r is NonNullable<typeof r> => r !== null);
    if (rules.length) await emitRules(options.emit, rules, Boolean(options.force));
    else process.stderr.write(`aov: no rule written to ${options.emit}: there is no recommendation.\n`);
  }
  if (options.json) {
    const documents = views.map(thresholdJson);
    process.stdout.write(stringify({ ...documents[0], currencies: documents }));
  } else {
    const style = createStyle(decideColor(options.color));
    process.stdout.write(views.map((v) => renderThreshold(v, style)).join('\n'));
  }
  // Notes on stderr after the result (with or without --json); the result alone on stdout.
  for (const v of views) process.stderr.write(formatMessages('note', v.notes, views.length > 1 ? v.currency : ''));
  return 0;
}
