/**
 * Applicability warnings: when the shop's own numbers say a rule of thumb does not fit.
 * Thresholds come from the domain brief (order volume 200-300 a month, gross margin per
 * order 5-8 currency units, 10% of customers ordering twice, AOV 30-150).
 */
/**
 * The brief's money rules of thumb (a margin of 5-8 an order, AOV 30-150) are in euro- or
 * dollar-sized units: they are checked only in currencies whose unit is within about 2x of
 * the US dollar (2026 rates, a list kept by hand). 501 JPY is not outside 30-150 in any sense that matters; without exchange
 * rates aov does not convert, so it says nothing there.
 */
export const DOLLAR_SIZED_CURRENCIES: ReadonlySet<string> = new Set(['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SGD', 'BND', 'PAB', 'BSD', 'BMD', 'KYD', 'GIP', 'FKP', 'SHP', 'BGN', 'BAM', 'JOD', 'AZN']);

export interface Warning {
  code: string;
  message: string;
}

export interface WarningInputs {
  currency: string;
  decimals: number;
  /** Orders per complete month (partial months left out by the caller). */
  ordersPerMonth: number;
  meanMinor: number;
  /** Mean gross margin per order in minor units, when cost or margin is known. */
  marginPerOrderMinor?: number;
  /** Customers with two or more orders / customers, when customers are known. */
  repeatRate?: number;
}

export function applicabilityWarnings(x: WarningInputs): Warning[] {
  const major = (minor: number) => minor / 10 ** x.decimals;
  const warnings: Warning[] = [];
  if (Number.isFinite(x.ordersPerMonth) && x.ordersPerMonth < 200) {
    warnings.push({
      code: 'LOW_VOLUME',
      message: `About ${Math.floor(x.ordersPerMonth)} orders a month (under 200-300): automated rules may not pay back their set-up; start with one threshold and one bundle.`,
    });
  }
  const dollarSized = DOLLAR_SIZED_CURRENCIES.has(x.currency);
  if (dollarSized && x.marginPerOrderMinor !== undefined && Number.isFinite(x.marginPerOrderMinor) && major(x.marginPerOrderMinor) < 8) {
    warnings.push({
      code: 'THIN_MARGIN',
      message: `Average gross margin per order is ${major(x.marginPerOrderMinor).toFixed(x.decimals)} ${x.currency} (under 5-8): a free gift will likely eat the gain; prefer bundles.`,
    });
  }
  if (x.repeatRate !== undefined && Number.isFinite(x.repeatRate) && x.repeatRate < 0.1) {
    warnings.push({
      code: 'FEW_REPEAT_CUSTOMERS',
      message: `Only ${(x.repeatRate * 100).toFixed(1)}% of customers ordered twice in the data: a second-order gift makes little sense yet.`,
    });
  }
  const aov = major(x.meanMinor);
  if (dollarSized && Number.isFinite(aov) && (aov < 30 || aov > 150)) {
    warnings.push({
      code: 'AOV_OUTSIDE_RANGE',
      message: `AOV ${aov.toFixed(x.decimals)} ${x.currency} is outside 30-150, the range the threshold rules of thumb were built for: read the threshold results with care.`,
    });
  }
  return warnings;
}
