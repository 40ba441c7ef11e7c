import { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../shared/logger.js';
import { usersInfoResult } from './parse.js';

/** Names change rarely and each reaction would otherwise cost a users.info call. */
export const NAME_CACHE_TTL_MS = 10 * 60_000;
export const NAME_CACHE_MAX_ENTRIES = 5_000;

/** The Slack error string ("user_not_found", "channel_not_found") of a failed Web API call, if it was one. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
}

/**
 * Who a Slack user is, from users.info: workspace admins and owners (and the SLACK_ADMIN_USERS
 * allow-list) may run admin commands; the handle is the display name the core records. Admin checks
 * always ask Slack afresh, so a demoted admin loses rights at once; names are cached.
 */
export class SlackUsers {
  private readonly names: LRUCache<string, string>;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly allowList: readonly string[],
    private readonly logger: Logger,
    now: () => number = Date.now,
  ) {
    this.names = new LRUCache({ max: NAME_CACHE_MAX_ENTRIES, ttl: NAME_CACHE_TTL_MS, perf: { now } });
  }

  async isAdmin(userId: string): Promise<boolean> {
    if (this.allowList.includes(userId)) return true;
    const user = await this.lookup(userId);
    return user ? user.is_admin || user.is_owner || user.is_primary_owner : false;
  }

  /** The user's handle, or their id when Slack cannot say (the rating still counts; the name is cosmetic). */
  async displayName(userId: string): Promise<string> {
    const cached = this.names.get(userId);
    if (cached !== undefined) return cached;
    try {
      return (await this.lookup(userId))?.name ?? userId;
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'users.info failed; using the user id as display name');
      return userId;
    }
  }

  private async lookup(userId: string) {
    let response: unknown;
    try {
      response = await this.client.users.info({ user: userId });
    } catch (error) {
      if (slackErrorCode(error) === 'user_not_found') return undefined;
      throw error;
    }
    const { user } = usersInfoResult.parse(response);
    this.names.set(userId, user.name);
    return user;
  }
}
