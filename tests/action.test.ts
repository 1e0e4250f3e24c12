/**
 * The GitHub Action (action.yml) run as the runner runs a composite action: each step's `run:`
 * line from action.yml through bash, with GITHUB_ACTION_PATH, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT
 * and the step's `env:` block (INPUT_* from the inputs and their defaults) taken from action.yml.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixture, meanAndMedian, sampleOrders, sampleOrderValues, tempDir } from './helpers.js';

const actionYml = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');

/** The inputs block: name -> default ('' when none), read line by line (two-space keys, four-space fields). */
function actionInputs(): Map<string, string> {
  const block = actionYml.slice(actionYml.indexOf('\ninputs:\n'), actionYml.indexOf('\noutputs:\n'));
  const inputs = new Map<string, string>();
  let current = '';
  for (const line of block.split('\n')) {
    const name = /^ {2}([a-z-]+):$/.exec(line);
    if (name) inputs.set((current = name[1]), '');
    const fallback = /^ {4}default: (.*)$/.exec(line);
    if (fallback && current) inputs.set(current, fallback[1].replace(/^'(.*)'$/, '$1'));
  }
  return inputs;
}

/** The composite steps' `run:` lines and `env:` blocks, in order. */
function actionSteps(): { name: string; run: string; env: Map<string, string> }[] {
  const steps = actionYml.slice(actionYml.indexOf('\n  steps:\n')).split(/\n {4}- /).slice(1);
  return steps
    .filter((step) => /\n {6}run: /.test(step))
    .map((step) => {
      const env = new Map<string, string>();
      for (const match of step.matchAll(/^ {8}(INPUT_[A-Z_]+): \$\{\{ inputs\.([a-z-]+) \}\}$/gm)) env.set(match[1], match[2]);
      return { name: /name: (.*)/.exec(step)![1], run: /\n {6}run: (.*)/.exec(step)![1], env };
    });
}

/** GITHUB_OUTPUT's `name<<delimiter` form back into a record. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^([\w-]+)<<(.+)$/.exec(lines[i]);
    if (!head) continue;
    const end = lines.indexOf(head[2], i + 1);
    outputs[head[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

/** Runs one step as the runner would (shell: bash, working directory the workspace). */
function runStep(stepName: string, actionPath: string, workspace: string, inputs: Record<string, string> = {}) {
  const step = actionSteps().find((s) => s.name === stepName)!;
  const defaults = actionInputs();
  for (const name of Object.keys(inputs)) expect(defaults.has(name), `action.yml has no input ${name}`).toBe(true);
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION_PATH: actionPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: path.join(workspace, '..', 'summary.md'),
    GITHUB_OUTPUT: path.join(workspace, '..', 'output.txt'),
  };
  for (const [variable, input] of step.env) env[variable] = inputs[input] ?? defaults.get(input) ?? '';
  writeFileSync(env.GITHUB_STEP_SUMMARY!, '');
  writeFileSync(env.GITHUB_OUTPUT!, '');
  const result = spawnSync('bash', ['-e', '-c', step.run], { cwd: workspace, env, encoding: 'utf8', timeout: 170_000 });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
    outputs: readOutputs(env.GITHUB_OUTPUT!),
  };
}

function workspace(): string {
  const dir = path.join(tempDir('aov-action-'), 'workspace');
  mkdirSync(dir);
  return dir;
}

/** The sample's median in its last two months, counted in the test (helpers.sampleOrders), as a relative change. */
function lastMonthMedianChange(): number {
  const months = [...new Set(sampleOrders().map((o) => o.month))].sort();
  const median = (month: string) => meanAndMedian(sampleOrders().filter((o) => o.month === month).map((o) => o.valueMinor).sort((a, b) => a - b)).medianMinor;
  const [before, last] = months.slice(-2).map(median);
  return (last - before) / before;
}

/** The relative change in the count of orders between the sample's last two months. */
function lastMonthOrdersChange(): number {
  const months = [...new Set(sampleOrders().map((o) => o.month))].sort();
  const [before, last] = months.slice(-2).map((month) => sampleOrders().filter((o) => o.month === month).length);
  return (last - before) / before;
}

