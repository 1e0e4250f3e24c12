/**
 * Every command-line option of aov, once: a typed table per command that `src/cli.ts` builds
 * the commands from. Help, `aov.config.json` validation, `aov config` and shell completion
 * all read the commands built here, so an option exists in one place. Each table is a mapped
 * type over the command's own options interface: an option the command reads without an
 * entry here (or an entry for an option it does not have) is a compile error.
 */
import { Option, type Command } from 'commander';
import { BUNDLE_DEFAULTS } from '../analysis/bundleDefaults.js';
import { FORMAT_NAMES } from '../io/formats.js';
import { DATE_FORMAT_NAMES } from '../io/locale.js';
import type { AnalyzeOptions } from '../commands/analyze.js';
import type { BundlesOptions } from '../commands/bundles.js';
import type { EvaluateOptions } from '../commands/evaluate.js';
import type { InitOptions } from '../commands/init.js';
import type { InputCliOptions } from '../commands/inputOptions.js';
import type { SecondOrderOptions, TierOptions } from '../commands/loyalty.js';
import { localeOption, optionParser as parse } from './optionSpecs.js';
import type { ReportOptions } from '../commands/report.js';
import type { RulesOwnOptions } from '../commands/rules.js';
import type { ThresholdOptions } from '../commands/thresholdSettings.js';

/** One option as the command line spells it. */
export interface OptionEntry {
  /** Commander's flags, e.g. '--min-support <s>' or '--no-color'. */
  flags: string;
  description: string;
  /** Parses (and checks) the text; the value table's parsers (optionSpecs.ts) carry their spec. */
  parse?: (value: string, previous: never) => unknown;
  default?: unknown;
  choices?: readonly string[];
  /** A value the command cannot run without: "(required)" in help, checked after the config is applied. */
  required?: { example: string; command: string };
}

/**
 * Every option of T, keyed as commander names it (camelCase; `--no-color` is `color`). A key
 * with two flags (`--dedupe` and `--no-dedupe`) has both, in help order.
 */
export type OptionTable<T> = { readonly [K in keyof Required<T>]: OptionEntry | readonly OptionEntry[] };

/** Options of T that are not T's input options. */
type Own<T, Shared = InputCliOptions> = Omit<T, keyof Shared>;

// ---------------------------------------------------------------------------------------
// Entries several commands share (one wording, one default).

const json = (schema: string): OptionEntry => ({ flags: '--json', description: `print the ${schema} JSON document` });
const noColor: OptionEntry = { flags: '--no-color', description: 'no colour, even on a terminal' };
const period = (description: string): OptionEntry => ({ flags: '--period <period>', description, choices: ['day', 'week', 'month'], default: 'month' });
const seed = (description: string): OptionEntry => ({ flags: '--seed <n>', description, parse: parse('seed'), default: 1 });
const locale = (description: string): OptionEntry => ({ flags: '--locale <locales...>', description, parse: localeOption });
const minSupport = (description: string): OptionEntry => ({ flags: '--min-support <s>', description, parse: parse('minSupport'), default: BUNDLE_DEFAULTS.minSupport });
const maxSize = (description: string): OptionEntry => ({ flags: '--max-size <n>', description, parse: parse('maxSize'), default: BUNDLE_DEFAULTS.maxSize });
const lift = (description: string): OptionEntry => ({ flags: '--lift <rate>', description, parse: parse('lift'), default: 0.15 });
const validDays = (description: string): OptionEntry => ({ flags: '--valid-days <days>', description, parse: parse('validDays'), default: 90 });
const tierTop = (description: string): OptionEntry => ({ flags: '--top <share>', description, parse: parse('tierTop'), default: 0.1 });
const tierWindow = (description: string): OptionEntry => ({ flags: '--window <days>', description, parse: parse('window'), default: 365 });

// ---------------------------------------------------------------------------------------
// Tables.

/** The options before the command name. */
export const GLOBAL_OPTIONS: OptionTable<{ debug?: boolean; config?: string | false }> = {
  debug: { flags: '--debug', description: 'print full stack traces on errors' },
  config: [
    { flags: '--config <file>', description: 'settings file (default: aov.config.json in this folder or a parent)' },
    { flags: '--no-config', description: 'ignore aov.config.json' },
  ],
};

