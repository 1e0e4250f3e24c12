/** `aov bundles` output: aov.bundles/v1 JSON, terminal tables, safe CSV, and bundle rules. */
import Table from 'cli-table3';
import type { BundleOffer } from '../analysis/bundleOffers.js';
import type { MiningResult } from '../analysis/itemsets.js';
import type { Complement, PairRule } from '../analysis/pairs.js';
import { csvTable } from './csv.js';
import { formatAmount, formatCount, formatPct, plainChars, ratio, truncate, wrap, type Style } from './format.js';
import { visible } from './visible.js';

export interface BundlesView {
  labels: readonly string[];
  names: readonly string[];
  currency: string;
  decimals: number;
  minSupport: number;
  mining: MiningResult;
  testedPairs: number;
  pairs: PairRule[];
  offers: BundleOffer[];
  complements: { item: number; list: Complement[] } | null;
  source: Record<string, unknown>;
  notes: string[];
}

const finite = (x: number, digits = 6) => (Number.isFinite(x) ? ratio(x, digits) : null);

function pairJson(v: BundlesView, r: PairRule) {
  return {
    items: [v.labels[r.a], v.labels[r.b]],
    names: [v.names[r.a], v.names[r.b]],
    supportCount: r.supportCount,
    support: ratio(r.support),
    confidence: [ratio(r.confidence[0]), ratio(r.confidence[1])],
    lift: ratio(r.lift),
    leverage: ratio(r.leverage, 8),
    // Infinity (confidence 1) is not JSON: null means "no counter-examples".
    conviction: [finite(r.conviction[0]), finite(r.conviction[1])],
    jaccard: ratio(r.jaccard),
    p: r.p,
    q: r.q,
  };
}

function offerJson(v: BundlesView, o: BundleOffer) {
  const m = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Number(formatAmount(x, v.decimals).replace(/,/g, '')));
  return {
    items: o.items.map((i) => v.labels[i]),
    names: o.items.map((i) => v.names[i]),
    supportCount: o.supportCount,
    coPurchaseRate: ratio(o.support),
    listPrice: m(o.listPriceMinor),
    discount: o.discount,
    bundlePrice: m(o.bundlePriceMinor),
    cost: m(o.costMinor),
    marginPerBundle: m(o.marginMinor),
    marginRate: o.marginRate === null ? null : ratio(o.marginRate),
    marginKnown: o.marginKnown,
    viable: o.viable,
    note: o.note,
  };
}

export function bundlesJson(v: BundlesView) {
  return {
    schema: 'aov.bundles/v1',
    input: v.source,
    currency: v.currency,
    baskets: v.mining.baskets,
    items: v.labels.length,
    minSupport: v.minSupport,
    minSupportCount: v.mining.minSupportCount,
    skippedLargeBaskets: v.mining.skippedLargeBaskets,
    itemsetCounts: v.mining.itemsetCounts,
    testedPairs: v.testedPairs,
    pairs: v.pairs.map((r) => pairJson(v, r)),
    itemsets: v.mining.itemsets
      .filter((s) => s.items.length >= 3)
      .map((s) => ({ items: s.items.map((i) => v.labels[i]), names: s.items.map((i) => v.names[i]), supportCount: s.supportCount, support: ratio(s.supportCount / v.mining.baskets) })),
    offers: v.offers.map((o) => offerJson(v, o)),
    complements: v.complements
      ? {
          item: v.labels[v.complements.item],
          name: v.names[v.complements.item],
          with: v.complements.list.map((c) => ({ item: v.labels[c.item], name: v.names[c.item], supportCount: c.supportCount, confidence: ratio(c.confidence), lift: ratio(c.lift), q: c.q })),
        }
      : null,
    notes: v.notes,
  };
}

export function bundleRules(v: BundlesView) {
  return v.offers
    .filter((o) => o.viable)
    .map((o) => {
      const pair = o.items.length === 2 ? v.pairs.find((r) => r.a === o.items[0] && r.b === o.items[1]) : undefined;
      return {
        type: 'bundle' as const,
        items: o.items.map((i) => v.labels[i]),
        names: o.items.map((i) => v.names[i]),
        price: Number.isFinite(o.bundlePriceMinor) ? { amount: formatAmount(o.bundlePriceMinor, v.decimals).replace(/,/g, ''), currency: v.currency } : null,
        evidence: {
          support: ratio(o.support),
          supportCount: o.supportCount,
          confidence: pair ? [ratio(pair.confidence[0]), ratio(pair.confidence[1])] : ratio(o.support),
          lift: pair ? ratio(pair.lift) : 0,
          q: pair ? pair.q : null,
        },
      };
    });
}

