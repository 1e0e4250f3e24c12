import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DATA = path.resolve(ROOT, '..', 'shared', 'data');
export const FIXTURES = path.join(ROOT, 'fixtures');
export const fixture = (name: string) => path.join(FIXTURES, name);

/** A scratch folder inside the run's temporary folder (removed after the run; see global-setup.ts). */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(process.env.AOV_TEST_TMP ?? os.tmpdir(), prefix));
}

/** Runs the real bin/aov (built by `npm test`) in a child process. */
export function runAov(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'aov'), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runJson<T = any>(args: string[]): T {
  const result = runAov([...args, '--json']);
  if (result.code !== 0) throw new Error(`aov ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