/** What every command that reads orders takes (src/commands/inputOptions.ts normalises them). */
export const INPUT_OPTIONS: OptionTable<InputCliOptions> = {
  format: { flags: '--format <name>', description: 'input format (detected from the header when omitted)', choices: [...FORMAT_NAMES, 'baskets'] },
  map: { flags: '--map <field=Header,...>', description: 'map fields to headers, e.g. order=InvoiceNo,price=UnitPrice' },
  value: { flags: '--value <which>', description: 'order value: subtotal (merchandise after discounts) or total', choices: ['subtotal', 'total'], default: 'subtotal' },
  currency: { flags: '--currency <code>', description: 'ISO 4217 currency when the export has no currency column or symbol' },
  dateFormat: { flags: '--date-format <order>', description: 'day/month order when the data cannot tell', choices: [...DATE_FORMAT_NAMES] },
  delimiter: { flags: '--delimiter <char>', description: 'field delimiter (detected from the header when omitted)' },
  decimal: { flags: '--decimal <mark>', description: 'decimal mark of amounts (detected when omitted)', choices: ['.', ','] },
  strict: { flags: '--strict', description: 'fail on any row that cannot be read, instead of counting and skipping it' },
  quiet: { flags: '--quiet', description: 'no progress line on stderr for long runs' },
  dedupe: [
    { flags: '--dedupe', description: 'drop rows identical to an earlier row (default for Shopify; counted otherwise)' },
    { flags: '--no-dedupe', description: 'keep rows identical to an earlier row, even in Shopify exports' },
  ],
  orders: { flags: '--orders <file>', description: 'multi-table export: the orders file (with --items)' },
  items: { flags: '--items <file>', description: 'multi-table export: the order items file, joined on order_id' },
  products: { flags: '--products <file>', description: 'multi-table export: the products file, joined on product_id (names)' },
  memory: { flags: '--memory <size>', description: "cap the engine's memory (e.g. 512MB, 2GB); beyond it, it spills to a temporary folder" },
  cache: { flags: '--no-cache', description: 'read the files again instead of the cached import (~/.cache/aov; see aov cache)' },
};

/** The options of the threshold model itself: what suggest-threshold, report and rules share. */
export type ThresholdModelOptions = Own<ThresholdOptions, InputCliOptions & Pick<ThresholdOptions, 'locale' | 'emit' | 'force' | 'json' | 'color'>>;

/** The threshold model's options; `giftCostNote` adds to --gift-cost's description where it is required. */
export function thresholdModelOptions(giftCostNote = ''): OptionTable<ThresholdModelOptions> {
  return {
    mode: { flags: '--mode <mode>', description: 'what the threshold unlocks', choices: ['gift', 'free-shipping'], default: 'gift' },
    margin: { flags: '--margin <rate>', description: 'gross margin on order value (0.4 = 40%); per-order margins come from cost/profit columns when present', parse: parse('margin') },
    giftCost: { flags: '--gift-cost <amount>', description: `what the gift costs you${giftCostNote}`, parse: parse('giftCost') },
    shippingCost: { flags: '--shipping-cost <amount>', description: 'the shipping fee waived (default: the shipping each order paid, when the export has it)', parse: parse('shippingCost') },
    costs: { flags: '--costs <file>', description: 'item costs (columns sku,cost) for per-order margins' },
    range: { flags: '--range <pct>', description: 'candidate thresholds, percent above the anchor', parse: parse('range'), default: '15-30' },
    anchor: { flags: '--anchor <stat>', description: 'what the range is measured from', choices: ['mean', 'median'], default: 'mean' },
    step: { flags: '--step <pct>', description: 'step between candidates, percent', parse: parse('step'), default: 1 },
    round: { flags: '--round <to>', description: 'round thresholds to whole units (1), multiples of 5, or none', choices: ['1', '5', 'none'], default: '1' },
    uptake: { flags: '--uptake <p0>', description: 'share of carts with a tiny gap that top up, taken as known (default: the prior below)', parse: parse('uptake') },
    uptakePrior: { flags: '--uptake-prior <range>', description: '90% range of that share, a stated prior (default 0.05-0.35)', parse: parse('uptakePrior') },
    returns: { flags: '--returns <range>', description: 'share of top-up add-ons returned, a stated prior (default 0.03-0.18)', parse: parse('returns') },
    reachSpread: { flags: '--reach-spread <x>', description: 'reach prior: from reach / x to reach times x (default 3)', parse: parse('reachSpread') },
    prior: { flags: '--no-prior', description: 'take uptake (0.3 unless given), reach and overshoot as known, as before issue #16' },
    reach: { flags: '--reach <amount>', description: 'largest gap a customer closes (default: a typical add-on price from the data)', parse: parse('reach') },
    overshoot: { flags: '--overshoot <amount>', description: 'how far past the threshold a topped-up cart lands (default: estimated from add-on prices)', parse: parse('overshoot') },
    shape: { flags: '--shape <shape>', description: 'how uptake falls with the gap', choices: ['linear', 'logistic'], default: 'linear' },
    since: { flags: '--since <date>', description: 'window start (default: the last 12 months of data)' },
    resamples: { flags: '--resamples <n>', description: 'bootstrap resamples', parse: parse('resamples'), default: 1000 },
    seed: seed('bootstrap seed'),
    calibrate: { flags: '--calibrate', description: 'estimate the real uptake from bunching at a threshold that already ran (detected)' },
    existingThreshold: { flags: '--existing-threshold <amount>', description: 'calibrate from this existing threshold', parse: parse('existingThreshold') },
  };
}

