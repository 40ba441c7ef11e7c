import type { ConversationRef, OutgoingMessage } from '../chat/types.js';

/** Queue names shared by the bot (producer of requests, consumer of the outbox) and the worker. */
export const QUEUE = {
  dailyQuiz: 'daily-quiz',
  outbox: 'outbox',
  sentiment: 'sentiment',
  ticks: 'ticks',
  training: 'price-training',
  forecastPosts: 'forecast-posts',
} as const;

export interface DailyQuizJob {
  conversation: ConversationRef;
}

/** A message in a job: images travel as base64 because job data is JSON. */
export type SerializedMessage =
  | Exclude<OutgoingMessage, { kind: 'image' }>
  | { kind: 'image'; pngBase64: string; alt: string; caption?: string; filename: string };

export type OutboxJob =
  | { kind: 'quiz-post'; postId: number }
  | { kind: 'messages'; conversation: ConversationRef; messages: SerializedMessage[] };

export interface SentimentJob {
  text: string;
}

export interface TickBatchJob {
  ticks: import('../ticks/tick.js').ValidTick[];
}

export interface TickBatchResult {
  results: import('../ticks/tick.js').TickResult[];
}

export interface TrainingJob {
  symbol: string;
}

export interface ForecastPostJob {
  conversation: ConversationRef;
  symbol: string;
}

export function serializeMessage(message: OutgoingMessage): SerializedMessage {
  if (message.kind !== 'image') return message;
  const { png, ...rest } = message;
  return { ...rest, pngBase64: png.toString('base64') };
}

export function deserializeMessage(message: SerializedMessage): OutgoingMessage {
  if (message.kind !== 'image') return message;
  const { pngBase64, ...rest } = message;
  return { ...rest, png: Buffer.from(pngBase64, 'base64') };
}

/** BullMQ refuses custom job ids containing ":", which every ConversationRef has: encode the parts. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((part) => encodeURIComponent(String(part))).join('|');
}
