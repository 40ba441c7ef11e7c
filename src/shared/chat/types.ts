/**
 * The seam between the platform-neutral core and each chat platform. Nothing here names a platform:
 * adapters translate their events into IncomingEvent and render OutgoingMessage into their payloads.
 */

/** Opaque conversation id, e.g. "discord:<guild>:<channel>", "slack:<team>:<channel>", "local:general". */
export type ConversationRef = string;

/** A platform-qualified user, e.g. "discord:1234", "slack:T1:U1", "local:alice". */
export interface UserRef {
  id: string;
  displayName: string;
}

export interface CommandEvent {
  kind: 'command';
  name: string;
  /** Positional text after the command name, as typed ("/subscribe 09:00 Europe/Paris" → "09:00 Europe/Paris"). */
  text: string;
  /** Named options where the platform has them (Discord options); adapters also fill `text`. */
  options: Record<string, string>;
  attachments: Attachment[];
  user: UserRef;
  conversation: ConversationRef;
  /** Platform delivery id (interaction id, Slack trigger) used to process a redelivery once. */
  deliveryId?: string;
}

export interface ActionEvent {
  kind: 'action';
  actionId: string;
  messageRef: string;
  user: UserRef;
  conversation: ConversationRef;
  deliveryId?: string;
}

export interface ReactionEvent {
  kind: 'reaction';
  /** Normalised to the core's emoji names: "one" … "five" (adapters map 1️⃣ or :one:). */
  emoji: string;
  added: boolean;
  messageRef: string;
  user: UserRef;
  conversation: ConversationRef;
  deliveryId?: string;
}

export type IncomingEvent = CommandEvent | ActionEvent | ReactionEvent;

export interface Attachment {
  name: string;
  size: number;
  /** Fetches the bytes lazily so a refused upload is never downloaded. */
  download(): Promise<Buffer>;
}

export interface Button {
  /** Stable id routed back in ActionEvent.actionId (≤ 100 chars, Discord's custom_id limit). */
  id: string;
  label: string;
  style?: 'primary' | 'secondary' | 'success' | 'danger';
}

export type OutgoingMessage =
  | { kind: 'text'; markdown: string }
  | { kind: 'card'; title?: string; body: string; buttons: Button[]; fallbackText: string; reactions?: string[] }
  | { kind: 'image'; png: Buffer; alt: string; caption?: string; filename: string };

/** A message the core wants shown: publicly in the conversation, or only to the acting user. */
export interface Reply {
  message: OutgoingMessage;
  ephemeral?: boolean;
}

/**
 * What a handler returns. `replies` go out at once (the acknowledgement); `followUp`, when present,
 * resolves later with replies that replace/follow the acknowledgement, so slow work (model inference,
 * chart rendering) never blocks a platform's 3-second deadline.
 */
export interface HandlerResult {
  replies: Reply[];
  followUp?: Promise<Reply[]>;
  /**
   * Set when the event failed on our side (the replies are an apology) and nothing of it was stored:
   * an adapter whose platform redelivers on an error answer (Slack) says so, and the retry is processed.
   */
  fault?: true;
}

export interface SentMessage {
  messageRef: string;
}

export interface ChatAdapter {
  /** Prefix of every ConversationRef this adapter owns ("discord", "slack", "local"). */
  readonly platform: string;
  start(onEvent: (event: IncomingEvent) => Promise<HandlerResult>): Promise<void>;
  stop(): Promise<void>;
  send(conversation: ConversationRef, message: OutgoingMessage): Promise<SentMessage>;
  edit?(conversation: ConversationRef, messageRef: string, message: OutgoingMessage): Promise<void>;
  /** Whether the user may run admin commands in this conversation (platform's own notion of admin). */
  isAdmin(user: UserRef, conversation: ConversationRef): Promise<boolean>;
}

/** The emoji names that count as ratings when reacted on a card, in rating order. */
export const RATING_EMOJI = ['one', 'two', 'three', 'four', 'five'] as const;

export function platformOf(conversation: ConversationRef): string {
  const colon = conversation.indexOf(':');
  return colon === -1 ? conversation : conversation.slice(0, colon);
}