export const ANALYZE_OPTIONS: OptionTable<Own<AnalyzeOptions>> = {
  json: { flags: '--json', description: 'print the aov.analyze/v1 JSON document to stdout' },
  period: period('trend period (ISO weeks)'),
  tz: { flags: '--tz <zone>', description: 'time zone for timestamps that carry an offset, e.g. Europe/Rome (default: as written)', parse: parse('tz') },
  includePartial: { flags: '--include-partial', description: 'fit the trend over partial first/last periods too' },
  influence: { flags: '--influence <share>', description: 'flag a period when one order moves its mean by more than this share', parse: parse('influence'), default: 0.1 },
  resamples: { flags: '--resamples <n>', description: 'bootstrap resamples for period-over-period intervals', parse: parse('resamples'), default: 2000 },
  seed: seed('seed of the bootstrap'),
  by: { flags: '--by <segment>', description: 'summary per segment: new-vs-returning, country, channel, currency, or any column' },
  minSegmentOrders: { flags: '--min-segment-orders <n>', description: 'segments with fewer orders are pooled as "other"', parse: parse('minSegmentOrders'), default: 30 },
  nps: { flags: '--nps <survey>', description: 'NPS survey CSV (customer email or id, 0-10 score, date) to read beside AOV' },
  threshold: { flags: '--threshold <amount>', description: 'with --nps: compare customers who reached this order value with those who did not', parse: parse('npsThreshold') },
  color: noColor,
};

export const THRESHOLD_OPTIONS: OptionTable<Pick<ThresholdOptions, 'locale' | 'emit' | 'force' | 'json' | 'color'>> = {
  locale: locale('locales for the rule messages besides en, e.g. it-IT nb-NO'),
  emit: { flags: '--emit <rules.json>', description: 'write the recommended rule into an aov.rules/v1 file (merged, never clobbered)' },
  force: { flags: '--force', description: 'run with fewer than 100 orders; replace a same-id rule in --emit' },
  json: json('aov.threshold/v1'),
  color: noColor,
};

/** --bundle-uplift: one entry for every command that prices bundles (bundles, rules, report). */
const bundleUplift = (): OptionEntry => ({ flags: '--bundle-uplift <share>', description: `instead of --bundle-elasticity: an assumed share of baskets with part of a bundle that would complete it at any discount, one value (0.05) or a 90% range, a stated prior (e.g. ${BUNDLE_DEFAULTS.bundleUplift})`, parse: parse('bundleUplift') });
/** --bundle-elasticity, as --bundle-uplift. */
const bundleElasticity = (): OptionEntry => ({ flags: '--bundle-elasticity <e>', description: `how part baskets respond to a bundle discount: % more of them complete it per 1% off the missing items, one value or a 90% range, a stated prior (default ${BUNDLE_DEFAULTS.bundleElasticity}; --bundle-uplift instead assumes a share that ignores the discount)`, parse: parse('bundleElasticity') });

