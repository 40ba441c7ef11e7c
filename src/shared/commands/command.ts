import type { CommandEvent, HandlerResult, Reply } from '../chat/types.js';
import type { RequestContext } from '../core/context.js';
import type { Precondition } from '../core/preconditions.js';

export interface CommandOption {
  name: string;
  description: string;
  type: 'string' | 'attachment';
  required: boolean;
}

export interface Subcommand {
  name: string;
  description: string;
  options: CommandOption[];
  adminOnly?: boolean;
}

/**
 * A chat command as the core defines it. Platforms derive their registrations (Discord slash command
 * JSON, Slack manifest) from this, and every platform's typed text arrives in `event.text`.
 */
export interface CommandDefinition {
  name: string;
  description: string;
  usage: string;
  options: CommandOption[];
  subcommands?: Subcommand[];
  preconditions?: Precondition[];
  handle(event: CommandEvent, context: RequestContext): Promise<HandlerResult>;
}

export function reply(markdown: string, ephemeral = false): HandlerResult {
  return { replies: [{ message: { kind: 'text', markdown }, ephemeral }] };
}

export function replies(...items: Reply[]): HandlerResult {
  return { replies: items };
}

/** Splits "a b  c" into words; quotes are not special (no command takes free text but /sentiment). */
export function words(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}
