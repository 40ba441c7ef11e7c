import { z } from 'zod';
import { blankAsUndefined, ConfigError, parseConfig } from '../../shared/config.js';

/** Discord ids are snowflakes: 64-bit integers written in decimal. */
export const snowflake = z.string().regex(/^\d{17,20}$/, 'a Discord id (17–20 digits)');

/** An unset variable and one set to "" mean the same thing in a .env file. */

export const discordConfigSchema = z.object({
  DISCORD_TOKEN: z.string().trim().min(1, 'the bot token from the Developer Portal'),
  DISCORD_APPLICATION_ID: snowflake,
  /** The REST base including "/api" (discord.js's `rest.api`); the gateway URL is then asked of it. */
  DISCORD_API_URL: z.preprocess(
    blankAsUndefined,
    z
      .url()
      .default('https://discord.com/api')
      .transform((url) => url.replace(/\/+$/, '')),
  ),
  /** A role (id, or exact name) whose members count as admins besides those with Manage Server. */
  DISCORD_ADMIN_ROLE: z.preprocess(blankAsUndefined, z.string().trim().min(1).max(100).optional()),
  /**
   * How long a handler may run before the interaction is deferred. Discord drops an interaction not
   * answered within 3 s, so the cap leaves room for the defer call itself to arrive.
   */
  DISCORD_DEFER_AFTER_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(2500).default(2000)),
});

export type DiscordConfig = z.infer<typeof discordConfigSchema>;

/** The adapter's settings, or undefined when no token is set (Discord is simply off). */
export function loadDiscordConfig(env: NodeJS.ProcessEnv): DiscordConfig | undefined {
  if (blankAsUndefined(env.DISCORD_TOKEN) === undefined) return undefined;
  return parseConfig(discordConfigSchema, env);
}

/** For tools that cannot do anything without Discord (deploy-commands). */
export function requireDiscordConfig(env: NodeJS.ProcessEnv): DiscordConfig {
  const config = loadDiscordConfig(env);
  if (!config) throw new ConfigError(['DISCORD_TOKEN="": set the bot token (see docs/discord.md)']);
  return config;
}