export const REPORT_OPTIONS: OptionTable<Own<ReportOptions, InputCliOptions & ThresholdModelOptions>> = {
  out: { flags: '--out <dir>', description: 'the folder for the report files', required: { example: 'aov report orders.csv --out report/', command: 'report' } },
  compare: { flags: '--compare <report.json>', description: 'an earlier report.json: show changes and evaluate --fail-on against it' },
  failOn: { flags: '--fail-on <metric:change>', description: 'exit 1 when breached, e.g. "aov.median:-10%" (repeatable)', parse: (value: string, previous: string[] = []) => [...previous, value] },
  title: { flags: '--title <text>', description: 'report title', default: 'Average order value report' },
  nps: { flags: '--nps <survey>', description: 'NPS survey CSV (customer, 0-10 score, date) to report beside AOV' },
  rules: { flags: '--rules <rules.json>', description: 'add "Did it work?": each rule of an aov.rules/v1 file evaluated from its startsAt' },
  now: { flags: '--now <iso>', description: 'timestamp to print (reports carry no wall-clock time otherwise)' },
  period: period('trend period'),
  tz: { flags: '--tz <zone>', description: 'time zone for timestamps with an offset', parse: parse('tz') },
  minSupport: minSupport('bundles: minimum support (share or count)'),
  maxSize: maxSize('bundles: largest itemset'),
  bundleUplift: bundleUplift(),
  bundleElasticity: bundleElasticity(),
  locale: locale('locales for rule messages besides en'),
  force: { flags: '--force', description: 'replace existing report files in --out' },
};

export const BUNDLES_OPTIONS: OptionTable<Own<BundlesOptions>> = {
  minSupport: minSupport('minimum support: a share of baskets (0.01) or a count (20)'),
  maxSize: maxSize('largest itemset to mine (2 = pairs)'),
  minConfidence: { flags: '--min-confidence <c>', description: 'keep pairs with confidence at least this in one direction', parse: parse('minConfidence') },
  minLift: { flags: '--min-lift <l>', description: 'keep pairs with lift at least this', parse: parse('minLift') },
  maxQ: { flags: '--max-q <q>', description: 'keep pairs with Benjamini-Hochberg q at most this (unlikely to be chance)', parse: parse('maxQ'), default: BUNDLE_DEFAULTS.maxQ },
  sort: { flags: '--sort <key>', description: 'order of the pairs', choices: ['lift', 'support', 'confidence', 'margin'], default: BUNDLE_DEFAULTS.sort },
  top: { flags: '--top <n>', description: 'how many pairs to show and offer', parse: parse('pairsTop'), default: BUNDLE_DEFAULTS.top },
  for: { flags: '--for <item>', description: 'what goes with this item (SKU or exact name): cross-sell' },
  setShare: { flags: '--set-share <share>', description: 'items each in at least this share of every other\'s baskets form a set, shown apart from complements (0.5 to 1)', parse: parse('setShare'), default: BUNDLE_DEFAULTS.setShare },
  item: { flags: '--item <what>', description: 'what an item is: product (variants grouped: sizes, colours, "Product - Variant" names), sku, or name', choices: ['product', 'sku', 'name'], default: BUNDLE_DEFAULTS.item },
  itemPattern: { flags: '--item-pattern <regex>', description: 'remove matches from item labels to group variants, e.g. " - [0-9]+$"' },
  excludeItems: { flags: '--exclude-items <regex>', description: 'leave out non-products matching this (none keeps all; defaults per format)' },
  maxBasket: { flags: '--max-basket <n>', description: 'skip baskets with more items than this for pairs (default auto: none, unless the pair scan would exceed 5e8 steps)', parse: parse('maxBasket') },
  costs: { flags: '--costs <file>', description: 'item costs (columns sku,cost) for bundle margins' },
  bundleDiscount: { flags: '--bundle-discount <range>', description: 'discount range for bundle prices, percent', parse: parse('bundleDiscount'), default: BUNDLE_DEFAULTS.bundleDiscount },
  bundleUplift: bundleUplift(),
  bundleElasticity: bundleElasticity(),
  minBundleMargin: { flags: '--min-bundle-margin <m>', description: 'gross margin a bundle must keep', parse: parse('minBundleMargin'), default: BUNDLE_DEFAULTS.minBundleMargin },
  emit: { flags: '--emit <rules.json>', description: 'write bundle rules into an aov.rules/v1 file (merged, never clobbered)' },
  csv: { flags: '--csv <file>', description: 'write all kept pairs as CSV (safe to open in a spreadsheet)' },
  force: { flags: '--force', description: 'replace an existing --csv file or a same-id rule in --emit' },
  json: json('aov.bundles/v1'),
  color: noColor,
};

