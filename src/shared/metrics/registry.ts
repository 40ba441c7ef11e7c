import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RatingSource } from '../repositories/rating-repository.js';
import type { TickRejection, TickResult } from '../ticks/tick.js';

/** Seconds; spans a quick outbox post (ms) up to a price-model retrain (minutes). */
const JOB_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export type AcceptedTickStatus = Exclude<TickResult['status'], 'rejected'>;

/**
 * One process's metrics. Each process (and each bot or worker started in a test process) has its own
 * registry, so two composition roots in one process never collide on a metric name.
 */
export interface Metrics {
  registry: Registry;
  ratingsRecorded: Counter<'source'>;
  ratingsWithdrawn: Counter;
  ticksAccepted: Counter<'status'>;
  ticksRejected: Counter<'reason'>;
  jobDuration: Histogram<'queue' | 'status'>;
}

export interface MetricsOptions {
  /** "bot" or "worker": a default label on every series, so one Prometheus job can scrape both. */
  service: string;
  /** Node process metrics (CPU, memory, event loop lag, GC). On by default. */
  processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    ratingsRecorded: new Counter({
      name: 'quizcast_ratings_recorded_total',
      help: 'Card ratings recorded (a repeat of the same rating counts again; redeliveries do not)',
      labelNames: ['source'],
      registers,
    }),
    ratingsWithdrawn: new Counter({
      name: 'quizcast_ratings_withdrawn_total',
      help: 'Reaction ratings withdrawn by removing the emoji that set them',
      registers,
    }),
    ticksAccepted: new Counter({
      name: 'quizcast_ticks_accepted_total',
      help: 'Ticks the store accepted, by status: stored, stored_late (history changed) or duplicate (already stored)',
      labelNames: ['status'],
      registers,
    }),
    ticksRejected: new Counter({
      name: 'quizcast_ticks_rejected_total',
      help: 'Ticks refused, by reason (validation at intake in the bot; unknown_symbol in the worker)',
      labelNames: ['reason'],
      registers,
    }),
    jobDuration: new Histogram({
      name: 'quizcast_job_duration_seconds',
      help: 'Time from a job becoming active to its completion or failure, per queue',
      labelNames: ['queue', 'status'],
      buckets: JOB_DURATION_BUCKETS,
      registers,
    }),
  };
}

export function countRating(metrics: Metrics | undefined, source: RatingSource): void {
  metrics?.ratingsRecorded.inc({ source });
}

/** Counts each tick's verdict once, in the process that decided it. */
export function countTickResults(metrics: Metrics | undefined, results: readonly TickResult[]): void {
  if (!metrics) return;
  const accepted = new Map<AcceptedTickStatus, number>();
  const rejected = new Map<TickRejection, number>();
  for (const result of results) {
    if (result.status === 'rejected') rejected.set(result.reason, (rejected.get(result.reason) ?? 0) + 1);
    else accepted.set(result.status, (accepted.get(result.status) ?? 0) + 1);
  }
  for (const [status, count] of accepted) metrics.ticksAccepted.inc({ status }, count);
  for (const [reason, count] of rejected) metrics.ticksRejected.inc({ reason }, count);
}
