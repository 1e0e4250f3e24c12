/**
 * The command list and nothing else: each command's module is imported only when it runs,
 * so `aov --help` never loads DuckDB.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { AovError, EXIT_INPUT, formatPlace, quoteValue } from './errors.js';
import { addInputOptions } from './commands/inputOptions.js';
import { localeOption, optionParser as parse, specOf, type ValueSpec } from './commands/optionSpecs.js';
import { CONFIG_FILE, findConfig, readConfig, type LoadedConfig } from './io/config.js';
import { editDistance } from './io/formats.js';
import { isOutOfMemory, memoryError } from './io/engine.js';
import { guardTerminal, visible } from './report/visible.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('aov')
    .description('Measure average order value honestly and tune the rules that raise it.')
    .version(packageVersion(), '-V, --version')
    .option('--debug', 'print full stack traces on errors')
    .option('--config <file>', 'settings file (default: aov.config.json in this folder or a parent)')
    .option('--no-config', 'ignore aov.config.json')
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

  addInputOptions(
    program
      .command('analyze')
      .description('AOV and its outlier-robust twins, spread, customers and a monthly series, per currency')
      .argument('[files...]', 'order exports (CSV, .csv.gz, Parquet, or a quoted glob)')
      .option('--json', 'print the aov.analyze/v1 JSON document to stdout')
      .addOption(new Option('--period <period>', 'trend period (ISO weeks)').choices(['day', 'week', 'month']).default('month'))
      .option('--tz <zone>', 'time zone for timestamps that carry an offset, e.g. Europe/Rome (default: as written)')
      .option('--include-partial', 'fit the trend over partial first/last periods too')
      .option('--influence <share>', 'flag a period when one order moves its mean by more than this share', parse('influence'), 0.1)
      .option('--resamples <n>', 'bootstrap resamples for period-over-period intervals', parse('resamples'), 2000)
      .option('--seed <n>', 'seed of the bootstrap', parse('seed'), 1)
      .option('--by <segment>', 'summary per segment: new-vs-returning, country, channel, currency, or any column')
      .option('--min-segment-orders <n>', 'segments with fewer orders are pooled as "other"', parse('minSegmentOrders'), 30)
      .option('--nps <survey>', 'NPS survey CSV (customer email or id, 0-10 score, date) to read beside AOV')
      .option('--threshold <amount>', 'with --nps: compare customers who reached this order value with those who did not', parse('npsThreshold'))
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

  addThresholdOptions(addInputOptions(
    program
      .command('suggest-threshold')
      .description('simulate gift or free-shipping thresholds against margin; recommend one and emit the rule')
      .argument('[files...]', 'order exports')
      .option('--locale <locales...>', 'locales for the rule messages besides en, e.g. it-IT nb-NO', localeOption)
      .option('--emit <rules.json>', 'write the recommended rule into an aov.rules/v1 file (merged, never clobbered)')
      .option('--force', 'run with fewer than 100 orders; replace a same-id rule in --emit')
      .option('--json', 'print the aov.threshold/v1 JSON document')
      .option('--no-color', 'no colour, even on a terminal')
      .addHelpText('before', 'Examples:\n  aov suggest-threshold orders.csv --margin 0.42 --gift-cost 3.50\n  aov suggest-threshold orders.csv --mode free-shipping --shipping-cost 4.90 \\\n    --margin 0.35\n  aov suggest-threshold orders.csv --costs costs.csv --gift-cost 2 \\\n    --range 10-40 --emit rules.json\n'),
  ), ' (required in gift mode)').action(async (files: string[], options) => {
    const { suggestThreshold } = await import('./commands/threshold.js');
    process.exitCode = await suggestThreshold(files, options);
  });

  addThresholdOptions(addInputOptions(
    program
      .command('report')
      .description('write report.md, report.html, report.json and rules.json for a scheduled job; alerts exit 1')
      .argument('[files...]', 'order exports (quote globs)')
      .addOption(required('--out <dir>', 'the folder for the report files', 'aov report orders.csv --out report/', 'report'))
      .option('--compare <report.json>', 'an earlier report.json: show changes and evaluate --fail-on against it')
      .option('--fail-on <metric:change>', 'exit 1 when breached, e.g. "aov.median:-10%" (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
      .option('--title <text>', 'report title', 'Average order value report')
      .option('--nps <survey>', 'NPS survey CSV (customer, 0-10 score, date) to report beside AOV')
      .option('--rules <rules.json>', 'add "Did it work?": each rule of an aov.rules/v1 file evaluated from its startsAt')
      .option('--now <iso>', 'timestamp to print (reports carry no wall-clock time otherwise)')
      .addOption(new Option('--period <period>', 'trend period').choices(['day', 'week', 'month']).default('month'))
      .option('--tz <zone>', 'time zone for timestamps with an offset')
      .option('--min-support <s>', 'bundles: minimum support (share or count)', parse('minSupport'), '0.01')
      .option('--max-size <n>', 'bundles: largest itemset', parse('maxSize'), 2)
      .option('--locale <locales...>', 'locales for rule messages besides en', localeOption)
      .option('--force', 'replace existing report files in --out')
      .addHelpText('before', 'Examples:\n  aov report orders.csv --out report/ --margin 0.4 --gift-cost 3\n  aov report \'exports/*.csv\' --out report/ --compare last/report.json \\\n    --fail-on "aov.median:-10%"\n  aov report orders.csv --out report/ --force --now 2024-06-03T06:00:00Z\n'),
  )).action(async (files: string[], options) => {
    const { report } = await import('./commands/report.js');
    process.exitCode = await report(files, options);
  });

  addInputOptions(
    program
      .command('evaluate')
      .description('did a threshold, gift or bundle work after it went live? moved orders, uptake, AOV against season and trend, net, verdict')
      .argument('[files...]', 'order exports')
      .option('--threshold <amount>', 'the order value the gift or free shipping starts at', parse('npsThreshold'))
      .option('--since <date>', 'the date the rule went live, e.g. 2026-03-01 (with --rules: for rules without startsAt)')
      .option('--rules <rules.json>', 'evaluate each rule of an aov.rules/v1 file from its startsAt')
      .option('--second-order-gift', 'evaluate a gift on the second order (with --since and --gift-cost)')
      .option('--valid-days <days>', 'second-order gift: how long after the first order it is valid', parse('validDays'), 90)
      .option('--burn-in <days>', 'second-order gift: customers first seen in the first <days> of data are not new (default: --valid-days)', parse('burnIn'))
      .option('--nps <survey>', 'NPS survey CSV (customer, 0-10 score, date): NPS before and after, beside AOV')
      .option('--write-calibration <file>', 'write the measured uptake as settings the next suggest-threshold reads (aov --config FILE suggest-threshold)')
      .option('--force', 'replace the --write-calibration file')
      .addOption(new Option('--mode <mode>', 'what the threshold unlocks').choices(['gift', 'free-shipping']).default('gift'))
      .option('--gift-cost <amount>', 'what the gift costs you (required in gift mode)', parse('giftCost'))
      .option('--shipping-cost <amount>', 'the shipping fee waived (default: the shipping orders paid before the start, when the export has it)', parse('shippingCost'))
      .option('--margin <rate>', 'gross margin on order value (0.4 = 40%); per-order margins come from cost/profit columns when present', parse('margin'))
      .option('--costs <file>', 'item costs (columns sku,cost) for the margin on added items')
      .option('--reach <amount>', 'largest gap a customer closes (default: a typical add-on price before the start)', parse('reach'))
      .option('--resamples <n>', 'bootstrap resamples', parse('resamples'), 1000)
      .option('--seed <n>', 'bootstrap seed', parse('seed'), 1)
      .option('--json', 'print the aov.evaluate/v1 JSON document')
      .option('--no-color', 'no colour, even on a terminal')
      .addHelpText('before', 'Examples:\n  aov evaluate orders.csv --rules rules.json\n  aov evaluate orders.csv --threshold 60 --since 2026-03-01 --gift-cost 2 \\\n    --margin 0.45\n  aov evaluate orders.csv --threshold 50 --since 2026-03-01 --mode free-shipping\n  aov evaluate orders.csv --second-order-gift --since 2026-01-15 --gift-cost 3\n'),
  ).action(async (files: string[], options) => {
    const { evaluate } = await import('./commands/evaluate.js');
    process.exitCode = await evaluate(files, options);
  });

  addInputOptions(
    program
      .command('bundles')
      .description('products bought together: frequent pairs and itemsets with significance, cross-sell, bundle offers')
      .argument('[files...]', 'order exports, or basket files with --format baskets')
      .option('--min-support <s>', 'minimum support: a share of baskets (0.01) or a count (20)', parse('minSupport'), '0.01')
      .option('--max-size <n>', 'largest itemset to mine (2 = pairs)', parse('maxSize'), 2)
      .option('--min-confidence <c>', 'keep pairs with confidence at least this in one direction', parse('minConfidence'))
      .option('--min-lift <l>', 'keep pairs with lift at least this', parse('minLift'))
      .option('--max-q <q>', 'keep pairs with Benjamini-Hochberg q at most this (unlikely to be chance)', parse('maxQ'), 0.05)
      .addOption(new Option('--sort <key>', 'order of the pairs').choices(['lift', 'support', 'confidence', 'margin']).default('lift'))
      .option('--top <n>', 'how many pairs to show and offer', parse('pairsTop'), 30)
      .option('--for <item>', 'what goes with this item (SKU or exact name): cross-sell')
      .addOption(new Option('--item <what>', 'what an item is: product (variants grouped: sizes, colours, "Product - Variant" names), sku, or name').choices(['product', 'sku', 'name']).default('product'))
      .option('--item-pattern <regex>', 'remove matches from item labels to group variants, e.g. " - [0-9]+$"')
      .option('--exclude-items <regex>', 'leave out non-products matching this (none keeps all; defaults per format)')
      .option('--max-basket <n>', 'skip baskets with more items than this for pairs (default auto: none, unless the pair scan would exceed 5e8 steps)', parse('maxBasket'))
      .option('--costs <file>', 'item costs (columns sku,cost) for bundle margins')
      .option('--bundle-discount <range>', 'discount range for bundle prices, percent', parse('bundleDiscount'), '5-10')
      .option('--bundle-uplift <share>', 'assumed share of baskets with part of a bundle that would complete it: one value (0.05) or a 90% range, a stated prior (default 0.02-0.10)', parse('bundleUplift'))
      .option('--min-bundle-margin <m>', 'gross margin a bundle must keep', parse('minBundleMargin'), 0.3)
      .option('--emit <rules.json>', 'write bundle rules into an aov.rules/v1 file (merged, never clobbered)')
      .option('--csv <file>', 'write all kept pairs as CSV (safe to open in a spreadsheet)')
      .option('--force', 'replace an existing --csv file or a same-id rule in --emit')
      .option('--json', 'print the aov.bundles/v1 JSON document')
      .option('--no-color', 'no colour, even on a terminal')
      .addHelpText('before', 'Examples:\n  aov bundles orders.csv --min-support 0.01\n  aov bundles orders.csv --min-support 20 --min-lift 1.5 --max-size 3 --top 30\n  aov bundles orders.csv --for SKU123\n  aov bundles groceries.csv --format baskets --max-size 3\n'),
  ).action(async (files: string[], options) => {
    const { bundles } = await import('./commands/bundles.js');
    process.exitCode = await bundles(files, options);
  });

  addInputOptions(
    program
      .command('suggest-tier')
      .description('the spend line for a priority-support tier of top customers, and who sits near it')
      .argument('[files...]', 'order exports')
      .option('--top <share>', 'share of customers in the tier (0.1 = top 10%)', parse('tierTop'), 0.1)
      .option('--window <days>', 'spend window in days, ending at the last order', parse('window'), 365)
      .option('--response-hours <n>', 'support response target written into the rule', parse('responseHours'), 2)
      .option('--json', 'print the aov.tier/v1 JSON document')
      .option('--no-color', 'no colour, even on a terminal')
      .addHelpText('before', 'Examples:\n  aov suggest-tier orders.csv\n  aov suggest-tier orders.csv --top 0.05 --window 180\n  aov suggest-tier orders.csv --json > tier.json\n'),
  ).action(async (files: string[], options) => {
    const { suggestTierCommand } = await import('./commands/loyalty.js');
    process.exitCode = await suggestTierCommand(files, options);
  });

  addInputOptions(
    program
      .command('suggest-second-order')
      .description('a gift on the second order (one per customer): historic return rates, economics, break-even lift')
      .argument('[files...]', 'order exports')
      .addOption(required('--gift-cost <amount>', 'what the gift costs you (shop currency)', 'aov suggest-second-order orders.csv --gift-cost 3', 'suggest-second-order', parse('giftCost')))
      .option('--gift <text>', 'what the gift is, for the rule file', 'free gift')
      .option('--margin <rate>', 'gross margin on order value (0.4 = 40%); taken from cost or profit columns when present', parse('margin'))
      .option('--lift <rate>', 'assumed relative lift in second orders (0.15 = +15%); swept at x0.5 and x1.5', parse('lift'), 0.15)
      .option('--valid-days <days>', 'how long after the first order the offer is valid', parse('validDays'), 90)
      .option('--burn-in <days>', 'customers first seen in the first <days> of data are not counted as new (their earlier orders may predate the export; default: --valid-days)', parse('burnIn'))
      .option('--resamples <n>', 'bootstrap resamples over customers for the break-even interval', parse('resamples'), 1000)
      .option('--seed <n>', 'bootstrap seed', parse('seed'), 1)
      .option('--json', 'print the aov.secondOrder/v1 JSON document')
      .option('--no-color', 'no colour, even on a terminal')
      .addHelpText('before', 'Examples:\n  aov suggest-second-order orders.csv --gift-cost 3 --margin 0.4\n  aov suggest-second-order orders.csv --gift-cost 5 --lift 0.1 --valid-days 60\n  aov suggest-second-order orders.csv --gift-cost 3 --margin 0.4 --json\n'),
  ).action(async (files: string[], options) => {
    const { suggestSecondOrderCommand } = await import('./commands/loyalty.js');
    process.exitCode = await suggestSecondOrderCommand(files, options);
  });

  program
    .command('init')
    .description('inspect an export and write aov.config.json with the detected settings and your business inputs')
    .argument('[file]', 'an orders export to inspect')
    .option('--yes', 'take the detected values without asking')
    .option('--force', 'replace an existing aov.config.json')
    .option('--out <file>', 'where to write the config', 'aov.config.json')
    .addHelpText('before', 'Examples:\n  aov init orders.csv\n  aov init shopify_orders.csv --yes\n  aov init orders.csv --yes --force\n')
    .action(async (file: string | undefined, options) => {
      const { init } = await import('./commands/init.js');
      process.exitCode = await init(file, options, program);
    });

  addThresholdOptions(addInputOptions(
    program
      .command('rules')
      .description('write every suggestion (threshold, bundles, second-order gift, tier) into one aov.rules/v1 file, or --check one')
      .argument('[files...]', 'order exports')
      .option('--check <file>', 'validate a (hand-edited) rules file against the schema and explain each error')
      .option('--out <rules.json>', 'the rules file to write (merged with an existing one)', 'rules.json')
      .option('--second-order-gift-cost <amount>', 'cost of the second-order gift (default: --gift-cost)', parse('secondOrderGiftCost'))
      .option('--lift <rate>', 'assumed relative lift in second orders', parse('lift'), 0.15)
      .option('--valid-days <days>', 'second-order offer validity', parse('validDays'), 90)
      .option('--top <share>', 'tier: share of customers', parse('tierTop'), 0.1)
      .option('--window <days>', 'tier: spend window', parse('window'), 365)
      .option('--min-support <s>', 'bundles: minimum support (share or count)', parse('minSupport'), '0.01')
      .option('--max-size <n>', 'bundles: largest itemset', parse('maxSize'), 2)
      .option('--locale <locales...>', 'locales for threshold messages besides en', localeOption)
      .option('--force', 'replace same-id rules in an existing file; run with fewer than 100 orders')
      .option('--json', 'print the written aov.rules/v1 document (with --check: the aov.rulesCheck/v1 verdict)')
      .addHelpText('before', 'Examples:\n  aov rules orders.csv --margin 0.4 --gift-cost 3 --out rules.json\n  aov rules orders.csv --gift-cost 2 --costs costs.csv --locale it-IT\n  aov rules --check rules.json\n  aov rules --check rules.json --json\n'),
  )).action(async (files: string[], options) => {
    const { checkRulesCommand, rulesCommand } = await import('./commands/rules.js');
    process.exitCode = options.check ? await checkRulesCommand(options.check, { json: options.json }) : await rulesCommand(files, options);
  });

  program
    .command('formats')
    .description('list the supported export formats, or show how a file is detected and mapped')
    .argument('[file]', 'an export to inspect')
    .option('--json', 'print the aov.formats/v1 JSON document')
    .addHelpText('before', 'Examples:\n  aov formats\n  aov formats orders.csv\n  aov formats orders.csv --json\n')
    .action(async (file: string | undefined, options) => {
      const { formats } = await import('./commands/formats.js');
      process.exitCode = await formats(file, options);
    });

  program
    .command('config')
    .description('print the settings a command would use, and where each comes from (default, config file, command line)')
    .argument('[command]', 'the command whose settings to show', 'analyze')
    .option('--json', 'print the aov.config/v1 JSON document')
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

/**
 * Applies aov.config.json to a command: every key must be an option of some command
 * (a key for another command is ignored here); command-line values win.
 */
