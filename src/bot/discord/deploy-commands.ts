import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import type { CommandDefinition, CommandOption } from '../../shared/commands/command.js';
import { offeredInServersOnly } from './command-shape.js';
import type { DiscordConfig } from './config.js';
import {
  DISCORD_COMMAND_NAME_PATTERN,
  DISCORD_MAX_COMMAND_DESCRIPTION_LENGTH,
  DISCORD_MAX_COMMANDS,
  DISCORD_MAX_OPTIONS_PER_COMMAND,
} from './limits.js';
import { truncate } from '../../shared/chat/truncate.js';

export type CommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;

/**
 * The slash-command set for the core's commands. Nothing here is hand-written per command: a new
 * core command appears on Discord at the next deploy.
 */
export function buildCommandSet(commands: readonly CommandDefinition[]): CommandJson[] {
  if (commands.length > DISCORD_MAX_COMMANDS) {
    throw new Error(`Discord allows ${DISCORD_MAX_COMMANDS} slash commands; the core defines ${commands.length}`);
  }
  return commands.map(buildCommand);
}

function buildCommand(command: CommandDefinition): CommandJson {
  const options: CommandJson['options'] = command.subcommands?.length
    ? command.subcommands.map(
        (subcommand): APIApplicationCommandSubcommandOption => ({
          type: ApplicationCommandOptionType.Subcommand,
          name: checkedName(subcommand.name, `/${command.name} ${subcommand.name}`),
          description: description(subcommand.description),
          options: buildOptions(subcommand.options, `/${command.name} ${subcommand.name}`),
        }),
      )
    : buildOptions(command.options, `/${command.name}`);
  const guildOnly = offeredInServersOnly(command);
  return {
    type: ApplicationCommandType.ChatInput,
    name: checkedName(command.name, `/${command.name}`),
    description: description(command.description),
    options,
    // Admin-only commands are offered in servers only; everything else in servers and the bot's DMs.
    contexts: guildOnly ? [InteractionContextType.Guild] : [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

function buildOptions(options: readonly CommandOption[], where: string): APIApplicationCommandBasicOption[] {
  if (options.length > DISCORD_MAX_OPTIONS_PER_COMMAND) throw new Error(`${where} has more than ${DISCORD_MAX_OPTIONS_PER_COMMAND} options`);
  // Discord requires required options first. They are not reordered: the handler reads them by position.
  const firstOptional = options.findIndex((option) => !option.required);
  if (firstOptional !== -1 && options.slice(firstOptional).some((option) => option.required)) {
    throw new Error(`${where}: Discord needs required options before optional ones`);
  }
  return options.map((option): APIApplicationCommandBasicOption => {
    const common = {
      name: checkedName(option.name, `${where} ${option.name}`),
      description: description(option.description),
      required: option.required,
    };
    return option.type === 'attachment'
      ? { ...common, type: ApplicationCommandOptionType.Attachment }
      : { ...common, type: ApplicationCommandOptionType.String };
  });
}

function checkedName(name: string, where: string): string {
  if (!DISCORD_COMMAND_NAME_PATTERN.test(name)) throw new Error(`${where}: "${name}" is not a valid Discord command name`);
  return name;
}

function description(text: string): string {
  return truncate(text.trim() || '—', DISCORD_MAX_COMMAND_DESCRIPTION_LENGTH);
}

export interface DeployResult {
  scope: 'global' | 'guild';
  names: string[];
}

/**
 * Replaces the application's commands with the core's (a bulk overwrite, so removed commands go too).
 * Guild commands update instantly and suit development; global ones are for production.
 */
export async function deployCommands(options: {
  config: Pick<DiscordConfig, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_API_URL'>;
  commands: readonly CommandDefinition[];
  guildId?: string;
}): Promise<DeployResult> {
  const { config, guildId } = options;
  const body = buildCommandSet(options.commands);
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  const route = guildId
    ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, guildId)
    : Routes.applicationCommands(config.DISCORD_APPLICATION_ID);
  const registered = (await rest.put(route, { body })) as { name: string }[];
  return { scope: guildId ? 'guild' : 'global', names: registered.map((command) => command.name) };
}
