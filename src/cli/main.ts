#!/usr/bin/env node
import { Command } from 'commander';
import { registerDeckCommands } from './deck-commands.js';
import { registerDiscordCommands } from './discord.js';
import { registerForecastCommands } from './forecast.js';
import { registerRunCommands } from './run-commands.js';
import { registerTicksCommands } from './ticks-commands.js';
import { registerSentimentCommands } from './sentiment.js';

// Each command group lives in its own file and registers itself here.
const program = new Command()
  .name('quizcast')
  .description('Daily flashcard quizzes, sentiment checks and price forecasts for team chats.')
  .showHelpAfterError();

registerRunCommands(program);
registerDeckCommands(program);
registerDiscordCommands(program);
registerTicksCommands(program);
registerForecastCommands(program);
registerSentimentCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // A refused input is the user's to fix: one clear line, not a stack trace (LOG_LEVEL=debug shows it).
  process.stderr.write(`quizcast: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