export function applyConfig(program: Command, command: Command): LoadedConfig | undefined {
  const rootOptions = program.opts<{ config?: string | false }>();
  if (rootOptions.config === false) return undefined;
  const file = typeof rootOptions.config === 'string' ? rootOptions.config : findConfig(process.cwd());
  if (!file) return undefined;
  const config = readConfig(file);
  const allOptions = new Map<string, Option>();
  for (const c of program.commands) for (const o of c.options) allOptions.set(o.attributeName(), o);
  // A key named after a command ("bundles": {"top": 20}) holds settings for that command only,
  // and wins over the same key at the top level.
  const commandNames = new Set(program.commands.map((c) => c.name()));
  const sections = Object.entries(config.values).filter(([key]) => commandNames.has(key));
  for (const [name, section] of sections) {
    if (typeof section !== 'object' || section === null || Array.isArray(section)) {
      throw new AovError('E_CONFIG', `${file}: "${name}" should be an object of settings for aov ${name}; found ${quoteValue(JSON.stringify(section) ?? String(section))}.`, { context: { file, column: name } });
    }
  }
  const own = sections.find(([name]) => name === command.name())?.[1] as Record<string, unknown> | undefined;
  const topLevel = Object.entries(config.values).filter(([key]) => !commandNames.has(key));
  for (const [key] of topLevel) {
    // One key, one meaning: a top-level key that two commands read differently must be scoped.
    const meanings = new Map<string, string[]>();
    for (const c of program.commands) {
      const o = c.options.find((x) => x.attributeName() === key);
      const expected = o ? (specOf(o.parseArg)?.expected ?? o.flags) : undefined;
      if (expected !== undefined) meanings.set(expected, [...(meanings.get(expected) ?? []), c.name()]);
    }
    if (meanings.size > 1) {
      const users = [...meanings.entries()].map(([expected, names]) => `${names.join(', ')} (${expected})`).join(' and ');
      throw new AovError('E_CONFIG', `${file}: "${key}" means different things in ${users}.`, {
        hint: `Put it under the command it is for, e.g. { "${[...meanings.values()][0][0]}": { "${key}": ... } }.`,
        context: { file, column: key },
      });
    }
  }
  for (const [key, value] of [...topLevel, ...Object.entries(own ?? {})]) {
    // null: written by aov init for a setting not filled in yet.
    if (value === null) continue;
    const option = command.options.find((o) => o.attributeName() === key);
    if (!option) {
      if (allOptions.has(key)) continue;
      const known = [...allOptions.keys()];
      const guess = known.sort((a, b) => editDistance(key, a) - editDistance(key, b))[0];
      throw new AovError('E_CONFIG', `${file}: unknown setting "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}.`, {
        hint: `Settings are option names in camelCase: ${known.sort().join(', ')}.`,
        context: { file, column: key },
      });
    }
    if (command.getOptionValueSource(key) === 'cli') continue;
    command.setOptionValueWithSource(key, configValue(option, key, value, file), 'config');
    appliedFromConfig = { file, keys: [...(appliedFromConfig?.file === file ? appliedFromConfig.keys : []), key] };
  }
  return config;
}

