import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

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
  /** URL of the PNG (served by the local API), for image messages. */
  image?: string;
  /** Shown only to this user (the local stand-in for ephemeral replies). */
  visibleTo?: string;
  /** emoji name → user names who reacted. */
  reactions: Record<string, string[]>;
  createdAt: string;
}

/**
 * The local chat's history, kept in Redis (append-only on) so it survives a restart like the rest of
 * the bot's state; the local adapter has no platform to hold it. Private replies ("Recorded …") live in
 * a list per viewer, capped on their own, so a busy channel's confirmations never push its cards out of
 * the shared history (a card that left the history can no longer be clicked).
 */
/**
 * Numbers the message, stores it with its id first, appends it to its list and drops (with their
 * reactions) the messages that fall off the list's end.
 * KEYS: next-id counter, the list, the set of conversations. ARGV: message JSON without its id,
 * conversation, cap, message key prefix, reactions key prefix.
 */
const APPEND_MESSAGE = `
local id = redis.call('INCR', KEYS[1])
redis.call('SET', ARGV[4] .. id, '{"id":"' .. id .. '",' .. string.sub(ARGV[1], 2))
local length = redis.call('RPUSH', KEYS[2], id)
redis.call('SADD', KEYS[3], ARGV[2])
local cap = tonumber(ARGV[3])
if length > cap then
  local dropped = redis.call('LPOP', KEYS[2], length - cap)
  for _, old in ipairs(dropped) do
    redis.call('DEL', ARGV[4] .. old, ARGV[5] .. old)
  end
end
return id
`;

/**
 * An image outlives any history that can show it: a history keeps 500 messages, which a quiet channel
 * with a daily card and a daily chart fills in about 250 days. Each use renews it.
 */
const IMAGE_TTL_SECONDS = 400 * 24 * 3600;
export const LOCAL_IMAGE_ROUTE = '/api/local/images';

export class LocalMessageStore {
  /** Images stored lately, by buffer and by hash: the same chart shown again is neither hashed nor sent twice. */
  private readonly hashes = new WeakMap<Buffer, string>();
  private readonly storedImages = new LRUCache<string, true>({ max: 256, ttl: 3600_000 });

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxPerConversation = 500,
    private readonly maxPrivatePerViewer = 100,
  ) {}

  private listKey(conversation: string, visibleTo?: string) {
    const shared = `${this.prefix}:local:conversation:${conversation}`;
    return visibleTo === undefined ? shared : `${shared}:private:${visibleTo}`;
  }
  private messageKey(id: string) {
    return `${this.prefix}:local:message:${id}`;
  }
  private conversationsKey() {
    return `${this.prefix}:local:conversations`;
  }

  /** One round trip per message: the id, the message, its place in the list and the trim, atomically. */
  async append(message: Omit<LocalMessage, 'id' | 'createdAt' | 'reactions'>, now: Date): Promise<LocalMessage> {
    const body: Omit<LocalMessage, 'id'> = { ...message, reactions: {}, createdAt: now.toISOString() };
    const cap = message.visibleTo === undefined ? this.maxPerConversation : this.maxPrivatePerViewer;
    const id = await this.redis.eval(
      APPEND_MESSAGE,
      3,
      `${this.prefix}:local:next-id`,
      this.listKey(message.conversation, message.visibleTo),
      this.conversationsKey(),
      JSON.stringify(body),
      message.conversation,
      cap,
      this.messageKey(''),
      this.reactionsKey(''),
    );
    return { ...body, id: String(id) };
  }

  private imageKey(sha256: string) {
    return `${this.prefix}:local:image:${sha256}`;
  }

  /**
   * Keeps a PNG once under its hash and returns its URL: messages refer to images instead of carrying
   * them, so a chart shown a thousand times is stored once and history stays small.
   */
  async putImage(png: Buffer): Promise<string> {
    let sha256 = this.hashes.get(png);
    if (!sha256) {
      sha256 = createHash('sha256').update(png).digest('hex');
      this.hashes.set(png, sha256);
    }
    if (!this.storedImages.has(sha256)) {
      // Stored (or its expiry renewed) at most once an hour per image and process.
      await this.redis.set(this.imageKey(sha256), png, 'EX', IMAGE_TTL_SECONDS);
      this.storedImages.set(sha256, true);
    }
    return `${LOCAL_IMAGE_ROUTE}/${sha256}.png`;
  }

  async image(sha256: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(this.imageKey(sha256))) ?? undefined;
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
    const message = await this.find(id);
    return message ? this.withReactions(message) : undefined;
  }

  /** The message as posted, without asking who reacted (all a click or reaction needs to be checked). */
  async find(id: string): Promise<LocalMessage | undefined> {
    const raw = await this.redis.get(this.messageKey(id));
    return raw ? (JSON.parse(raw) as LocalMessage) : undefined;
  }

  async replace(message: LocalMessage): Promise<void> {
    await this.redis.set(this.messageKey(message.id), JSON.stringify(message));
  }

  /** The shared history with the viewer's private replies woven in, oldest first. */
  async list(conversation: string, viewer?: string): Promise<LocalMessage[]> {
    const shared = await this.redis.lrange(this.listKey(conversation), 0, -1);
    const own = viewer === undefined ? [] : await this.redis.lrange(this.listKey(conversation, viewer), 0, -1);
    const ids = [...shared, ...own].sort((a, b) => Number(a) - Number(b));
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
}
