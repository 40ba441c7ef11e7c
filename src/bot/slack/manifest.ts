import type { CommandDefinition, CommandOption } from '../../shared/commands/command.js';
import { SLACK_EVENTS_PATH } from './config.js';

/**
 * The Slack app manifest, derived from the core's command registry so a new core command cannot be
 * forgotten on Slack (docs/slack.md holds the rendered copy; a test keeps the two equal).
 */

/** Bot scopes, each for a call or event the adapter makes or needs. */
export const SLACK_BOT_SCOPES = [
  'commands', // slash commands
  'chat:write', // chat.postMessage, chat.update, chat.postEphemeral
  'reactions:read', // reaction_added / reaction_removed events
  'reactions:write', // reactions.add: the :one: … :five: the bot puts under each card
  'users:read', // users.info: is_admin / is_owner for admin commands, handles for reactions
  'files:read', // files.info + url_private download for /deck import
  'files:write', // files.getUploadURLExternal / completeUploadExternal for charts
] as const;

export const SLACK_BOT_EVENTS = ['reaction_added', 'reaction_removed'] as const;

/** Slack's limit on a slash command's name, including the slash. */
export const SLACK_MAX_COMMAND_NAME = 32;

export interface SlackSlashCommand {
  command: string;
  url: string;
  description: string;
  usage_hint?: string;
  should_escape: boolean;
}

export function buildSlackManifest(commands: readonly CommandDefinition[], baseUrl: string) {
  const requestUrl = new URL(SLACK_EVENTS_PATH, baseUrl).toString();
  return {
    display_information: {
      name: 'quizcast',
      description: 'A daily flashcard in your channel, rated 1–5, scheduled for each member with FSRS.',
    },
    features: {
      bot_user: { display_name: 'quizcast', always_online: true },
      slash_commands: commands.map((command) => slashCommand(command, requestUrl)),
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      event_subscriptions: { request_url: requestUrl, bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: true, request_url: requestUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}

function slashCommand(command: CommandDefinition, url: string): SlackSlashCommand {
  const name = `/${command.name}`;
  if (name.length > SLACK_MAX_COMMAND_NAME) throw new Error(`${name} is longer than Slack's ${SLACK_MAX_COMMAND_NAME} characters`);
  const hint = usageHint(command);
  // should_escape stays off: /deck import needs the file link exactly as pasted.
  return { command: name, url, description: command.description, ...(hint ? { usage_hint: hint } : {}), should_escape: false };
}

/**
 * What Slack shows after the command name while typing: the core's usage, except where a subcommand
 * takes a file, which Slack users give as a link (the core's usage describes attaching one).
 */
function usageHint(command: CommandDefinition): string | undefined {
  const subcommands = command.subcommands ?? [];
  if (subcommands.some((sub) => sub.options.some((option) => option.type === 'attachment'))) {
    return subcommands.map((sub) => [sub.name, ...sub.options.map(optionHint)].join(' ')).join(' | ');
  }
  const hint = command.usage.replace(new RegExp(`^/${command.name}\\s*`), '').trim();
  return hint || undefined;
}

function optionHint(option: CommandOption): string {
  const label = option.type === 'attachment' ? 'file link' : option.name;
  return option.required ? `<${label}>` : `[${label}]`;
}