/** The settings the running command took from a config file, named beside any error it ends with. */
let appliedFromConfig: { file: string; keys: string[] } | undefined;

/**
 * A config value checked as the command line would check it (the same choices and the same
 * value spec), with one wording: `aov.config.json: "top" should be a whole number ...; found 0.05.`
 */
function configValue(option: Option, key: string, value: unknown, file: string): unknown {
  const spec = specOf(option.parseArg);
  const fail = (expected: string) =>
    new AovError('E_CONFIG', `${file}: "${key}" should be ${expected}; found ${quoteValue(JSON.stringify(value) ?? String(value))}.`, {
      hint: spec ? `Example: "${key}": ${exampleOf(spec)} in ${CONFIG_FILE}, as ${spec.flag} ${exampleOf(spec, false)} on the command line.` : `Fix or remove "${key}" in ${file}.`,
      context: { file, column: key },
    });
  if (option.isBoolean()) {
    if (typeof value !== 'boolean') throw fail('true or false');
    return value;
  }
  const one = (item: unknown): unknown => {
    if (typeof item !== 'string' && typeof item !== 'number') throw fail(spec?.expected ?? 'a string or a number');
    const text = String(item);
    if (option.argChoices && !option.argChoices.includes(text)) throw fail(`one of ${option.argChoices.join(', ')}`);
    if (spec) {
      const parsed = spec.parse(text);
      if (parsed === undefined) throw fail(spec.expected);
      return parsed;
    }
    if (option.parseArg) {
      try {
        return option.parseArg(text, undefined as never);
      } catch (error) {
        if (error instanceof InvalidArgumentError) throw fail(error.message.replace(/\.$/, ''));
        throw error;
      }
    }
    return text;
  };
  if (option.variadic) return (Array.isArray(value) ? value : [value]).map(one);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && key === 'map') {
    return Object.entries(value as Record<string, unknown>).map(([f, h]) => `${f}=${String(h)}`).join(',');
  }
  return one(value);
}

