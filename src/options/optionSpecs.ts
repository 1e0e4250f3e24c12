/**
 * What every option value may be, in one table: the parser and the allowed range of each
 * numeric (and number-like) option of every command. The command line (through commander's
 * parsers) and aov.config.json (through `checkOptionValue`) are checked against the same
 * entry, before any file is opened. Issue #23's declarative option table can absorb this
 * table as the `parse` of its entries.
 *
 * A value outside its range is a usage error, never a silent clamp: `--step 0` would loop
 * forever and `--resamples 1e12` would try to allocate a terabyte.
 */
import { AovError, quoteValue } from '../errors.js';
import { isLocaleTag } from '../io/rulesFile.js';

/** One option's value rule: what it must be (in words, for messages), an example, and its parser. */
export interface ValueSpec<Value = unknown> {
  /** The command-line flag, e.g. "--step". */
  flag: string;
  /** What the value must be, completing "--step must be ...": "a number from 0.01 to 100". */
  expected: string;
  /** What to do instead, e.g. "Example: --step 1 (candidates 1% apart)." */
  hint: string;
  /** The parsed value, or undefined when the text is not allowed. */
  parse(text: string): Value | undefined;
}

interface NumberRange {
  /** Whole numbers only. */
  integer?: boolean;
  min: number;
  /** The minimum itself is not allowed (a share above 0). */
  minExclusive?: boolean;
  max: number;
  /** Also accept a percent ("10%") and read it as a share (0.1). */
  percent?: boolean;
  /** The noun of the expectation: "a number", "an amount", "a share". */
  noun?: string;
}

const grouped = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** "a whole number from 1 to 100,000", "a share above 0 and at most 1 (or 10%)". */
function describeRange(range: NumberRange): string {
  const noun = range.noun ?? (range.integer ? 'a whole number' : 'a number');
  const lower = range.minExclusive ? `above ${grouped(range.min)} and at most` : `from ${grouped(range.min)} to`;
  return `${noun} ${lower} ${grouped(range.max)}${range.percent ? ' (or a percent such as 10%)' : ''}`;
}

/** A plain decimal number as typed: digits, an optional fraction and exponent (no hex, no "Infinity", no blanks). */
const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(text: string, range: NumberRange): number | undefined {
  const trimmed = text.trim();
  const percent = range.percent === true && trimmed.endsWith('%');
  const digits = percent ? trimmed.slice(0, -1).trim() : trimmed;
  if (!NUMBER_TEXT.test(digits)) return undefined;
  const value = Number(digits) / (percent ? 100 : 1);
  if (!Number.isFinite(value)) return undefined;
  if (range.integer && !Number.isInteger(value)) return undefined;
  if (range.minExclusive ? value <= range.min : value < range.min) return undefined;
  if (value > range.max) return undefined;
  return value;
}

function numberSpec(flag: string, range: NumberRange, hint: string): ValueSpec<number> {
  return { flag, expected: describeRange(range), hint, parse: (text) => parseNumber(text, range) };
}

/** Money in major units: from 0 to 10^12 (kept exact in integer minor units with up to 3 decimals). */
const MONEY: NumberRange = { min: 0, max: 1e12, noun: 'an amount' };
/** Shares and rates as aov has always read them: above 0, at most 1, or a percent. */
const SHARE: NumberRange = { min: 0, minExclusive: true, max: 1, percent: true, noun: 'a share' };
/** Shares where 0 is meaningful (a filter that keeps everything, or nothing). */
const SHARE_OR_ZERO: NumberRange = { min: 0, max: 1, percent: true, noun: 'a share' };

/** "15-30": percent above the anchor, both ends from 0 to 1000, the first not above the second. */
export function parsePercentRange(text: string): [number, number] | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m) return undefined;
  const [from, to] = [Number(m[1]), Number(m[2])];
  if (from > to || to > 1000) return undefined;
  return [from / 100, to / 100];
}

/** "5-10" (percent), "0.05-0.10", or one value "8%": discounts below 100%. */
export function parseDiscountRangeText(text: string): [number, number] | undefined {
  const parts = text.replace(/%/g, '').split('-').map((p) => Number(p.trim()));
  const scale = parts.some((p) => p > 1) ? 100 : 1;
  const [lo, hi] = parts.length === 1 ? [parts[0], parts[0]] : parts;
  if (parts.length > 2 || !Number.isFinite(lo) || !Number.isFinite(hi) || lo < 0 || hi < lo || hi / scale >= 1) return undefined;
  return [lo / scale, hi / scale];
}

/** "0.01" is a share of baskets (above 0, under 1), "20" a count of baskets (up to 10^9). */
function isMinSupport(text: string): boolean {
  const trimmed = text.trim();
  if (!NUMBER_TEXT.test(trimmed)) return false;
  const value = Number(trimmed);
  return Number.isFinite(value) && value > 0 && value <= 1e9;
}