describe('the GitHub Action', () => {
  it('passes every input of action.yml to the report script, and the script reads each one', () => {
    const script = readFileSync(path.join(ROOT, 'action', 'run.mjs'), 'utf8');
    const step = actionSteps().find((s) => s.name === 'aov report')!;
    expect([...step.env.values()].sort()).toEqual([...actionInputs().keys()].sort());
    for (const variable of step.env.keys()) expect(script).toMatch(new RegExp(`(input|lines)\\('${variable.replace(/^INPUT_/, '')}'\\)`));
  });

  it('installs from a copy of the repository with runtime dependencies only, and a fail-on that trips fails the step after writing the report', () => {
    // The action's folder as the runner checks it out: the repository's files, nothing built.
    const actionPath = tempDir('aov-action-path-');
    const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    for (const file of listed.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(path.join(ROOT, file))) continue;
      mkdirSync(path.dirname(path.join(actionPath, file)), { recursive: true });
      cpSync(path.join(ROOT, file), path.join(actionPath, file));
    }
    expect(existsSync(path.join(actionPath, 'dist'))).toBe(false);
    const ws = workspace();
    const install = runStep('Install aov', actionPath, ws);
    expect(install.code, install.stderr).toBe(0);
    expect(existsSync(path.join(actionPath, 'dist', 'cli.js'))).toBe(true);
    // What `npm ci --omit=dev` leaves: no compiler, no test runner.
    expect(existsSync(path.join(actionPath, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(path.join(actionPath, 'node_modules', 'vitest'))).toBe(false);

    // The sample's orders rise between its last two months (counted here: 327 -> 423, +29.4%,
    // whose exact Poisson 95% interval, 1.117-1.499 x, holds no change of 0): a rule one point
    // under that rise trips, one a point over it does not. Its median falls 6.3% (19.00 -> 17.80),
    // within noise at 327 and 423 orders: a rule under that fall is breached on the point
    // figures only, a warning annotation that does not fail the step.
    const risePct = lastMonthOrdersChange() * 100;
    expect(risePct).toBeGreaterThan(2);
    const tripping = `orders:+${Math.floor(risePct - 1)}%`;
    const quiet = `orders:+${Math.ceil(risePct + 1)}%`;
    const fallPct = -lastMonthMedianChange() * 100;
    expect(fallPct).toBeGreaterThan(2);
    const noisy = `aov.median:-${Math.floor(fallPct - 1)}%`;
    const run = runStep('aov report', actionPath, ws, { files: fixture('sample-orders.csv'), 'fail-on': `${tripping}\n${quiet}\n${noisy}`, margin: '0.4', 'gift-cost': '3' });
    expect(run.code, run.stderr).toBe(1);
    expect(run.outputs['exit-code']).toBe('1');
    expect(run.outputs.alerts).toBe('1');
    expect(run.stdout).toContain(`::error::${tripping}`);
    expect(run.stdout).not.toContain(`::error::${quiet}`);
    expect(run.stdout).not.toContain(`::error::${noisy}`);
    expect(run.stdout).toContain(`::warning::${noisy}`);
    // The report is written before the step fails, and its Markdown is the job summary.
    const reportMd = readFileSync(path.join(ws, 'aov-report', 'report.md'), 'utf8');
    expect(run.summary).toBe(reportMd);
    expect(run.summary).toContain(`breaching ${tripping}`);
    expect(run.outputs['report-json']).toBe(path.join('aov-report', 'report.json'));
  }, 180_000);

  it('reports the sample with its counted figures as outputs, and exits 0 with no alert', () => {
    const ws = workspace();
    const run = runStep('aov report', ROOT, ws, { files: fixture('sample-orders.csv'), out: 'weekly', margin: '0.4', 'gift-cost': '3', args: '--title Weekly AOV\n--quiet' });
    expect(run.code, run.stderr).toBe(0);
    const expected = meanAndMedian(sampleOrderValues());
    expect(run.outputs).toEqual({
      'exit-code': '0',
      'report-dir': 'weekly',
      'report-json': path.join('weekly', 'report.json'),
      alerts: '0',
      currency: 'EUR',
      orders: String(expected.orders),
      'aov-mean': String(Math.round(expected.meanMinor) / 100),
      'aov-median': String(Math.round(expected.medianMinor) / 100),
    });
    // "--title Weekly AOV" is one option and its value; the threshold section is there (margin and gift cost reached aov).
    expect(run.summary.startsWith('# Weekly AOV\n')).toBe(true);
    const doc = JSON.parse(readFileSync(path.join(ws, 'weekly', 'report.json'), 'utf8'));
    expect(doc.currencies[0].threshold).not.toBeNull();
  });

  it('compares with an earlier report when it exists, and says so when it does not (a first run)', () => {
    const ws = workspace();
    const first = runStep('aov report', ROOT, ws, { files: fixture('sample-orders.csv'), compare: 'last/report.json', out: 'first' });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('::notice::compare: last/report.json does not exist');
    expect(JSON.parse(readFileSync(path.join(ws, 'first', 'report.json'), 'utf8')).comparison).toBeNull();
    mkdirSync(path.join(ws, 'last'));
    cpSync(path.join(ws, 'first', 'report.json'), path.join(ws, 'last', 'report.json'));
    const second = runStep('aov report', ROOT, ws, { files: fixture('sample-orders.csv'), compare: 'last/report.json', out: 'second', 'fail-on': 'orders:-1%' });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toContain('::notice::');
    expect(JSON.parse(readFileSync(path.join(ws, 'second', 'report.json'), 'utf8')).comparison.previousFile).toBe('last/report.json');
  });

  it('exits 2 on bad input and puts the error in the job summary', () => {
    const ws = workspace();
    const run = runStep('aov report', ROOT, ws, { files: 'exports/missing.csv' });
    expect(run.code).toBe(2);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.outputs['report-json']).toBeUndefined();
    expect(run.summary).toContain('## aov report failed (exit 2)');
    expect(run.summary).toMatch(/aov: error: .*exports\/missing\.csv/);
  });
});

describe('examples/github-actions/aov-weekly.yml', () => {
  it('uses the action with inputs that action.yml declares, the required ones included', () => {
    const workflow = readFileSync(path.join(ROOT, 'examples', 'github-actions', 'aov-weekly.yml'), 'utf8');
    const step = workflow.slice(workflow.indexOf('uses: OWNER/aov@v0'));
    expect(step.length).toBeLessThan(workflow.length);
    const withBlock = step.slice(step.indexOf('with:\n'), step.search(/\n {6}- /));
    const given = [...withBlock.matchAll(/^ {10}([a-z-]+):/gm)].map((m) => m[1]);
    const declared = actionInputs();
    for (const name of given) expect(declared.has(name), `action.yml has no input ${name}`).toBe(true);
    expect(given).toContain('files');
    expect(workflow).not.toContain('npx');
  });
});