/** The value of a spec's hint example ("Example: --step 1 (...)" -> 1), as JSON for a config file. */
function exampleOf(spec: ValueSpec, asJson = true): string {
  const example = new RegExp(`${spec.flag} (\\S+)`).exec(spec.hint)?.[1] ?? '...';
  return !asJson || Number.isFinite(Number(example)) ? example : JSON.stringify(example);
}

/**
 * An option a command cannot run without: "(required)" in --help, and checked after
 * aov.config.json is applied (checkRequired), so the file can supply it. Commander's own
 * requiredOption is checked before that, and refused a value from the config file.
 */
function required(flags: string, description: string, example: string, command: string, parseArg?: (value: string, previous: unknown) => unknown): Option {
  const option = new Option(flags, `${description} (required)`);
  if (parseArg) option.argParser(parseArg);
  REQUIRED.set(option, { description, example, command });
  return option;
}

const REQUIRED = new WeakMap<Option, { description: string; example: string; command: string }>();

/** A required option with no value from the command line or the config: aov's own usage error. */
function checkRequired(command: Command): void {
  for (const option of command.options) {
    const spec = REQUIRED.get(option);
    if (!spec || command.getOptionValue(option.attributeName()) !== undefined) continue;
    const key = option.attributeName();
    const value = new RegExp(`${option.long} (\\S+)`).exec(spec.example)?.[1] ?? '...';
    const json = Number.isFinite(Number(value)) ? value : JSON.stringify(value);
    throw new AovError('E_USAGE', `${option.long} is required: ${spec.description}.`, {
      hint: `Example: ${spec.example}\n        or in ${CONFIG_FILE}: { "${spec.command}": { "${key}": ${json} } }`,
    });
  }
}

