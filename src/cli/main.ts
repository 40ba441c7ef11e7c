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

await program.parseAsync(process.argv);
