/**
 * Amount options (--gift-cost 3, --threshold 60, --reach 8, ...) carry no currency: they are
 * in the shop currency, the currency of the most counted orders. An export with orders in
 * several currencies (a shop selling in EUR and JPY) cannot apply 3 to both: 3 EUR is not
 * 3 JPY. So what uses an amount is planned on the shop currency's orders only, and each other
 * currency gets a note that says so; before, 3 was read as 3 JPY (about 0.02 EUR) without a word.
 */

interface CurrencyTable {
  currency: string;
  valueMinor: ArrayLike<number>;
}

/** The currency of the most counted orders (ties: the code first in alphabetical order); undefined without tables. */
export function shopCurrency(tables: readonly CurrencyTable[]): string | undefined {
  let best: CurrencyTable | undefined;
  for (const t of tables) {
    if (!best || t.valueMinor.length > best.valueMinor.length || (t.valueMinor.length === best.valueMinor.length && t.currency < best.currency)) best = t;
  }
  return best?.currency;
}

/** The amount options given, as typed for a note ("--gift-cost 3"), in the order listed. */
export function amountOptions(options: Record<string, unknown>, flags: Record<string, string>): string[] {
  return Object.entries(flags).filter(([key]) => typeof options[key] === 'number').map(([key, flag]) => `${flag} ${options[key]}`);
}

/** The note for a currency left out: its orders, the amounts that are in the shop currency, and what to do. */
export function leftOutNote(table: CurrencyTable, given: readonly string[], shop: string): string {
  const n = table.valueMinor.length;
  return `${table.currency}: ${n.toLocaleString('en-US')} order${n === 1 ? '' : 's'} left out: ${given.join(', ')} ${given.length === 1 ? 'is an amount' : 'are amounts'} in ${shop}, the shop currency (the currency of most orders). Run aov on the ${table.currency} orders alone, with amounts in ${table.currency}, to plan them.`;
}

/**
 * The tables that can take the amounts given: all of them with no amount or one currency,
 * else the shop currency's, with a note for each other currency.
 * @example
 * tablesForAmounts([{ currency: 'EUR', valueMinor: [1, 2] }, { currency: 'JPY', valueMinor: [3] }], ['--gift-cost 3']).tables.map((t) => t.currency); // ['EUR']
 */
export function tablesForAmounts<T extends CurrencyTable>(tables: readonly T[], given: readonly string[]): { tables: T[]; notes: string[] } {
  const shop = shopCurrency(tables);
  if (given.length === 0 || tables.length <= 1 || shop === undefined) return { tables: [...tables], notes: [] };
  return {
    tables: tables.filter((t) => t.currency === shop),
    notes: tables.filter((t) => t.currency !== shop).map((t) => leftOutNote(t, given, shop)),
  };
}

/** The amount options of suggest-threshold, report and rules (their option keys and flags). */
export const THRESHOLD_AMOUNTS: Record<string, string> = {
  giftCost: '--gift-cost', shippingCost: '--shipping-cost', reach: '--reach', overshoot: '--overshoot', existingThreshold: '--existing-threshold', secondOrderGiftCost: '--second-order-gift-cost',
};
