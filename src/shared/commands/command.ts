import type { CommandEvent, HandlerResult, Reply } from '../chat/types.js';
import type { RequestContext } from '../core/context.js';
import type { Precondition } from '../core/preconditions.js';
import { assertTimeZone, formatTimeOfDay, parseTimeOfDay } from '../time.js';

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

/** Whether the platform sent named options (Discord) rather than typed text (local chat, Slack). */
export function hasNamedOptions(event: CommandEvent): boolean {
  return Object.keys(event.options).length > 0;
}

/**
 * A daily schedule from the `time` and `timezone` options: named options win; typed text is read by
 * position (`args[at]`, `args[at + 1]`); what is missing comes from the configured defaults.
 */
export function dailySchedule(event: CommandEvent, context: RequestContext, args: readonly string[], at: number) {
  const named = hasNamedOptions(event);
  const time = named ? event.options.time : args[at];
  const zone = named ? event.options.timezone : args[at + 1];
  return {
    postTime: formatTimeOfDay(parseTimeOfDay(time ?? context.config.DEFAULT_POST_TIME)),
    timezone: assertTimeZone(zone ?? context.config.DEFAULT_TIMEZONE),
  };
}
