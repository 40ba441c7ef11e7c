import type { Redis } from 'ioredis';

export interface LocalButton {
  id: string;
  label: string;
}

export interface LocalMessage {
  id: string;
  conversation: string;
  kind: 'text' | 'card' | 'image' | 'user';
  author: string;
  text: string;
  title?: string;
  buttons: LocalButton[];
  /** data: URL of a PNG, for image messages. */
  image?: string;
  /** Shown only to this user (the local stand-in for ephemeral replies). */
  visibleTo?: string;
  /** emoji name → user names who reacted. */
  reactions: Record<string, string[]>;
  createdAt: string;
}

/**
 * The local chat's history, kept in Redis (append-only on) so it survives a restart like the rest of
 * the bot's state; the local adapter has no platform to hold it.
 */
export class LocalMessageStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxPerConversation = 500,
  ) {}

  private listKey(conversation: string) {
    return `${this.prefix}:local:conversation:${conversation}`;
  }
  private messageKey(id: string) {
    return `${this.prefix}:local:message:${id}`;
  }
  private conversationsKey() {
    return `${this.prefix}:local:conversations`;
  }

  async append(message: Omit<LocalMessage, 'id' | 'createdAt' | 'reactions'>, now: Date): Promise<LocalMessage> {
    const id = String(await this.redis.incr(`${this.prefix}:local:next-id`));
    const stored: LocalMessage = { ...message, id, reactions: {}, createdAt: now.toISOString() };
    const results = await this.redis
      .multi()
      .set(this.messageKey(id), JSON.stringify(stored))
      .rpush(this.listKey(message.conversation), id)
      .sadd(this.conversationsKey(), message.conversation)
      .exec();
    const length = Number(results?.[1]?.[1] ?? 0);
    if (length > this.maxPerConversation) {
      // Old messages leave the history and Redis alike (charts are tens of kB each).
      const dropped = await this.redis.lpop(this.listKey(message.conversation), length - this.maxPerConversation);
      if (dropped && dropped.length > 0) {
        await this.redis.del(...dropped.flatMap((old) => [this.messageKey(old), this.reactionsKey(old)]));
      }
    }
    return stored;
  }

  /** Who reacted with what lives in one Redis hash per message, so simultaneous reactions never overwrite each other. */
  private reactionsKey(id: string) {
    return `${this.prefix}:local:reactions:${id}`;
  }

  async react(id: string, emoji: string, user: string, added: boolean): Promise<void> {
    const field = `${emoji}\u0000${user}`;
    if (added) await this.redis.hset(this.reactionsKey(id), field, '1');
    else await this.redis.hdel(this.reactionsKey(id), field);
  }

  private async withReactions(message: LocalMessage): Promise<LocalMessage> {
    const fields = await this.redis.hkeys(this.reactionsKey(message.id));
    const reactions: Record<string, string[]> = {};
    for (const field of fields.sort()) {
      const [emoji = '', user = ''] = field.split('\u0000');
      const users = reactions[emoji] ?? [];
      users.push(user);
      reactions[emoji] = users;
    }
    return { ...message, reactions };
  }

  async get(id: string): Promise<LocalMessage | undefined> {
    const raw = await this.redis.get(this.messageKey(id));
    return raw ? this.withReactions(JSON.parse(raw) as LocalMessage) : undefined;
  }

  async replace(message: LocalMessage): Promise<void> {
    await this.redis.set(this.messageKey(message.id), JSON.stringify(message));
  }

  async list(conversation: string, viewer?: string): Promise<LocalMessage[]> {
    const ids = await this.redis.lrange(this.listKey(conversation), 0, -1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.messageKey(id)));
    const visible = raws
      .filter((raw): raw is string => raw !== null)
      .map((raw) => JSON.parse(raw) as LocalMessage)
      .filter((message) => !message.visibleTo || message.visibleTo === viewer);
    return Promise.all(visible.map((message) => this.withReactions(message)));
  }

  async conversations(): Promise<string[]> {
    return (await this.redis.smembers(this.conversationsKey())).sort();
  }

  async addConversation(conversation: string): Promise<void> {
    await this.redis.sadd(this.conversationsKey(), conversation);
  }
}
