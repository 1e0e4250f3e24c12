/**
 * One temporary folder per test run, removed when the run ends: tests create their scratch
 * folders inside it (helpers.tempDir), so a run leaves nothing behind in the system's tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aov-tests-'));
  process.env.AOV_TEST_TMP = root;
  return () => rmSync(root, { recursive: true, force: true });
}