export function bundlesCsv(v: BundlesView): string {
  return csvTable(
    ['item_a', 'name_a', 'item_b', 'name_b', 'support_count', 'support', 'confidence_a_to_b', 'confidence_b_to_a', 'lift', 'leverage', 'jaccard', 'p', 'q'],
    v.pairs.map((r) => [v.labels[r.a], v.names[r.a], v.labels[r.b], v.names[r.b], r.supportCount, ratio(r.support), ratio(r.confidence[0]), ratio(r.confidence[1]), ratio(r.lift), ratio(r.leverage, 8), ratio(r.jaccard), r.p, r.q]),
  );
}

function label(v: BundlesView, i: number, width: number): string {
  const name = v.names[i] && v.names[i] !== v.labels[i] ? v.names[i] : v.labels[i];
  return truncate(visible(name), width);
}

export function renderBundles(v: BundlesView, style: Style): string {
  const { chalk } = style;
  const out: string[] = [];
  const counts = Object.entries(v.mining.itemsetCounts).map(([size, n]) => `${formatCount(n)} of size ${size}`).join(', ');
  out.push(chalk.bold(wrap(`${formatCount(v.mining.baskets)} baskets, ${formatCount(v.labels.length)} items; support >= ${formatCount(v.mining.minSupportCount)} baskets (${formatPct(v.mining.minSupportCount / v.mining.baskets, 2)})`, 78)));
  out.push(wrap(`Frequent itemsets: ${counts || 'none'}. ${formatCount(v.pairs.length)} of ${formatCount(v.testedPairs)} frequent pairs pass the filters (Fisher test, Benjamini-Hochberg q).`, 78));
  if (v.complements) {
    const c = v.complements;
    out.push('', chalk.bold(wrap(`Goes well with ${label(v, c.item, 50)} (${visible(v.labels[c.item])}):`, 78)));
    const t = new Table({ head: ['Item', 'Together', 'P(it | this)', 'Lift', 'q'], style: { ...style.tableStyle, 'padding-left': 1, 'padding-right': 1 }, chars: plainChars(), colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const x of c.list.slice(0, 15)) t.push([label(v, x.item, 36), formatCount(x.supportCount), formatPct(x.confidence), x.lift.toFixed(2), x.q < 0.001 ? '<0.001' : x.q.toFixed(3)]);
    out.push(c.list.length ? t.toString() : '  (no frequent pair with this item at this support)');
  }
  if (v.pairs.length) {
    out.push('', chalk.bold('Pairs bought together'));
    const t = new Table({ head: ['Items (A + B)', 'Baskets', 'A>B / B>A', 'Lift', 'q'], style: { ...style.tableStyle, 'padding-left': 1, 'padding-right': 1 }, chars: plainChars(), colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const r of v.pairs.slice(0, 20)) {
      t.push([`${label(v, r.a, 17)} + ${label(v, r.b, 17)}`, formatCount(r.supportCount), `${formatPct(r.confidence[0], 0)} / ${formatPct(r.confidence[1], 0)}`, r.lift.toFixed(2), r.q < 0.001 ? '<0.001' : r.q.toFixed(3)]);
    }
    out.push(t.toString());
    if (v.pairs.length > 20) out.push(chalk.dim(`(${v.pairs.length - 20} more pairs in --json / --csv)`));
  }
  if (v.offers.length) {
    out.push('', chalk.bold(`Bundle offers (${v.currency})`));
    const t = new Table({ head: ['Bundle', 'List', 'Price', 'Margin'], style: { ...style.tableStyle, 'padding-left': 1, 'padding-right': 1 }, chars: plainChars(), colAligns: ['left', 'right', 'right', 'right'] });
    for (const o of v.offers.slice(0, 10)) {
      t.push([
        o.items.map((i) => label(v, i, o.items.length > 2 ? 11 : 17)).join(' + '),
        formatAmount(o.listPriceMinor, v.decimals),
        `${formatAmount(o.bundlePriceMinor, v.decimals)} (-${Math.round(o.discount * 100)}%)`,
        o.marginMinor === null ? 'unknown' : `${formatAmount(o.marginMinor, v.decimals)}${o.viable ? '' : ' !'}`,
      ]);
    }
    out.push(t.toString());
    const unknown = v.offers.some((o) => !o.marginKnown);
    if (unknown) out.push(chalk.dim(wrap('Margins unknown: the export has no costs; give --costs costs.csv (sku,cost) or a cost column.', 78)));
    if (v.offers.some((o) => !o.viable && o.marginKnown)) out.push(chalk.dim('! = even the smallest discount breaks the margin floor'));
  }
  return `${out.join('\n')}\n`;
}
