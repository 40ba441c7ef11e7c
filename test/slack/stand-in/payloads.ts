import { APP_ID, BOT_USER_ID, slackId, TEAM_DOMAIN, TEAM_ID, triggerId, VERIFICATION_TOKEN } from './wire.js';

/** Request bodies exactly as Slack sends them (field names and nesting from Slack's payload reference). */

export interface Person {
  id: string;
  name: string;
}

export function slashCommand(input: {
  command: string;
  text?: string;
  channel: string;
  user: Person;
  responseUrl: string;
  triggerId?: string;
}): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM_ID,
    team_domain: TEAM_DOMAIN,
    channel_id: input.channel,
    channel_name: 'quiz',
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text ?? '',
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? triggerId(),
  };
}

/** A button click on a message: the block_actions interaction payload. */
export function blockAction(input: {
  actionId: string;
  label?: string;
  channel: string;
  messageTs: string;
  user: Person;
  responseUrl: string;
  ephemeral?: boolean;
  triggerId?: string;
}): Record<string, unknown> {
  const actionTs = `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  return {
    type: 'block_actions',
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channel, is_ephemeral: input.ephemeral ?? false },
    trigger_id: input.triggerId ?? triggerId(),
    team: { id: TEAM_ID, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: 'quiz' },
    ...(input.ephemeral ? {} : { message: { type: 'message', user: BOT_USER_ID, ts: input.messageTs, text: 'card' } }),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: input.actionId,
        block_id: 'card-actions-0',
        text: { type: 'plain_text', text: input.label ?? input.actionId, emoji: true },
        type: 'button',
        action_ts: actionTs,
      },
    ],
  };
}

/** An Events API envelope for reaction_added / reaction_removed on a message. */
export function reactionEvent(input: {
  added: boolean;
  reaction: string;
  channel: string;
  ts: string;
  user: Person;
  itemUser?: string;
  eventId?: string;
}): Record<string, unknown> & { event_id: string } {
  const now = Math.floor(Date.now() / 1000);
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM_ID,
    context_team_id: TEAM_ID,
    context_enterprise_id: null,
    api_app_id: APP_ID,
    event: {
      type: input.added ? 'reaction_added' : 'reaction_removed',
      user: input.user.id,
      reaction: input.reaction,
      item: { type: 'message', channel: input.channel, ts: input.ts },
      item_user: input.itemUser ?? BOT_USER_ID,
      event_ts: `${now}.000200`,
    },
    type: 'event_callback',
    event_id: input.eventId ?? slackId('Ev'),
    event_time: now,
    authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: '4-eyJldCI6InJlYWN0aW9uX2FkZGVkIn0',
  };
}
