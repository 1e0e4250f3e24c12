/**
 * Output safety (issue #22, output side): data never drives the terminal, report files are
 * replaced as a set or not at all, and the GitHub job summary cannot sink a run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixture, runAov, tempDir } from './helpers.js';

/** Erase the screen, write the clipboard (OSC 52, BEL-terminated), NUL, NEL (C1) and a right-to-left override. */
const EVIL = '\u001b[2J\u001b]52;c;SGVsbG8=\u0007\u0000\u0085\u202e';
/** The header cannot hold NUL (a NUL in line 1 means "not a text file", a fatal error of its own). */
const EVIL_HEADER = EVIL.replace('\u0000', '');

/** Any C0 control but tab and newline, DEL, any C1 control, a bidi embedding, override or isolate. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/**
 * 60 two-item orders (one product name and half the channel values hostile), 60 one-item
 * orders, and one line whose price cell is hostile (a rejected row, shown as a problem).
 */
function hostileExport(): string {
  const dir = tempDir('aov-safety-');
  const rows = [`Order ID,Order Date,Customer ID,SKU,Product Name,Quantity,Unit Price,Currency,Channel,Note${EVIL_HEADER}`];
  let id = 1;
  for (let i = 0; i < 30; i++) {
    const day = `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`;
    const channel = i % 2 ? `web${EVIL}` : 'shop';
    rows.push(`${id},${day},c${i},A,Tea${EVIL}pot,1,10.00,EUR,${channel},x`, `${id},${day},c${i},B,Cups,1,5.00,EUR,${channel},x`);
    id++;
  }
  for (const [month, sku, name, price] of [['02', 'C', 'Honey', '7.00'], ['03', 'D', 'Chai', '6.00']]) {
    for (let i = 0; i < 30; i++) rows.push(`${id++},2024-${month}-${String(1 + (i % 28)).padStart(2, '0')},${sku}${i},${sku},${name},1,${price},EUR,shop,x`);
  }
  rows.push(`${id},2024-03-05,z1,D,Chai,1,12${EVIL},EUR,shop,x`);
  const file = path.join(dir, 'hostile.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

function expectClean(label: string, text: string) {
  const found = CONTROL.exec(text);
  expect(found ? `${label}: U+${found[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${found.index}: ${JSON.stringify(text.slice(Math.max(0, found.index - 40), found.index + 10))}` : '').toBe('');
}

describe('control characters in data never reach the terminal or the report pages', () => {
  const file = hostileExport();

  it('aov analyze prints hostile segment values and problem messages without their controls', () => {
    const r = runAov(['analyze', file, '--by', 'Channel', '--min-segment-orders', '1']);
    expect(r.code).toBe(0);
    // The values are there, only defused: the segment and the rejected price cell are shown.
    expect(r.stdout).toMatch(/web\S*2J/);
    // Rejected rows are messages: stderr.
    expect(r.stderr).toContain('is not an amount');
    expectClean('stdout', r.stdout);
    expectClean('stderr', r.stderr);
  });

  it('with colour forced, only SGR colour sequences are left', () => {
    const r = runAov(['analyze', file, '--by', 'Channel', '--min-segment-orders', '1'], { FORCE_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\u001b[');
    expectClean('stdout without SGR', r.stdout.replace(/\u001b\[[0-9;]*m/g, ''));
  });

  it('aov analyze --json stays faithful: the exact values, with nothing raw that a terminal acts on', () => {
    const r = runAov(['analyze', file, '--by', 'Channel', '--min-segment-orders', '1', '--json']);
    expect(r.code).toBe(0);
    expectClean('stdout', r.stdout);
    const doc = JSON.parse(r.stdout);
    expect(JSON.stringify(doc)).toContain(JSON.stringify(`web${EVIL}`).slice(1, -1));
    expect(doc.input.problems[0].message).toContain(`12${EVIL}`);
  });

  it('aov bundles prints hostile product names without their controls', () => {
    const r = runAov(['bundles', file, '--item', 'name', '--min-support', '5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Cups + Tea');
    expectClean('stdout', r.stdout);
    expectClean('stderr', r.stderr);
  });

  it('aov formats prints hostile headers without their controls', () => {
    const r = runAov(['formats', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('not used: Note');
    expectClean('stdout', r.stdout);
  });

  it('error messages from bin carry no controls from the command line or the data', () => {
    const r = runAov(['analyze', file, '--by', `Chan${EVIL_HEADER}nel`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^aov: error: /);
    expectClean('stderr', r.stderr);
  });

  it('aov report writes report.md and report.html without controls', () => {
    const dir = tempDir('aov-safety-');
    const r = runAov(['report', file, '--out', dir, '--min-support', '5']);
    expect(r.code).toBe(0);
    expectClean('stdout', r.stdout);
    expectClean('stderr', r.stderr);
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(md).toMatch(/Tea\W{0,3}\[2J/);
    expect(html).toMatch(/Tea\W{0,3}\[2J/);
    expectClean('report.md', md);
    expectClean('report.html', html);
    // report.json keeps the name exactly (Cups and the teapot are always bought together here: a set, #17).
    const bundles = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).currencies[0].bundles;
    expect([...bundles.pairs, ...bundles.sets].flatMap((x: { names: string[] }) => x.names)).toContain(`Tea${EVIL}pot`);
  });

  it('visible() defuses controls and bidi overrides and leaves ordinary text alone', async () => {
    const { visible } = await import('../src/report/visible.js');
    expect(visible('Crème brûlée · 日本 ✓')).toBe('Crème brûlée · 日本 ✓');
    expectClean('visible', visible(EVIL));
    expect(visible('a\tb\nc')).toBe('a b c');
  });
});

const REPORT_FILES = ['report.md', 'report.html', 'report.json', 'rules.json'];
const reportArgs = (out: string, ...extra: string[]) => ['report', fixture('sample-orders.csv'), '--out', out, '--quiet', ...extra];

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function runAovAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'aov'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('aov report replaces its four files as a set', () => {
  it('refuses with exit 2 while another run holds the lock, and touches nothing', () => {
    const dir = tempDir('aov-lock-');
    writeFileSync(path.join(dir, '.aov-report.lock'), `${process.pid}\n`);
    const r = runAov(reportArgs(dir));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`another aov report (pid ${process.pid}) is writing into ${dir}`);
    expect(r.stderr).toMatch(/^ {2}hint: /m);
    expect(readdirSync(dir)).toEqual(['.aov-report.lock']);
  });

  it('cleans up a stale lock and a stale staging folder left by a killed run, with a note', () => {
    const dir = tempDir('aov-lock-');
    const pid = deadPid();
    writeFileSync(path.join(dir, '.aov-report.lock'), `${pid}\n`);
    mkdirSync(path.join(dir, `.aov-report-${pid}.staging`));
    writeFileSync(path.join(dir, `.aov-report-${pid}.staging`, 'report.md'), 'half');
    const r = runAov(reportArgs(dir).filter((a) => a !== '--quiet'));
    expect(r.code).toBe(0);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain(`removed a stale lock of pid ${pid}`);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain(`removed the unfinished files of an interrupted run (pid ${pid})`);
    expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES].sort());
  });

  it('finishes putting in place a complete set that a killed run had begun to rename', () => {
    const dir = tempDir('aov-lock-');
    const pid = deadPid();
    for (const f of REPORT_FILES) writeFileSync(path.join(dir, f), f === 'report.json' ? 'old' : 'new');
    // Killed after renaming three of its four staged files: report.json is still staged.
    const staging = path.join(dir, `.aov-report-${pid}.staging`);
    mkdirSync(staging);
    writeFileSync(path.join(staging, 'report.json'), 'new');
    writeFileSync(path.join(staging, '.ready'), '');
    // This run fails on its input, after taking over the folder: the killed run's set is whole.
    const r = runAov(['report', path.join(dir, 'missing.csv'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain(`finished putting in place the report files of an interrupted run (pid ${pid})`);
    for (const f of REPORT_FILES) expect(readFileSync(path.join(dir, f), 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES].sort());
  });

  it('leaves every old file in place when one of the four cannot be replaced', () => {
    const dir = tempDir('aov-set-');
    for (const f of REPORT_FILES) writeFileSync(path.join(dir, f), `old ${f}`);
    // report.json is a non-empty folder: it cannot be replaced, so nothing may be.
    const blocked = path.join(dir, 'report.json');
    rmSync(blocked);
    mkdirSync(blocked);
    writeFileSync(path.join(blocked, 'keep'), 'x');
    const r = runAov(reportArgs(dir, '--force'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^aov: error: .*report\.json/m);
    for (const f of ['report.md', 'report.html', 'rules.json']) expect(readFileSync(path.join(dir, f), 'utf8')).toBe(`old ${f}`);
    expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES].sort());
  });

  it('two runs into the same folder at once: never a mixed set, the loser refuses clearly', async () => {
    const dir = tempDir('aov-race-');
    const results = await Promise.all(['Run one', 'Run two'].map((title) => runAovAsync(reportArgs(dir, '--force', '--title', title))));
    const codes = results.map((r) => r.code).sort();
    expect(codes[0]).toBe(0);
    expect([0, 2]).toContain(codes[1]);
    for (const r of results) if (r.code === 2) expect(r.stderr).toContain('another aov report');
    const title = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).title as string;
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain(`# ${title}`);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain(`<title>${title}</title>`);
    expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES].sort());
  });

  it('counts a dangling report.html symlink as an existing file: refused without --force', () => {
    const dir = tempDir('aov-link-');
    const link = path.join(dir, 'report.html');
    symlinkSync(path.join(dir, 'nowhere', 'report.html'), link);
    const r = runAov(reportArgs(dir));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exist');
    expect(readlinkSync(link)).toBe(path.join(dir, 'nowhere', 'report.html'));
    expect(existsSync(path.join(dir, 'report.md'))).toBe(false);
  });
});

describe('a dangling symlink counts as an existing file', () => {
  it('aov init and aov rules refuse to replace one without --force', () => {
    const dir = tempDir('aov-link-');
    for (const [name, args] of [['aov.config.json', ['init', '--yes', '--out']], ['rules.json', ['rules', fixture('sample-orders.csv'), '--margin', '0.4', '--gift-cost', '3', '--out']]] as const) {
      const link = path.join(dir, name);
      symlinkSync(path.join(dir, 'nowhere', name), link);
      const r = runAov([...args, link]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/exists/);
      expect(readlinkSync(link)).toBe(path.join(dir, 'nowhere', name));
    }
  });
});

describe('GITHUB_STEP_SUMMARY that cannot be written', () => {
  it('warns and keeps the annotations and the alert exit code', () => {
    const before = tempDir('aov-summary-');
    expect(runAov(reportArgs(before)).code).toBe(0);
    // The previous median 20% higher: today's median is a fall of about 17%, so the rule fires.
    const previousFile = path.join(before, 'report.json');
    const previous = JSON.parse(readFileSync(previousFile, 'utf8'));
    previous.currencies[0].aov.median = Math.round(previous.currencies[0].aov.median * 120) / 100;
    writeFileSync(previousFile, JSON.stringify(previous));
    const dir = tempDir('aov-summary-');
    const summary = path.join(dir, 'missing-folder', 'summary.md');
    const r = runAov(
      ['report', fixture('sample-orders.csv'), '--out', path.join(dir, 'r'), '--compare', previousFile, '--fail-on', 'aov.median:-10%'],
      { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::aov\.median:-10%25/m);
    // Wrapped to 80 columns: compared with its line breaks as spaces.
    expect(r.stderr.replace(/\s+/g, ' ')).toContain(`aov: warning: cannot append the job summary to ${summary}`);
    expect(r.stderr).not.toContain('internal error');
    expect(existsSync(path.join(dir, 'r', 'report.html'))).toBe(true);
  });
});
