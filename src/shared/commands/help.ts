import type { CommandDefinition } from './command.js';
import { reply } from './command.js';

export function createHelpCommand(all: () => CommandDefinition[]): CommandDefinition {
  return {
    name: 'help',
    description: 'List the commands',
    usage: '/help',
    options: [],
    async handle() {
      const lines = all().map((command) => `\`${command.usage}\` — ${command.description}`);
      return reply(lines.join('\n'), true);
    },
  };
}
