import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA, ROOT, tempDir } from './helpers.js';

const RUN = path.join(ROOT, 'bench', 'run.mjs');
const GENERATE = path.join(ROOT, 'bench', 'generate.mjs');
const HEADER = '| case | input | tool | median s | min–max s | CPU s | peak RSS MB | vs aov | note |';

// The Python peers run only where their modules import; where they do not, their tests are
// skipped with the reason in their name (decided here, the way a user would check, not read
// back from the harness's own table).
const PYTHON = '/usr/bin/python3';
// mlxtend runs from its source in ../shared/peers (../shared/peers/README.md), as the harness runs it.
const MLXTEND_DIR = path.resolve(ROOT, '..', 'shared', 'peers', 'mlxtend');
const pythonEnv = { ...process.env, PYTHONPATH: [MLXTEND_DIR, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
const cannotImport = (module: string) =>
  !existsSync(PYTHON) ? `no ${PYTHON}` : spawnSync(PYTHON, ['-c', `import ${module}`], { env: pythonEnv }).status !== 0 ? `${PYTHON} cannot import ${module}` : '';
const pandasMissing = cannotImport('pandas');
const mlxtendMissing = pandasMissing || cannotImport('mlxtend');
const skipNote = (reason: string) => (reason ? ` (skipped: ${reason})` : '');

/** RFC 4180 records (quoted fields may hold commas, doubled quotes and line breaks): an independent reader for the generator's output. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function generate(args: string[]) {
  const result = spawnSync(process.execPath, [GENERATE, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe('bench/generate.mjs', () => {
  it('writes exactly the asked number of line items in the 79-column Shopify layout, with the reference header', () => {
    const records = parseCsv(generate(['--lines', '3000', '--seed', '7']));
    const reference = readFileSync(path.join(DATA, 'shopify_orders_export.csv'), 'utf8').split('\n')[0].replace(/\r$/, '');
    expect(records[0].join(',')).toBe(reference);
    expect(records.length - 1).toBe(3000);
    expect(records.every((r) => r.length === 79)).toBe(true);
  });

  it('puts order-level fields on an order\'s first row only, and includes the awkward cases a real export has', () => {
    const [header, ...rows] = parseCsv(generate(['--lines', '3000', '--seed', '7']));
    const col = (name: string) => header.indexOf(name);
    const seen = new Set<string>();
    for (const row of rows) {
      const first = !seen.has(row[col('Name')]);
      seen.add(row[col('Name')]);
      // Subtotal and Financial Status are order-level: present on the first row, empty after.
      expect(row[col('Subtotal')] !== '', `order ${row[col('Name')]}`).toBe(first);
      expect(row[col('Financial Status')] !== '').toBe(first);
    }
    const statuses = new Set(rows.map((r) => r[col('Financial Status')]));
    for (const status of ['paid', 'refunded', 'partially_refunded', 'voided']) expect(statuses).toContain(status);
    expect(rows.some((r) => r[col('Cancelled at')] !== '')).toBe(true);
    expect(rows.some((r) => r[col('Notes')].includes('\n'))).toBe(true);
    expect(rows.some((r) => r[col('Billing Name')].includes(','))).toBe(true);
    expect(rows.some((r) => r[col('Lineitem name')].includes('"'))).toBe(true);
    // Repeat customers: some email places more than one order.
    const ordersByEmail = new Map<string, Set<string>>();
    for (const r of rows) if (r[col('Email')]) ordersByEmail.set(r[col('Email')], (ordersByEmail.get(r[col('Email')]) ?? new Set()).add(r[col('Name')]));
    expect([...ordersByEmail.values()].some((orders) => orders.size > 1)).toBe(true);
  });

  it('gives the same bytes for the same seed and different bytes for another seed', () => {
    const a = generate(['--lines', '2000', '--seed', '3']);
    expect(generate(['--lines', '2000', '--seed', '3'])).toBe(a);
    expect(generate(['--lines', '2000', '--seed', '4'])).not.toBe(a);
  });
});

describe('npm run bench -- --quick', () => {
  let dataDir: string;
  let result: ReturnType<typeof spawnSync>;
  let stdout: string;

  beforeAll(() => {
    dataDir = tempDir('aov-bench-test-');
    // About 40 s on an idle 2-core machine, but well over 110 s while other suites load it:
    // the quick run keeps all its cases and gets the time a loaded machine needs.
    result = spawnSync(process.execPath, [RUN, '--quick', '--runs', '1', '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8', timeout: 480_000 });
    stdout = String(result.stdout);
  }, 500_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const tableRows = () => {
    const lines = stdout.split('\n');
    const start = lines.indexOf(HEADER);
    const body: string[][] = [];
    for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) body.push(lines[i].slice(2, -2).split(' | '));
    return { start, separator: lines[start + 1], body };
  };

  it('exits 0 and prints the machine, Node and DuckDB versions, the date and the commit', () => {
    expect(result.status, String(result.stderr)).toBe(0);
    expect(stdout).toMatch(/^Machine: \d+ .*cores, [\d.]+ GiB/m);
    expect(stdout).toMatch(/Node v\d+\.\d+\.\d+ · DuckDB v\d+\.\d+/);
    expect(stdout).toMatch(/Date \d{4}-\d{2}-\d{2}T[\d:]+Z · commit [0-9a-f]{7,}/);
  });

  it('prints a results table whose every row holds either numbers or an explicit reason', () => {
    const { start, separator, body } = tableRows();
    expect(start).toBeGreaterThanOrEqual(0);
    expect(separator).toMatch(/^\|(---:?\|)+$/);
    expect(body.length).toBeGreaterThan(0);
    for (const cells of body) {
      expect(cells).toHaveLength(9);
      const [caseName, input, tool, median, range, cpu, rss, ratio, note] = cells;
      expect(['startup', 'analyze', 'bundles', 'suggest-threshold']).toContain(caseName);
      expect(input).not.toBe('');
      expect(tool).not.toBe('');
      if (median === '–') {
        expect([range, cpu, rss, ratio]).toEqual(['–', '–', '–', '–']);
        expect(note).toMatch(/^(skipped|failed): \S/);
      } else {
        const [low, high] = range.split('–').map(Number);
        expect(Number(median)).toBeGreaterThan(0);
        expect(low).toBeLessThanOrEqual(Number(median));
        expect(high).toBeGreaterThanOrEqual(Number(median));
        expect(cpu).toMatch(/^(\d+\.\d+|n\/a)$/);
        expect(rss).toMatch(/^(\d+|n\/a)$/);
        expect(ratio).toMatch(/^(\d+\.\d\dx|–)$/);
      }
    }
  });

  it('has a row for every case and tool, measuring aov analyze and start-up and the DuckDB peer', () => {
    const { body } = tableRows();
    const row = (caseName: string, tool: string) => body.find((c) => c[0] === caseName && c[2] === tool);
    for (const [caseName, tool] of [
      ['startup', 'aov'], ['analyze', 'aov'], ['analyze', 'duckdb-sql'], ['analyze', 'pandas'],
      ['bundles', 'aov'], ['bundles', 'duckdb-sql pairs'], ['bundles', 'mlxtend fpgrowth'], ['suggest-threshold', 'aov'],
    ]) expect(row(caseName, tool), `${caseName} / ${tool}`).toBeDefined();
    // These exist on every checkout (Node and npm ci's modules), so they must be measured, not skipped.
    for (const [caseName, tool] of [['startup', 'aov'], ['analyze', 'aov'], ['analyze', 'duckdb-sql'], ['bundles', 'aov'], ['bundles', 'duckdb-sql pairs']]) {
      expect(row(caseName, tool)![3], `${caseName} / ${tool}: ${row(caseName, tool)![8]}`).toMatch(/^\d/);
    }
    expect(row('analyze', 'aov')![7]).toBe('1.00x');
    // The threshold simulation is also timed on its own, inside the process, after the same import.
    const simulation = row('suggest-threshold', 'aov simulation step');
    expect(simulation, 'suggest-threshold / aov simulation step').toBeDefined();
    expect(simulation![8]).toMatch(/^simulation \d+\.\d\d s \(1,000 resamples x \d+ candidates, [\d,]+ orders\); with[a-z -]* \d+\.\d\d s; import \d+\.\d\d s$/);
  });

  it('finds the same headline figures in aov analyze and the plain DuckDB SQL script', () => {
    // The DuckDB script is an independent implementation of the same counting rules.
    const { body } = tableRows();
    expect(body.find((c) => c[0] === 'analyze' && c[2] === 'duckdb-sql')![8]).toBe('same figures as aov');
  });

  it('counts the reference pairs on Online Retail with the DuckDB SQL peer', () => {
    // ../shared/data/README.md (mlxtend fpgrowth): 19,960 baskets; at min support 0.01,
    // 815 singletons and 917 pairs.
    const { body } = tableRows();
    const pairs = body.find((c) => c[0] === 'bundles' && c[1].startsWith('Online Retail') && c[2] === 'duckdb-sql pairs');
    expect(pairs?.[8]).toBe('815 frequent items, 917 frequent pairs in 19,960 baskets (pairs only)');
  });

  it.skipIf(pandasMissing !== '')(`measures pandas on analyze and it finds aov's figures${skipNote(pandasMissing)}`, () => {
    const row = tableRows().body.find((c) => c[0] === 'analyze' && c[2] === 'pandas');
    expect(row?.[3], row?.[8]).toMatch(/^\d/);
    expect(row![8]).toBe('same figures as aov');
  });

  it.skipIf(mlxtendMissing !== '')(`measures mlxtend on Online Retail and it finds the reference itemsets${skipNote(mlxtendMissing)}`, () => {
    const row = tableRows().body.find((c) => c[0] === 'bundles' && c[1].startsWith('Online Retail') && c[2] === 'mlxtend fpgrowth');
    expect(row?.[3], row?.[8]).toMatch(/^\d/);
    // ../shared/data/README.md at min support 0.01, sizes 1-4: 815 + 917 + 269 + 24 = 2,025.
    expect(row![8]).toBe('2025 itemsets (by size 1: 815, 2: 917, 3: 269, 4: 24)');
  });

  it.runIf(pandasMissing !== '')('says in the table why a Python peer was not measured', () => {
    const { body } = tableRows();
    for (const tool of ['pandas', 'mlxtend fpgrowth']) {
      const row = body.find((c) => c[2] === tool);
      expect(row?.[8], tool).toMatch(/^skipped: .*cannot import pandas/);
    }
  });

  it('ends with the targets, each status following from its measurement', () => {
    expect(stdout).toContain('| target | status | measured |');
    const startup = stdout.match(/^\| `aov --help` under 0\.3 s \| (met|missed) \| ([\d.]+) s \|$/m);
    expect(startup, 'the start-up target row').not.toBeNull();
    expect(startup![1]).toBe(Number(startup![2]) < 0.3 ? 'met' : 'missed');
    // The same median as the startup row of the results table, to the table's 3 decimals.
    expect(startup![2]).toBe(tableRows().body.find((c) => c[0] === 'startup' && c[2] === 'aov')![3]);
  });
});
