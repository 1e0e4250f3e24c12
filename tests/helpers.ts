import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/analysis/random.js';

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

/**
 * fixtures/sample-orders.csv counted here, independently of src/: README's definition of an order (not
 * cancelled, value > 0, lines with a non-positive quantity or price add nothing), values in
 * euro cents summed as integers from the text. Returns the sorted order values.
 */
export function sampleOrderValues(): number[] {
  return sampleOrders().map((o) => o.valueMinor).sort((a, b) => a - b);
}

/** The sample's counted orders (as sampleOrderValues) with the month of their date ("2024-11"), in file order. */
export function sampleOrders(): { id: string; month: string; valueMinor: number }[] {
  const [header, ...lines] = readFileSync(fixture('sample-orders.csv'), 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  const col = (name: string) => names.indexOf(name);
  const orders = new Map<string, { id: string; month: string; valueMinor: number }>();
  for (const line of lines) {
    // RFC 4180 cells: only Product is ever quoted ("Earl Grey, loose 100 g"), with no doubled quotes.
    const cells = line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((cell) => cell.replace(/,$/, ''));
    if (cells[col('Status')] === 'cancelled') continue;
    const quantity = Number(cells[col('Quantity')]);
    const [whole, cents = ''] = cells[col('Unit Price')].split('.');
    const priceMinor = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
    const id = cells[col('Order ID')];
    const order = orders.get(id) ?? { id, month: cells[col('Order Date')].slice(0, 7), valueMinor: 0 };
    order.valueMinor += quantity > 0 && priceMinor > 0 ? quantity * priceMinor : 0;
    orders.set(id, order);
  }
  return [...orders.values()].filter((o) => o.valueMinor > 0);
}

/** Mean and median (the middle pair's mean for an even count) of sorted minor-unit values. */
export function meanAndMedian(sorted: readonly number[]) {
  const n = sorted.length;
  const revenueMinor = sorted.reduce((a, v) => a + v, 0);
  const medianMinor = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { orders: n, revenueMinor, meanMinor: revenueMinor / n, medianMinor };
}

/** n order values (minor units) from a lognormal with the given median (major units) and sigma, seeded (Box-Muller). */
export function lognormalOrders(n: number, medianMajor: number, sigma: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-300))) * Math.cos(2 * Math.PI * rng());
    out[i] = Math.round(medianMajor * Math.exp(sigma * z) * 100);
  }
  return out;
}

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH, else `chromium` or `chromium-browser` on
 * PATH (Debian's and Ubuntu's names), else undefined. Without one the browser tests skip with
 * one line naming the package, unless AOV_REQUIRE_BROWSER=1 (.ci/run sets it) makes them fail.
 */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export const BROWSER_REQUIRED = process.env.AOV_REQUIRE_BROWSER === '1';

/** The one line a run without Chromium prints, and the error when AOV_REQUIRE_BROWSER=1. */
export const NO_BROWSER =
  'no Chromium found (CHROMIUM_PATH, or chromium / chromium-browser on PATH): install the Debian package `chromium` (apt-get install -y chromium)';
