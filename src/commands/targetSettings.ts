/** `aov rules --target` options normalised once, before any file is read or written (as thresholdSettings.ts does for the simulation). */
import { AovError } from '../errors.js';
import { amountToMinor, currencyDecimals, minorToAmount } from '../io/currency.js';
import { ruleId, type RulesDocument } from '../io/rulesFile.js';
import type { TargetSettings } from '../report/targets/types.js';

/** --target and its companions, as commander hands them over. */
export interface TargetCliOptions {
  target: string;
  out?: string;
  force?: boolean;
  starts?: string;
  ends?: string;
  giftProduct?: string;
  /** The rules file being converted (for messages). */
  file?: string;
}

/** --starts / --ends / --gift-product checked once, before any file is read or written. */
export function targetSettings(options: TargetCliOptions, today: string): TargetSettings {
  // The days themselves were checked by their parsers (optionSpecs.ts: starts, ends), on the command line and in aov.config.json.
  if (!options.target) {
    const given = (['starts', 'ends', 'giftProduct'] as const).filter((k) => options[k] !== undefined);
    if (given.length) throw new AovError('E_USAGE', `--${given[0] === 'giftProduct' ? 'gift-product' : given[0]} only applies with --target.`, { hint: 'Example: aov rules --check rules.json --target shopify --starts 2026-01-01' });
    return { startsOn: today, endsOn: null };
  }
  const startsOn = options.starts === undefined ? today : options.starts;
  const endsOn = options.ends === undefined ? null : options.ends;
  if (endsOn !== null && endsOn < startsOn) {
    throw new AovError('E_USAGE', `--ends ${endsOn} is before --starts ${startsOn}.`, { hint: 'The rule would never apply: give an end on or after the start.' });
  }
  return { startsOn, endsOn, giftProduct: options.giftProduct };
}

/**
 * Every threshold and minimum spend a target will carry, checked before anything is written: a
 * positive amount with no more decimals than its currency has (ISO 4217: JPY 0, EUR 2, KWD 3).
 * A platform would take "5000.5" JPY or "59.999" EUR as written while the cart message rounds it,
 * and "-5" would make free shipping unconditional.
 */
export function checkTargetAmounts(document: RulesDocument, file: string): void {
  document.rules.forEach((rule, index) => {
    const field = rule.threshold !== undefined ? 'threshold' : rule.minSpend !== undefined ? 'minSpend' : null;
    if (!field) return;
    const { amount, currency } = rule[field] as { amount: string; currency: string };
    const decimals = currencyDecimals(currency);
    const minor = amountToMinor(amount, decimals);
    const where = `${file}: rule ${index + 1} ("${ruleId(rule)}"), ${field}.amount`;
    if (minor === null) {
      throw new AovError('E_CONFIG', `${where} is ${amount}: ${currency} has ${decimals} decimal${decimals === 1 ? '' : 's'} (ISO 4217), so the platform and the cart message would disagree.`, {
        hint: `Write it with at most ${decimals} decimal${decimals === 1 ? '' : 's'}, e.g. "${minorToAmount(Math.round(Number(amount) * 10 ** decimals), decimals)}".`, context: { file },
      });
    }
    if (minor <= 0) throw new AovError('E_CONFIG', `${where} is ${amount}: a threshold must be above 0 (at or below it, every cart qualifies).`, { hint: 'Give the amount the cart must reach, e.g. "59.00".', context: { file } });
  });
}
