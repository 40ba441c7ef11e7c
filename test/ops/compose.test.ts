import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/**
 * Debian's docker-compose 1.29 (installed by .ci/run) validates the file without a Docker engine. A clean
 * environment, so settings in the caller's shell cannot make an invalid file look valid.
 */
function compose(args: string[], env: Record<string, string> = {}) {
  return run('docker-compose', ['--project-directory', ROOT, '-f', `${ROOT}/docker-compose.yml`, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
  }).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
    if (error.code === 'ENOENT') throw new Error('docker-compose is not installed: bash .ci/run installs it (apt-get install docker-compose)');
    throw new Error(`docker-compose ${args.join(' ')} failed: ${error.stderr ?? error.message}`);
  });
}

describe('docker-compose.yml', () => {
  it('validates with `docker-compose config -q`, without a single warning', async () => {
    const { stdout, stderr } = await compose(['config', '-q']);
    expect(stdout).toBe('');
    expect(stderr).toBe('');
  });

  it('defines postgres, redis, bot and worker with named volumes for both stores', async () => {
    const services = (await compose(['config', '--services'])).stdout.trim().split('\n').sort();
    expect(services).toEqual(['bot', 'postgres', 'redis', 'worker']);
    const volumes = (await compose(['config', '--volumes'])).stdout.trim().split('\n').sort();
    expect(volumes).toEqual(['postgres-data', 'redis-data']);
  });

  it('resolves settings from the environment and passes secrets through only when they are set', async () => {
    const unset = (await compose(['config'])).stdout;
    expect(unset).toContain('DATABASE_URL: postgresql://quizcast:quizcast@postgres:5432/quizcast');
    expect(unset).toMatch(/ADMIN_TOKEN: null/);
    const set = (await compose(['config'], { POSTGRES_PASSWORD: 's3cret', ADMIN_TOKEN: 'a-long-admin-token-value' })).stdout;
    expect(set).toContain('DATABASE_URL: postgresql://quizcast:s3cret@postgres:5432/quizcast');
    expect(set).toContain('POSTGRES_PASSWORD: s3cret');
    expect(set).toContain('ADMIN_TOKEN: a-long-admin-token-value');
    // Redis keeps the queues across restarts and never evicts a job's keys.
    expect(set).toMatch(/- --appendonly\n\s+- "yes"/);
    expect(set).toMatch(/- --maxmemory-policy\n\s+- noeviction/);
  });
});
