import type { CommandDefinition } from './command.js';
import { deckCommand } from './deck.js';
import { forecastCommand } from './forecast.js';
import { createHelpCommand } from './help.js';
import { quizCommand } from './quiz.js';
import { reviewCommand } from './review.js';
import { sentimentCommand } from './sentiment.js';
import { statsCommand } from './stats.js';
import { subscribeCommand, unsubscribeCommand } from './subscribe.js';

/** Every command the core offers, in help order. Features add theirs with registerCommand. */
const commands: CommandDefinition[] = [
  quizCommand,
  reviewCommand,
  statsCommand,
  subscribeCommand,
  unsubscribeCommand,
  deckCommand,
  forecastCommand,
  sentimentCommand,
];
commands.push(createHelpCommand(() => commands));

export function registerCommand(command: CommandDefinition): void {
  if (commands.some((existing) => existing.name === command.name)) return;
  commands.splice(commands.length - 1, 0, command);
}

export function listCommands(): readonly CommandDefinition[] {
  return commands;
}

export function findCommand(name: string): CommandDefinition | undefined {
  return commands.find((command) => command.name === name.toLowerCase());
}
