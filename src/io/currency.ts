/**
 * ISO 4217 minor units. Intl's currency digits are display conventions (HUF and TWD show
 * 0 decimals but have 2 minor units), so amounts are scaled with this table, not Intl.
 * Source: ISO 4217 list one (SIX Interbank Clearing), 2024 edition. Codes not listed have 2.
 */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  CLF: 4, UYW: 4,
};

/** Every active ISO 4217 code, so a typo such as "EUD" is caught rather than trusted. */
const KNOWN_CODES = new Set(
  ('AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP ' +
    'BYN BZD CAD CDF CHF CLF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP ' +
    'GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS ' +
    'KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR ' +
    'MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF ' +
    'SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD ' +
    'TZS UAH UGX USD UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG').split(' '),
);

/**
 * Codes ISO 4217 has withdrawn (list three), which historical exports still carry: a
 * Croatian shop's 2022 orders are in HRK. Their orders keep their own block, with a note.
 * Minor units as they were when the code was in use. VED (2021) is active and listed above.
 */
const WITHDRAWN_CODES: Readonly<Record<string, { decimals: number; until: string }>> = {
  HRK: { decimals: 2, until: '2023 (replaced by EUR)' },
  CUC: { decimals: 2, until: '2021' },
  VEF: { decimals: 2, until: '2018 (replaced by VES)' },
  BYR: { decimals: 0, until: '2016 (replaced by BYN)' },
  LTL: { decimals: 2, until: '2015 (replaced by EUR)' },
  LVL: { decimals: 2, until: '2014 (replaced by EUR)' },
  EEK: { decimals: 2, until: '2011 (replaced by EUR)' },
  SKK: { decimals: 2, until: '2009 (replaced by EUR)' },
  MRO: { decimals: 2, until: '2018 (replaced by MRU)' },
  STD: { decimals: 2, until: '2018 (replaced by STN)' },
  SLL: { decimals: 2, until: '2023 (replaced by SLE)' },
  ZWL: { decimals: 2, until: '2024 (replaced by ZWG)' },
  ZMK: { decimals: 2, until: '2013 (replaced by ZMW)' },
  GHC: { decimals: 2, until: '2007 (replaced by GHS)' },
  TRL: { decimals: 0, until: '2005 (replaced by TRY)' },
};

/** ISO 4217's code for "no currency": used when an export names none and --currency is not given. */
export const NO_CURRENCY = 'XXX';
KNOWN_CODES.add(NO_CURRENCY);

/** An active or withdrawn ISO 4217 code with minor units (not a metal, test or fund code). */
export function isCurrencyCode(code: string): boolean {
  return KNOWN_CODES.has(code) || code in WITHDRAWN_CODES;
}

/** Every code isCurrencyCode accepts, sorted: the import rejects lines in any other code. */
export function currencyCodes(): string[] {
  return [...KNOWN_CODES, ...Object.keys(WITHDRAWN_CODES)].sort();
}

/** When a withdrawn code left use ("2023 (replaced by EUR)"), or undefined for an active one. */
export function withdrawnCurrency(code: string): string | undefined {
  return WITHDRAWN_CODES[code]?.until;
}

/**
 * A major-unit amount in minor units, exact to the import's precision (DECIMAL(18,6): six
 * decimals of the major unit), not rounded to the cent: 0.845 -> 84.5, where
 * Math.round(0.845 * 100) gives 84 (0.845 * 100 is 84.49999999999999 in binary).
 */
export function exactMinor(major: number, decimals: number): number {
  // Whole millionths of the major unit first (exact integers), then scaled down to minor units.
  return Math.round(major * 1e6) / 10 ** (6 - decimals);
}

/** Minor-unit digits of an ISO 4217 code (2 when the code has no entry). */
export function currencyDecimals(code: string): number {
  return MINOR_UNITS[code] ?? WITHDRAWN_CODES[code]?.decimals ?? 2;
}

/**
 * Symbols and words that name exactly one currency. Ambiguous ones ($, kr, ¥) are in
 * AMBIGUOUS_SYMBOLS and need a country, a currency column or --currency to resolve.
 */
