/** `aov bundles` output: aov.bundles/v1 JSON, terminal tables, safe CSV, and bundle rules. */
import Table from 'cli-table3';
import { BUNDLE_RULE_BAR, type BundleOffer, type OfferResponse, type UpliftAssumption } from '../analysis/bundleOffers.js';
import type { Elasticity } from '../analysis/bundleResponse.js';
import type { BundlesPlan } from '../analysis/bundlesPlan.js';
import type { MiningResult } from '../analysis/itemsets.js';
import type { Complement, PairRule } from '../analysis/pairs.js';
import { csvTable } from './csv.js';
import { SET_CONFIDENCE, type ItemSet } from '../analysis/sets.js';
import type { SupportHint } from '../analysis/supportHint.js';
import { distinctNames, formatAmount, formatCount, formatPct, plainChars, ratio, wrap, type Style, formatProbability } from './format.js';
import { visible } from './visible.js';

/** What the renderers show: the plan (src/analysis/bundlesPlan.ts). */
export type BundlesView = BundlesPlan;

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
  const exact = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Number((x / 10 ** v.decimals).toFixed(6)));
  return {
    items: o.items.map((i) => v.labels[i]),
    names: o.items.map((i) => v.names[i]),
    supportCount: o.supportCount,
    coPurchaseRate: ratio(o.support),
    listPrice: m(o.listPriceMinor),
    discount: o.discount,
    bundlePrice: m(o.bundlePriceMinor),
    // Costs and margins exact (sub-cent digits kept: 1.305, not 1.31), as they were judged.
    cost: exact(o.costMinor),
    marginPerBundle: exact(o.marginMinor),
    marginRate: o.marginRate === null ? null : ratio(o.marginRate),
    marginKnown: o.marginKnown,
    viable: o.viable,
    note: o.note,
    economics: o.economics
      ? {
          basketsWithAll: o.economics.basketsWithAll,
          basketsWithPart: o.economics.basketsWithPart,
          discountGiven: m(o.economics.discountGivenMinor),
          completionGain: m(o.economics.completionGainMinor),
          breakEvenUplift: o.economics.breakEvenUplift === null ? null : ratio(o.economics.breakEvenUplift),
          expectedNet: m(o.economics.expectedNetMinor),
          net90: o.economics.netLowMinor === null ? null : [m(o.economics.netLowMinor), m(o.economics.netHighMinor)],
          probabilityPays: o.economics.probabilityPays === null ? null : ratio(o.economics.probabilityPays, 4),
          model: o.economics.model ?? 'flat',
          expectedUplift: o.economics.expectedUplift === undefined ? null : ratio(o.economics.expectedUplift),
          breakEvenElasticity: o.economics.breakEvenElasticity == null ? null : ratio(o.economics.breakEvenElasticity, 4),
        }
      : null,
    discountChoice: o.discountChoice
      ? {
          decidedBy: o.discountChoice.decidedBy,
          candidates: o.discountChoice.candidates.map((c) => ({ discount: c.discount, bundlePrice: m(c.bundlePriceMinor), expectedNet: m(c.expectedNetMinor) })),
          bestAtLow: o.discountChoice.bestAtLow ?? null,
          bestAtHigh: o.discountChoice.bestAtHigh ?? null,
        }
      : null,
  };
}

/** Where the default elasticity prior's ends come from (bundleDefaults.ts). */
const ELASTICITY_SOURCE = 'stated prior: 2.6 = mean price elasticity in Bijmolt, van Heerde & Pieters (J. Marketing Research 42, 2005); 0.6 = the quarter of it Bell, Chiang & Padmanabhan (Marketing Science 18, 1999) find is new demand; the range is a judgment';

