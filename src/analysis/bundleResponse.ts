/**
 * How a bundle's discount moves the baskets that hold part of it: a price-elasticity model.
 *
 * A basket holding items H of a bundle S can complete it for (bundle price - what H costs)
 * instead of the missing items' list price: an effective price cut
 *   cut_H = (list(S) - bundle price) / list(S \ H).
 * Under a constant price elasticity e (Q1 / Q0 = 1 + e x cut, the linear form of
 * Q proportional to P^-e, https://en.wikipedia.org/wiki/Price_elasticity_of_demand), the
 * baskets holding H buy the rest e x cut_H more often than they do now: n(S) x e x cut_H
 * more completions, where n(S) is the baskets that already buy it all. As a share of the
 * baskets holding H without the rest, that is
 *   uplift_H(e) = min(1, e x cut_H x odds_H),   odds_H = n(S) / (n(superset of H) - n(S)),
 * capped at all of them. The uplift rises with the discount (cut_H is proportional to it), is
 * zero when nobody buys the items together (no demand to scale) and larger for pairs bought
 * together often. Net over the baskets seen is then
 *   net(e) = sum over H of m_H x g_H x min(1, e x a_H) - discount given,   a_H = cut_H x odds_H,
 * m_H the baskets holding exactly H and g_H what one of them adds by completing (bundle
 * price - what it paid - the added items' cost). A piecewise-linear function of e.
 *
 * The elasticity is not in past orders (no bundle ran): a stated prior, a lognormal from a
 * 90% range (bundleDefaults.ts says where its ends come from). Mean, 90% range and
 * P(net > 0) are exact for this function of a lognormal (below), no sampling.
 */
import { normalCdf, normalQuantile } from './normal.js';

/** A price elasticity (positive: how many % more completions per 1% off): known, or a lognormal prior. */
export type Elasticity = { kind: 'known'; value: number } | { kind: 'prior'; mu: number; sigma: number; low: number; high: number; mean: number };

/** z of the 95th percentile: a 90% range spans 2 x 1.6449 standard deviations. */
const Z95 = 1.6448536269514722;

/**
 * The lognormal whose 5th and 95th percentiles are `low` and `high`: ln X ~ N(mu, sigma),
 * mu the mean of the logs, sigma their half-distance over z_0.95.
 * https://en.wikipedia.org/wiki/Log-normal_distribution
 * @example lognormalFromRange(0.5, 2) // { mu: 0, sigma: 0.4214 } (ln 2 / 1.6449)
 */
export function lognormalFromRange(low: number, high: number): { mu: number; sigma: number } {
  // Step 1: the logs of the ends are symmetric about mu.
  const mu = (Math.log(low) + Math.log(high)) / 2;
  // Step 2: each end is z_0.95 standard deviations away.
  return { mu, sigma: (Math.log(high) - Math.log(low)) / (2 * Z95) };
}

/** P(X <= x) for X lognormal(mu, sigma): Phi((ln x - mu) / sigma). @example lognormalCdf(1, 0, 1) // 0.5 */
export function lognormalCdf(x: number, mu: number, sigma: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return normalCdf((Math.log(x) - mu) / sigma);
}

/** The p-quantile: exp(mu + sigma z_p). @example lognormalQuantile(0.5, 0, 1) // 1 */
export function lognormalQuantile(p: number, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * normalQuantile(p));
}

/** E[X] = exp(mu + sigma^2 / 2). @example lognormalMean(0, 1) // 1.6487 */
export function lognormalMean(mu: number, sigma: number): number {
  return Math.exp(mu + (sigma * sigma) / 2);
}

/**
 * E[min(1, a X)] for X lognormal: a E[X; X < 1/a] + P(X >= 1/a), with the lognormal's partial
 * expectation E[X; X < k] = exp(mu + sigma^2/2) Phi((ln k - mu - sigma^2) / sigma).
 * https://en.wikipedia.org/wiki/Log-normal_distribution#Partial_expectation
 * @example expectedCapped(0.1, 0, 0.5) // 0.1133 (a E[X] = 0.1133; the cap at X = 10 is far out)
 */
