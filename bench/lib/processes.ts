import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerHeartbeatKey } from '../../src/shared/queue/heartbeat.js';
import { createRedisConnection } from '../../src/shared/queue/connection.js';
import type { BenchServices } from './services.js';
import { sleep, waitFor } from './stats.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'bin/quizcast.js');

export interface QuizcastProcess {
  role: 'bot' | 'worker';
  pid: number;
  child: ChildProcess;
  /** The bot's HTTP base URL (bot only). */
  url: string;
  /** The last few KB the process wrote to stderr (its pino log), for error reports. */
  log(): string;
  /** Error and fatal log lines so far, counted by message and error code/message. */
  errors(): Map<string, number>;
  stop(): Promise<void>;
}

/**
 * `--profile DIR` on a benchmark's command line: its bot and worker children write V8 CPU profiles
 * (--cpu-prof) into DIR when they exit, for chrome://inspect or any .cpuprofile viewer.
 */
export function profilingArgs(argv = process.argv): string[] {
  const index = argv.indexOf('--profile');
  const dir = index < 0 ? undefined : argv[index + 1];
  // Node 20 refuses --cpu-prof in NODE_OPTIONS, so it goes on the command line (fork() passes it on).
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

export interface ProcessOptions {
  prefix: string;
  /** Extra settings; LOG_LEVEL defaults to warn (request logging at info is not what is measured). */
  env?: Record<string, string>;
}

/**
 * Starts `node bin/quizcast.js bot|worker` as a child with DATABASE_URL, REDIS_URL, QUEUE_PREFIX and
 * HTTP_PORT set, so its memory can be read from /proc/<pid>/status. Resolves once the bot listens (its
 * "local chat" line) or the worker's heartbeat is in Redis.
 */
export async function startQuizcast(role: 'bot' | 'worker', services: BenchServices, options: ProcessOptions): Promise<QuizcastProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(SLACK_|DISCORD_|DATABASE_URL|REDIS_URL|QUEUE_PREFIX|HTTP_PORT|LOG_LEVEL)/.test(key)),
  );
  const env = {
    ...inherited,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    QUEUE_PREFIX: options.prefix,
    HTTP_PORT: '0',
    WORKER_HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    REPLAY_ON_START: 'false',
    QUIZCAST_STATE_DIR: path.join(services.dir, `state-${role}`),
    ...options.env,
  };
  const child = spawn(process.execPath, [...profilingArgs(), CLI, role], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-20_000)));
  const errors = new Map<string, number>();
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-20_000);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!/"level":(50|60)/.test(line)) continue;
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { code?: string; message?: string } };
        const key = `${entry.msg ?? ''}: ${[entry.err?.code, entry.err?.message?.split('\n')[0]?.slice(0, 100)].filter(Boolean).join(' ')}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
      } catch {
        errors.set(line.slice(0, 120), (errors.get(line.slice(0, 120)) ?? 0) + 1);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failIfExited = async <T>(probe: () => Promise<T | undefined>) => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`quizcast ${role} exited early:\n${stderr.slice(-4000)}`);
    return probe();
  };

  let url = '';
  if (role === 'bot') {
    url = await waitFor(
      () => failIfExited(async () => /quizcast local chat: (\S+)/.exec(stdout)?.[1]),
      'the bot to listen',
      120_000,
    );
  } else {
    const redis = createRedisConnection(services.redisUrl);
    try {
      await waitFor(
        () => failIfExited(async () => ((await redis.exists(workerHeartbeatKey(options.prefix))) ? true : undefined)),
        'the worker heartbeat',
        180_000,
        100,
      );
    } finally {
      await redis.quit();
    }
  }
  if (child.pid === undefined) throw new Error(`quizcast ${role} has no pid`);
  return {
    role,
    pid: child.pid,
    child,
    url,
    log: () => stderr,
    errors: () => errors,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(20_000).then(() => 'timeout' as const)]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export interface Memory {
  /** Resident set now (VmRSS), bytes. */
  rss: number;
  /** Peak resident set over the process's life so far (VmHWM), bytes. */
  hwm: number;
}

/** VmRSS and VmHWM of a live process from /proc/<pid>/status; undefined once it has gone. */
export async function readMemory(pid: number): Promise<Memory | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (!status) return undefined;
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Every live descendant of `pid` (children of each of its threads, recursively). */
export async function descendants(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const children = new Set<number>();
  for (const task of tasks) {
    const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const id of text.split(/\s+/).filter(Boolean)) children.add(Number(id));
  }
  const all = [...children];
  for (const child of children) all.push(...(await descendants(child)));
  return all;
}

export async function commandLine(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean).join(' ');
}

export interface PeakMemory {
  pid: number;
  label: string;
  /** Largest VmRSS seen by the sampler. */
  rss: number;
  /** Largest VmHWM seen (the kernel's own peak, so it catches spikes between samples). */
  hwm: number;
}

/**
 * Samples the memory of some root processes and all their descendants (e.g. BullMQ's sandboxed training
 * children) every `intervalMs`, keeping each pid's peak; a child that exits keeps its last reading.
 */
export class MemorySampler {
  private readonly peaks = new Map<number, PeakMemory>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly roots: readonly { pid: number; label: string }[],
    private readonly intervalMs = 100,
  ) {}

  start(): this {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sample());
    }, this.intervalMs);
    this.timer.unref();
    return this;
  }

  async sample(): Promise<void> {
    for (const root of this.roots) {
      await this.record(root.pid, root.label);
      for (const child of await descendants(root.pid)) {
        if (!this.peaks.has(child)) {
          const command = await commandLine(child);
          const name = /bullmq|training-sandbox/.test(command)
            ? 'BullMQ sandbox: training'
            : /esbuild/.test(command)
              ? 'esbuild service of the tsx loader'
              : path.basename(command.split(' ')[0] ?? command);
          await this.record(child, `${root.label} child (${name}, pid ${child})`);
        } else {
          await this.record(child, this.peaks.get(child)?.label ?? String(child));
        }
      }
    }
  }

  private async record(pid: number, label: string): Promise<void> {
    const memory = await readMemory(pid);
    if (!memory) return;
    const previous = this.peaks.get(pid);
    this.peaks.set(pid, {
      pid,
      label,
      rss: Math.max(previous?.rss ?? 0, memory.rss),
      hwm: Math.max(previous?.hwm ?? 0, memory.hwm),
    });
  }

  async stop(): Promise<PeakMemory[]> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.sample();
    return [...this.peaks.values()];
  }

  /** Peaks so far without stopping. */
  snapshot(): PeakMemory[] {
    return [...this.peaks.values()];
  }
}

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used, plus those of its reaped children; 0 once gone. */
async function ownCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return 0;
  // Fields after the ")" of the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3] ?? 0);
  return (field(14) + field(15) + field(16) + field(17)) / CLOCK_TICKS;
}

/** CPU seconds of a process and all its live descendants (Postgres backends, BullMQ sandboxes). */
export async function treeCpuSeconds(pid: number): Promise<number> {
  let total = await ownCpuSeconds(pid);
  for (const child of await descendants(pid)) total += await ownCpuSeconds(child);
  return total;
}

/**
 * Where the CPU went during a phase: CPU seconds of each named process tree between `start()` and
 * `stop()`, beside the core-seconds the wall time offered. Backends that exit mid-phase are counted by
 * their parent's reaped-children fields.
 */
export class CpuMeter {
  private before = new Map<string, number>();
  private startedAt = 0;

  constructor(private readonly processes: readonly { label: string; pid: number | undefined }[]) {}

  private async read(): Promise<Map<string, number>> {
    const values = new Map<string, number>();
    for (const { label, pid } of this.processes) values.set(label, pid === undefined ? 0 : await treeCpuSeconds(pid));
    values.set('benchmark client (this process)', process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6);
    return values;
  }

  async start(): Promise<void> {
    this.before = await this.read();
    this.startedAt = performance.now();
  }

  async stop(): Promise<{ wallSeconds: number; cpu: { label: string; seconds: number }[] }> {
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const after = await this.read();
    return {
      wallSeconds,
      cpu: [...after].map(([label, seconds]) => ({ label, seconds: seconds - (this.before.get(label) ?? 0) })),
    };
  }
}