function responseJson(r: OfferResponse | undefined) {
  if (!r) return null;
  if (r.model === 'flat') return { model: 'flat', source: 'stated assumption (--bundle-uplift): the same share at any discount' };
  const e = r.elasticity;
  return {
    model: 'elasticity',
    elasticity: e.kind === 'known' ? { kind: 'known', value: e.value } : { kind: 'prior', distribution: 'lognormal', range90: [e.low, e.high], mu: ratio(e.mu), sigma: ratio(e.sigma), mean: ratio(e.mean, 4) },
    source: e.kind === 'known' ? 'stated assumption (--bundle-elasticity)' : ELASTICITY_SOURCE,
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
    keptPairs: v.keptPairs,
    supportHint: v.supportHint,
    pairs: v.pairs.map((r) => pairJson(v, r)),
    setShare: v.setShare ?? SET_CONFIDENCE,
    sets: v.sets.map((set, k) => ({
      items: set.items.map((i) => v.labels[i]),
      names: set.items.map((i) => v.names[i]),
      basketsWithAll: set.basketsWithAll,
      basketsWithAny: set.basketsWithAny,
      minConfidence: ratio(set.minConfidence),
      pairs: v.setPairs[k].map((r) => pairJson(v, r)),
    })),
    itemsets: v.mining.itemsets
      .filter((s) => s.items.length >= 3)
      .map((s) => ({ items: s.items.map((i) => v.labels[i]), names: s.items.map((i) => v.names[i]), supportCount: s.supportCount, support: ratio(s.supportCount / v.mining.baskets) })),
    offers: v.offers.map((o) => offerJson(v, o)),
    uplift: v.uplift ? (v.uplift.kind === 'known' ? { kind: 'known', uplift: v.uplift.uplift } : { kind: 'prior', range90: [v.uplift.low, v.uplift.high], alpha: ratio(v.uplift.alpha), beta: ratio(v.uplift.beta) }) : null,
    response: responseJson(v.response),
    complements: v.complements
      ? {
          item: v.labels[v.complements.item],
          name: v.names[v.complements.item],
          matches: v.complements.matches ?? [v.labels[v.complements.item]],
          with: v.complements.list.map((c) => ({ item: v.labels[c.item], name: v.names[c.item], supportCount: c.supportCount, confidence: ratio(c.confidence), lift: ratio(c.lift), q: c.q })),
        }
      : null,
    notes: v.notes,
  };
}

/**
 * The bundle rules a rules file gets: the offers that keep the margin floor and pay with
 * P(net > 0) >= BUNDLE_RULE_BAR, each with the economics it was judged on; the others are
 * skipped with the reason (unknown margin, or P under the bar with its net and break-even).
 * The bar is the one a threshold and a second-order gift are held to: a merchant acts on a
 * rules file unattended, so a rule in it should pay 9 times in 10 under what aov knows.
 */
export function bundleRuleChoice(v: BundlesView) {
  const amount = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Number(formatAmount(x, v.decimals).replace(/,/g, '')));
  const rules = [];
  // Each skipped offer: its items (SKUs, as rule ids name them) and why, for the caller to word.
  const skipped: { items: string; reason: string }[] = [];
  for (const o of v.offers.filter((offer) => offer.viable)) {
    const items = o.items.map((i) => v.labels[i]).join(' + ');
    const e = o.economics;
    if (!o.marginKnown || !e || e.probabilityPays === null || e.expectedNetMinor === null) {
      skipped.push({ items, reason: 'margin unknown, so whether it pays is unknown (give --costs or an export with a cost column)' });
      continue;
    }
    if (e.probabilityPays < BUNDLE_RULE_BAR) {
      const breakEven = e.breakEvenUplift === null ? 'it never breaks even' : `it pays if ${formatPct(e.breakEvenUplift)} of the ${formatCount(e.basketsWithPart)} part baskets complete it`;
      skipped.push({
        items,
        reason:
          `pays with P ${formatProbability(e.probabilityPays)} at a ${Math.round(o.discount * 100)}% discount (a rule needs ${BUNDLE_RULE_BAR * 100}%); ` +
          `expected net ${formatAmount(e.expectedNetMinor, v.decimals)} ${v.currency} over the baskets seen (90% ${formatAmount(e.netLowMinor!, v.decimals)} to ${formatAmount(e.netHighMinor!, v.decimals)}); ${breakEven}; see aov bundles`,
      });
      continue;
    }
    const pair = o.items.length === 2 ? [...v.pairs, ...v.setPairs.flat()].find((r) => r.a === o.items[0] && r.b === o.items[1]) : undefined;
    rules.push({
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
        // What the rule was judged on: the baskets seen, the net over them and P(net > 0).
        economics: {
          baskets: e.basketsWithAll + e.basketsWithPart,
          discount: o.discount,
          expectedNet: amount(e.expectedNetMinor),
          net90: [amount(e.netLowMinor), amount(e.netHighMinor)],
          probabilityPays: ratio(e.probabilityPays, 4),
          breakEvenUplift: e.breakEvenUplift === null ? null : ratio(e.breakEvenUplift),
          decidedBy: o.discountChoice?.decidedBy ?? null,
          model: e.model ?? 'flat',
          note: o.note,
        },
      },
    });
  }
  return { rules, skipped };
}

