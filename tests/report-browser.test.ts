/**
 * The HTML report in a real headless Chromium (Debian's `chromium`, driven with child_process:
 * no puppeteer or playwright). The fixture's product names are payloads that would change the
 * page title or open an alert if they ever became markup; the dumped DOM after load must show
 * them as text, with the title unchanged, both with the page's CSP and with the CSP removed
 * (so escaping alone is shown to hold). Screenshots go to test-output/ for a person to look at.
 *
 * Without a Chromium (helpers.findChromium) every test here is skipped with one loud line naming
 * the Debian package, so `npm test` passes on a fresh machine; AOV_REQUIRE_BROWSER=1 (set by
 * .ci/run) turns a missing browser into failures instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CSP, renderHtml } from '../src/report/html.js';
import type { ReportDocument } from '../src/report/reportTypes.js';
import { BROWSER_REQUIRED, FIXTURES, NO_BROWSER, findChromium, fixture, ROOT, runAov, tempDir } from './helpers.js';

const CHROMIUM = findChromium();
const SKIP = CHROMIUM === undefined && !BROWSER_REQUIRED;
if (SKIP) console.warn(`\n!!! SKIPPED: the browser tests (tests/report-browser.test.ts): ${NO_BROWSER}. AOV_REQUIRE_BROWSER=1 makes this a failure.\n`);
const OUTPUT = path.join(ROOT, 'test-output');
const DOC: ReportDocument = JSON.parse(readFileSync(fixture('report/sample-report.json'), 'utf8'));

let profile = '';

/** Runs Chromium headless on a file with a fresh profile and no network features; returns stdout and stderr. */
function chromium(args: string[], file: string): { stdout: string; stderr: string } {
  // Reached without a browser only with AOV_REQUIRE_BROWSER=1: each test that needs one fails.
  if (CHROMIUM === undefined) throw new Error(`AOV_REQUIRE_BROWSER=1 and ${NO_BROWSER}.`);
  const result = spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--mute-audio',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      // Console messages (CSP violations among them) go to stderr.
      '--enable-logging=stderr',
      '--v=0',
      ...args,
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', timeout: 25_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error) throw result.error;
  expect(result.status, `chromium exited ${result.status}: ${result.stderr.slice(-2000)}`).toBe(0);
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Text-node serialisation as Chromium writes it in --dump-dom: & < > escaped, quotes left as they are. */
const asDumpedText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const PAYLOADS = DOC.currencies[0].bundles!.pairs.flatMap((p) => p.names).filter((name) => /<(img|\/script)/.test(name));

describe.skipIf(SKIP)('the HTML report in headless Chromium', () => {
  const page = path.join(OUTPUT, 'report.html');
  const pageWithoutCsp = path.join(OUTPUT, 'report-without-csp.html');

  beforeAll(() => {
    mkdirSync(OUTPUT, { recursive: true });
    profile = tempDir('aov-chromium-');
    const html = renderHtml(DOC);
    writeFileSync(page, html);
    const meta = `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`;
    expect(html).toContain(meta);
    writeFileSync(pageWithoutCsp, html.replace(meta, ''));
  });

  afterAll(() => {
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('has payloads in the fixture that would change the title or open an alert if they ran', () => {
    expect(PAYLOADS).toContain(`<img src=x onerror="document.title='pwned'">`);
    expect(PAYLOADS).toContain('<img src=x onerror=alert(1)>');
    expect(PAYLOADS.some((name) => name.includes("</script><script>document.title='pwned2'</script>"))).toBe(true);
  });

  for (const [label, file] of [
    ['with its Content-Security-Policy', () => page],
    ['with the CSP removed, so escaping alone must hold', () => pageWithoutCsp],
  ] as const) {
    it(`runs nothing from the data and shows the hostile names as text (${label})`, () => {
      const { stdout: dom, stderr } = chromium(['--virtual-time-budget=2000', '--dump-dom'], file());
      // The document title is still the report's, not a payload's 'pwned' or 'pwned2'.
      const title = dom.match(/<head>[\s\S]*?<title>([^<]*)<\/title>/)?.[1];
      expect(title).toBe('Weekly AOV report · Gift shop &lt;UK &amp; JP&gt;');
      expect(dom.match(/<title>pwned/g)).toBeNull();
      // No element was created from the data: no img and no script anywhere in the live DOM.
      expect(dom).not.toMatch(/<img[\s>]/i);
      expect(dom).not.toMatch(/<script[\s>]/i);
      for (const name of PAYLOADS) expect(dom).toContain(asDumpedText(name));
      // Nothing tried to run or load: not even a blocked attempt shows in the console.
      expect(stderr).not.toMatch(/Content Security Policy|Refused to|Uncaught/i);
    });
  }

  it('renders the charts: non-empty mean and median paths, histogram bars, candidate whiskers', () => {
    const { stdout: dom } = chromium(['--virtual-time-budget=2000', '--dump-dom'], page);
    const svgs = dom.match(/<svg [^>]*data-chart="[a-z]+"/g) ?? [];
    // GBP: trend, histogram, candidates; JPY: histogram; each drawn wide and narrow.
    expect(svgs).toHaveLength(8);
    for (const series of ['mean', 'median']) {
      const paths = [...dom.matchAll(new RegExp(`<path data-series="${series}" d="([^"]*)"`, 'g'))].map((m) => m[1]);
      expect(paths).toHaveLength(2);
      for (const d of paths) expect(d).toMatch(/^M[\d.]+ [\d.]+L/);
    }
    expect(dom.match(/<rect data-bin=/g)?.length).toBe(2 * (DOC.currencies[0].histogram.counts.length + 1) + 2 * (DOC.currencies[1].histogram.counts.length + 1));
    expect(dom.match(/<line data-whisker=/g)?.length).toBe(2 * DOC.currencies[0].threshold!.candidates.length);
  });

  it('saves a desktop and a phone screenshot into test-output', () => {
    const desktop = path.join(OUTPUT, 'report.png');
    rmSync(desktop, { force: true });
    chromium([`--screenshot=${desktop}`, '--window-size=1200,2400'], page);
    // A phone-width viewport: headless windows have a minimum width, so the page sits in a 390px iframe.
    const frame = path.join(OUTPUT, 'report-phone-frame.html');
    writeFileSync(frame, `<!DOCTYPE html><title>phone</title><body style="margin:0"><iframe src="report.html" style="border:0;width:390px;height:2400px"></iframe>`);
    const phone = path.join(OUTPUT, 'report-phone.png');
    rmSync(phone, { force: true });
    chromium([`--screenshot=${phone}`, '--window-size=500,2400'], frame);
    for (const [file, width] of [
      [desktop, 1200],
      [phone, 500],
    ] as const) {
      const png = readFileSync(file);
      // PNG signature, then the IHDR width and height (big-endian at bytes 16 and 20).
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width, 2400]);
      // A blank page compresses to a few kilobytes; a drawn report does not.
      expect(statSync(file).size).toBeGreaterThan(60_000);
    }
  });
});

describe.skipIf(SKIP)('aov report in a real browser', () => {
  const hostile = path.join(FIXTURES, 'report', 'hostile_names.csv');
  it('renders the charts and runs nothing from the data (headless Chromium)', () => {
    const chromium = CHROMIUM;
    expect(chromium, `AOV_REQUIRE_BROWSER=1 and ${NO_BROWSER}`).toBeDefined();
    const dir = tempDir('aov-report-');
    expect(runAov(['report', hostile, '--out', dir, '--min-support', '10', '--gift-cost', '0.5', '--margin', '0.5', '--quiet']).code).toBe(0);
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${tempDir('aov-chromium-')}`];
    const url = `file://${path.join(dir, 'report.html')}`;
    const dom = spawnSync(chromium!, [...flags, '--dump-dom', url], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.status).toBe(0);
    // Nothing executed: the payloads would have changed the title.
    expect(dom.stdout).toContain('<title>Average order value report</title>');
    expect(dom.stdout).not.toContain('pwned</title>');
    expect(dom.stdout).toContain('&lt;img src=x onerror=');
    // The charts are there with data: mean and median lines with points, histogram bars.
    const d = (series: string) => new RegExp(`data-series="${series}" d="M[\\d.]+[ ,][\\d.]+(L[\\d.]+[ ,][\\d.]+)+`).test(dom.stdout);
    expect(d('mean')).toBe(true);
    expect(d('median')).toBe(true);
    expect((dom.stdout.match(/data-bin=/g) ?? []).length).toBeGreaterThan(5);
    expect(dom.stdout).toContain('data-candidate=');
    const shots = path.join(ROOT, 'test-output');
    mkdirSync(shots, { recursive: true });
    const png = path.join(shots, 'report-cli.png');
    const shot = spawnSync(chromium!, [...flags, '--hide-scrollbars', '--window-size=1100,2600', `--screenshot=${png}`, url], { encoding: 'utf8', timeout: 60_000 });
    expect(shot.status).toBe(0);
    expect(existsSync(png)).toBe(true);
  });
});

/**
 * Runs in the page: every element that is not inside a box meant to scroll (.table-scroll, .chart)
 * must keep its content within its own width and its box within its panel or card; the page must
 * not scroll sideways. Lines of what is wrong go into a <pre id="overflow"> of the parent page.
 */
const OVERFLOW_PROBE = `(() => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) found.push('page scrolls sideways: ' + root.scrollWidth + ' > ' + root.clientWidth);
  const scrollers = [...document.querySelectorAll('.table-scroll, .chart')];
  for (const el of document.querySelectorAll('body *')) {
    if (scrollers.some((box) => box !== el && box.contains(el))) continue;
    const what = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' "' + (el.textContent || '').trim().slice(0, 50) + '"';
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible') found.push(what + ' content ' + el.scrollWidth + ' > ' + el.clientWidth);
    const box = el.closest('.panel, .card');
    if (!box || box === el) continue;
    const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.width > 0 && (r.right > b.right + 0.5 || r.left < b.left - 0.5)) found.push(what + ' sticks out of its ' + box.className + ' by ' + Math.round(r.right - b.right) + 'px');
  }
  const pre = parent.document.createElement('pre');
  pre.id = 'overflow';
  pre.textContent = found.join('\\n') || 'none';
  parent.document.body.appendChild(pre);
})();`;

describe.skipIf(SKIP)('long names in the HTML report (headless Chromium)', () => {
  let dir = '';
  beforeAll(() => {
    profile = tempDir('aov-chromium-');
    dir = tempDir('aov-long-names-');
    // Product names of 100-150 characters, some one unbroken token, long SKUs and a long order id (fixtures/report/long_names.gen.py).
    const result = runAov(['report', fixture('report/long_names.csv'), '--out', dir, '--quiet', '--no-cache']);
    expect(result.code, result.stderr).toBe(0);
    const doc: ReportDocument = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    // A big shop's revenue in the card: Online Retail's 10,666,684.54 GBP (../shared/data/README.md).
    doc.currencies[0].revenue = 10_666_684.54;
    const html = renderHtml(doc).replace(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`, '');
    writeFileSync(path.join(dir, 'page.html'), html.replace('</body>', `<script>${OVERFLOW_PROBE}</script></body>`));
  });
  afterAll(() => {
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('has the long names in the page: a set, a bundle and the rules list carry them', () => {
    const html = readFileSync(path.join(dir, 'page.html'), 'utf8');
    expect(html).toContain('HandmadeBambooMatchaWhisk100ProngChasen');
    expect(html).toContain('Set, bought together almost always');
    // Its bundle is considered but not written (no basket holds one item without the other, so
    // it only gives the discount away and never breaks even): the long SKUs are in the list of
    // rules not written.
    expect(html).toContain('data-not-written="bundle"><strong>Bundle</strong>: KIT-MATCHA-BOWL + KIT-MATCHA-WHISK-BAMBOO-100-PRONG-HANDMADE-IN-NARA: pays with P &lt; 1%');
  });

  for (const width of [1200, 390]) {
    it(`keeps every name, id and figure inside its panel and card at ${width} px (only tables and charts scroll, in their own box)`, () => {
      // Headless windows are at least 500 px wide, so the page sits in an iframe of the width.
      const frame = path.join(dir, `frame-${width}.html`);
      writeFileSync(frame, `<!DOCTYPE html><title>frame</title><body style="margin:0"><iframe src="page.html" style="border:0;width:${width}px;height:6000px"></iframe>`);
      const { stdout } = chromium(['--allow-file-access-from-files', '--virtual-time-budget=3000', `--window-size=${Math.max(width, 500)},3000`, '--dump-dom'], frame);
      const report = stdout.match(/<pre id="overflow">([\s\S]*?)<\/pre>/)?.[1];
      expect(report, 'the probe ran').toBeDefined();
      expect(report).toBe('none');
    });
  }
});
