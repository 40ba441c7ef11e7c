import type { PlatformFactory } from '../platforms.js';
import { SlackAdapter } from './adapter.js';
import { loadSlackConfig } from './config.js';

/** The bot's one entry into Slack: off (undefined) unless SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set. */
export const slackPlatform: PlatformFactory = async ({ core, env }) => {
  const config = loadSlackConfig(env);
  return config ? SlackAdapter.create(config, core.logger) : undefined;
};