export function bundlesCsv(v: BundlesView): string {
  return csvTable(
    ['item_a', 'name_a', 'item_b', 'name_b', 'support_count', 'support', 'confidence_a_to_b', 'confidence_b_to_a', 'lift', 'leverage', 'jaccard', 'p', 'q'],
    v.pairs.map((r) => [v.labels[r.a], v.names[r.a], v.labels[r.b], v.names[r.b], r.supportCount, ratio(r.support), ratio(r.confidence[0]), ratio(r.confidence[1]), ratio(r.lift), ratio(r.leverage, 8), ratio(r.jaccard), r.p, r.q]),
  );
}

/** Item display names at one width, distinct across every item the view shows. */
function namer(v: BundlesView, width: number): (i: number) => string {
  const shown = new Set<number>();
  for (const r of v.pairs) shown.add(r.a).add(r.b);
  for (const set of v.sets) set.items.forEach((i) => shown.add(i));
  for (const o of v.offers) o.items.forEach((i) => shown.add(i));
  for (const s of v.mining.itemsets) if (s.items.length >= 3) s.items.forEach((i) => shown.add(i));
  if (v.complements) {
    shown.add(v.complements.item);
    v.complements.list.forEach((c) => shown.add(c.item));
  }
  const nameOf = (i: number) => visible(v.names[i] && v.names[i] !== v.labels[i] ? v.names[i] : v.labels[i]);
  const names = distinctNames([...shown].sort((a, b) => a - b).map((i) => [v.labels[i], nameOf(i)] as const), width);
  return (i) => names.get(v.labels[i]) ?? nameOf(i);
}

/** Which assumption decided an offer's discount, in words (empty when nothing was chosen). */
function discountReason(o: BundleOffer, elasticity: Elasticity | null): string {
  const c = o.discountChoice;
  if (!c || c.decidedBy === 'noCosts') return '';
  const pct = (d: number) => `${Math.round(d * 100)}%`;
  const chosen = pct(o.discount);
  if (c.decidedBy === 'marginFloor') return ` Its ${chosen} is the only discount in range that keeps the margin floor.`;
  if (c.decidedBy === 'elasticity' && elasticity?.kind === 'prior') {
    return ` Its ${chosen} is decided by the elasticity: the best is ${pct(c.bestAtLow!)} at ${elasticity.low} and ${pct(c.bestAtHigh!)} at ${elasticity.high}.`;
  }
  return ` Its ${chosen} nets most at ${elasticity?.kind === 'prior' ? `both ends of the elasticity range (${elasticity.low} and ${elasticity.high})` : 'the assumed response'}, of ${c.candidates.map((x) => pct(x.discount)).join(', ')}.`;
}

/** Items on one line when they fit, else one per line, the others after "+ ". */
const stacked = (items: readonly number[], name: (i: number) => string, width = 37) => {
  const names = items.map(name);
  const oneLine = names.join(' + ');
  return oneLine.length <= width ? oneLine : names.map((text, k) => `${k ? '+ ' : ''}${text}`).join('\n');
};

const SHOWN_PAIRS = 20;

