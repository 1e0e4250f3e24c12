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
  minBundleMargin: 0.3,
  /** A set: each item in at least this share of every other's baskets, both ways (sets.ts). */
  setShare: 0.8,
} as const;
