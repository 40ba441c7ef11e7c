import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/shared/infra/free-port.js';
import { eventually, isRunning, runCli, startCli, waitForExit } from '../support/processes.js';

interface LocalMessage {
  id: string;
  kind: string;
  text: string;
  buttons: { id: string; label: string }[];
}

/**
 * `npm start` with nothing configured, as a user runs it: embedded Postgres and redis-server under the
 * state directory, migrations, the shipped deck, #general subscribed with today's card, bot and worker.
 */
describe('quizcast start (no configuration)', () => {
  let stateDir = '';
  afterAll(async () => {
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('serves /healthz, posts today’s card, keeps a clicked rating across a restart, and leaves no orphans', async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'quizcast-e2e-'));
    const port = await findFreePort();
    const env = { QUIZCAST_STATE_DIR: stateDir, HTTP_PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' };
    const base = `http://127.0.0.1:${port}`;

    const first = startCli(['start'], env);
    const health = await eventually(
      async () => {
        if (first.child.exitCode !== null) throw new Error(`start exited with ${first.child.exitCode}`);
        const response = await fetch(`${base}/healthz`);
        return response.status === 200 ? ((await response.json()) as { services: Record<string, string> }) : undefined;
      },
      90_000,
      '/healthz 200',
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${first.output()}`);
    });
    expect(health.services).toEqual({ postgres: 'up', redis: 'up', worker: 'up' });

    const card = await eventually(
      async () => {
        const response = await fetch(`${base}/api/local/conversations/general/messages?user=alice`);
        const { messages } = (await response.json()) as { messages: LocalMessage[] };
        return messages.find((message) => message.kind === 'card');
      },
      30_000,
      'today’s card in #general',
    );
    expect(card.text).toContain('What is the big idea behind RNN?');

    const rate = card.buttons.find((button) => button.label.startsWith('4'));
    const click = await fetch(`${base}/api/local/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversation: 'general', user: 'alice', messageId: card.id, actionId: rate?.id }),
    });
    expect(click.status).toBe(200);
    const { replies } = (await click.json()) as { replies: LocalMessage[] };
    expect(replies[0]?.text).toMatch(/Recorded \*\*4\*\*/);

    const whileRunning = await runCli(['ratings', 'export', '--format', 'json'], env);
    expect(whileRunning.code, whileRunning.stderr).toBe(0);
    expect(JSON.parse(whileRunning.stdout)).toEqual([
      expect.objectContaining({ conversation: 'local:general', user: 'local:alice', rating: 4, question: 'What is the big idea behind RNN?' }),
    ]);

    const services = JSON.parse(await readFile(path.join(stateDir, 'services.json'), 'utf8')) as { pid: number };
    const postmasterPid = Number((await readFile(path.join(stateDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    first.child.kill('SIGTERM');
    expect(await waitForExit(first.child)).toBe(0);
    expect(isRunning(services.pid)).toBe(false);
    await eventually(async () => (isRunning(postmasterPid) ? undefined : true), 10_000, 'postgres to stop');
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    // After the restart (here: the CLI alone, which starts the embedded services itself) the rating is there.
    const afterRestart = await runCli(['ratings', 'export', '--format', 'csv'], env);
    expect(afterRestart.code, afterRestart.stderr).toBe(0);
    expect(afterRestart.stdout.split('\r\n')[0]).toBe('conversation,deck,cardNumber,question,user,userName,rating,source,ratedAt,updatedAt');
    expect(afterRestart.stdout).toContain('local:alice,alice,4,button');

    // A second start neither re-imports the deck nor posts a second card today.
    const second = startCli(['start'], env);
    await eventually(async () => ((await fetch(`${base}/healthz`)).status === 200 ? true : undefined), 90_000, 'restart');
    const { messages } = (await (await fetch(`${base}/api/local/conversations/general/messages`)).json()) as {
      messages: LocalMessage[];
    };
    expect(messages.filter((message) => message.kind === 'card')).toHaveLength(1);
    second.child.kill('SIGINT');
    expect(await waitForExit(second.child)).toBe(0);
  }, 240_000);
});
