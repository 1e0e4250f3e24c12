/**
 * --fail-on rules: "aov.median:-10%" fires when median AOV falls by 10% or more against the
 * baseline; "nps:-5" when NPS falls by 5 points or more; "orders:+50%" when orders rise by
 * half or more. A percentage compares relatively, a plain number absolutely.
 */
import { AovError } from '../errors.js';

export interface FailRule {
  text: string;
  metric: string;
  /** Negative: fire on a fall at least this large; positive: on a rise at least this large. */
  change: number;
  relative: boolean;
}

export interface MetricValue {
  currency: string;
  metric: string;
  previous: number | null;
  current: number | null;
}

export interface FiredAlert {
  rule: string;
  currency: string;
  metric: string;
  previous: number;
  current: number;
  change: number;
  relative: boolean;
}

export const KNOWN_METRICS = ['aov.mean', 'aov.median', 'aov.trimmedMean', 'aov.winsorizedMean', 'orders', 'revenue', 'customers.repeatShare', 'nps'];

/** Parses "aov.median:-10%" (repeatable option values). */
export function parseFailRule(text: string): FailRule {
  const match = /^\s*([A-Za-z][\w.]*)\s*:\s*([+-])\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!match) {
    throw new AovError('E_USAGE', `--fail-on "${text}" is not METRIC:CHANGE.`, {
      hint: 'Examples: --fail-on "aov.median:-10%" (median AOV falls 10% or more), --fail-on "nps:-5" (NPS falls 5 points or more).',
    });
  }
  const [, metric, sign, amount, percent] = match;
  if (!KNOWN_METRICS.includes(metric)) {
    throw new AovError('E_USAGE', `--fail-on: unknown metric "${metric}".`, { hint: `Metrics: ${KNOWN_METRICS.join(', ')}.` });
  }
  const magnitude = Number(amount) / (percent ? 100 : 1);
  return { text: text.trim(), metric, change: sign === '-' ? -magnitude : magnitude, relative: percent === '%' };
}

/** The rules that fire, per currency, in rule order then currency order. */
export function evaluateRules(rules: readonly FailRule[], values: readonly MetricValue[]): FiredAlert[] {
  const fired: FiredAlert[] = [];
  for (const rule of rules) {
    for (const value of values) {
      if (value.metric !== rule.metric || value.previous === null || value.current === null) continue;
      if (rule.relative && value.previous === 0) continue;
      const change = rule.relative ? (value.current - value.previous) / Math.abs(value.previous) : value.current - value.previous;
      // A small epsilon so that exactly -10.0% fires a -10% rule despite float rounding.
      const breached = rule.change < 0 ? change <= rule.change + 1e-12 : change >= rule.change - 1e-12;
      if (breached) fired.push({ rule: rule.text, currency: value.currency, metric: rule.metric, previous: value.previous, current: value.current, change, relative: rule.relative });
    }
  }
  return fired;
}
