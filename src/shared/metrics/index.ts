export { QUEUE_STATES, registerModelMetrics, registerQueueDepths } from './collectors.js';
export { instrumentWorker, withJobLogContext } from './jobs.js';
export { type AcceptedTickStatus, countRating, countTickResults, createMetrics, type Metrics, type MetricsOptions } from './registry.js';
