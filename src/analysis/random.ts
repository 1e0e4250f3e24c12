/**
 * Seeded pseudo-random numbers for everything in analysis/ that resamples or simulates.
 * Math.random() is never used there: the same seed must give the same report.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** A seeded source that can also jump over the next `count` uniforms without computing them. */
export type SeededRng = Rng & { skip(count: number): void };

/**
 * Mulberry32, a 32-bit generator by Tommy Ettinger: a Weyl sequence (add a fixed odd
 * constant to the state) passed through an xorshift-multiply mixer. Period 2^32, passes
 * gjrand and PractRand up to a few gigabytes, which is far more than a bootstrap draws.
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 *
 * The seed is reduced to 32 bits (`seed >>> 0`, so fractions are truncated and
 * negative seeds wrap around); every seed, including 0, gives a full-period stream.
 *
 * @example
 * const rng = createRng(42);
 * const first = rng(); // same value every run, in [0, 1)
 * createRng(42)() === first; // true
 *
 * The state after k draws is the seed plus k times the Weyl constant (mod 2^32), so `skip(k)`
 * leaves the stream exactly where k draws would have: a caller that will not use some
 * draws (a bootstrap bin no candidate reads) jumps over them and keeps every later draw.
 * @example
 * const a = createRng(9); a(); a(); const third = a();
 * const b = createRng(9); b.skip(2); b() === third; // true
 */
export function createRng(seed: number): SeededRng {
  // The state lives in a typed array: a closure variable holding a 32-bit value outside the
  // small-integer range is boxed as a heap number on every step (measured 3-4x slower, and
  // garbage for the collector). Same bits either way: every step reduces mod 2^32.
  const cell = Int32Array.of(seed >>> 0);
  const next = function next(): number {
    // Weyl step: the odd constant visits every 32-bit state once per period.
    const state = (cell[0] = (cell[0] + 0x6d2b79f5) | 0);
    // Mixer: two xorshift-multiply rounds spread each state bit over the whole output.
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    // Divide by 2^32 so the result is in [0, 1) with 32 random bits.
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  } as SeededRng;
  // k Weyl steps at once: Math.imul keeps the low 32 bits of k x the constant.
  next.skip = (count: number) => {
    cell[0] = (cell[0] + Math.imul(count, 0x6d2b79f5)) | 0;
  };
  return next;
}

/**
 * A uniform integer in [0, n). With 32 random bits the bias is at most n / 2^32
 * (under 0.03% for a million orders), negligible next to bootstrap noise.
 *
 * @example
 * const rng = createRng(7);
 * randomInt(rng, 6); // a die roll in 0..5
 */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Above this mean poisson() uses the normal approximation. */
const POISSON_NORMAL_ABOVE = 30;

/**
 * How many uniforms poisson(rng, mean) takes, when that does not depend on the draw: none for
 * mean <= 0, two above 30 (Box-Muller); null for the multiplication method, which takes a
 * random number of them. Lets a caller skip a draw it will not use (SeededRng.skip).
 * @example poissonUniforms(160) // 2
 */
export function poissonUniforms(mean: number): number | null {
  if (mean <= 0) return 0;
  return mean > POISSON_NORMAL_ABOVE ? 2 : null;
}

/**
 * A Poisson draw (the weight of one observation, or of a bin of `mean` observations, in a
 * Poisson bootstrap; Hanley & MacGibbon 2006). Knuth's multiplication method for small means,
 * a rounded normal approximation (Box-Muller) above 30, where the two agree closely.
 * https://en.wikipedia.org/wiki/Poisson_distribution#Random_variate_generation
 * @example poisson(createRng(1), 1) // 0, 1, 2 ... with mean 1
 */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > POISSON_NORMAL_ABOVE) {
    const u = Math.max(rng(), 1e-300);
    const v = rng();
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
  }
  // Multiply uniforms until the product drops below e^-mean; the count of steps is Poisson.
  const limit = Math.exp(-mean);
  let k = 0;
  let product = rng();
  while (product > limit) {
    k++;
    product *= rng();
  }
  return k;
}
