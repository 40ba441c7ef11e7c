import type {
  ChatAdapter,
  ConversationRef,
  HandlerResult,
  IncomingEvent,
  OutgoingMessage,
  SentMessage,
  UserRef,
} from '../../src/shared/chat/types.js';

/** A platform that records what the core sent (hubot's test adapter idea); admins are by user id. */
export class RecordingAdapter implements ChatAdapter {
  readonly platform = 'test';
  readonly sent: { conversation: ConversationRef; message: OutgoingMessage; messageRef: string }[] = [];
  private next = 1;
  onEvent: ((event: IncomingEvent) => Promise<HandlerResult>) | undefined;

  constructor(private readonly admins: string[] = []) {}

  async start(onEvent: (event: IncomingEvent) => Promise<HandlerResult>): Promise<void> {
    this.onEvent = onEvent;
  }
  async stop(): Promise<void> {}
  async send(conversation: ConversationRef, message: OutgoingMessage): Promise<SentMessage> {
    const messageRef = `m${this.next++}`;
    this.sent.push({ conversation, message, messageRef });
    return { messageRef };
  }
  async isAdmin(user: UserRef): Promise<boolean> {
    return this.admins.includes(user.id);
  }
}
