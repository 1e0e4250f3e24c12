import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One scratch folder per run, removed at the end (tests/global-setup.ts, helpers.tempDir).
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB and child processes are heavy on a 2-core machine: keep parallelism modest.
    maxWorkers: 2,
  },
});
