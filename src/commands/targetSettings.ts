/** `aov rules --target` options normalised once, before any file is read or written (as thresholdSettings.ts does for the simulation). */
import { AovError } from '../errors.js';
import type { TargetSettings } from '../report/targets/types.js';

/** --target and its companions, as commander hands them over. */
export interface TargetCliOptions {
  target: string;
  out?: string;
  force?: boolean;
  starts?: string;
  ends?: string;
  giftProduct?: string;
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
