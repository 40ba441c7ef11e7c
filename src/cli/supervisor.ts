import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../shared/logger.js';

const CLI = fileURLToPath(new URL('../../bin/quizcast.js', import.meta.url));

/**
 * Runs `quizcast <role>` as a child process and restarts it if it dies (with backoff), until stop().
 * Bot and worker are separate processes so a crash or a CPU-bound training run in one never stalls
 * the other.
 */
export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restarts = 0;

  constructor(
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger,
    /** 'always' for services; 'on-failure' for a task that ends (the replay). */
    private readonly restart: 'always' | 'on-failure' = 'always',
  ) {}

  private get role(): string {
    return this.args.join(' ');
  }

  start(): void {
    const child = spawn(process.execPath, [CLI, ...this.args], { env: this.env, stdio: ['ignore', 'inherit', 'inherit'] });
    this.child = child;
    child.once('exit', (code, signal) => {
      if (this.stopping || (this.restart === 'on-failure' && code === 0)) return;
      this.restarts += 1;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.restarts, 6));
      this.logger.error({ role: this.role, code, signal, delay }, 'process exited; restarting');
      setTimeout(() => !this.stopping && this.start(), delay).unref();
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** SIGTERM lets the process drain; after the grace period it is killed. */
  async stop(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
