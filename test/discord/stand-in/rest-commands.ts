import { type RestReply, discordError } from './rest-types.js';

interface CommandOptionJson {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  options?: CommandOptionJson[];
}

export interface CommandJson {
  type?: number;
  name: string;
  description: string;
  options?: CommandOptionJson[];
  contexts?: number[];
  integration_types?: number[];
  [field: string]: unknown;
}

/** Discord's name rule for chat-input commands and options: lowercase, 1–32 word characters. */
const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;
const SUBCOMMAND = 1;
const VALUE_TYPES = new Set([3, 4, 5, 6, 7, 8, 9, 10, 11]);

/** Validates a bulk overwrite body with Discord's rules for what this bot registers. */
export function validateCommands(json: unknown): CommandJson[] | RestReply {
  if (!Array.isArray(json)) return discordError(400, 50035, 'Invalid Form Body', { _: 'Must be an array.' });
  if (json.length > 100) return discordError(400, 30032, 'Maximum number of application commands reached (100)');
  const errors: Record<string, string> = {};
  const names = new Set<string>();
  (json as CommandJson[]).forEach((command, index) => {
    checkNamed(command, `${index}`, errors);
    if ((command.type ?? 1) !== 1) errors[`${index}.type`] = 'Only chat-input commands are expected here.';
    if (names.has(command.name)) errors[`${index}.name`] = 'Application command names must be unique';
    names.add(command.name);
    checkOptions(command.options ?? [], `${index}.options`, errors, true);
  });
  if (Object.keys(errors).length > 0) return discordError(400, 50035, 'Invalid Form Body', errors);
  return (json as CommandJson[]).map((command) => ({ ...command, type: command.type ?? 1 }));
}

function checkNamed(item: { name?: unknown; description?: unknown }, where: string, errors: Record<string, string>): void {
  if (typeof item.name !== 'string' || !NAME.test(item.name)) errors[`${where}.name`] = 'Command name is invalid';
  if (typeof item.description !== 'string' || item.description.length < 1 || item.description.length > 100) {
    errors[`${where}.description`] = 'Must be between 1 and 100 in length.';
  }
}

function checkOptions(options: CommandOptionJson[], where: string, errors: Record<string, string>, topLevel: boolean): void {
  if (options.length > 25) errors[where] = 'Must be 25 or fewer in length.';
  let sawOptional = false;
  options.forEach((option, index) => {
    const at = `${where}.${index}`;
    checkNamed(option, at, errors);
    if (option.type === SUBCOMMAND) {
      if (!topLevel) errors[`${at}.type`] = 'Subcommands cannot be nested here.';
      checkOptions(option.options ?? [], `${at}.options`, errors, false);
      return;
    }
    if (!VALUE_TYPES.has(option.type)) errors[`${at}.type`] = 'Invalid option type.';
    if (option.required && sawOptional) errors[`${at}.required`] = 'Required options must be placed before non-required options';
    if (!option.required) sawOptional = true;
  });
  if (options.some((option) => option.type === SUBCOMMAND) && options.some((option) => option.type !== SUBCOMMAND)) {
    errors[where] = 'Subcommands cannot be mixed with value options.';
  }
}
