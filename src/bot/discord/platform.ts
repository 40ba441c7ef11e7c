import type { PlatformFactory } from '../platforms.js';
import { DiscordAdapter } from './adapter.js';
import { loadDiscordConfig } from './config.js';

/** Discord is on when DISCORD_TOKEN is set; a token without a valid application id is a config error. */
export const discordPlatform: PlatformFactory = async ({ core, env }) => {
  const config = loadDiscordConfig(env);
  if (!config) return undefined;
  return new DiscordAdapter(config, core.logger.child({ platform: 'discord' }));
};
