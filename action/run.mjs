#!/usr/bin/env node
/**
 * The action's report step (action.yml runs it with the inputs as INPUT_* variables):
 * `aov report` with the inputs turned into arguments, its exit code passed on (0 ok, 1 an
 * alert fired, 2 bad input), and step outputs written to $GITHUB_OUTPUT. `aov report` itself
 * appends report.md to $GITHUB_STEP_SUMMARY; a run that stops on bad input appends its error
 * there instead, so the job page says why there is no report.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const input = (name) => (process.env[`INPUT_${name}`] ?? '').trim();
/** Multi-line inputs: one value per line, blank lines ignored. */
const lines = (name) => input(name).split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
const annotate = (level, text) => {
  if (process.env.GITHUB_ACTIONS === 'true') process.stdout.write(`::${level}::${text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
  else process.stderr.write(`aov action: ${level}: ${text}\n`);
};

const actionPath = process.env.GITHUB_ACTION_PATH;
if (!actionPath) {
  process.stderr.write('aov action: error: GITHUB_ACTION_PATH is not set (the runner sets it to the action folder).\n');
  process.exit(2);
}

const files = lines('FILES');
const out = input('OUT') || 'aov-report';
const args = ['report', ...files, '--out', out];
const compare = input('COMPARE');
if (compare) {
  // The first weekly run has no earlier report: say so and report without a comparison.
  if (existsSync(compare)) args.push('--compare', compare);
  else annotate('notice', `compare: ${compare} does not exist (a first run?); the report is not compared, and --fail-on uses the last two complete periods.`);
}
for (const rule of lines('FAIL_ON')) args.push('--fail-on', rule);
if (input('MARGIN')) args.push('--margin', input('MARGIN'));
if (input('GIFT_COST')) args.push('--gift-cost', input('GIFT_COST'));
if (input('TZ')) args.push('--tz', input('TZ'));
// Extra options, one per line: "--title Weekly AOV" is split at its first space only.
for (const line of lines('ARGS')) {
  const space = line.search(/\s/);
  args.push(...(space < 0 ? [line] : [line.slice(0, space), line.slice(space).trim()]));
}

const bin = path.join(actionPath, 'bin', 'aov');
process.stderr.write(`aov ${args.map((a) => (/[\s'"*?]/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
// stdout (annotations) goes straight to the log; stderr is kept too, for the summary on failure.
const run = spawnSync(process.execPath, [bin, ...args], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
process.stderr.write(run.stderr ?? '');
const code = run.status ?? 2;

const outputs = { 'exit-code': String(code), 'report-dir': out };
const reportJson = path.join(out, 'report.json');
if (code <= 1 && existsSync(reportJson)) {
  const report = JSON.parse(readFileSync(reportJson, 'utf8'));
  const main = report.currencies[0];
  Object.assign(outputs, {
    'report-json': reportJson,
    alerts: String(report.alerts.filter((a) => a.level === 'error').length),
    currency: main?.currency ?? '',
    orders: main ? String(main.orders) : '',
    'aov-mean': main ? String(main.aov.mean) : '',
    'aov-median': main ? String(main.aov.median) : '',
  });
} else if (process.env.GITHUB_STEP_SUMMARY) {
  const error = (run.stderr || run.error?.message || '').trim().split('\n').slice(-20).join('\n');
  appendFileSync(process.env.GITHUB_STEP_SUMMARY, `## aov report failed (exit ${code})\n\n\`\`\`\n${error}\n\`\`\`\n`);
}
if (process.env.GITHUB_OUTPUT) {
  // The multi-line form with a delimiter no value contains (GitHub's documented syntax).
  const delimiter = `aov_${randomUUID()}`;
  appendFileSync(process.env.GITHUB_OUTPUT, Object.entries(outputs).map(([key, value]) => `${key}<<${delimiter}\n${value}\n${delimiter}\n`).join(''));
}
process.exit(code);
