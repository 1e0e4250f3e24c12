/**
 * One temporary folder per test run, removed when the run ends: tests create their scratch
 * folders inside it (helpers.tempDir), so a run leaves nothing behind in the system's tmp,
 * and the import cache of the bin/aov runs lives there too (XDG_CACHE_HOME).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aov-tests-'));
  process.env.AOV_TEST_TMP = root;
  // The import cache (src/io/cache.ts) of every bin/aov a test runs goes into this run's
  // folder: a test run never reads or writes ~/.cache/aov, and starts with an empty cache.
  process.env.XDG_CACHE_HOME = path.join(root, 'cache');
  return () => rmSync(root, { recursive: true, force: true });
}