/** The threshold simulation's options, shared by suggest-threshold, report and rules. */
function addThresholdOptions(command: Command, giftCostNote = ''): Command {
  return command
      .addOption(new Option('--mode <mode>', 'what the threshold unlocks').choices(['gift', 'free-shipping']).default('gift'))
      .option('--margin <rate>', 'gross margin on order value (0.4 = 40%); per-order margins come from cost/profit columns when present', parse('margin'))
      .option('--gift-cost <amount>', `what the gift costs you${giftCostNote}`, parse('giftCost'))
      .option('--shipping-cost <amount>', 'the shipping fee waived (default: the shipping each order paid, when the export has it)', parse('shippingCost'))
      .option('--costs <file>', 'item costs (columns sku,cost) for per-order margins')
      .option('--range <pct>', 'candidate thresholds, percent above the anchor', parse('range'), '15-30')
      .addOption(new Option('--anchor <stat>', 'what the range is measured from').choices(['mean', 'median']).default('mean'))
      .option('--step <pct>', 'step between candidates, percent', parse('step'), 1)
      .addOption(new Option('--round <to>', 'round thresholds to whole units (1), multiples of 5, or none').choices(['1', '5', 'none']).default('1'))
      .option('--uptake <p0>', 'share of carts with a tiny gap that top up, taken as known (default: the prior below)', parse('uptake'))
      .option('--uptake-prior <range>', '90% range of that share, a stated prior (default 0.05-0.35)', parse('uptakePrior'))
      .option('--returns <range>', 'share of top-up add-ons returned, a stated prior (default 0.03-0.18)', parse('returns'))
      .option('--reach-spread <x>', 'reach prior: from reach / x to reach times x (default 3)', parse('reachSpread'))
      .option('--no-prior', 'take uptake (0.3 unless given), reach and overshoot as known, as before issue #16')
      .option('--reach <amount>', 'largest gap a customer closes (default: a typical add-on price from the data)', parse('reach'))
      .option('--overshoot <amount>', 'how far past the threshold a topped-up cart lands (default: estimated from add-on prices)', parse('overshoot'))
      .addOption(new Option('--shape <shape>', 'how uptake falls with the gap').choices(['linear', 'logistic']).default('linear'))
      .option('--since <date>', 'window start (default: the last 12 months of data)')
      .option('--resamples <n>', 'bootstrap resamples', parse('resamples'), 1000)
      .option('--seed <n>', 'bootstrap seed', parse('seed'), 1)
      .option('--calibrate', 'estimate the real uptake from bunching at a threshold that already ran (detected)')
      .option('--existing-threshold <amount>', 'calibrate from this existing threshold', parse('existingThreshold'));
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
    write(`aov: error: ${sentence}\n  hint: ${command} --help lists the options, with examples.\n`);
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
      process.stderr.write(`aov: error: ${visibleLines(capped(message))}\n`);
      if (error.hint) process.stderr.write(`  hint: ${visibleLines(capped(error.hint))}\n`);
      // An error may come from a setting the user did not type: say which came from the config.
      if (appliedFromConfig && error.code !== 'E_CONFIG') {
        process.stderr.write(`  note: ${visibleLines(appliedFromConfig.keys.join(', '))} ${appliedFromConfig.keys.length === 1 ? 'comes' : 'come'} from ${visibleLines(appliedFromConfig.file)} (--no-config ignores it).\n`);
      }
      if (debug) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    if (isOutOfMemory(error)) {
      const memory = memoryError(error);
      process.stderr.write(`aov: error: ${memory.message}\n  hint: ${memory.hint}\n`);
      return memory.exitCode;
    }
    process.stderr.write(`aov: internal error: ${visibleLines(capped((error as Error)?.message ?? String(error)))}\n`);
    process.stderr.write(debug ? `${(error as Error)?.stack}\n` : '  (run again with --debug for the full trace, and please report it)\n');
    return 70;
  }
}

/** visible() per line: a message's own line breaks stay, a quoted value's controls do not. */
function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}
