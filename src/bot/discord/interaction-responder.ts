import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  MessageFlags,
  RESTJSONErrorCodes,
} from 'discord.js';
import type { HandlerResult, OutgoingMessage, Reply } from '../../shared/chat/types.js';
import type { Logger } from '../../shared/logger.js';
import { renderMessage } from './render.js';

export type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction;

/** Replaces the private "thinking…" note when every answer went to the channel instead. */
export const POSTED_IN_CHANNEL = 'Done — posted in the channel.';
const NOTHING_TO_SAY = 'Done.';

/**
 * Answers one interaction within Discord's rules: one initial response within 3 s (a reply, or a
 * deferral followed by an edit of the deferred message), then any number of follow-ups.
 *
 * A deferral is always private. Discord fixes a deferred message's visibility when deferring, before
 * the handler has said whether its answer is private, and a wrongly public "thinking…" could leak a
 * private answer (someone's stats, their review card) into the channel. A public answer that arrives
 * after a private deferral is therefore posted in the channel as a bot message, and the private note
 * is edited to say so.
 *
 * An interaction delivered twice can be deferred by its second copy before the dispatcher has
 * recognised it (when that check is slow). Discord then refuses the second initial response as
 * already acknowledged: the first copy owns the interaction, and this responder stays silent.
 */
export class InteractionResponder {
  private state: 'fresh' | 'deferred' | 'answered' | 'taken' = 'fresh';
  private originalIsPrivate = false;
  private postedInChannel = false;

  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly postInChannel: (message: OutgoingMessage) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** The handler's result; if it is not ready within `deferAfterMs`, the interaction is deferred first. */
  async settle(result: Promise<HandlerResult>, deferAfterMs: number): Promise<HandlerResult> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deferAfterMs);
    });
    try {
      const first = await Promise.race([result, late]);
      if (first !== 'late') return first;
    } finally {
      clearTimeout(timer);
    }
    await this.defer();
    return result;
  }

  async defer(): Promise<void> {
    if (this.state !== 'fresh') return;
    if (await this.initialResponse(() => this.interaction.deferReply({ flags: MessageFlags.Ephemeral }))) this.state = 'deferred';
  }

  /** Sends the one initial response; false when another delivery of this interaction already sent it. */
  private async initialResponse(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (!(error instanceof DiscordAPIError) || error.code !== RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged) throw error;
      this.logger.info({ interaction: this.interaction.id }, 'interaction already answered by another delivery of it');
      this.state = 'taken';
      return false;
    }
  }

  get answered(): boolean {
    return this.state !== 'fresh';
  }

  /** The handler's immediate replies, in order. */
  async deliver(replies: readonly Reply[]): Promise<void> {
    for (const reply of replies) await this.deliverOne(reply);
  }

  /** Replies that arrived later: the first replaces the acknowledgement when it can be edited in place. */
  async deliverFollowUp(replies: readonly Reply[]): Promise<void> {
    const [first, ...rest] = replies;
    if (first && this.state === 'answered' && (first.ephemeral === true) === this.originalIsPrivate) {
      await this.interaction.editReply(renderMessage(first.message));
    } else if (first) {
      await this.deliverOne(first);
    }
    for (const reply of rest) await this.deliverOne(reply);
  }

  private async deliverOne(reply: Reply): Promise<void> {
    const payload = renderMessage(reply.message);
    const isPrivate = reply.ephemeral === true;
    const flags = isPrivate ? { flags: MessageFlags.Ephemeral as const } : {};
    switch (this.state) {
      case 'fresh':
        if (!(await this.initialResponse(() => this.interaction.reply({ ...payload, ...flags })))) return;
        this.state = 'answered';
        this.originalIsPrivate = isPrivate;
        return;
      case 'deferred':
        if (isPrivate) {
          await this.interaction.editReply(payload);
          this.state = 'answered';
          this.originalIsPrivate = true;
        } else {
          await this.postInChannel(reply.message);
          this.postedInChannel = true;
        }
        return;
      case 'answered':
        await this.interaction.followUp({ ...payload, ...flags });
        return;
      case 'taken':
        return;
    }
  }

  /** Called once everything is delivered: a deferral must not be left "thinking…" forever. */
  async finish(): Promise<void> {
    if (this.state !== 'deferred') return;
    const note = this.postedInChannel ? POSTED_IN_CHANNEL : NOTHING_TO_SAY;
    await this.interaction.editReply(renderMessage({ kind: 'text', markdown: note }));
    this.state = 'answered';
    this.originalIsPrivate = true;
  }
}
