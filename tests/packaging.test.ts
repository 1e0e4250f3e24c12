import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT, tempDir } from './helpers.js';

describe('the npm package', () => {
  it('ships only what runs, installs from the tarball offline, and runs aov analyze', () => {
    const dir = tempDir('aov-pack-');
    // --ignore-scripts: dist/ is already built by `npm test`; packing must not rebuild it mid-test.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }));
    const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
    expect(files).toContain('bin/aov');
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('schemas/aov.rules.v1.json');
    expect(files.some((f) => f.startsWith('fixtures/') || f.startsWith('tests/') || f.startsWith('bench/') || f.startsWith('src/'))).toBe(false);
    const tarball = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
    const app = tempDir('aov-app-');
    execFileSync('npm', ['init', '-y'], { cwd: app, stdio: 'ignore' });
    // Tarballs come from the local npm cache that `npm ci` filled. --prefer-offline, not
    // --offline: `npm ci` installs from the lockfile and never caches the registry's package
    // documents, which resolving the tarball's dependency ranges needs (a fresh machine failed
    // with ENOTCACHED); those few small requests go to the registry.
    const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    const run = spawnSync(path.join(app, 'node_modules', '.bin', 'aov'), ['analyze', fixture('two_currencies.csv'), '--json'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).currencies.map((c: { currency: string }) => c.currency)).toEqual(['EUR', 'JPY']);
  }, 180_000);
});
