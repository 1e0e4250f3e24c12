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
  tz?: string;
  /** The rules file being converted (for messages). */
  file?: string;
}

/** --starts / --ends / --gift-product checked once, before any file is read or written. */
export function targetSettings(options: TargetCliOptions, today: string): TargetSettings {
  // The days themselves were checked by their parsers (optionSpecs.ts: starts, ends), on the command line and in aov.config.json.
  if (!options.target) {
    const given = (['starts', 'ends', 'giftProduct', 'tz'] as const).filter((k) => options[k] !== undefined);
    if (given.length) throw new AovError('E_USAGE', `--${given[0] === 'giftProduct' ? 'gift-product' : given[0]} only applies with --target.`, { hint: 'Example: aov rules --check rules.json --target shopify --starts 2026-01-01' });
    return { startsOn: today, endsOn: null, startsLater: false, timeZone: null, startsOffset: 'Z', endsOffset: 'Z' };
  }
  const startsOn = options.starts === undefined ? today : options.starts;
  const endsOn = options.ends === undefined ? null : options.ends;
  if (endsOn !== null && endsOn < startsOn) {
    throw new AovError('E_USAGE', `--ends ${endsOn} is before --starts ${startsOn}.`, { hint: 'The rule would never apply: give an end on or after the start.' });
  }
  const timeZone = options.tz ?? null;
  return {
    startsOn, endsOn, startsLater: startsOn > today, giftProduct: options.giftProduct, timeZone,
    startsOffset: timeZone ? offsetAt(startsOn, '00:00:00', timeZone) : 'Z',
    endsOffset: timeZone && endsOn ? offsetAt(endsOn, '23:59:59', timeZone) : 'Z',
  };
}

/**
 * The UTC offset of a wall-clock time in an IANA zone ("2026-01-01", "00:00:00", "Asia/Tokyo"
 * -> "+09:00"), from Intl's longOffset; one correction step finds the offset at that local time
 * rather than at the same UTC time (they differ across a DST change).
 */
export function offsetAt(day: string, time: string, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const minutesAt = (ms: number) => {
    const name = format.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  };
  const wall = Date.parse(`${day}T${time}Z`);
  const minutes = minutesAt(wall - minutesAt(wall) * 60_000);
  if (minutes === 0) return 'Z';
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
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
