import { describe, expect, it } from 'vitest';
import { loadDiscordConfig } from '../../src/bot/discord/config.js';
import { isAdminAccess, resolveAdminRoleId } from '../../src/bot/discord/member-access.js';
import { parseConversationRef, reactionPayload, toConversationRef, toReactionEvent } from '../../src/bot/discord/parse.js';
import { ReactionDeliveryIds } from '../../src/bot/discord/reaction-delivery.js';
import { ConfigError } from '../../src/shared/config.js';

const GUILD = '1477953611370729474';
const CHANNEL = '1477953611370729478';
const MESSAGE = '1477953611370729490';
const USER = '1477953611370729481';

describe('Discord parse', () => {
  it('round-trips conversation refs for guild channels and DMs', () => {
    expect(toConversationRef(GUILD, CHANNEL)).toBe(`discord:${GUILD}:${CHANNEL}`);
    expect(parseConversationRef(`discord:${GUILD}:${CHANNEL}`)).toEqual({ guildId: GUILD, channelId: CHANNEL });
    expect(parseConversationRef(toConversationRef(null, CHANNEL))).toEqual({ guildId: undefined, channelId: CHANNEL });
    expect(() => parseConversationRef('slack:T1:C1')).toThrow(/not a Discord conversation/);
  });

  it('turns a recorded MESSAGE_REACTION_ADD into a core reaction with the member’s nickname', () => {
    const payload = reactionPayload.parse({
      user_id: USER,
      channel_id: CHANNEL,
      message_id: MESSAGE,
      guild_id: GUILD,
      member: { nick: 'Ada L.', user: { id: USER, username: 'ada', global_name: 'Ada' }, roles: [], joined_at: '2026-01-05T12:00:00.000Z' },
      emoji: { id: null, name: '4️⃣' },
      message_author_id: '1477953611370729473',
      burst: false,
      burst_colors: [],
      type: 0,
    });
    expect(toReactionEvent(payload, 'four', true, 'id-1')).toEqual({
      kind: 'reaction',
      emoji: 'four',
      added: true,
      messageRef: MESSAGE,
      user: { id: `discord:${USER}`, displayName: 'Ada L.' },
      conversation: `discord:${GUILD}:${CHANNEL}`,
      deliveryId: 'id-1',
    });
  });

  it('rejects a reaction payload without ids instead of guessing', () => {
    expect(reactionPayload.safeParse({ emoji: { id: null, name: '1️⃣' } }).success).toBe(false);
  });
});

describe('reaction delivery ids', () => {
  const reaction = (added: boolean, emoji = 'one', userId = USER) => ({ messageId: MESSAGE, userId, emoji, type: 0, added });

  it('gives a redelivered event its first delivery’s id and every real change a new one', () => {
    const ids = new ReactionDeliveryIds();
    const add = ids.idFor(reaction(true));
    expect(ids.idFor(reaction(true))).toBe(add);
    const remove = ids.idFor(reaction(false));
    expect(remove).not.toBe(add);
    expect(ids.idFor(reaction(false))).toBe(remove);
    const readd = ids.idFor(reaction(true));
    expect(new Set([add, remove, readd]).size).toBe(3);
  });

  it('keeps users, emoji and processes apart', () => {
    const ids = new ReactionDeliveryIds();
    const first = ids.idFor(reaction(true));
    expect(ids.idFor(reaction(true, 'two'))).not.toBe(first);
    expect(ids.idFor(reaction(true, 'one', '1477953611370729499'))).not.toBe(first);
    expect(new ReactionDeliveryIds().idFor(reaction(true))).not.toBe(first);
  });
});

describe('Discord admin check', () => {
  const MANAGE_GUILD = 1n << 5n;
  const ADMINISTRATOR = 1n << 3n;

  it('accepts Manage Server, Administrator, or the configured role', () => {
    expect(isAdminAccess({ permissions: MANAGE_GUILD, roleIds: [] }, undefined)).toBe(true);
    expect(isAdminAccess({ permissions: ADMINISTRATOR, roleIds: [] }, undefined)).toBe(true);
    expect(isAdminAccess({ permissions: 0n, roleIds: ['42'] }, '42')).toBe(true);
    expect(isAdminAccess({ permissions: 0n, roleIds: ['41'] }, '42')).toBe(false);
  });

  it('resolves DISCORD_ADMIN_ROLE given as an id or a name', () => {
    const roles = [{ id: '1477953611370729476', name: 'Quiz Admins' }];
    expect(resolveAdminRoleId('Quiz Admins', roles)).toBe('1477953611370729476');
    expect(resolveAdminRoleId('1477953611370729999', roles)).toBe('1477953611370729999');
    expect(resolveAdminRoleId('Nobody', roles)).toBeUndefined();
    expect(resolveAdminRoleId(undefined, roles)).toBeUndefined();
  });
});

describe('Discord config', () => {
  it('is off without a token', () => {
    expect(loadDiscordConfig({})).toBeUndefined();
    expect(loadDiscordConfig({ DISCORD_TOKEN: '  ' })).toBeUndefined();
  });

  it('needs the application id once a token is set, and names it', () => {
    expect(() => loadDiscordConfig({ DISCORD_TOKEN: 'abc' })).toThrow(ConfigError);
    expect(() => loadDiscordConfig({ DISCORD_TOKEN: 'abc' })).toThrow(/DISCORD_APPLICATION_ID/);
  });

  it('defaults to Discord’s API and a 2 s deferral, and caps the deferral below the 3 s limit', () => {
    const config = loadDiscordConfig({ DISCORD_TOKEN: 'abc', DISCORD_APPLICATION_ID: GUILD, DISCORD_API_URL: '' });
    expect(config).toMatchObject({ DISCORD_API_URL: 'https://discord.com/api', DISCORD_DEFER_AFTER_MS: 2000 });
    expect(() => loadDiscordConfig({ DISCORD_TOKEN: 'abc', DISCORD_APPLICATION_ID: GUILD, DISCORD_DEFER_AFTER_MS: '3000' })).toThrow(
      /DISCORD_DEFER_AFTER_MS/,
    );
  });
});
