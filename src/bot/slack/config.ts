import { z } from 'zod';
import { blankAsUndefined, parseConfig } from '../../shared/config.js';

/** Where Bolt's HTTP receiver listens unless SLACK_PORT says otherwise (the core's HTTP server has 3000). */
export const SLACK_DEFAULT_PORT = 3001;
export const SLACK_DEFAULT_API_URL = 'https://slack.com/api/';
/** Bolt's default endpoint: events, interactivity and slash commands all arrive here. */
export const SLACK_EVENTS_PATH = '/slack/events';


/** Slack's own settings; the core never sees them. */
export const slackConfigSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^xoxb-[\w-]+$/, 'a bot token (xoxb-…) from the app’s OAuth & Permissions page'),
  SLACK_SIGNING_SECRET: z.string().trim().min(1, 'the signing secret from the app’s Basic Information page'),
  SLACK_PORT: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(65535).default(SLACK_DEFAULT_PORT)),
  SLACK_API_URL: z.preprocess(blankAsUndefined, z.url().default(SLACK_DEFAULT_API_URL)),
  /**
   * How long a click or reaction may take to be stored before Slack is answered anyway with a 500 (Slack
   * allows 3 s; past that it shows the person an error, or for events retries).
   */
  SLACK_STORE_DEADLINE_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(100).max(2900).default(2500)),
  /** Slack user ids (U…/W…) allowed to run admin commands besides workspace admins and owners. */
  SLACK_ADMIN_USERS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'Slack user ids look like U012ABCDEF'))),
});

export type SlackConfig = z.infer<typeof slackConfigSchema>;

/**
 * Slack is on when its token and signing secret are set, off when both are absent. One without the
 * other is a mistake worth stopping for, so it fails with both names rather than silently staying off.
 */
export function loadSlackConfig(env: NodeJS.ProcessEnv): SlackConfig | undefined {
  const configured = [env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET].some((value) => value?.trim());
  return configured ? parseConfig(slackConfigSchema, env) : undefined;
}
