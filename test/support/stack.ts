import { SlackAdapter } from '../../src/bot/slack/adapter.js';
import { startWorker, type RunningWorker } from '../../src/worker/worker.js';
import { loadCoreConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { SlackSender } from '../slack/stand-in/sender.js';
import { SlackStandIn } from '../slack/stand-in/web-api.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/stand-in/wire.js';
import { startTestBot, type TestBot } from './bot.js';

export interface TestStack extends TestBot {
  worker: RunningWorker;
}

/** Bot and worker in this process on one fresh database and queue prefix: the whole product, minus chat platforms. */
export async function startTestStack(env: NodeJS.ProcessEnv = {}): Promise<TestStack> {
  const bot = await startTestBot({ env, requireWorker: true });
  const config = loadCoreConfig({ QUEUE_PREFIX: bot.prefix, LOG_LEVEL: 'silent', WORKER_HTTP_PORT: '0', ...env });
  const worker = await startWorker({
    config,
    databaseUrl: bot.databaseUrl,
    redisUrl: bot.redisUrl,
    logger: createLogger('test-worker', 'silent'),
  });
  return {
    ...bot,
    worker,
    async close() {
      await worker.stop();
      await bot.close();
    },
  };
}

export interface SlackTestStack {
  stack: TestStack;
  standIn: SlackStandIn;
  slack: SlackAdapter;
  /** Signs requests with the app's secret, as Slack does. */
  sender: SlackSender;
  close(): Promise<void>;
}

/** The settings that switch Slack on, with its Web API pointed at the stand-in and Bolt on a free port. */
export function slackTestEnv(standIn: SlackStandIn): NodeJS.ProcessEnv {
  return { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_PORT: '0', SLACK_API_URL: standIn.apiUrl };
}

export function slackAdapterOf(bot: TestBot['bot']): SlackAdapter {
  const slack = bot.adapters.all().find((candidate): candidate is SlackAdapter => candidate instanceof SlackAdapter);
  if (!slack) throw new Error('the bot started without its Slack adapter');
  return slack;
}

/** The whole product with Slack switched on by its env vars, its Web API pointed at a local stand-in. */
export async function startSlackTestStack(env: NodeJS.ProcessEnv = {}): Promise<SlackTestStack> {
  const standIn = await SlackStandIn.start();
  const stack = await startTestStack({ ...slackTestEnv(standIn), ...env });
  const slack = slackAdapterOf(stack.bot);
  return {
    stack,
    standIn,
    slack,
    sender: new SlackSender(slack.url, SIGNING_SECRET),
    async close() {
      await stack.close();
      await standIn.close();
    },
  };
}
