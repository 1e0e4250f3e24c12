/** Why suggest-threshold recommends a threshold, or none, in words (the JSON `reason`, the report's "Why:"). */
import type { NoRecommendation, Recommendation } from '../analysis/threshold.js';

/** "largest expected net margin among the 4 of 16 candidates with P(net > 0) >= 0.9; it still pays with half ..." */
export function recommendationReason(r: Recommendation): string {
  return `largest expected net margin among the ${r.qualifying} of ${r.candidates} candidates with P(net > 0) >= ${r.confidence}; ` +
    (r.paysAtHalf ? 'it still pays with half the uptake and half the reach' : 'with half the uptake and half the reach it would lose money: watch the first weeks');
}

/** Why no threshold is recommended. */
export function noRecommendationReason(n: NoRecommendation): string {
  switch (n.kind) {
    case 'no orders':
      return 'no orders with a positive value: nothing to simulate';
    case 'none pays':
      return 'no candidate is expected to pay: the reward paid on orders already above the threshold outweighs the margin on the extra spend';
    case 'not confident':
      return `no candidate pays with P(net > 0) >= ${n.confidence}; the best one does with ${(n.bestProbability * 100).toFixed(0)}%`;
  }
}

/** The reason of a result: the recommendation's, else why there is none (null when neither: never from simulateThresholds). */
export function resultReason(result: { recommendation: Recommendation | null; noRecommendation: NoRecommendation | null }): string | null {
  if (result.recommendation) return recommendationReason(result.recommendation);
  return result.noRecommendation ? noRecommendationReason(result.noRecommendation) : null;
}
