/** `aov analyze`: load -> summarize per currency -> render. */
import { analyzeTable } from '../analysis/analyzeTable.js';
import { suggestTier } from '../analysis/loyalty.js';
import { npsBesideAov } from '../analysis/nps.js';
import { loadOrders } from '../io/load.js';
import { loadSurvey } from '../io/survey.js';
import { npsBesideJson, renderNps } from '../report/loyaltyRender.js';
import { analyzeJson, stringify } from '../report/analyzeJson.js';
import { renderAnalyzeMessages, renderAnalyzeTerminal } from '../report/analyzeTerminal.js';
import { createStyle, decideColor } from '../report/format.js';
import { requireInputs, toLoadOptions, type InputCliOptions } from './inputOptions.js';

export interface AnalyzeOptions extends InputCliOptions {
  json?: boolean;
  color?: boolean;
  by?: string;
  minSegmentOrders?: number;
  nps?: string;
  threshold?: number;
  period?: 'day' | 'week' | 'month';
  tz?: string;
  includePartial?: boolean;
  influence?: number;
  resamples?: number;
  seed?: number;
}

export async function analyze(files: string[], options: AnalyzeOptions): Promise<number> {
  const { input, tables } = await loadOrders(requireInputs(files, options), { ...toLoadOptions(options), segmentBy: options.by, tz: options.tz, customerKeys: !!options.nps });
  const trend = { period: options.period, includePartial: options.includePartial, influenceThreshold: options.influence, resamples: options.resamples, seed: options.seed };
  const analyses = tables.map((table) => analyzeTable(table, { by: options.by, minSegmentOrders: options.minSegmentOrders, trend }));
  const survey = options.nps ? await loadSurvey(options.nps) : undefined;
  const nps = survey
    ? tables.map((table) =>
        npsBesideAov(table, survey.answers, {
          tierMinSpendMinor: table.customerCount ? suggestTier(table).minSpendMinor : undefined,
          thresholdMinor: options.threshold === undefined ? undefined : Math.round(options.threshold * 10 ** table.decimals),
        }),
      )
    : undefined;
  const style = createStyle(decideColor(options.color));
  if (options.json) {
    const document = analyzeJson(input, analyses);
    if (survey && nps) document.currencies.forEach((c, i) => Object.assign(c, { nps: npsBesideJson(nps[i], tables[i].decimals, survey) }));
    process.stdout.write(stringify(document));
  } else {
    process.stdout.write(renderAnalyzeTerminal(analyses, style));
    if (survey && nps) nps.forEach((r, i) => process.stdout.write(`\n${renderNps(r, survey, style, tables[i].currency)}\n`));
  }
  // Messages (what was read, warnings) on stderr, after the result as before; the result alone on stdout.
  process.stderr.write(`${options.json ? '' : '\n'}${renderAnalyzeMessages(input, analyses, createStyle(decideColor(options.color, process.stderr)))}`);
  return 0;
}
