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
    'TZS UAH UGX USD UYI UYU UYW UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG').split(' '),
);

/** ISO 4217's code for "no currency": used when an export names none and --currency is not given. */
export const NO_CURRENCY = 'XXX';
KNOWN_CODES.add(NO_CURRENCY);

export function isCurrencyCode(code: string): boolean {
  return KNOWN_CODES.has(code);
}

/** Minor-unit digits of an ISO 4217 code (2 when the code has no entry). */
export function currencyDecimals(code: string): number {
  return MINOR_UNITS[code] ?? 2;
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
