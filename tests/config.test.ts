import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixture, runAov, tempDir } from './helpers.js';

function folderWithConfig(config: unknown): string {
  const dir = tempDir('aov-config-');
  writeFileSync(path.join(dir, 'aov.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('aov.config.json', () => {
  it('names the config file beside an error a setting from it caused (#21)', () => {
    const dir = folderWithConfig({ map: { order: 'Name' } });
    const result = runAov(['analyze', fixture('sample-orders.csv')], {}, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--map order=Name, but there is no column "Name".');
    expect(result.stderr).toContain(`  note: map comes from ${path.join(dir, 'aov.config.json')} (--no-config ignores it).`);
    // Without a config, no such note.
    expect(runAov(['analyze', fixture('sample-orders.csv'), '--map', 'order=Name']).stderr).not.toContain('note:');
  });

  it('applies settings from the config in the current folder, and the command line overrides them', () => {
    const dir = folderWithConfig({ value: 'total' });
    // Totals 64.90 + 30.40 + 135.00 = 230.30; subtotals 60 + 25.50 + 135 = 220.50
    const fromConfig = JSON.parse(runAov(['analyze', fixture('shopify_multiline.csv'), '--json'], {}, dir).stdout);
    expect(fromConfig.currencies[0].revenue).toBe(230.3);
    const overridden = JSON.parse(runAov(['analyze', fixture('shopify_multiline.csv'), '--json', '--value', 'subtotal'], {}, dir).stdout);
    expect(overridden.currencies[0].revenue).toBe(220.5);
    const ignored = JSON.parse(runAov(['--no-config', 'analyze', fixture('shopify_multiline.csv'), '--json'], {}, dir).stdout);
    expect(ignored.currencies[0].revenue).toBe(220.5);
  });

  it('names an unknown setting and suggests the closest', () => {
    const dir = folderWithConfig({ curency: 'EUR' });
    const result = runAov(['analyze', fixture('bom.csv')], {}, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown setting "curency" (did you mean "currency"?)');
  });

  it('says which field has the wrong type or value', () => {
    const dir = folderWithConfig({ value: 'gross' });
    const result = runAov(['analyze', fixture('bom.csv')], {}, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"value" should be one of subtotal, total; found "gross".');
  });

  it('points at the line of a JSON syntax error', () => {
    const dir = folderWithConfig('{\n  "value": "total",\n}\n');
    const result = runAov(['analyze', fixture('bom.csv')], {}, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/aov\.config\.json:\d+: not valid JSON/);
  });

  it('prints the merged settings and their sources with aov config', () => {
    const dir = folderWithConfig({ currency: 'EUR' });
    const result = runAov(['config', 'analyze'], {}, dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/currency\s+"EUR"\s+\(config\)/);
    expect(result.stdout).toMatch(/value\s+"subtotal"\s+\(default\)/);
    // --dedupe and --no-dedupe are one setting, listed once (#21: it was listed twice)
    expect(result.stdout.split('\n').filter((line) => /^\s+dedupe\s/.test(line))).toHaveLength(1);
  });
});

describe('aov completion', () => {
  it('prints a bash script that bash accepts and that completes commands', () => {
    const result = runAov(['completion', 'bash']);
    expect(result.code).toBe(0);
    const check = spawnSync('bash', ['-c', `${result.stdout}\nCOMP_WORDS=(aov an); COMP_CWORD=1; _aov; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(check.status).toBe(0);
    expect(check.stdout.trim()).toBe('analyze');
    const options = spawnSync('bash', ['-c', `${result.stdout}\nCOMP_WORDS=(aov analyze --js); COMP_CWORD=2; _aov; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(options.stdout.trim()).toBe('--json');
  });

  it('prints zsh and fish scripts and refuses other shells', () => {
    expect(runAov(['completion', 'zsh']).stdout).toContain('#compdef aov');
    expect(runAov(['completion', 'fish']).stdout).toContain("complete -c aov -n '__fish_use_subcommand' -a analyze");
    const other = runAov(['completion', 'tcsh']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('unknown shell "tcsh"');
  });
});
