/**
 * The command list (built from the option tables, src/options/optionTable.ts) and the one
 * place errors become stderr text and an exit code. Each command's module is imported only
 * when it runs, so `aov --help` never loads DuckDB.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { AovError, EXIT_INPUT, EXIT_INTERNAL, formatPlace } from './errors.js';
import { applyConfig, checkRequired, settingsFromConfig } from './options/applyConfig.js';
import {
  addOptions, ANALYZE_OPTIONS, BUNDLES_OPTIONS, CONFIG_OPTIONS, FORMATS_OPTIONS, GLOBAL_OPTIONS, INIT_OPTIONS, INPUT_OPTIONS, REPORT_OPTIONS, RULES_OPTIONS,
  EVALUATE_OPTIONS, SECOND_ORDER_OPTIONS, THRESHOLD_OPTIONS, thresholdModelOptions, TIER_OPTIONS, type OptionTable,
} from './options/optionTable.js';
import { isOutOfMemory, memoryError } from './io/engine.js';
import { formatError } from './report/messages.js';
import { guardTerminal, visible } from './report/visible.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('aov')
    .description('Measure average order value honestly and tune the rules that raise it.')
    .version(packageVersion(), '-V, --version');
  addOptions(program, GLOBAL_OPTIONS)
    .showSuggestionAfterError(true)
    // Wrap descriptions even beside the long command names (commander wraps only a column of
    // 40 or more by default, which left 156-column lines in 80): every command inherits it.
    .configureHelp({ minWidthToWrap: 20 })
    .addHelpText(
      'before',
      'Examples:\n' +
        '  aov analyze orders.csv                       AOV, median, robust figures\n' +
        '  aov analyze export.csv.gz --json > aov.json  machine-readable summary\n' +
        "  aov analyze 'exports/*.csv' --currency EUR   several files, one currency\n",
    );
  // Options come from src/options/optionTable.ts, one typed table per command.
  const withOptions = (command: Command, ...tables: OptionTable<object>[]) => addOptions(command, ...tables);

  withOptions(
    program
      .command('analyze')
      .description('AOV and its outlier-robust twins, spread, customers and a monthly series, per currency')
      .argument('[files...]', 'order exports (CSV, .csv.gz, Parquet, or a quoted glob)'),
    ANALYZE_OPTIONS, INPUT_OPTIONS,
  )
    .addHelpText(
      'before',
      'Examples:\n' +
        '  aov analyze orders.csv\n' +
        '  aov analyze shopify_orders.csv --value total\n' +
        '  aov analyze online_retail.csv.gz --currency GBP --json > aov.json\n',
    )
    .action(async (files: string[], options) => {
      const { analyze } = await import('./commands/analyze.js');
      process.exitCode = await analyze(files, options);
    });

  withOptions(
    program
      .command('suggest-threshold')
      .description('simulate gift or free-shipping thresholds against margin; recommend one and emit the rule')
      .argument('[files...]', 'order exports'),
    THRESHOLD_OPTIONS, INPUT_OPTIONS, thresholdModelOptions(' (required in gift mode)'),
  )
    .addHelpText('before', 'Examples:\n  aov suggest-threshold orders.csv --margin 0.42 --gift-cost 3.50\n  aov suggest-threshold orders.csv --mode free-shipping --shipping-cost 4.90 \\\n    --margin 0.35\n  aov suggest-threshold orders.csv --costs costs.csv --gift-cost 2 \\\n    --range 10-40 --emit rules.json\n')
    .action(async (files: string[], options) => {
      const { suggestThreshold } = await import('./commands/threshold.js');
      process.exitCode = await suggestThreshold(files, options);
    });

  withOptions(
    program
      .command('report')
      .description('write report.md, report.html, report.json and rules.json for a scheduled job; alerts exit 1')
      .argument('[files...]', 'order exports (quote globs)'),
    REPORT_OPTIONS, INPUT_OPTIONS, thresholdModelOptions(),
  )
    .addHelpText('before', 'Examples:\n  aov report orders.csv --out report/ --margin 0.4 --gift-cost 3\n  aov report \'exports/*.csv\' --out report/ --compare last/report.json \\\n    --fail-on "aov.median:-10%"\n  aov report orders.csv --out report/ --force --now 2024-06-03T06:00:00Z\n')
    .action(async (files: string[], options) => {
      const { report } = await import('./commands/report.js');
      process.exitCode = await report(files, options);
    });

  withOptions(
    program
      .command('evaluate')
      .description('did a threshold, gift or bundle work after it went live? moved orders, uptake, AOV against season and trend, net, verdict')
      .argument('[files...]', 'order exports'),
    EVALUATE_OPTIONS, INPUT_OPTIONS,
  )
    .addHelpText('before', 'Examples:\n  aov evaluate orders.csv --rules rules.json\n  aov evaluate orders.csv --threshold 60 --since 2026-03-01 --gift-cost 2 \\\n    --margin 0.45\n  aov evaluate orders.csv --threshold 50 --since 2026-03-01 --mode free-shipping\n  aov evaluate orders.csv --second-order-gift --since 2026-01-15 --gift-cost 3\n')
    .action(async (files: string[], options) => {
      const { evaluate } = await import('./commands/evaluate.js');
      process.exitCode = await evaluate(files, options);
    });

  withOptions(
    program
      .command('bundles')
      .description('products bought together: frequent pairs and itemsets with significance, cross-sell, bundle offers')
      .argument('[files...]', 'order exports, or basket files with --format baskets'),
    BUNDLES_OPTIONS, INPUT_OPTIONS,
  )
    .addHelpText('before', 'Examples:\n  aov bundles orders.csv --min-support 0.01\n  aov bundles orders.csv --min-support 20 --min-lift 1.5 --max-size 3 --top 30\n  aov bundles orders.csv --for SKU123\n  aov bundles groceries.csv --format baskets --max-size 3\n')
    .action(async (files: string[], options) => {
      const { bundles } = await import('./commands/bundles.js');
      process.exitCode = await bundles(files, options);
    });

  withOptions(
    program
      .command('suggest-tier')
      .description('the spend line for a priority-support tier of top customers, and who sits near it')
      .argument('[files...]', 'order exports'),
    TIER_OPTIONS, INPUT_OPTIONS,
  )
    .addHelpText('before', 'Examples:\n  aov suggest-tier orders.csv\n  aov suggest-tier orders.csv --top 0.05 --window 180\n  aov suggest-tier orders.csv --json > tier.json\n')
    .action(async (files: string[], options) => {
      const { suggestTierCommand } = await import('./commands/loyalty.js');
      process.exitCode = await suggestTierCommand(files, options);
    });

  withOptions(
    program
      .command('suggest-second-order')
      .description('a gift on the second order (one per customer): historic return rates, economics, break-even lift')
      .argument('[files...]', 'order exports'),
    SECOND_ORDER_OPTIONS, INPUT_OPTIONS,
  )
    .addHelpText('before', 'Examples:\n  aov suggest-second-order orders.csv --gift-cost 3 --margin 0.4\n  aov suggest-second-order orders.csv --gift-cost 5 --lift 0.1 --valid-days 60\n  aov suggest-second-order orders.csv --gift-cost 3 --margin 0.4 --json\n')
    .action(async (files: string[], options) => {
      const { suggestSecondOrderCommand } = await import('./commands/loyalty.js');
      process.exitCode = await suggestSecondOrderCommand(files, options);
    });

  withOptions(
    program
      .command('init')
      .description('inspect an export and write aov.config.json with the detected settings and your business inputs')
      .argument('[file]', 'an orders export to inspect'),
    INIT_OPTIONS,
  )
    .addHelpText('before', 'Examples:\n  aov init orders.csv\n  aov init shopify_orders.csv --yes\n  aov init orders.csv --yes --force\n')
    .action(async (file: string | undefined, options) => {
      const { init } = await import('./commands/init.js');
      process.exitCode = await init(file, options, program);
    });

  withOptions(
    program
      .command('rules')
      .description('write every suggestion (threshold, bundles, second-order gift, tier) into one aov.rules/v1 file, or --check one')
      .argument('[files...]', 'order exports'),
    RULES_OPTIONS, INPUT_OPTIONS, thresholdModelOptions(),
  )
    .addHelpText('before', 'Examples:\n  aov rules orders.csv --margin 0.4 --gift-cost 3 --out rules.json\n  aov rules orders.csv --gift-cost 2 --costs costs.csv --locale it-IT\n  aov rules --check rules.json\n  aov rules --check rules.json --json\n  aov rules orders.csv --gift-cost 3 --target shopify --out shopify/\n  aov rules --check rules.json --target prestashop --starts 2026-01-01\n')
    .action(async (files: string[], options) => {
      if (options.check) {
        const { checkRulesCommand } = await import('./commands/rulesCheck.js');
        process.exitCode = await checkRulesCommand(options.check, { json: options.json, target: options.target, out: options.out, force: options.force, starts: options.starts, ends: options.ends, tz: options.tz, giftProduct: options.giftProduct });
      } else {
        const { rulesCommand } = await import('./commands/rules.js');
        process.exitCode = await rulesCommand(files, options);
      }
    });

  withOptions(program.command('formats'), FORMATS_OPTIONS)
    .description('list the supported export formats, or show how a file is detected and mapped')
    .argument('[file]', 'an export to inspect')
    .addHelpText('before', 'Examples:\n  aov formats\n  aov formats orders.csv\n  aov formats orders.csv --json\n')
    .action(async (file: string | undefined, options) => {
      const { formats } = await import('./commands/formats.js');
      process.exitCode = await formats(file, options);
    });

  withOptions(program.command('config'), CONFIG_OPTIONS)
    .description('print the settings a command would use, and where each comes from (default, config file, command line)')
    .argument('[command]', 'the command whose settings to show', 'analyze')
    .addHelpText('before', 'Examples:\n  aov config\n  aov config analyze\n  aov --config shop.json config analyze\n  aov config report --json\n')
    .action(async (name: string, options: { json?: boolean }) => {
      const target = program.commands.find((c) => c.name() === name);
      if (!target || target.name() === 'config') {
        throw new AovError('E_USAGE', `aov config: no command "${name}".`, { hint: `Commands: ${program.commands.map((c) => c.name()).filter((c) => c !== 'config').join(', ')}.` });
      }
      const config = applyConfig(program, target);
      const { configDocument, renderConfig } = await import('./commands/config.js');
      process.stdout.write(renderConfig(configDocument(target, config?.path ?? null), Boolean(options.json)));
    });

  program
    .command('cache')
    .description('list or clear the cached imports that make a second run on the same export fast')
    .argument('<action>', 'list or clear')
    .addHelpText('before', 'Examples:\n  aov cache list\n  aov cache clear\n')
    .action(async (action: string) => {
      const { cacheCommand } = await import('./commands/cache.js');
      process.stdout.write(await cacheCommand(action));
    });

  program
    .command('completion')
    .description('print a shell completion script')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('before', 'Examples:\n  aov completion bash > /etc/bash_completion.d/aov\n  aov completion zsh > "${fpath[1]}/_aov"\n  aov completion fish > ~/.config/fish/completions/aov.fish\n')
    .action(async (shell: string) => {
      const { completionScript } = await import('./commands/completion.js');
      process.stdout.write(completionScript(program, shell));
    });

  program.hook('preAction', (_root, actionCommand) => {
    if (!['config', 'init'].includes(actionCommand.name())) applyConfig(program, actionCommand);
    checkRequired(actionCommand);
  });
  return program;
}

/** The longest message or hint printed: a backstop for a value quoted without quoteValue (a header line can be 200 MB). */
const MESSAGE_LIMIT = 2000;
const capped = (text: string) => (text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT - 1)}… (cut)` : text);

/**
 * Commander's own usage errors ("error: required option '--out <dir>' not specified") in
 * aov's form: one `aov: error:` line and a hint naming the command's help.
 */
function commanderError(command: string): (text: string, write: (text: string) => void) => void {
  return (text, write) => {
    const message = text.trim().replace(/^error: /, '').replace(/\s*\(Did you mean ([^)]*)\)\.?$/, ' (did you mean $1)');
    const required = /^required option '([^']+)' not specified$/.exec(message);
    const sentence = required ? `${required[1]} is required.` : `${message.replace(/\.$/, '')}.`;
    write(formatError(sentence, { hint: `${command} --help lists the options, with examples.` }, errorWidth()));
  };
}

/** Runs the CLI and returns the exit code; only here are errors turned into stderr text. */
export async function main(argv: string[]): Promise<number> {
  // Data never drives the terminal: every write keeps only aov's own colour and progress sequences.
  guardTerminal(process.stdout);
  guardTerminal(process.stderr);
  // `aov analyze x.csv | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text), outputError: commanderError('aov') });
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeErr: (text) => process.stderr.write(text), outputError: commanderError(`aov ${command.name()}`) });
  }
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
      // Messages quote cells, headers and arguments: each line shown, never acted on.
      // An error may come from a setting the user did not type: say which came from the config.
      const fromConfig = settingsFromConfig();
      const note = fromConfig && error.code !== 'E_CONFIG'
        ? `${fromConfig.keys.join(', ')} ${fromConfig.keys.length === 1 ? 'comes' : 'come'} from ${fromConfig.file} (--no-config ignores it).`
        : undefined;
      process.stderr.write(formatError(capped(message), { hint: error.hint === undefined ? undefined : capped(error.hint), note }, errorWidth()));
      if (debug) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    if (isOutOfMemory(error)) {
      const memory = memoryError(error);
      process.stderr.write(formatError(memory.message, { hint: memory.hint }, errorWidth()));
      return memory.exitCode;
    }
    process.stderr.write(`aov: internal error: ${visibleLines(capped((error as Error)?.message ?? String(error)))}\n`);
    process.stderr.write(debug ? `${(error as Error)?.stack}\n` : '  (run again with --debug for the full trace, and please report it)\n');
    return EXIT_INTERNAL;
  }
}

/** Errors wrap to 80 columns in a terminal and stay one line each in a log or a pipe. */
const errorWidth = (): number => (process.stderr.isTTY ? 80 : 0);

/** visible() per line: a message's own line breaks stay, a quoted value's controls do not. */
function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}
