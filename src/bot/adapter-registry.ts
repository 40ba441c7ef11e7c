import type { ChatAdapter, ConversationRef, OutgoingMessage, SentMessage, UserRef } from '../shared/chat/types.js';
import { platformOf } from '../shared/chat/types.js';
import type { Messenger } from '../shared/core/context.js';

/** Routes core calls to the adapter that owns a conversation's platform prefix. */
export class AdapterRegistry implements Messenger {
  private readonly adapters = new Map<string, ChatAdapter>();

  add(adapter: ChatAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  all(): ChatAdapter[] {
    return [...this.adapters.values()];
  }

  for(conversation: ConversationRef): ChatAdapter {
    const adapter = this.adapters.get(platformOf(conversation));
    if (!adapter) throw new Error(`no adapter is running for ${platformOf(conversation)} (conversation ${conversation})`);
    return adapter;
  }

  send(conversation: ConversationRef, message: OutgoingMessage): Promise<SentMessage> {
    return this.for(conversation).send(conversation, message);
  }

  isAdmin(user: UserRef, conversation: ConversationRef): Promise<boolean> {
    return this.for(conversation).isAdmin(user, conversation);
  }
}
