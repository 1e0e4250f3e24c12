/**
 * `aov init [orders.csv]`: inspect an export and write aov.config.json with what was
 * detected (format, delimiter, decimal mark, date order, currency, column mapping) and the
 * business inputs the suggestions need. Prompts only on a TTY; --yes takes the detected
 * values; never overwrites an existing config without --force.
 */
import { reasonLabel } from '../io/reasons.js';
import { formatCount } from '../report/format.js';
import { formatStatus } from '../report/messages.js';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { AovError } from '../errors.js';
import { CONFIG_FILE } from '../io/config.js';
import { NO_CURRENCY, isCurrencyCode } from '../io/currency.js';
import { loadOrders } from '../io/load.js';
import { pathExists, writeFileAtomic } from '../io/output.js';

export interface InitOptions {
  yes?: boolean;
  force?: boolean;
  out?: string;
}

/** Business settings asked for, in order, when some command has the option. */
const BUSINESS: { key: string; question: string; parse: (text: string) => unknown }[] = [
  { key: 'margin', question: 'Gross margin on order value, e.g. 0.4 for 40% (empty: use cost/profit columns or ask later)', parse: Number },
  { key: 'giftCost', question: 'Cost of a free gift to you, in the shop currency (empty: none)', parse: Number },
  { key: 'shippingCost', question: 'Shipping cost you would waive with free shipping (empty: none)', parse: Number },
  { key: 'locale', question: 'Locale for customer messages, e.g. en, it-IT, nb-NO', parse: String },
  { key: 'tz', question: 'Time zone of the exports, e.g. Europe/Rome (empty: as written in the file)', parse: String },
];

export async function init(file: string | undefined, options: InitOptions, program: Command): Promise<number> {
  const target = path.resolve(options.out ?? CONFIG_FILE);
  if (pathExists(target) && !options.force) {
    throw new AovError('E_OUTPUT_EXISTS', `${target} already exists; it is left untouched.`, {
      hint: 'Add --force to replace it, or edit it by hand (aov config shows the merged settings).',
      context: { file: target },
    });
  }
  const known = new Set(program.commands.flatMap((c) => c.options.map((o) => o.attributeName())));
  const config: Record<string, unknown> = {};
  const report: string[] = [];
  let suggested: string | undefined;
  if (file) {
    // A file that does not say its currency (issue #21) is read with the hint's suggestion (the
    // currency of the country most orders ship to). A guess is not written as a fact: the
    // config's currency stays null unless the user confirms it at the prompt (QA review: --yes
    // wrote EUR for a GBP shop shipping to Germany, and every later run read it as known).
    const loaded = await loadOrders([file]).catch((error: unknown) => {
      const suggestion = error instanceof AovError && (error.code === 'E_NO_CURRENCY' || error.code === 'E_AMBIGUOUS_CURRENCY') ? error.context.suggestion : undefined;
      if (!suggestion) throw error;
      suggested = suggestion;
      return loadOrders([file], { currency: suggestion });
    });
    const { input } = loaded;
    const f = input.perFile[0];
    config.format = f.format;
    if (f.delimiter) config.delimiter = f.delimiter;
    if (f.decimalMark) config.decimal = f.decimalMark;
    if (/^dd/.test(f.dateFormat)) config.dateFormat = 'dmy';
    else if (/^mm/.test(f.dateFormat)) config.dateFormat = 'mdy';
    if (suggested) config.currency = null;
    else if (!f.currencyEvidence.startsWith('column') && f.currency !== NO_CURRENCY) config.currency = f.currency;
    config.map = Object.fromEntries(Object.entries(f.columns).filter(([field]) => ['order', 'date', 'customer', 'item', 'name', 'quantity', 'price', 'total', 'cost', 'profit', 'currency', 'status', 'country'].includes(field)));
    report.push(
      `${file}: ${f.format} (${f.formatEvidence}); delimiter ${JSON.stringify(f.delimiter)}, decimal "${f.decimalMark}", dates ${f.dateFormat} (${f.dateEvidence}), currency ${f.currency} (${suggested ? 'not in the file: suggested from the country most orders ship to; check it is the shop\'s currency' : f.currencyEvidence}).`,
      ...(suggested ? [`The config's "currency" is left null: a suggestion is not the shop's currency until you say so (set it, or pass --currency).`] : []),
      `Rows: ${formatCount(input.rows)} read = ${formatCount(input.rowsUsed)} used + ${formatCount(input.rowsExcluded)} excluded + ${formatCount(input.rejected)} rejected.`,
    );
    for (const [reason, n] of Object.entries(input.excluded)) report.push(`  would exclude ${formatCount(n ?? 0)} rows: ${reasonLabel(reason)}`);
  }
  const interactive = !options.yes && process.stdin.isTTY && process.stdout.isTTY;
  const prompt = interactive ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  try {
    if (suggested && prompt) {
      const answer = (await prompt.question(`Shop currency (the file does not say; ${suggested} is a suggestion; empty: leave it unset): `)).trim().toUpperCase();
      if (isCurrencyCode(answer)) config.currency = answer;
    }
    for (const setting of BUSINESS) {
      if (!known.has(setting.key)) continue;
      if (!prompt) {
        config[setting.key] = null;
        continue;
      }
      const answer = (await prompt.question(`${setting.question}: `)).trim();
      config[setting.key] = answer === '' ? null : setting.parse(answer);
    }
  } finally {
    prompt?.close();
  }
  const text = `${JSON.stringify(config, null, 2)}\n`;
  // The one atomic write of src/io (temp file + rename; the folder made when missing).
  await writeFileAtomic(target, text, { force: options.force });
  process.stderr.write([...report, `Wrote ${target}${interactive ? '' : ' (business settings left null: fill them in, or pass them as options)'}.`].map(formatStatus).join(''));
  return 0;
}
