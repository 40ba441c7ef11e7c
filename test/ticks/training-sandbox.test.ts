import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { ChildCommand, ParentCommand } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
/** BullMQ's own sandbox child entry, forked exactly as a Worker with a processor file forks it. */
const CHILD_MAIN = require.resolve('bullmq/dist/cjs/classes/main.js');
const PROCESSOR = new URL('../fixtures/sandbox/busy-processor.mjs', import.meta.url).href;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts a sandbox on the busy processor, then drops the IPC channel mid-job as a dying worker does. */
async function orphanMidJob(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = fork(CHILD_MAIN, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: { cmd: number }) => {
      if (message.cmd === ParentCommand.InitCompleted) resolve();
      if (message.cmd === ParentCommand.InitFailed) reject(new Error('the sandbox could not load the processor'));
    });
    child.send({ cmd: ChildCommand.Init, value: PROCESSOR });
  });
  const job = { id: '1', name: 'train', data: '{}', opts: {}, returnvalue: null, attemptsMade: 0, timestamp: Date.now() };
  child.send({ cmd: ChildCommand.Start, job, token: 'token' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.disconnect();
  return child;
}

function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('a training sandbox whose worker died', () => {
  it('exits once its job ends instead of living on as an orphan', async () => {
    const child = await orphanMidJob({});
    expect(await exitWithin(child, 10_000)).toBe(true);
  });

  it('(the baseline) without the guard, BullMQ’s child spins on the failed send and never exits', async () => {
    const child = await orphanMidJob({ GUARD: '0' });
    expect(await exitWithin(child, 4_000)).toBe(false);
  });
});