export const UNAMBIGUOUS_SYMBOLS: Readonly<Record<string, string>> = {
  '€': 'EUR', '£': 'GBP', '₹': 'INR', '₩': 'KRW', '₺': 'TRY', '₽': 'RUB', '₴': 'UAH',
  '₪': 'ILS', '₫': 'VND', '₱': 'PHP', '฿': 'THB', 'zł': 'PLN', 'Kč': 'CZK', 'Ft': 'HUF',
  'CHF': 'CHF', 'US$': 'USD', 'A$': 'AUD', 'C$': 'CAD', 'NZ$': 'NZD', 'R$': 'BRL', 'lei': 'RON',
};
export const AMBIGUOUS_SYMBOLS: Readonly<Record<string, readonly string[]>> = {
  '$': ['USD', 'CAD', 'AUD', 'NZD', 'MXN', 'SGD', 'HKD'],
  'kr': ['NOK', 'SEK', 'DKK', 'ISK'],
  'kr.': ['DKK', 'ISK'],
  '¥': ['JPY', 'CNY'],
};

/** Country (ISO alpha-2 or English name) to its currency, for resolving "kr" or "$" and for exports without a currency. */
const COUNTRY_CURRENCY: Readonly<Record<string, string>> = {
  'united kingdom': 'GBP', uk: 'GBP', gb: 'GBP', 'great britain': 'GBP',
  'united states': 'USD', usa: 'USD', us: 'USD',
  norway: 'NOK', no: 'NOK', norge: 'NOK', sweden: 'SEK', se: 'SEK', sverige: 'SEK',
  denmark: 'DKK', dk: 'DKK', danmark: 'DKK', iceland: 'ISK', is: 'ISK',
  canada: 'CAD', ca: 'CAD', australia: 'AUD', au: 'AUD', 'new zealand': 'NZD', nz: 'NZD',
  mexico: 'MXN', mx: 'MXN', singapore: 'SGD', sg: 'SGD', 'hong kong': 'HKD', hk: 'HKD',
  japan: 'JPY', jp: 'JPY', china: 'CNY', cn: 'CNY', switzerland: 'CHF', ch: 'CHF',
  germany: 'EUR', de: 'EUR', france: 'EUR', fr: 'EUR', italy: 'EUR', it: 'EUR', italia: 'EUR',
  spain: 'EUR', es: 'EUR', 'españa': 'EUR', netherlands: 'EUR', nl: 'EUR', belgium: 'EUR', be: 'EUR',
  austria: 'EUR', at: 'EUR', ireland: 'EUR', eire: 'EUR', ie: 'EUR', portugal: 'EUR', pt: 'EUR',
  finland: 'EUR', fi: 'EUR', greece: 'EUR', gr: 'EUR', poland: 'PLN', pl: 'PLN',
  'czech republic': 'CZK', czechia: 'CZK', cz: 'CZK', hungary: 'HUF', hu: 'HUF', brazil: 'BRL', br: 'BRL',
  india: 'INR', in: 'INR',
};

export function currencyOfCountry(country: string): string | undefined {
  return COUNTRY_CURRENCY[country.trim().toLowerCase()];
}

/**
 * Converts integer minor units to a major-unit number rounded to the currency's decimals,
 * for JSON. Integers below 2^53 divide exactly enough for the rounding to be faithful.
 */
export function toMajor(valueMinor: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(valueMinor) / scale;
}

/**
 * A decimal amount string ("59.5", "5000") in exact integer minor units with the currency's
 * ISO 4217 decimals, or null when it carries more (non-zero) decimals than the currency has:
 * amountToMinor("59.5", 2) -> 5950; amountToMinor("59.999", 2) -> null; amountToMinor("5000.5", 0) -> null.
 * Read from the string's digits, never through a binary float.
 */
export function amountToMinor(amount: string, decimals: number): number | null {
  const match = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(amount);
  if (!match) return null;
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return null;
  const minor = Number(match[2]) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
  return match[1] ? -minor : minor;
}

/** Integer minor units as a decimal string with the currency's decimals: (5950, 2) -> "59.50"; (5000, 0) -> "5000". */
export function minorToAmount(minor: number, decimals: number): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  return decimals === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
