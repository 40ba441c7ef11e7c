import { randomUUID } from 'node:crypto';
import type { HandlerResult, IncomingEvent, UserRef } from '../chat/types.js';
import { findCommand } from '../commands/registry.js';
import { isUserError, UserError } from '../errors.js';
import { handleCardAction, handleReaction } from '../quiz/rating-handlers.js';
import { claimDelivery, releaseDelivery } from '../repositories/processed-event-repository.js';
import type { CoreContext, RequestContext } from './context.js';

export type AdminCheck = (user: UserRef, conversation: string) => Promise<boolean>;

/**
 * The one entry point for every platform: turns an IncomingEvent into replies. A delivery id seen
 * before is a redelivery and is answered with nothing; user errors become polite private replies;
 * faults are logged with a reference the user can quote.
 *
 * Clicks and reactions are ratings: their delivery id is claimed inside the rating's own transaction
 * (exactly once even if this process dies mid-way). Commands claim it first and give it back on a
 * fault: a command is not repeated on redelivery (no second quiz card), and one cut short by a crash
 * is typed again by the person who saw no answer.
 */
export async function dispatchEvent(
  event: IncomingEvent,
  core: CoreContext,
  isAdmin: AdminCheck,
): Promise<HandlerResult> {
  const context: RequestContext = {
    ...core,
    user: event.user,
    conversation: event.conversation,
    isAdmin: () => isAdmin(event.user, event.conversation),
    logger: core.logger.child({ event: event.kind, conversation: event.conversation, user: event.user.id }),
  };
  const deliveryKey = event.deliveryId ? `${event.kind}:${event.deliveryId}` : undefined;
  const claimFirst = deliveryKey !== undefined && event.kind === 'command';
  if (claimFirst && !(await claimDelivery(core.db, deliveryKey))) {
    context.logger.info({ deliveryKey }, 'duplicate delivery ignored');
    return { replies: [] };
  }
  if (deliveryKey !== undefined && !claimFirst) context.deliveryKey = deliveryKey;
  try {
    const result = await route(event, context);
    return result.followUp ? { ...result, followUp: guardFollowUp(result.followUp, context) } : result;
  } catch (error) {
    if (claimFirst && !isUserError(error)) await releaseDelivery(core.db, deliveryKey).catch(() => undefined);
    return errorReply(error, context);
  }
}

async function route(event: IncomingEvent, context: RequestContext): Promise<HandlerResult> {
  switch (event.kind) {
    case 'command': {
      const command = findCommand(event.name);
      if (!command) throw new UserError('usage', `There is no /${event.name} command. Try /help.`);
      for (const precondition of command.preconditions ?? []) await precondition(context);
      return command.handle(event, context);
    }
    case 'action':
      return handleCardAction(event, context);
    case 'reaction':
      return handleReaction(event, context);
  }
}

function guardFollowUp(followUp: Promise<HandlerResult['replies']>, context: RequestContext) {
  return followUp.catch((error: unknown) => errorReply(error, context).replies);
}

function errorReply(error: unknown, context: RequestContext): HandlerResult {
  if (isUserError(error)) {
    context.logger.info({ code: error.code }, error.message);
    return { replies: [{ message: { kind: 'text', markdown: error.message }, ephemeral: true }] };
  }
  const reference = randomUUID().slice(0, 8);
  context.logger.error({ err: error, reference }, 'event handling failed');
  return {
    replies: [
      {
        message: { kind: 'text', markdown: `Sorry, something went wrong on our side (reference ${reference}).` },
        ephemeral: true,
      },
    ],
    fault: true,
  };
}
