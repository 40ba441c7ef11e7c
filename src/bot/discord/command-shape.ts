import type { CommandDefinition, CommandOption } from '../../shared/commands/command.js';
import { requireAdmin } from '../../shared/core/preconditions.js';

/**
 * Admin is a server notion on Discord (Manage Server, a server role), so an admin command in a DM
 * could only ever be refused: it is answered with "use it in a server" instead.
 */
export function needsGuild(command: CommandDefinition, subcommand: string | null): boolean {
  if ((command.preconditions ?? []).includes(requireAdmin)) return true;
  return subcommand !== null && command.subcommands?.find((candidate) => candidate.name === subcommand)?.adminOnly === true;
}

/**
 * Whether Discord should offer the command in servers only. Discord decides per top-level command,
 * so a command with some everyday subcommands (/forecast show) stays available in DMs.
 */
export function offeredInServersOnly(command: CommandDefinition): boolean {
  if ((command.preconditions ?? []).includes(requireAdmin)) return true;
  const subcommands = command.subcommands ?? [];
  return subcommands.length > 0 && subcommands.every((subcommand) => subcommand.adminOnly === true);
}

/** The options a command (or one of its subcommands) declares, in declared order. */
export function declaredOptions(command: CommandDefinition, subcommand: string | null): readonly CommandOption[] {
  if (subcommand === null) return command.options;
  return command.subcommands?.find((candidate) => candidate.name === subcommand)?.options ?? [];
}