/** "0.05-0.35" or "5-35%": two shares from 0 to under 1, the smaller first; undefined otherwise. */
export function parseShareRangeText(text: string): [number, number] | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*-\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const percent = m[3] === '%' || Number(m[1]) > 1 || Number(m[2]) > 1;
  const [low, high] = [Number(m[1]), Number(m[2])].map((v) => v / (percent ? 100 : 1));
  return low >= 0 && high < 1 && low <= high ? [low, high] : undefined;
}
const isShareRange = (text: string) => parseShareRangeText(text) !== undefined;

/** "1.5" (known) or "0.6-2.6" (a 90% range, low below high): price elasticities above 0, at most 20. */
export function parseElasticityText(text: string): [number, number] | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?$/.exec(text);
  if (!m) return undefined;
  const [low, high] = [Number(m[1]), Number(m[2] ?? m[1])];
  return low > 0 && high <= 20 && (m[2] === undefined || low < high) ? [low, high] : undefined;
}

/** "0.05" or "5%": one share in [0, 1). */
export function parseShareText(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) / (m[2] === '%' || Number(m[1]) >= 1 ? 100 : 1);
  return value >= 0 && value < 1 ? value : undefined;
}

/** An IANA time zone Intl knows (Asia/Tokyo, Europe/Berlin, UTC). */
function isTimeZone(text: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
    return /^[A-Za-z_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(text);
  } catch {
    return false;
  }
}

/** A calendar day written YYYY-MM-DD that exists (2026-02-30 does not). */
function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

const textSpec = (flag: string, expected: string, hint: string, valid: (text: string) => boolean): ValueSpec<string> => ({
  flag, expected, hint, parse: (text) => (valid(text) ? text : undefined),
});

/**
 * Every numeric or number-like option of every command. Keys are spec names, not option
 * names: `--top` is a count of pairs in `aov bundles` and a share of customers in `aov suggest-tier`.
 */
