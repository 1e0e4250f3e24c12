/**
 * The standard normal distribution to double precision, for p-values and interval
 * multipliers. simple-statistics' cumulativeStdNormalProbability reads a 2-decimal table,
 * which is too coarse for a p-value; these are the published rational approximations.
 */

// W. J. Cody (1969) coefficients, as distributed in netlib specfun/erf (CALERF).
// erf on |x| <= 0.46875:
const ERF_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const ERF_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
// erfc on 0.46875 < |x| <= 4:
const ERFC_C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const ERFC_D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
// erfc on |x| > 4 (asymptotic form in 1/x^2):
const ERFC_P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4, 0.0163153871373020978,
];
const ERFC_Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const ONE_OVER_SQRT_PI = 0.56418958354775628695;
/** Above this erfc underflows to 0 in double precision (Cody's XBIG for IEEE doubles). */
const ERFC_XBIG = 26.543;

/**
 * The complementary error function erfc(x) = 2/sqrt(pi) * integral from x to infinity of
 * exp(-t^2) dt, by W. J. Cody's near-minimax rational approximations (relative error
 * below 1e-16 over the whole line), as in netlib specfun/erf.
 * W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23 (1969) 631-637. https://en.wikipedia.org/wiki/Error_function
 *
 * @example
 * erfc(0); // 1
 * erfc(1); // 0.15729920705028513
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  let result: number;
  if (y <= 0.46875) {
    // Near 0 erfc = 1 - erf and erf is a small odd series: no cancellation to fear.
    const ysq = y * y;
    let numerator = ERF_A[4] * ysq;
    let denominator = ysq;
    for (let i = 0; i < 3; i++) {
      numerator = (numerator + ERF_A[i]) * ysq;
      denominator = (denominator + ERF_B[i]) * ysq;
    }
    // Return directly: the formula is exact for negative x too (erf is odd).
    return 1 - (x * (numerator + ERF_A[3])) / (denominator + ERF_B[3]);
  } else if (y <= 4) {
    // Middle range: a rational function of y times exp(-y^2).
    let numerator = ERFC_C[8] * y;
    let denominator = y;
    for (let i = 0; i < 7; i++) {
      numerator = (numerator + ERFC_C[i]) * y;
      denominator = (denominator + ERFC_D[i]) * y;
    }
    result = (numerator + ERFC_C[7]) / (denominator + ERFC_D[7]);
    result *= expMinusSquare(y);
  } else if (y >= ERFC_XBIG) {
    result = 0;
  } else {
    // Tail: the asymptotic series exp(-y^2)/(y sqrt(pi)) * (1 - ...) as a rational in 1/y^2.
    const ysq = 1 / (y * y);
    let numerator = ERFC_P[5] * ysq;
    let denominator = ysq;
    for (let i = 0; i < 4; i++) {
      numerator = (numerator + ERFC_P[i]) * ysq;
      denominator = (denominator + ERFC_Q[i]) * ysq;
    }
    result = (ysq * (numerator + ERFC_P[4])) / (denominator + ERFC_Q[4]);
    result = ((ONE_OVER_SQRT_PI - result) / y) * expMinusSquare(y);
  }
  // Reflection: erfc(-y) = 2 - erfc(y).
  return x < 0 ? 2 - result : result;
}

/**
 * exp(-y^2) without the rounding error of squaring y first: Cody splits y into a part
 * with 4 fractional bits (whose square is exact) and a small remainder.
 */
function expMinusSquare(y: number): number {
  const head = Math.trunc(y * 16) / 16;
  const remainder = (y - head) * (y + head);
  return Math.exp(-head * head) * Math.exp(-remainder);
}

/**
 * The standard normal cumulative distribution function Phi(z) = P(Z <= z), as
 * erfc(-z / sqrt 2) / 2, which keeps full relative accuracy deep in the lower tail
 * (where 1 - something would cancel). https://en.wikipedia.org/wiki/Normal_distribution
 *
 * @example
 * normalCdf(1.959963984540054); // 0.975
 * normalCdf(-3); // 0.0013498980316300946
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

// Peter J. Acklam's rational approximation of the normal quantile (relative error 1.15e-9).
const QUANTILE_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const QUANTILE_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const QUANTILE_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const QUANTILE_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const QUANTILE_TAIL = 0.02425;
const SQRT_2PI = 2.5066282746310002;

/**
 * The standard normal quantile (probit) Phi^-1(p): Peter J. Acklam's rational
 * approximation (relative error 1.15e-9) refined by one step of Halley's method
 * against normalCdf, which brings it to about 1e-15.
 * Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function" (2003), https://web.archive.org/web/20151030215612/http://home.online.no/~pjacklam/notes/invnorm/
 * https://en.wikipedia.org/wiki/Probit
 *
 * Returns -Infinity for p = 0, Infinity for p = 1 and NaN outside [0, 1].
 *
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 * normalQuantile(0.5); // 0
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < QUANTILE_TAIL) {
    // Lower tail: rational function of sqrt(-2 log p).
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((QUANTILE_C[0] * q + QUANTILE_C[1]) * q + QUANTILE_C[2]) * q + QUANTILE_C[3]) * q + QUANTILE_C[4]) * q + QUANTILE_C[5]) /
      ((((QUANTILE_D[0] * q + QUANTILE_D[1]) * q + QUANTILE_D[2]) * q + QUANTILE_D[3]) * q + 1);
  } else if (p <= 1 - QUANTILE_TAIL) {
    // Central region: rational function of (p - 0.5)^2, times (p - 0.5).
    const q = p - 0.5;
    const r = q * q;
    x = ((((((QUANTILE_A[0] * r + QUANTILE_A[1]) * r + QUANTILE_A[2]) * r + QUANTILE_A[3]) * r + QUANTILE_A[4]) * r + QUANTILE_A[5]) * q) /
      (((((QUANTILE_B[0] * r + QUANTILE_B[1]) * r + QUANTILE_B[2]) * r + QUANTILE_B[3]) * r + QUANTILE_B[4]) * r + 1);
  } else {
    // Upper tail: mirror of the lower tail, computed from 1 - p.
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((QUANTILE_C[0] * q + QUANTILE_C[1]) * q + QUANTILE_C[2]) * q + QUANTILE_C[3]) * q + QUANTILE_C[4]) * q + QUANTILE_C[5]) /
      ((((QUANTILE_D[0] * q + QUANTILE_D[1]) * q + QUANTILE_D[2]) * q + QUANTILE_D[3]) * q + 1);
  }
  // One Halley step (third-order Newton) on Phi(x) - p = 0, as Acklam recommends;
  // above the median Phi(x) - p is computed as (1 - p) - Phi(-x), which is the same
  // number without the cancellation of 1 - tiny.
  const error = p > 0.5 ? 1 - p - normalCdf(-x) : normalCdf(x) - p;
  const u = error * SQRT_2PI * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