export const EVALUATE_OPTIONS: OptionTable<Own<EvaluateOptions>> = {
  threshold: { flags: '--threshold <amount>', description: 'the order value the gift or free shipping starts at', parse: parse('npsThreshold') },
  since: { flags: '--since <date>', description: 'the date the rule went live, e.g. 2026-03-01 (with --rules: for rules without startsAt)' },
  rules: { flags: '--rules <rules.json>', description: 'evaluate each rule of an aov.rules/v1 file from its startsAt' },
  secondOrderGift: { flags: '--second-order-gift', description: 'evaluate a gift on the second order (with --since and --gift-cost)' },
  validDays: validDays('second-order gift: how long after the first order it is valid'),
  burnIn: { flags: '--burn-in <days>', description: 'second-order gift: customers first seen in the first <days> of data are not new (default: --valid-days)', parse: parse('burnIn') },
  nps: { flags: '--nps <survey>', description: 'NPS survey CSV (customer, 0-10 score, date): NPS before and after, beside AOV' },
  writeCalibration: { flags: '--write-calibration <file>', description: 'write the measured uptake as settings the next suggest-threshold reads (aov --config FILE suggest-threshold)' },
  force: { flags: '--force', description: 'replace the --write-calibration file' },
  mode: { flags: '--mode <mode>', description: 'what the threshold unlocks', choices: ['gift', 'free-shipping'], default: 'gift' },
  giftCost: { flags: '--gift-cost <amount>', description: 'what the gift costs you (required in gift mode)', parse: parse('giftCost') },
  shippingCost: { flags: '--shipping-cost <amount>', description: 'the shipping fee waived (default: the shipping orders paid before the start, when the export has it)', parse: parse('shippingCost') },
  margin: { flags: '--margin <rate>', description: 'gross margin on order value (0.4 = 40%); per-order margins come from cost/profit columns when present', parse: parse('margin') },
  costs: { flags: '--costs <file>', description: 'item costs (columns sku,cost) for the margin on added items' },
  reach: { flags: '--reach <amount>', description: 'largest gap a customer closes (default: a typical add-on price before the start)', parse: parse('reach') },
  resamples: { flags: '--resamples <n>', description: 'bootstrap resamples', parse: parse('resamples'), default: 1000 },
  seed: seed('bootstrap seed'),
  json: json('aov.evaluate/v1'),
  color: noColor,
};

export const TIER_OPTIONS: OptionTable<Own<TierOptions>> = {
  top: tierTop('share of customers in the tier (0.1 = top 10%)'),
  window: tierWindow('spend window in days, ending at the last order'),
  responseHours: { flags: '--response-hours <n>', description: 'support response target written into the rule', parse: parse('responseHours'), default: 2 },
  json: json('aov.tier/v1'),
  color: noColor,
};

export const SECOND_ORDER_OPTIONS: OptionTable<Own<SecondOrderOptions>> = {
  giftCost: {
    flags: '--gift-cost <amount>', description: 'what the gift costs you (shop currency)', parse: parse('giftCost'),
    required: { example: 'aov suggest-second-order orders.csv --gift-cost 3', command: 'suggest-second-order' },
  },
  gift: { flags: '--gift <text>', description: 'what the gift is, for the rule file', default: 'free gift' },
  margin: { flags: '--margin <rate>', description: 'gross margin on order value (0.4 = 40%); taken from cost or profit columns when present', parse: parse('margin') },
  lift: lift('assumed relative lift in second orders (0.15 = +15%); swept at x0.5 and x1.5'),
  validDays: validDays('how long after the first order the offer is valid'),
  burnIn: { flags: '--burn-in <days>', description: 'customers first seen in the first <days> of data are not counted as new (their earlier orders may predate the export; default: --valid-days)', parse: parse('burnIn') },
  resamples: { flags: '--resamples <n>', description: 'bootstrap resamples over customers for the break-even interval', parse: parse('resamples'), default: 1000 },
  seed: seed('bootstrap seed'),
  json: json('aov.secondOrder/v1'),
  color: noColor,
};

