/**
 * The Beta distribution, for priors on shares (a threshold's uptake): fitting one to a
 * stated range, its CDF, and seeded draws. Each is one function with its source.
 */
import type { Rng } from './random.js';

export interface BetaParameters {
  alpha: number;
  beta: number;
}

/** z of the two-sided normal interval of a coverage: 0.9 -> 1.6449 (Acklam's inverse normal would do; we only need a few). */
function twoSidedZ(coverage: number): number {
  // Bisection on the normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7).
  const erf = (x: number) => {
    const t = 1 / (1 + 0.3275911 * Math.abs(x));
    const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  };
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (erf(mid / Math.SQRT2) < coverage) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * A Beta prior from a stated central range of a share, by the method of moments: mean = the
 * range's midpoint, standard deviation = its half-width / z (z = 1.645 for 90%), then
 * alpha = mean k, beta = (1 - mean) k with k = mean (1 - mean) / variance - 1.
 * https://en.wikipedia.org/wiki/Beta_distribution#Method_of_moments
 * The range is matched in mean and spread, not exactly in its quantiles (a Beta is skewed).
 * @example
 * betaFromRange(0.05, 0.35); // mean 0.2, sd 0.0912: { alpha: 3.65, beta: 14.6 }
 */
export function betaFromRange(low: number, high: number, coverage = 0.9): BetaParameters {
  if (!(low > 0 && high < 1 && low < high)) throw new RangeError('betaFromRange: expected 0 < low < high < 1');
  // Step 1: the moments the range implies.
  const mean = (low + high) / 2;
  const sd = (high - low) / 2 / twoSidedZ(coverage);
  // Step 2: solve mean = a / (a + b), variance = ab / ((a + b)^2 (a + b + 1)) for a, b.
  const k = (mean * (1 - mean)) / (sd * sd) - 1;
  return { alpha: mean * k, beta: (1 - mean) * k };
}

/** ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; Numerical Recipes 3rd ed. 6.1). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  // Reflection for x < 0.5 keeps the series in its accurate range.
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * The Beta CDF, the regularized incomplete beta function I_x(a, b), by its continued
 * fraction evaluated with the modified Lentz method (Numerical Recipes 3rd ed. 6.4;
 * DLMF 8.17.22), using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction
 * converges slowly.
 * https://en.wikipedia.org/wiki/Beta_function#Incomplete_beta_function
 * @example
 * betaCdf(0.5, 2, 2); // 0.5 (symmetric)
 * betaCdf(0.3, 2, 1); // 0.09 (= x^2)
 */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // Step 1: the prefactor x^a (1-x)^b / (a B(a, b)), in logs.
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // Step 2: the fraction converges fast for x < (a + 1) / (a + b + 2); else use the symmetry.
  if (x > (a + 1) / (a + b + 2)) return 1 - betaCdf(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    // Even step d_{2m}, then odd step d_{2m+1} (DLMF 8.17.22).
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + even / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + odd / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-14) break;
  }
  return (front * h) / a;
}

/**
 * A Gamma(shape, 1) draw by Marsaglia & Tsang's squeeze method (ACM TOMS 26(3), 2000),
 * with the boost Gamma(a) = Gamma(a + 1) U^(1/a) for shape < 1.
 * https://en.wikipedia.org/wiki/Gamma_distribution#Random_variate_generation
 * @example gammaSample(createRng(1), 3) // a draw with mean 3
 */
export function gammaSample(rng: Rng, shape: number): number {
  if (shape < 1) return gammaSample(rng, shape + 1) * Math.pow(Math.max(rng(), 1e-300), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    // A normal draw (Box-Muller), then the cube v = (1 + c z)^3 of Marsaglia & Tsang.
    const z = Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-300))) * Math.cos(2 * Math.PI * rng());
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = Math.max(rng(), 1e-300);
    // Squeeze first, then the exact log test.
    if (u < 1 - 0.0331 * z ** 4) return d * v;
    if (Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A Beta(alpha, beta) draw as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta).
 * https://en.wikipedia.org/wiki/Beta_distribution#Random_variate_generation
 * @example betaSample(createRng(1), 2, 8) // a draw with mean 0.2
 */
export function betaSample(rng: Rng, alpha: number, beta: number): number {
  const x = gammaSample(rng, alpha);
  const y = gammaSample(rng, beta);
  return x / (x + y);
}

/**
 * The Beta quantile: the x with betaCdf(x, a, b) = p, by bisection on the CDF (monotone in
 * x, so 80 halvings give x to 1e-16 of the unit interval). Slow beside Newton, but it is
 * called a handful of times per report.
 * https://en.wikipedia.org/wiki/Quantile_function
 * @example
 * betaQuantile(0.5, 2, 2); // 0.5
 * betaQuantile(0.025, 5, 6); // 0.1871 (scipy.stats.beta.ppf(0.025, 5, 6) = 0.187086)
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError('betaQuantile: p must be in [0, 1]');
  if (p === 0) return 0;
  if (p === 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The Clopper-Pearson ("exact") interval of a binomial share x / n: the Beta quantiles
 * B(alpha/2; x, n - x + 1) and B(1 - alpha/2; x + 1, n - x), 0 and 1 at the ends.
 * Clopper & Pearson (1934), Biometrika 26(4); its coverage is at least the nominal level.
 * https://en.wikipedia.org/wiki/Binomial_proportion_confidence_interval#Clopper%E2%80%93Pearson_interval
 * @example
 * clopperPearson(3, 10); // { low: 0.0667, high: 0.6525 } (statsmodels proportion_confint(3, 10, method='beta'))
 */
export function clopperPearson(x: number, n: number, confidence = 0.95): { low: number; high: number } {
  if (!(Number.isInteger(x) && Number.isInteger(n) && x >= 0 && x <= n && n > 0)) throw new RangeError('clopperPearson: expected whole 0 <= x <= n, n > 0');
  const tail = (1 - confidence) / 2;
  return {
    low: x === 0 ? 0 : betaQuantile(tail, x, n - x + 1),
    high: x === n ? 1 : betaQuantile(1 - tail, x + 1, n - x),
  };
}

/**
 * The interval of the ratio of two Poisson rates over equal exposures (this period's orders
 * `after` against the last period's `before`): given the total, `after` is binomial with share
 * p = ratio / (1 + ratio), so the Clopper-Pearson interval of p maps to one of the ratio,
 * p / (1 - p). The conditional exact method: Cox (1953), "Some simple approximate tests for
 * Poisson variates", Biometrika 40; Ulm (1990), American Journal of Epidemiology 131(2).
 * An infinite upper bound when before = 0.
 * @example
 * poissonRatioInterval(423, 327); // { ratio: 1.2936, low: 1.117, high: 1.499 }
 */
export function poissonRatioInterval(after: number, before: number, confidence = 0.95): { ratio: number; low: number; high: number } {
  const total = after + before;
  if (total === 0) return { ratio: NaN, low: 0, high: Infinity };
  const { low, high } = clopperPearson(after, total, confidence);
  const toRatio = (p: number) => (p >= 1 ? Infinity : p / (1 - p));
  return { ratio: before === 0 ? Infinity : after / before, low: toRatio(low), high: toRatio(high) };
}
