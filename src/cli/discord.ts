import type { Command } from 'commander';
import { requireDiscordConfig, snowflake } from '../bot/discord/config.js';
import { deployCommands } from '../bot/discord/deploy-commands.js';
import { listCommands } from '../shared/commands/registry.js';
import { ConfigError } from '../shared/config.js';

export function registerDiscordCommands(program: Command): void {
  const discord = program.command('discord').description('Discord adapter tools (see docs/discord.md)');
  discord
    .command('deploy-commands')
    .description("Register the slash commands the core defines: globally, or in one server with --guild (instant, for development)")
    .option('--guild <id>', 'register in this server only')
    .action(async (options: { guild?: string }) => {
      const guild = options.guild === undefined ? undefined : snowflake.safeParse(options.guild);
      if (guild && !guild.success) throw new ConfigError([`--guild=${JSON.stringify(options.guild)}: a Discord server id (17–20 digits)`]);
      const result = await deployCommands({
        config: requireDiscordConfig(process.env),
        commands: listCommands(),
        ...(guild ? { guildId: guild.data } : {}),
      });
      const where = result.scope === 'guild' ? `in server ${guild?.data}` : 'globally';
      process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.map((name) => `/${name}`).join(' ')}\n`);
    });
}
