/**
 * The command list and nothing else: each command's module is imported only when it runs,
 * so `aov --help` never loads DuckDB.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { AovError, EXIT_INPUT, formatPlace } from './errors.js';
import { addInputOptions } from './commands/inputOptions.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('aov')
    .description('Measure average order value honestly and tune the rules that raise it.')
    .version(packageVersion(), '-V, --version')
    .option('--debug', 'print full stack traces on errors')
    .showSuggestionAfterError(true)
    .addHelpText(
      'before',
      'Examples:\n' +
        '  aov analyze orders.csv                      AOV, median, robust figures, customers\n' +
        '  aov analyze export.csv.gz --json > aov.json machine-readable summary\n' +
        "  aov analyze 'exports/*.csv' --currency EUR  several files, one currency\n",
    );

  addInputOptions(
    program
      .command('analyze')
      .description('AOV and its outlier-robust twins, spread, customers and a monthly series, per currency')
      .argument('<files...>', 'order exports (CSV, .csv.gz, or a quoted glob)')
      .option('--json', 'print the aov.analyze/v1 JSON document to stdout')
      .option('--no-color', 'no colour, even on a terminal')
      .addHelpText(
        'before',
        'Examples:\n' +
          '  aov analyze orders.csv\n' +
          '  aov analyze shopify_orders.csv --value total\n' +
          '  aov analyze online_retail.csv.gz --json > aov.json\n',
      ),
  ).action(async (files: string[], options) => {
    const { analyze } = await import('./commands/analyze.js');
    process.exitCode = await analyze(files, options);
  });

  return program;
}

/** Runs the CLI and returns the exit code; only here are errors turned into stderr text. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  for (const command of program.commands) command.exitOverride();
  const debug = argv.includes('--debug');
  try {
    process.exitCode = 0;
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_INPUT;
    }
    if (error instanceof AovError) {
      const place = formatPlace(error.context);
      const message = place && !error.message.startsWith(error.context.file ?? '\u0000') ? `${place}: ${error.message}` : error.message;
      process.stderr.write(`aov: error: ${message}\n`);
      if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
      if (debug) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    process.stderr.write(`aov: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    process.stderr.write(debug ? `${(error as Error)?.stack}\n` : '  (run again with --debug for the full trace, and please report it)\n');
    return 70;
  }
}