export const VALUE_SPECS = {
  resamples: numberSpec('--resamples', { integer: true, min: 1, max: 100_000 }, 'Example: --resamples 1000 (more resamples are slower and barely narrower).'),
  seed: numberSpec('--seed', { integer: true, min: 1, max: 2 ** 32 - 1 }, 'Example: --seed 7 (the generator has 32-bit seeds).'),
  margin: numberSpec('--margin', SHARE, 'Example: --margin 0.4 (a 40% gross margin on order value).'),
  giftCost: numberSpec('--gift-cost', MONEY, 'Example: --gift-cost 3.50 (in the shop currency).'),
  shippingCost: numberSpec('--shipping-cost', MONEY, 'Example: --shipping-cost 4.90 (in the shop currency).'),
  step: numberSpec('--step', { min: 0.01, max: 100 }, 'Example: --step 1 (candidate thresholds 1% of the anchor apart).'),
  range: textSpec('--range', 'two percents above the anchor from 0 to 1000, the smaller first, such as 15-30', 'Example: --range 15-30', (text) => parsePercentRange(text) !== undefined),
  uptake: numberSpec('--uptake', SHARE, 'Example: --uptake 0.3 (30% of carts with a tiny gap top up).'),
  reach: numberSpec('--reach', MONEY, 'Example: --reach 8 (the largest gap a customer closes, in the shop currency).'),
  reachSpread: numberSpec('--reach-spread', { min: 1, max: 100 }, 'Example: --reach-spread 3 (reach between a third and three times the estimate).'),
  uptakePrior: textSpec('--uptake-prior', 'a range of shares such as 0.05-0.35 or 5-35%', 'Example: --uptake-prior 0.05-0.35', (text) => isShareRange(text)),
  returns: textSpec('--returns', 'a range of shares such as 0.03-0.18 or 3-18%', 'Example: --returns 0.03-0.18', (text) => isShareRange(text)),
  overshoot: numberSpec('--overshoot', MONEY, 'Example: --overshoot 2 (0 means carts land exactly on the threshold).'),
  existingThreshold: numberSpec('--existing-threshold', { ...MONEY, min: 0, minExclusive: true }, 'Example: --existing-threshold 50 (the threshold that already ran, in the shop currency).'),
  influence: numberSpec('--influence', SHARE, 'Example: --influence 0.1 (one order moving a period\'s mean by 10%).'),
  minSegmentOrders: numberSpec('--min-segment-orders', { integer: true, min: 1, max: 1e9 }, 'Example: --min-segment-orders 30'),
  npsThreshold: numberSpec('--threshold', MONEY, 'Example: --threshold 50 (an order value in the shop currency).'),
  minSupport: textSpec('--min-support', 'a share of baskets above 0 and under 1, such as 0.01, or a count of baskets from 1 to 1,000,000,000, such as 20', 'Example: --min-support 0.01 or --min-support 20', isMinSupport),
  maxSize: numberSpec('--max-size', { integer: true, min: 1, max: 10 }, 'Example: --max-size 3 (pairs and triples).'),
  minConfidence: numberSpec('--min-confidence', SHARE_OR_ZERO, 'Example: --min-confidence 0.2'),
  minLift: numberSpec('--min-lift', { min: 0, max: 1e9 }, 'Example: --min-lift 1.5'),
  maxQ: numberSpec('--max-q', SHARE_OR_ZERO, 'Example: --max-q 0.05 (pairs unlikely to be chance).'),
  pairsTop: numberSpec('--top', { integer: true, min: 1, max: 100_000 }, 'Example: --top 30 (how many pairs to show).'),
  maxBasket: numberSpec('--max-basket', { integer: true, min: 1, max: 1e9 }, 'Example: --max-basket 50'),
  bundleUplift: textSpec('--bundle-uplift', 'a share such as 0.05, or a 90% range of shares such as 0.02-0.10 or 2-10%', 'Example: --bundle-uplift 2-10% (of the baskets with part of a bundle, the share that would complete it)', (text) => isShareRange(text) || /^\s*\d+(\.\d+)?\s*%?\s*$/.test(text) && parseShareText(text) !== undefined),
  bundleElasticity: textSpec('--bundle-elasticity', 'a price elasticity above 0 and at most 20 such as 1.5, or a 90% range such as 0.6-2.6', 'Example: --bundle-elasticity 0.6-2.6 (per 1% off what the missing items cost, 0.6% to 2.6% more part baskets complete the bundle)', (text) => parseElasticityText(text) !== undefined),
  bundleDiscount: textSpec('--bundle-discount', 'a discount range under 100% such as 5-10 (percent) or one value such as 8%', 'Example: --bundle-discount 5-10', (text) => parseDiscountRangeText(text) !== undefined),
  setShare: numberSpec('--set-share', { min: 0.5, max: 1, percent: true, noun: 'a share' }, 'Example: --set-share 0.8 (a set: each item in at least 80% of every other\'s baskets).'),
  minBundleMargin: numberSpec('--min-bundle-margin', SHARE, 'Example: --min-bundle-margin 0.3 (a bundle keeps a 30% gross margin).'),
  tierTop: numberSpec('--top', SHARE, 'Example: --top 0.1 (the top 10% of customers).'),
  window: numberSpec('--window', { integer: true, min: 1, max: 36_500 }, 'Example: --window 365 (days, ending at the last order).'),
  responseHours: numberSpec('--response-hours', { integer: true, min: 1, max: 8_760 }, 'Example: --response-hours 2'),
  lift: numberSpec('--lift', { min: 0, max: 10 }, 'Example: --lift 0.15 (15% more second orders).'),
  burnIn: numberSpec('--burn-in', { min: 0, max: 36_500 }, 'Example: --burn-in 90 (days at the start of the data whose customers are not counted as new).'),
  validDays: numberSpec('--valid-days', { integer: true, min: 1, max: 36_500 }, 'Example: --valid-days 90'),
  locale: textSpec('--locale', 'a language tag such as it-IT or nb-NO', 'Example: --locale it-IT (BCP 47: a language, then optionally a region, joined by "-").', isLocaleTag),
  secondOrderGiftCost: numberSpec('--second-order-gift-cost', MONEY, 'Example: --second-order-gift-cost 2 (in the shop currency).'),
  starts: textSpec('--starts', 'a day as YYYY-MM-DD', 'Example: --starts 2026-01-01 (the first day the rules apply).', isDay),
  tz: textSpec('--tz', 'an IANA time zone such as Europe/Berlin', 'Example: --tz Asia/Tokyo (the shop\'s time zone: Shopify Settings > General).', isTimeZone),
  ends: textSpec('--ends', 'a day as YYYY-MM-DD', 'Example: --ends 2026-03-31 (the last day the rules apply).', isDay),
} satisfies Record<string, ValueSpec>;

export type ValueSpecName = keyof typeof VALUE_SPECS;

/** A commander option parser that carries its spec, so aov.config.json values get the same check. */
export type SpecParser<Value> = ((text: string) => Value) & { spec: ValueSpec<Value> };

/** The parser for one option; a bad value is an E_USAGE error: "--step must be ... (found 0)." */
export function optionParser<Name extends ValueSpecName>(name: Name): SpecParser<NonNullable<ReturnType<(typeof VALUE_SPECS)[Name]['parse']>>> {
  const spec = VALUE_SPECS[name] as ValueSpec;
  const parser = (text: string) => {
    const value = spec.parse(text);
    if (value === undefined) {
      throw new AovError('E_USAGE', `${spec.flag} must be ${spec.expected} (found ${quoteValue(text)}).`, { hint: spec.hint });
    }
    return value;
  };
  return Object.assign(parser, { spec }) as never;
}

/** The spec behind a commander option's parser, when it has one. */
export function specOf(parseArg: unknown): ValueSpec | undefined {
  return typeof parseArg === 'function' && 'spec' in parseArg ? (parseArg as SpecParser<unknown>).spec : undefined;
}

/** The parser of the variadic --locale option: each tag is checked (as optionParser does), and the list accumulates. */
export const localeOption = Object.assign(
  (text: string, previous: string[] | undefined): string[] => [...(previous ?? []), optionParser('locale')(text)],
  { spec: VALUE_SPECS.locale as ValueSpec },
);
