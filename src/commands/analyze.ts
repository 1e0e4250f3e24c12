/** `aov analyze`: load -> summarize per currency -> render. */
import { summarize } from '../analysis/summary.js';
import { loadOrders } from '../io/load.js';
import { analyzeJson, stringify } from '../report/analyzeJson.js';
import { renderAnalyzeTerminal } from '../report/analyzeTerminal.js';
import { createStyle, decideColor } from '../report/format.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';

export interface AnalyzeOptions extends InputCliOptions {
  json?: boolean;
  color?: boolean;
}

export async function analyze(files: string[], options: AnalyzeOptions): Promise<number> {
  const { input, tables } = await loadOrders(requireInputs(files, options), toLoadOptions(options));
  const summaries = tables.map(summarize);
  if (options.json) process.stdout.write(stringify(analyzeJson(input, summaries)));
  else process.stdout.write(renderAnalyzeTerminal(input, summaries, createStyle(decideColor(options.color))));
  return 0;
}