export function renderBundles(v: BundlesView, style: Style): string {
  const { chalk } = style;
  const out: string[] = [];
  const tableStyle = { ...style.tableStyle, 'padding-left': 1, 'padding-right': 1 };
  // 80 columns: a 37-character item column beside the numbers; a stacked item takes "+ ".
  const name = namer(v, 35);
  const counts = Object.entries(v.mining.itemsetCounts).map(([size, n]) => `${formatCount(n)} of size ${size}`).join(', ');
  out.push(chalk.bold(wrap(`${formatCount(v.mining.baskets)} baskets, ${formatCount(v.labels.length)} items; support >= ${formatCount(v.mining.minSupportCount)} baskets (${formatPct(v.mining.minSupportCount / v.mining.baskets, 2)})`, 78)));
  const shown = Math.min(v.pairs.length, SHOWN_PAIRS);
  const pairsLine = v.testedPairs === 0
    ? 'no frequent pair'
    : `${formatCount(v.keptPairs)} of ${formatCount(v.testedPairs)} frequent pairs pass the filters (Fisher test, Benjamini-Hochberg q <= ${v.maxQ})${shown ? `; showing the top ${formatCount(shown)} by ${v.sort === 'margin' ? "their offers' expected net (--sort margin)" : v.sort}` : ''}`;
  out.push(wrap(`Frequent itemsets: ${counts || 'none'}; ${pairsLine}.`, 78));
  if (v.supportHint) {
    const h = v.supportHint;
    out.push('', wrap(h.strongestPairCount < 2
      ? 'No two items are bought together in more than one basket: there is no pair to mine.'
      : `No pair reaches ${formatCount(v.mining.minSupportCount)} baskets: the most frequent pair is in ${formatCount(h.strongestPairCount)}. --min-support ${h.suggestedCount} (${formatPct(h.suggestedCount / v.mining.baskets, 2)} of baskets) finds ${formatCount(h.pairsAtSuggested)} pairs.`, 78));
  }
  if (v.complements) {
    const c = v.complements;
    out.push('', chalk.bold(wrap(`Goes well with ${visible(v.names[c.item] || v.labels[c.item])} (${visible(v.labels[c.item])}):`, 78)));
    const t = new Table({ head: ['Item', 'Together', 'P(it | this)', 'Lift', 'q'], style: tableStyle, chars: plainChars(), colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const x of c.list.slice(0, 15)) t.push([name(x.item), formatCount(x.supportCount), formatPct(x.confidence), x.lift.toFixed(2), x.q < 0.001 ? '<0.001' : x.q.toFixed(3)]);
    out.push(c.list.length ? t.toString() : '  (no frequent pair with this item at this support)');
  }
  if (v.sets.length) {
    out.push('', chalk.bold(`Sets: bought together almost always (each in ${formatPct(v.setShare ?? SET_CONFIDENCE, 0)}+ of the others' baskets)`));
    const t = new Table({ head: ['Items', 'All of them', 'Any', 'Weakest'], style: tableStyle, chars: plainChars(), colAligns: ['left', 'right', 'right', 'right'] });
    for (const set of v.sets.slice(0, 10)) t.push([stacked(set.items, name), formatCount(set.basketsWithAll), formatCount(set.basketsWithAny), formatPct(set.minConfidence, 0)]);
    out.push(t.toString());
    const inside = v.setPairs.reduce((sum, p) => sum + p.length, 0);
    out.push(chalk.dim(wrap(`Each item is in at least "Weakest" of every other's baskets (the cut-off is --set-share): a series customers buy whole, offered once as a set below. Its ${formatCount(inside)} pairs are left out of the pairs, which rank what goes together without being one thing.`, 78)));
  }
  if (v.pairs.length) {
    out.push('', chalk.bold(v.sets.length ? 'Pairs bought together (outside the sets)' : 'Pairs bought together'));
    const t = new Table({ head: ['Items (A + B)', 'Baskets', 'A>B / B>A', 'Lift', 'q'], style: tableStyle, chars: plainChars(), colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const r of v.pairs.slice(0, SHOWN_PAIRS)) {
      t.push([stacked([r.a, r.b], name), formatCount(r.supportCount), `${formatPct(r.confidence[0], 0)} / ${formatPct(r.confidence[1], 0)}`, r.lift.toFixed(2), r.q < 0.001 ? '<0.001' : r.q.toFixed(3)]);
    }
    out.push(t.toString());
    const more = v.keptPairs - v.setPairs.reduce((sum, p) => sum + p.length, 0) - shown;
    if (more > 0) out.push(chalk.dim(wrap(`(${formatCount(more)} more pairs: the top ${formatCount(v.pairs.length)} in --json, all in --csv; --top sets how many)`, 78)));
  }
  const larger = v.mining.itemsets.filter((s) => s.items.length >= 3).sort((x, y) => y.supportCount - x.supportCount || y.items.length - x.items.length);
  if (larger.length) {
    out.push('', chalk.bold(`Itemsets of 3 or more items (${formatCount(larger.length)}, most frequent first)`));
    const t = new Table({ head: ['Items', 'Baskets', 'Support'], style: tableStyle, chars: plainChars(), colAligns: ['left', 'right', 'right'] });
    for (const s of larger.slice(0, 10)) t.push([stacked(s.items, name), formatCount(s.supportCount), formatPct(s.supportCount / v.mining.baskets, 2)]);
    out.push(t.toString());
    if (larger.length > 10) out.push(chalk.dim(`(${formatCount(larger.length - 10)} more in --json)`));
  }
  const priced = v.offers.filter((o) => Number.isFinite(o.listPriceMinor) && o.listPriceMinor > 0);
  if (v.offers.length && !priced.length) {
    out.push('', wrap('No bundle offers: the baskets carry no item prices, so there is no list price to discount (a basket file, or an export without a price column).', 78));
  } else if (priced.length) {
    out.push('', chalk.bold(`Bundle offers (${v.currency})`));
    // Narrower names here: the economics need four number columns in 80.
    const offerName = namer(v, 24);
    const t = new Table({ head: ['Bundle', 'Price', 'Margin', 'Gives away', 'Net'], style: tableStyle, chars: plainChars(), colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const o of priced.slice(0, 10)) {
      const e = o.economics;
      t.push([
        stacked(o.items, offerName, 26),
        `${formatAmount(o.bundlePriceMinor, v.decimals)} (-${Math.round(o.discount * 100)}%)`,
        o.marginMinor === null ? 'unknown' : `${formatAmount(o.marginMinor, v.decimals)}${o.viable ? '' : ' !'}`,
        e ? formatAmount(e.discountGivenMinor, v.decimals) : '–',
        e?.expectedNetMinor == null ? '–' : formatAmount(e.expectedNetMinor, v.decimals),
      ]);
    }
    out.push(t.toString());
    const elasticity = v.response?.model === 'elasticity' ? v.response.elasticity : null;
    const gives = `Gives away: the discount to the baskets that already buy all of it, over these ${formatCount(v.mining.baskets)} baskets.`;
    if (elasticity) {
      const assumed = elasticity.kind === 'known' ? `${elasticity.value}` : `${elasticity.low}-${elasticity.high} (90% range, a stated prior from published price elasticities; --bundle-elasticity)`;
      out.push(chalk.dim(wrap(`${gives} Net: what the offer earns as the baskets with part of it buy the rest more often at a lower price, by a price elasticity of ${assumed}, at the bundle price and the added items' cost, minus what it gives away (the mean; 90% range, P(net > 0) and break-evens in --json). ${priced.some((o) => o.marginMinor !== null) ? 'The discount is the one in --bundle-discount with the best expected net that keeps the margin floor.' : 'Without costs no discount can be weighed by its net: each offer shows the smallest in --bundle-discount.'}`, 78)));
    } else {
      const assumed = !v.uplift ? 'an assumed share' : v.uplift.kind === 'known' ? formatPct(v.uplift.uplift) : `${formatPct(v.uplift.low, 0)}-${formatPct(v.uplift.high, 0)} (90% range, a stated prior; --bundle-uplift)`;
      out.push(chalk.dim(wrap(`${gives} Net: what the offer earns if ${assumed} of the baskets with part of it complete it, at any discount, at the bundle price and the added items' cost, minus what it gives away (the mean; 90% range and break-even uplift in --json).`, 78)));
    }
    const best = priced.find((o) => o.economics?.breakEvenUplift != null);
    if (best?.economics) {
      const e = best.economics;
      const threshold = elasticity && e.breakEvenElasticity != null ? `the elasticity is above ${e.breakEvenElasticity.toFixed(2)} (then more than ${formatPct(e.breakEvenUplift!)} of its ${formatCount(e.basketsWithPart)} part baskets complete it; expected ${formatPct(e.expectedUplift ?? 0)})` : `more than ${formatPct(e.breakEvenUplift!)} of its ${formatCount(e.basketsWithPart)} part baskets complete it`;
      out.push(chalk.dim(wrap(`First: pays if ${threshold}${e.probabilityPays === null ? '' : ` (P(net > 0) = ${formatProbability(e.probabilityPays)})`}; 90% range ${formatAmount(e.netLowMinor!, v.decimals)} to ${formatAmount(e.netHighMinor!, v.decimals)}.${discountReason(best, elasticity)}`, 78)));
    }
    if (priced.length < v.offers.length) out.push(chalk.dim(wrap(`${v.offers.length - priced.length} bundles have an item without a price and are not offered.`, 78)));
    const unknown = priced.some((o) => !o.marginKnown);
    if (unknown) out.push(chalk.dim(wrap('Margins unknown: the export has no costs; give --costs costs.csv (sku,cost) or a cost column.', 78)));
    if (priced.some((o) => !o.viable && o.marginKnown)) out.push(chalk.dim('! = even the smallest discount breaks the margin floor'));
  }
  return `${out.join('\n')}\n`;
}