export const INIT_OPTIONS: OptionTable<InitOptions> = {
  yes: { flags: '--yes', description: 'take the detected values without asking' },
  force: { flags: '--force', description: 'replace an existing aov.config.json' },
  out: { flags: '--out <file>', description: 'where to write the config', default: 'aov.config.json' },
};

export const RULES_OPTIONS: OptionTable<RulesOwnOptions> = {
  check: { flags: '--check <file>', description: 'validate a (hand-edited) rules file against the schema and explain each error' },
  out: { flags: '--out <path>', description: "the rules file to write (merged with an existing one; default rules.json); with --target, the folder (default: the target's name)" },
  target: { flags: '--target <platform>', description: "also write the rules as the platform's own objects, with cart messages", choices: ['shopify', 'woocommerce', 'prestashop', 'magento'] },
  starts: { flags: '--starts <date>', description: 'with --target: first day the rules apply, YYYY-MM-DD (default: today)', parse: parse('starts') },
  ends: { flags: '--ends <date>', description: 'with --target: last day, YYYY-MM-DD (default: no end)', parse: parse('ends') },
  tz: { flags: '--tz <zone>', description: "with --target: the shop's time zone for Shopify's startsAt/endsAt, e.g. Europe/Berlin (default: UTC)", parse: parse('tz') },
  giftProduct: { flags: '--gift-product <id>', description: 'with --target: the gift on the platform (Shopify variant id, WooCommerce or PrestaShop product id, Magento SKU)' },
  secondOrderGiftCost: { flags: '--second-order-gift-cost <amount>', description: 'cost of the second-order gift (default: --gift-cost)', parse: parse('secondOrderGiftCost') },
  lift: lift('assumed relative lift in second orders'),
  validDays: validDays('second-order offer validity'),
  top: tierTop('tier: share of customers'),
  window: tierWindow('tier: spend window'),
  minSupport: minSupport('bundles: minimum support (share or count)'),
  maxSize: maxSize('bundles: largest itemset'),
  bundleUplift: bundleUplift(),
  bundleElasticity: bundleElasticity(),
  locale: locale('locales for threshold messages besides en'),
  force: { flags: '--force', description: 'replace same-id rules in an existing file; run with fewer than 100 orders' },
  json: { flags: '--json', description: 'print the written aov.rules/v1 document (with --check: the aov.rulesCheck/v1 verdict; with --check and --target: the aov.target/v1 manifest)' },
};

export const FORMATS_OPTIONS: OptionTable<{ json?: boolean }> = { json: json('aov.formats/v1') };
export const CONFIG_OPTIONS: OptionTable<{ json?: boolean }> = { json: json('aov.config/v1') };

// ---------------------------------------------------------------------------------------
// Building commander options from a table.

const REQUIRED = new WeakMap<Option, { description: string; example: string; command: string }>();

/** What a required option's entry says (for the "is required" error), or undefined. */
export function requiredSpec(option: Option): { description: string; example: string; command: string } | undefined {
  return REQUIRED.get(option);
}

/** The commander Option of one entry. */
export function toOption(entry: OptionEntry): Option {
  const option = new Option(entry.flags, entry.required ? `${entry.description} (required)` : entry.description);
  if (entry.choices) option.choices(entry.choices);
  if (entry.parse) option.argParser(entry.parse as (value: string, previous: unknown) => unknown);
  if (entry.default !== undefined) option.default(entry.default);
  // (commander's requiredOption is checked before aov.config.json is applied: aov checks after it)
  if (entry.required) REQUIRED.set(option, { description: entry.description, example: entry.required.example, command: entry.required.command });
  return option;
}

/** Adds every entry of the tables to the command, in table order. */
export function addOptions(command: Command, ...tables: OptionTable<object>[]): Command {
  for (const table of tables) {
    for (const value of Object.values(table) as (OptionEntry | readonly OptionEntry[])[]) {
      for (const entry of Array.isArray(value) ? value : [value as OptionEntry]) command.addOption(toOption(entry));
    }
  }
  return command;
}
