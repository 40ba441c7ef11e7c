import { z } from 'zod';
import type { ForecastSource } from './artifact.js';

/**
 * One-sided 5% critical value of the standard normal. A strict "validation MAE below naive" rule let a
 * network through on a pure random walk (validation MASE 0.993: luck, plus the epoch having been picked on
 * the same tail), so the improvement must also be significant.
 */
export const GATE_CRITICAL_VALUE = 1.645;

export const gateDecisionSchema = z.object({
  source: z.enum(['rnn', 'naive']),
  /** Diebold-Mariano statistic on absolute errors (naive minus network); null when undefined. */
  statistic: z.number().nullable(),
  criticalValue: z.number(),
  n: z.number().int(),
});
export type GateDecision = z.infer<typeof gateDecisionSchema>;

/**
 * The publication gate, on the validation tail: publish the network's forecast only when its absolute
 * errors are smaller than the naive forecast's on the same days (validation MASE < 1) and significantly so
 * (a Diebold-Mariano test, one-step horizon, absolute-error loss, statistic > 1.645). Otherwise the naive
 * "tomorrow = today" forecast is published, and labelled as such.
 */
export function decideGate(days: readonly { actual: number; lastClose: number; network: number }[]): GateDecision {
  const differences = days.map((d) => Math.abs(d.actual - d.lastClose) - Math.abs(d.actual - d.network));
  const n = differences.length;
  const base = { criticalValue: GATE_CRITICAL_VALUE, n };
  if (n < 2) return { ...base, source: 'naive', statistic: null };
  const mean = differences.reduce((sum, d) => sum + d, 0) / n;
  const variance = differences.reduce((sum, d) => sum + (d - mean) ** 2, 0) / (n - 1);
  const statistic = variance > 0 ? mean / Math.sqrt(variance / n) : mean > 0 ? Number.POSITIVE_INFINITY : null;
  const source: ForecastSource = statistic !== null && mean > 0 && statistic > GATE_CRITICAL_VALUE ? 'rnn' : 'naive';
  return { ...base, source, statistic: statistic !== null && Number.isFinite(statistic) ? statistic : null };
}