export function expectedCapped(a: number, mu: number, sigma: number): number {
  if (a <= 0) return 0;
  // Step 1: where the cap starts.
  const k = 1 / a;
  // Step 2: below it, a X on average over that part; above it, 1.
  const partial = lognormalMean(mu, sigma) * normalCdf((Math.log(k) - mu - sigma * sigma) / sigma);
  return a * partial + (1 - lognormalCdf(k, mu, sigma));
}

/** net(e) = constant + sum of weight x min(1, slope x e): the offer's net as a function of the elasticity. */
export interface CappedResponse {
  constant: number;
  terms: { weight: number; slope: number }[];
}

/** net(e) at one elasticity. @example responseValue({ constant: -10, terms: [{ weight: 100, slope: 0.1 }] }, 2) // 10 */
export function responseValue(f: CappedResponse, e: number): number {
  return f.terms.reduce((sum, t) => sum + t.weight * Math.min(1, t.slope * e), f.constant);
}

/**
 * P(net(e) > y) for e lognormal(mu, sigma), exactly: net is linear between the points where a
 * term reaches its cap (e = 1/slope), so on each piece the set where it exceeds y is an
 * interval of e, whose probability is a difference of the lognormal CDF.
 * @example probabilityAbove({ constant: -10, terms: [{ weight: 100, slope: 0.1 }] }, 0, 0, 1) // P(e > 1) = 0.5
 */
export function probabilityAbove(f: CappedResponse, y: number, mu: number, sigma: number): number {
  // Step 1: the pieces, between 0, each cap point and infinity.
  const caps = [...new Set(f.terms.filter((t) => t.slope > 0).map((t) => 1 / t.slope))].sort((a, b) => a - b);
  const edges = [0, ...caps, Infinity];
  let probability = 0;
  for (let j = 0; j + 1 < edges.length; j++) {
    const [left, right] = [edges[j], edges[j + 1]];
    // Step 2: on the piece, net = alpha + beta e (terms capped at its left end are constant 1).
    let alpha = f.constant;
    let beta = 0;
    for (const t of f.terms) {
      if (t.slope > 0 && 1 / t.slope <= left) alpha += t.weight;
      else beta += t.weight * t.slope;
    }
    // Step 3: the part of the piece where alpha + beta e > y.
    let from = left;
    let to = right;
    if (beta === 0) {
      if (!(alpha > y)) continue;
    } else {
      const root = (y - alpha) / beta;
      if (beta > 0) from = Math.max(left, root);
      else to = Math.min(right, root);
    }
    if (to > from) probability += lognormalCdf(to, mu, sigma) - lognormalCdf(from, mu, sigma);
  }
  return Math.min(1, Math.max(0, probability));
}

/**
 * The p-quantile of net(e): the smallest y with P(net <= y) >= p, by bisection between the
 * extremes of net (at 0, the cap points and infinity); 200 halvings, far below a cent.
 * @example responseQuantile({ constant: -10, terms: [{ weight: 100, slope: 0.1 }] }, 0.5, 0, 1) // 0 (net at the median e = 1)
 */
export function responseQuantile(f: CappedResponse, p: number, mu: number, sigma: number): number {
  const points = [0, ...f.terms.filter((t) => t.slope > 0).map((t) => 1 / t.slope)];
  const values = [...points.map((e) => responseValue(f, e)), responseValue(f, Infinity)];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  for (let i = 0; i < 200 && hi > lo; i++) {
    const mid = (lo + hi) / 2;
    if (1 - probabilityAbove(f, mid, mu, sigma) >= p) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** E[net(e)] for e lognormal: each term's capped mean (expectedCapped), summed. */
export function responseMean(f: CappedResponse, mu: number, sigma: number): number {
  return f.terms.reduce((sum, t) => sum + t.weight * expectedCapped(t.slope, mu, sigma), f.constant);
}

/**
 * The smallest elasticity at which net > 0, when net crosses zero once upward (it rises with
 * e when every completion adds margin); null when it never pays or always pays.
 */
export function breakEvenElasticity(f: CappedResponse): number | null {
  if (responseValue(f, 0) > 0 || !(responseValue(f, Infinity) > 0)) return null;
  let lo = 0;
  let hi = 1;
  while (responseValue(f, hi) <= 0 && hi < 1e9) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (responseValue(f, mid) > 0) hi = mid;
    else lo = mid;
  }
  return hi;
}
