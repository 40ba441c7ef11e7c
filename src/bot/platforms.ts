import type { ChatAdapter } from '../shared/chat/types.js';
import type { CoreContext } from '../shared/core/context.js';
import type { FastifyInstance } from 'fastify';
import { discordPlatform } from './discord/platform.js';
import { slackPlatform } from './slack/index.js';

export interface PlatformDeps {
  core: CoreContext;
  http: FastifyInstance;
  env: NodeJS.ProcessEnv;
}

/**
 * Platform adapters beyond the always-on local chat. Each factory reads its own settings and returns
 * undefined when they are absent (no token: the platform is simply off).
 */
export type PlatformFactory = (deps: PlatformDeps) => Promise<ChatAdapter | undefined>;

export const platformFactories: PlatformFactory[] = [
  discordPlatform,
  slackPlatform,
];
