import type { ConversationRef, OutgoingMessage, SentMessage, UserRef } from '../chat/types.js';
import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { CachedForecast } from '../market/forecast-cache.js';
import type { Metrics } from '../metrics/registry.js';
import type { Queues } from '../queue/queues.js';
import type { Database } from '../repositories/database.js';
import type { Clock } from '../time.js';

/** Sends core messages to any conversation; the bot routes by the conversation's platform. */
export interface Messenger {
  send(conversation: ConversationRef, message: OutgoingMessage): Promise<SentMessage>;
}

export interface SentimentScore {
  score: number;
  label: 'positive' | 'negative';
  [extra: string]: unknown;
}

/** The model answers through the worker; the bot only asks. */
export interface SentimentService {
  score(text: string): Promise<SentimentScore>;
}

export interface ForecastReader {
  latest(symbol: string): Promise<CachedForecast | undefined>;
}

/** Everything a handler may use. Handlers never see a platform object. */
export interface CoreContext {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: CoreConfig;
  queues: Queues;
  messenger: Messenger;
  sentiment?: SentimentService;
  /** Reads published forecasts (the cache the training worker fills). */
  forecasts?: ForecastReader;
  /** This process's Prometheus metrics (absent in short-lived CLI commands and most tests). */
  metrics?: Metrics;
}

export interface RequestContext extends CoreContext {
  user: UserRef;
  conversation: ConversationRef;
  /** The platform's own notion of admin for this user here (Manage Server, workspace admin, allow-list). */
  isAdmin(): Promise<boolean>;
  /**
   * The platform's delivery id of the event, for handlers that claim it in the same transaction as
   * their write (ratings), so a redelivery is recognised only once the write has committed.
   */
  deliveryKey?: string;
}
