import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, fixture, runAov, tempDir } from './helpers.js';

function initIn(file: string) {
  const dir = tempDir('aov-init-');
  const result = runAov(['init', file, '--yes'], {}, dir);
  return { dir, result, config: result.code === 0 ? JSON.parse(readFileSync(path.join(dir, 'aov.config.json'), 'utf8')) : undefined };
}

describe('aov init', () => {
  it('writes a config for the Shopify export that aov analyze then uses without options', () => {
    const { dir, result, config } = initIn(path.join(DATA, 'shopify_orders_export.csv'));
    expect(result.code).toBe(0);
    expect(config).toMatchObject({ format: 'shopify', delimiter: ',', decimal: '.', map: { order: 'Name', date: 'Created at', customer: 'Email' }, margin: null });
    const analyzed = runAov(['analyze', path.join(DATA, 'shopify_orders_export.csv'), '--json'], {}, dir);
    expect(analyzed.code).toBe(0);
    expect(JSON.parse(analyzed.stdout).currencies[0].orders).toBe(4752);
    const settings = runAov(['config', 'analyze'], {}, dir);
    expect(settings.stdout).toMatch(/format\s+"shopify"\s+\(config\)/);
  });

  it('detects the locale of the Italian, Norwegian and Superstore files', () => {
    expect(initIn(fixture('italian_semicolon.csv')).config).toMatchObject({ format: 'lines', delimiter: ';', decimal: ',', dateFormat: 'dmy', currency: 'EUR' });
    // "kr" names NOK, SEK, DKK and ISK: NOK (the shipping country's) is only a suggestion, not written.
    expect(initIn(fixture('norwegian_kr.csv')).config).toMatchObject({ decimal: ',', currency: null });
    // Neither says its currency: the country's (USD, GBP) is printed as a suggestion and the
    // config's currency left null for the user to set (a guess written down became a fact).
    expect(initIn(path.join(DATA, 'superstore.csv')).config).toMatchObject({ dateFormat: 'dmy', currency: null, map: { order: 'Order ID', total: 'Sales', profit: 'Profit' } });
    expect(initIn(path.join(DATA, 'online_retail.csv.gz')).config).toMatchObject({ currency: null, map: { order: 'InvoiceNo', price: 'UnitPrice' } });
  });

  it('never overwrites an existing config without --force', () => {
    const dir = tempDir('aov-init-');
    writeFileSync(path.join(dir, 'aov.config.json'), '{"currency":"EUR"}\n');
    const result = runAov(['init', fixture('bom.csv'), '--yes'], {}, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('already exists; it is left untouched');
    expect(readFileSync(path.join(dir, 'aov.config.json'), 'utf8')).toBe('{"currency":"EUR"}\n');
    expect(runAov(['init', fixture('bom.csv'), '--yes', '--force'], {}, dir).code).toBe(0);
  });

  it('writes into a folder that does not exist yet, as every --out does (it ended in an internal error, exit 70)', () => {
    const out = path.join(tempDir('aov-init-'), 'shop', 'settings', 'aov.config.json');
    const result = runAov(['init', fixture('sample-orders.csv'), '--yes', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).format).toBeDefined();
  });
});
