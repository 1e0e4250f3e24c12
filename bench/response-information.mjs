// The information bound shared by bench/threshold-sim/oracle.mjs and bench/evaluate-sim/oracle.mjs:
// the Fisher information on a threshold's uptake u in a period's histogram of order values when
// everything but u is known (the counterfactual density, the response's fall-off and the items a
// top-up picks, so where each moved order leaves and where it lands). With Poisson counts
// mu_k = f_k - u a_k + u l_k per bin (bins of T / 400), I(u) = sum_k (d mu_k / du)^2 / mu_k; no
// unbiased estimate of u has a standard deviation below 1 / sqrt(I) (Cramer-Rao).

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 on erf; error under 1.5e-7). */
export function phi(x) {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The first index of ascending `sorted` whose value is >= x (sorted.length when none). */
export function firstAtLeast(sorted, x) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (sorted[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * The expected histogram of a period with and without a gift threshold T under the true
 * response (an order of value v < T, gap g, tops up with probability u exp(-g / s) by one item
 * priced >= g, chosen by weight). add(v, weight) adds `weight` counterfactual orders of value v;
 * information(u) is I(u); zoneFactor is c, the mean of exp(-g / s) over the counterfactual orders
 * in [T - reach, T) (the zone share is u c).
 */
export class ResponseHistogram {
  constructor(thresholdMinor, { itemPriceMinor, itemChoiceWeight, decayScaleMinor }, reachMinor) {
    this.T = thresholdMinor;
    this.prices = itemPriceMinor;
    this.weights = itemChoiceWeight;
    this.s = decayScaleMinor;
    this.reach = reachMinor;
    this.width = Math.max(1, Math.round(thresholdMinor / 400));
    const bins = Math.ceil((thresholdMinor + itemPriceMinor[itemPriceMinor.length - 1]) / this.width) + 1;
    this.f = new Float64Array(bins);
    this.a = new Float64Array(bins);
    this.l = new Float64Array(bins);
    this.suffix = new Float64Array(itemPriceMinor.length + 1);
    for (let j = itemPriceMinor.length - 1; j >= 0; j--) this.suffix[j] = this.suffix[j + 1] + itemChoiceWeight[j];
    this.zone = 0;
    this.zoneQ = 0;
  }

  add(v, weight) {
    const { T, prices, weights, suffix, width, f, a, l } = this;
    const k = Math.floor(v / width);
    if (k < f.length) f[k] += weight;
    if (v >= T) return;
    const g = T - v;
    const first = firstAtLeast(prices, g);
    const q = first < prices.length && suffix[first] > 0 ? Math.exp(-g / this.s) : 0;
    if (v >= T - this.reach) {
      this.zone += weight;
      this.zoneQ += weight * q;
    }
    if (q === 0) return;
    a[k] += weight * q;
    for (let j = first; j < prices.length; j++) {
      const to = Math.floor((v + prices[j]) / width);
      if (to < l.length) l[to] += (weight * q * weights[j]) / suffix[first];
    }
  }

  information(u) {
    let I = 0;
    for (let k = 0; k < this.f.length; k++) {
      const mu = this.f[k] - u * this.a[k] + u * this.l[k];
      const d = this.l[k] - this.a[k];
      if (mu > 0 && d !== 0) I += (d * d) / mu;
    }
    return I;
  }

  get zoneFactor() {
    return this.zone > 0 ? this.zoneQ / this.zone : NaN;
  }
}
