/** Unusual orders by a robust z-score on the log of the order value. */
import { medianDeviationSorted, medianSorted, sortedCopy, sortedOnce } from './robust.js';

export interface OutlierResult {
  /** 1 for an outlying order, 0 otherwise (non-positive values are never flagged). */
  flags: Uint8Array;
  /** Median of ln(valueMinor) over orders with a positive value. */
  median: number;
  /** Median absolute deviation of ln(valueMinor) from that median. */
  mad: number;
  /** Orders below this value (minor units) are flagged; 0 when none can be. */
  lowMinor: number;
  /** Orders above this value (minor units) are flagged; Infinity when none can be. */
  highMinor: number;
  /** The rule in words, for the report. */
  rule: string;
}

/** Scale that makes the mean absolute deviation estimate sigma for normal data: sqrt(pi/2). */
const MEAN_ABSOLUTE_DEVIATION_SCALE = 1.253314;

/**
 * Flags unusual orders with the modified z-score of Iglewicz & Hoaglin on the log of
 * the order value (order values are roughly lognormal, so the log is where "3.5 robust
 * standard deviations" means the same on both sides):
 *   z = 0.6745 (ln x - median) / MAD, outlier when |z| > threshold (3.5 recommended).
 * When MAD = 0 (over half the orders share one value) the mean absolute deviation takes
 * its place: z = (ln x - median) / (1.253314 MeanAD), as IBM SPSS and Iglewicz & Hoaglin's
 * successors do; when that is 0 too, every order has the same value and none is flagged.
 * B. Iglewicz and D. C. Hoaglin, "How to Detect and Handle Outliers" (ASQC, 1993), ch. 3;
 * https://www.itl.nist.gov/div898/handbook/eda/section3/eda35h.htm
 *
 * Orders with value <= 0 (free orders, adjustments) have no logarithm: they are left out
 * of the median and MAD and never flagged.
 *
 * @example
 * robustOutliers(Float64Array.of(1000, 1100, 1200, 1300, 90000)).flags; // [0, 0, 0, 0, 1]
 * // ln values 6.91 7.00 7.09 7.17 11.41: median 7.09, MAD 0.087, z of 90000 = 0.6745*4.32/0.087 = 33.5
 */
export function robustOutliers(valueMinor: ArrayLike<number>, options: { threshold?: number } = {}): OutlierResult {
  const threshold = options.threshold ?? 3.5;
  const flags = new Uint8Array(valueMinor.length);

  // Work on the log scale, over positive values only (sorted, shared with the summary).
  const sorted = valueMinor instanceof Float64Array ? sortedOnce(valueMinor) : sortedCopy(valueMinor);
  let firstPositive = 0;
  while (firstPositive < sorted.length && !(sorted[firstPositive] > 0)) firstPositive++;
  let endPositive = firstPositive;
  while (endPositive < sorted.length && sorted[endPositive] > 0) endPositive++;
  const positiveSorted = sorted.subarray(firstPositive, endPositive);
  if (positiveSorted.length === 0) {
    return { flags, median: NaN, mad: NaN, lowMinor: 0, highMinor: Infinity, rule: 'no order with a positive value: no outliers' };
  }
  // For whole numbers up to 2^40 (minor units) two different values' logs are many ulps
  // apart, so Math.log keeps their order: the logs of the sorted values are the sorted logs,
  // and "ln x < bound" is "x <= the largest value whose log is below it". Other values take
  // the general path (each log computed, then sorted).
  const ordered = Number.isInteger(positiveSorted[positiveSorted.length - 1]) && positiveSorted[positiveSorted.length - 1] <= 2 ** 40 && positiveSorted.every(Number.isInteger);
  const sortedLogs = new Float64Array(positiveSorted.length);
  if (ordered) for (let k = 0; k < positiveSorted.length; k++) sortedLogs[k] = Math.log(positiveSorted[k]);
  else {
    for (let i = 0, k = 0; i < valueMinor.length; i++) if (valueMinor[i] > 0) sortedLogs[k++] = Math.log(valueMinor[i]);
    sortedLogs.sort();
  }
  const center = medianSorted(sortedLogs);
  const mad = medianDeviationSorted(sortedLogs, center);

  // The robust standard deviation: MAD / 0.6745, or the scaled mean absolute deviation.
  let sigma: number;
  let rule: string;
  if (mad > 0) {
    sigma = mad / 0.6745;
    rule = `robust z-score on log order value: |0.6745 (ln x - median) / MAD| > ${threshold} (Iglewicz & Hoaglin)`;
  } else {
    let totalDeviation = 0;
    for (let i = 0; i < sortedLogs.length; i++) totalDeviation += Math.abs(sortedLogs[i] - center);
    const meanAbsoluteDeviation = totalDeviation / sortedLogs.length;
    sigma = MEAN_ABSOLUTE_DEVIATION_SCALE * meanAbsoluteDeviation;
    rule =
      sigma > 0
        ? `robust z-score on log order value with MAD = 0 (over half the orders share one value): |(ln x - median) / (1.253314 mean absolute deviation)| > ${threshold}`
        : 'all order values are equal: no outliers';
  }
  if (!(sigma > 0)) return { flags, median: center, mad, lowMinor: 0, highMinor: Infinity, rule };

  // |z| > threshold is the same as ln x outside median +- threshold sigma.
  const lowLog = center - threshold * sigma;
  const highLog = center + threshold * sigma;
  if (!ordered) {
    for (let i = 0; i < valueMinor.length; i++) {
      const value = valueMinor[i];
      if (value > 0) {
        const logValue = Math.log(value);
        if (logValue < lowLog || logValue > highLog) flags[i] = 1;
      }
    }
    return { flags, median: center, mad, lowMinor: Math.exp(lowLog), highMinor: Math.exp(highLog), rule };
  }
  // (ordered: the values, not their logs, are compared with the last one below and the first one above)
  let belowCount = 0;
  while (belowCount < sortedLogs.length && sortedLogs[belowCount] < lowLog) belowCount++;
  let aboveFrom = sortedLogs.length;
  while (aboveFrom > 0 && sortedLogs[aboveFrom - 1] > highLog) aboveFrom--;
  const lowUpTo = belowCount > 0 ? positiveSorted[belowCount - 1] : 0;
  const highFrom = aboveFrom < positiveSorted.length ? positiveSorted[aboveFrom] : Infinity;
  const anyHigh = aboveFrom < positiveSorted.length;
  for (let i = 0; i < valueMinor.length; i++) {
    const value = valueMinor[i];
    if (value > 0 && (value <= lowUpTo || (anyHigh && value >= highFrom))) flags[i] = 1;
  }
  return { flags, median: center, mad, lowMinor: Math.exp(lowLog), highMinor: Math.exp(highLog), rule };
}
