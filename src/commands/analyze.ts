/** `aov analyze`: load -> summarize per currency -> render. */
import { analyzeTable } from '../analysis/analyzeTable.js';
import { loadOrders } from '../io/load.js';
import { analyzeJson, stringify } from '../report/analyzeJson.js';
import { renderAnalyzeTerminal } from '../report/analyzeTerminal.js';
import { createStyle, decideColor } from '../report/format.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';

export interface AnalyzeOptions extends InputCliOptions {
  json?: boolean;
  color?: boolean;
  by?: string;
  minSegmentOrders?: number;
}

export async function analyze(files: string[], options: AnalyzeOptions): Promise<number> {
  const { input, tables } = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), segmentBy: options.by });
  const analyses = tables.map((table) => analyzeTable(table, { by: options.by, minSegmentOrders: options.minSegmentOrders }));
  if (options.json) process.stdout.write(stringify(analyzeJson(input, analyses)));
  else process.stdout.write(renderAnalyzeTerminal(input, analyses, createStyle(decideColor(options.color))));
  return 0;
}
