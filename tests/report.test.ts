import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, FIXTURES, ROOT, fixture, meanAndMedian, runAov, sampleOrderValues, tempDir } from './helpers.js';

const hostile = path.join(FIXTURES, 'report', 'hostile_names.csv');
const out = () => tempDir('aov-report-');

function markdownTable(md: string, afterHeading: string): string[][] {
  const start = md.indexOf(afterHeading);
  const lines = md.slice(start).split('\n').filter((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(2, -2).split(' | '));
  }
  return rows;
}

describe('aov report', () => {
  it('writes Markdown, HTML, JSON and rules whose figures match an independent count and aov analyze', () => {
    const dir = out();
    const result = runAov(['report', fixture('sample-orders.csv'), '--out', dir, '--gift-cost', '0.3', '--quiet']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    const analyzed = JSON.parse(runAov(['analyze', fixture('sample-orders.csv'), '--json']).stdout).currencies[0];
    expect(doc.schema).toBe('aov.report/v1');
    expect(doc.generatedAt).toBeNull();
    const eur = doc.currencies[0];
    // The sample shop counted in the test (helpers.sampleOrderValues: README's order definition,
    // integer cents from the CSV text), rounded half up in cents as JSON amounts are.
    const expected = meanAndMedian(sampleOrderValues());
    const major = (minor: number) => Math.round(minor) / 100;
    expect([eur.orders, eur.revenue, eur.aov.mean, eur.aov.median]).toEqual([expected.orders, major(expected.revenueMinor), major(expected.meanMinor), major(expected.medianMinor)]);
    expect([eur.orders, eur.revenue, eur.aov.mean, eur.aov.median]).toEqual([analyzed.orders, analyzed.revenue, analyzed.aov.mean, analyzed.aov.median]);
    expect(eur.trend.series.map((p: { median: number }) => p.median)).toEqual(analyzed.trend.series.map((p: { median: number }) => p.median));
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    const figures = Object.fromEntries(markdownTable(md, '| Figure').map(([k, v]) => [k, v]));
    expect(figures['Orders']).toBe(expected.orders.toLocaleString('en-US'));
    expect(figures['AOV (mean)']).toBe(major(expected.meanMinor).toFixed(2));
    expect(figures['Median order']).toBe(major(expected.medianMinor).toFixed(2));
    const rules = JSON.parse(readFileSync(path.join(dir, 'rules.json'), 'utf8'));
    expect(rules.schema).toBe('aov.rules/v1');
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
  });

  it('is byte-identical across runs and time zones, and refuses to overwrite without --force', () => {
    const a = out();
    const b = out();
    const args = (dir: string) => ['report', fixture('sample-orders.csv'), '--out', dir, '--margin', '0.4', '--gift-cost', '0.5', '--quiet'];
    expect(runAov(args(a), { TZ: 'UTC' }).code).toBe(0);
    expect(runAov(args(b), { TZ: 'Pacific/Auckland' }).code).toBe(0);
    for (const f of ['report.md', 'report.html', 'report.json', 'rules.json']) {
      expect(readFileSync(path.join(b, f), 'utf8')).toBe(readFileSync(path.join(a, f), 'utf8'));
    }
    const again = runAov(args(a));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exist; nothing was written');
    expect(runAov([...args(a), '--force']).code).toBe(0);
  });

  it('compares with an earlier report, fires --fail-on with exit 1 after writing, and feeds GitHub Actions', () => {
    const before = out();
    expect(runAov(['report', fixture('sample-orders.csv'), '--out', before, '--quiet']).code).toBe(0);
    // Make the previous report's median 20% higher, so today's median is a fall of about 17%.
    const previousFile = path.join(before, 'report.json');
    const previous = JSON.parse(readFileSync(previousFile, 'utf8'));
    previous.currencies[0].aov.median = Math.round(previous.currencies[0].aov.median * 120) / 100;
    writeFileSync(previousFile, JSON.stringify(previous));
    const dir = out();
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '');
    const result = runAov(
      ['report', fixture('sample-orders.csv'), '--out', path.join(dir, 'r'), '--compare', previousFile, '--fail-on', 'aov.median:-10%', '--fail-on', 'orders:-50%'],
      { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' },
    );
    expect(result.code).toBe(1);
    expect(existsSync(path.join(dir, 'r', 'report.html'))).toBe(true);
    // GitHub workflow commands escape % as %25.
    expect(result.stdout).toMatch(/^::error::aov\.median:-10%25: EUR aov\.median moved -16\.7%25/m);
    expect(result.stdout).not.toMatch(/orders:-50%/);
    const doc = JSON.parse(readFileSync(path.join(dir, 'r', 'report.json'), 'utf8'));
    expect(doc.comparison.metrics.find((m: { metric: string }) => m.metric === 'aov.median').change).toBeCloseTo(-1 / 6, 2);
    expect(readFileSync(summary, 'utf8')).toContain('# Average order value report');
    expect(readFileSync(path.join(dir, 'r', 'report.md'), 'utf8')).toMatch(/\| Median order \| [\d.,]+ \| -16\.7% \|/);
  });

  it('escapes hostile product names in Markdown and HTML, and the HTML has no script and a CSP', async () => {
    const dir = out();
    expect(runAov(['report', hostile, '--out', dir, '--min-support', '10', '--quiet']).code).toBe(0);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img /i);
    expect(html).toContain('&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain('\\<img src=x onerror="document.title=\'pwned\'"\\>');
    const { escapeMarkdown: mdEscape } = await import('../src/report/markdown.js');
    expect(mdEscape('Tea | pipe *bold* [link](x)')).toBe('Tea \\| pipe \\*bold\\* \\[link\\](x)');
  });
});

describe('aov report with NPS', () => {
  it('reports NPS beside AOV and fires an nps rule against the compared report', () => {
    const first = out();
    expect(runAov(['report', fixture('sample-orders.csv'), '--out', first, '--nps', fixture('nps_survey.csv'), '--quiet']).code).toBe(0);
    const file = path.join(first, 'report.json');
    const previous = JSON.parse(readFileSync(file, 'utf8'));
    const nps = previous.currencies[0].nps;
    // The survey counted here: scores 0-10 (the row scored "eleven" is not an answer);
    // NPS = % promoters (9-10) - % detractors (0-6); the interval is Rocks (2016)'s adjusted
    // Wald: 3/4 pseudo-promoter and 3/4 pseudo-detractor over n + 3 answers, +-1.96 SE.
    const scores = readFileSync(fixture('nps_survey.csv'), 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split(',')[1]).filter((x) => /^(10|\d)$/.test(x)).map(Number);
    const n = scores.length;
    const promoters = scores.filter((x) => x >= 9).length;
    const detractors = scores.filter((x) => x <= 6).length;
    const plain = (100 * (promoters - detractors)) / n;
    const p = (promoters + 0.75) / (n + 3);
    const q = (detractors + 0.75) / (n + 3);
    const se = Math.sqrt((p + q - (p - q) ** 2) / (n + 3));
    expect(nps.answers).toBe(n);
    expect(nps.overall).toBeCloseTo(plain, 1);
    expect(nps.low).toBeCloseTo(100 * (p - q - 1.96 * se), 1);
    expect(nps.high).toBeCloseTo(100 * (p - q + 1.96 * se), 1);
    // The independent point lies strictly inside the reported interval.
    expect(nps.low).toBeLessThan(plain);
    expect(nps.high).toBeGreaterThan(plain);
    // Pretend last week's NPS was 10 points higher: a -5 rule must fire.
    previous.currencies[0].nps.overall = nps.overall + 10;
    writeFileSync(file, JSON.stringify(previous));
    const result = runAov(['report', fixture('sample-orders.csv'), '--out', path.join(out(), 'r'), '--nps', fixture('nps_survey.csv'), '--compare', file, '--fail-on', 'nps:-5', '--quiet']);
    expect(result.code).toBe(1);
  });
});

void DATA;
