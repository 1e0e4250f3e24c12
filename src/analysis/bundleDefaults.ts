/** Its own module so that `aov --help` (src/cli.ts) reads the defaults without loading the miner. */
/** The defaults of `aov bundles`, which `aov report` and `aov rules` use too. */
export const BUNDLE_DEFAULTS = {
  minSupport: '0.01',
  maxSize: 2,
  maxQ: 0.05,
  sort: 'lift',
  top: 30,
  item: 'product',
  bundleDiscount: '5-10',
  /** 2-10% of the baskets with part of a bundle would complete it: a stated prior, 90% range. */
  bundleUplift: '0.02-0.10',
  /**
   * The default response: a price elasticity of 0.6-2.6 (90% range, a lognormal prior) for
   * the baskets with part of a bundle buying the rest. 2.6 is the mean price elasticity of
   * Bijmolt, van Heerde & Pieters' meta-analysis (J. Marketing Research 42, 2005: 1,851
   * elasticities, mean -2.62); 0.6 is the quarter of it that Bell, Chiang & Padmanabhan
   * (Marketing Science 18, 1999) find is new demand rather than switching between brands. That
   * those two ends bound a shop's own cross-sell response is a judgment, not a measurement.
   */
  bundleElasticity: '0.6-2.6',
  minBundleMargin: 0.3,
  /** A set: each item in at least this share of every other's baskets, both ways (sets.ts). */
  setShare: 0.8,
} as const;
