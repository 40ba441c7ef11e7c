import { randomUUID } from 'node:crypto';

/** How many (message, user, emoji) states are remembered; older ones only lose duplicate detection. */
const MAX_TRACKED_REACTIONS = 50_000;

/**
 * Delivery ids for reaction events, which Discord does not give ids.
 *
 * The natural key (message, user, emoji, add|remove) is not enough: add → remove → add again is a
 * real change of mind whose second add must count, yet it has the same natural key as the first.
 * The gateway sequence number does tell them apart but is no good either: a duplicate delivery is a
 * separate dispatch with its own sequence number (and a new session restarts the numbering).
 *
 * What is stable is the reaction's state. For one (message, user, emoji, type) Discord can only
 * alternate add, remove, add…, so an event that does not change the state we last saw is a redelivery
 * of the event that set it, and gets that event's id back; an event that changes it gets a new one.
 * The dispatcher's processed-event claim then runs each real change once.
 *
 * The state lives in memory, which matches the lifetime of a redelivery: replays (RESUME) only
 * happen within this process's gateway session. The per-process `epoch` keeps ids from a previous
 * run (still in the processed-event table) from ever matching ids of this one.
 */
export class ReactionDeliveryIds {
  private readonly epoch = randomUUID().slice(0, 8);
  private readonly states = new Map<string, { added: boolean; id: string }>();
  private counter = 0;

  idFor(reaction: { messageId: string; userId: string; emoji: string; type: number; added: boolean }): string {
    const key = `${reaction.messageId}:${reaction.userId}:${reaction.emoji}:${reaction.type}`;
    const last = this.states.get(key);
    if (last && last.added === reaction.added) return last.id;
    this.counter += 1;
    const id = `${this.epoch}:${key}:${reaction.added ? 'add' : 'remove'}:${this.counter}`;
    // Delete then set: Map keeps insertion order, so the first key is always the least recently changed.
    this.states.delete(key);
    this.states.set(key, { added: reaction.added, id });
    if (this.states.size > MAX_TRACKED_REACTIONS) {
      const oldest = this.states.keys().next();
      if (!oldest.done) this.states.delete(oldest.value);
    }
    return id;
  }
}
