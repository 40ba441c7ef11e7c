import path from 'node:path';
import { z } from 'zod';
import { isValidTimeZone } from './time.js';

/** For z.preprocess: an environment variable set to blanks counts as unset. */
export function blankAsUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url().optional())
  .optional();

/** Core settings. Platform adapters validate their own settings in their own folders. */
export const coreConfigSchema = z.object({
  QUIZCAST_STATE_DIR: z.string().min(1).default('.quizcast'),
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ and - only').default('quizcast'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The worker's own HTTP server (/healthz, /metrics), on HTTP_HOST. */
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /** Enables Bull Board at /admin/queues for whoever presents it; unset (or blank), the board is off. */
  ADMIN_TOKEN: z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.string().min(16, 'at least 16 characters').optional())
    .optional(),
  LOCAL_ADMINS: z
    .string()
    .default('admin')
    .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean)),
  DEFAULT_POST_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour').default('09:00'),
  DEFAULT_TIMEZONE: z.string().refine(isValidTimeZone, 'not an IANA time zone').default('UTC'),
  DECK_MAX_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  SEED_DECK: z.string().default('decks/rnn-flashcards.txt'),
  SEED_CONVERSATION: z.string().default('local:general'),
  MARKET_TIMEZONE: z.string().refine(isValidTimeZone, 'not an IANA time zone').default('America/New_York'),
  TICKS_API_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  TICKS_MAX_BATCH: z.coerce.number().int().min(1).max(50_000).default(5000),
  TICKS_FUTURE_TOLERANCE_MS: z.coerce.number().int().min(0).default(5 * 60 * 1000),
  /** Database connections per process (node-postgres pool size). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /** Chat events handled at once per bot; more wait their turn instead of timing out on the pool. */
  EVENT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(128),
  /** How long a job's lock lasts; a worker that dies mid-job has its jobs re-run after about this long. */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  TRAIN_DEBOUNCE_MS: z.coerce.number().int().min(0).default(5000),
  REPLAY_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  REPLAY_SYMBOL: z.string().default('SPX'),
  REPLAY_CSV: z.string().default('node_modules/vega-datasets/data/sp500-2000.csv'),
  REPLAY_SPEED: z.coerce.number().positive().default(20),
});

export type CoreConfig = z.infer<typeof coreConfigSchema>;

export class ConfigError extends Error {
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings with zod, reporting every bad value by name in one error. */
export function parseConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = issue.path.join('.');
        const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
        return `${key}=${JSON.stringify(value ?? '')}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  const config = parseConfig(coreConfigSchema, env);
  return { ...config, QUIZCAST_STATE_DIR: path.resolve(config.QUIZCAST_STATE_DIR) };
}
