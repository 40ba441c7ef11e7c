import type { RespondFn, webApi } from '@slack/bolt';
import type { Reply } from '../../shared/chat/types.js';
import { imageAsText, renderMessage, renderUpload, type SlackMessage } from './render.js';

/** Slack accepts at most five messages through one response_url (within 30 minutes). */
export const RESPONSE_URL_MAX_USES = 5;

/**
 * Where the answers to one request go. A slash command answers through its response_url, which works
 * even in channels the bot has not joined; clicks and reactions answer with chat.postEphemeral (the
 * private "Recorded 3 · …" confirmation) or chat.postMessage.
 */
export interface ReplyRoute {
  channelId: string;
  userId: string;
  respond?: RespondFn;
  responsesLeft?: number;
}

export function commandRoute(channelId: string, userId: string, respond: RespondFn): ReplyRoute {
  return { channelId, userId, respond, responsesLeft: RESPONSE_URL_MAX_USES };
}

export class SlackReplies {
  constructor(private readonly client: webApi.WebClient) {}

  async deliver(route: ReplyRoute, replies: readonly Reply[]): Promise<void> {
    for (const reply of replies) await this.deliverOne(route, reply);
  }

  private async deliverOne(route: ReplyRoute, { message, ephemeral = false }: Reply): Promise<void> {
    if (message.kind === 'image') {
      if (ephemeral) return this.post(route, imageAsText(message), true);
      await this.client.filesUploadV2({ channel_id: route.channelId, ...renderUpload(message) });
      return;
    }
    await this.post(route, renderMessage(message), ephemeral);
  }

  private async post(route: ReplyRoute, message: SlackMessage, ephemeral: boolean): Promise<void> {
    if (route.respond && (route.responsesLeft ?? 0) > 0) {
      route.responsesLeft = (route.responsesLeft ?? 0) - 1;
      await route.respond({ response_type: ephemeral ? 'ephemeral' : 'in_channel', replace_original: false, ...message });
    } else if (ephemeral) {
      await this.client.chat.postEphemeral({ channel: route.channelId, user: route.userId, ...message });
    } else {
      await this.client.chat.postMessage({ channel: route.channelId, ...message });
    }
  }
}
