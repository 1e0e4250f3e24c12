import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli.js';
import {
  ANALYZE_OPTIONS, BUNDLES_OPTIONS, CONFIG_OPTIONS, EVALUATE_OPTIONS, FORMATS_OPTIONS, GLOBAL_OPTIONS, INIT_OPTIONS, INPUT_OPTIONS, REPORT_OPTIONS, RULES_OPTIONS,
  SECOND_ORDER_OPTIONS, THRESHOLD_OPTIONS, thresholdModelOptions, TIER_OPTIONS, type OptionEntry, type OptionTable,
} from '../src/options/optionTable.js';

/** The flags a set of tables declares, in order. */
function flagsOf(...tables: OptionTable<object>[]): string[] {
  return tables.flatMap((table) => (Object.values(table) as (OptionEntry | OptionEntry[])[]).flat().map((entry) => entry.flags));
}

/** Type-checks a snippet placed in tests/ (so its imports resolve) and returns the error codes. */
function typeErrors(code: string): number[] {
  const file = path.resolve('tests/__option_table_check__.ts');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => (path.resolve(name) === file ? ts.createSourceFile(name, code, language) : getSourceFile.call(host, name, language, ...rest));
  host.fileExists = (name) => path.resolve(name) === file || fileExists.call(host, name);
  host.readFile = (name) => (path.resolve(name) === file ? code : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => d.code);
}

describe('the option table (issue #23)', () => {
  it('is where every option of every command comes from, in help order', () => {
    // An option added to a command in cli.ts without a table entry makes a command's flags
    // differ from its tables' (and escapes the compile-time check below).
    const expected: Record<string, string[]> = {
      analyze: flagsOf(ANALYZE_OPTIONS, INPUT_OPTIONS),
      'suggest-threshold': flagsOf(THRESHOLD_OPTIONS, INPUT_OPTIONS, thresholdModelOptions()),
      report: flagsOf(REPORT_OPTIONS, INPUT_OPTIONS, thresholdModelOptions()),
      evaluate: flagsOf(EVALUATE_OPTIONS, INPUT_OPTIONS),
      bundles: flagsOf(BUNDLES_OPTIONS, INPUT_OPTIONS),
      'suggest-tier': flagsOf(TIER_OPTIONS, INPUT_OPTIONS),
      'suggest-second-order': flagsOf(SECOND_ORDER_OPTIONS, INPUT_OPTIONS),
      init: flagsOf(INIT_OPTIONS),
      rules: flagsOf(RULES_OPTIONS, INPUT_OPTIONS, thresholdModelOptions()),
      formats: flagsOf(FORMATS_OPTIONS),
      config: flagsOf(CONFIG_OPTIONS),
      cache: [],
      completion: [],
    };
    const program = buildProgram();
    expect(program.commands.map((c) => c.name()).sort()).toEqual(Object.keys(expected).sort());
    for (const command of program.commands) expect(command.options.map((o) => o.flags), command.name()).toEqual(expected[command.name()]);
    expect(program.options.map((o) => o.flags).filter((f) => f !== '-V, --version')).toEqual(flagsOf(GLOBAL_OPTIONS));
  });

  it('gives each flag one default wherever a command has it', () => {
    const descriptions = new Map<string, Set<string>>();
    for (const command of buildProgram().commands) {
      for (const o of command.options) descriptions.set(o.flags, (descriptions.get(o.flags) ?? new Set()).add(String(o.defaultValue)));
    }
    // One default per flag: --resamples differs on purpose (2000 for analyze's period intervals,
    // 1000 for the threshold and second-order bootstraps), and --out is a folder, a file or a config.
    for (const [flags, defaults] of descriptions) if (!['--resamples <n>', '--out <path>', '--out <file>', '--out <dir>'].includes(flags)) expect([...defaults], flags).toHaveLength(1);
  });

  it('does not compile a table that misses an option of its command, or has one the command lacks', () => {
    const header = "import type { OptionTable } from '../src/options/optionTable.js';\ninterface Options { top?: number; json?: boolean }\n";
    const complete = "export const t: OptionTable<Options> = { top: { flags: '--top <n>', description: 'x' }, json: { flags: '--json', description: 'y' } };\n";
    const missing = "export const t: OptionTable<Options> = { top: { flags: '--top <n>', description: 'x' } };\n";
    const extra = "export const t: OptionTable<Options> = { top: { flags: '--top <n>', description: 'x' }, json: { flags: '--json', description: 'y' }, seed: { flags: '--seed <n>', description: 'z' } };\n";
    expect(typeErrors(header + complete)).toEqual([]);
    expect(typeErrors(header + missing)).toContain(2741); // Property 'json' is missing
    expect(typeErrors(header + extra)).toContain(2353); // Object literal may only specify known properties
  }, 60_000);
});
