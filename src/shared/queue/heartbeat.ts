import type { Redis } from 'ioredis';

export function workerHeartbeatKey(prefix: string): string {
  return `${prefix}:worker:heartbeat`;
}

/** The worker proves it is alive by refreshing a short-lived key; /healthz reads it. */
export function startHeartbeat(redis: Redis, prefix: string, intervalMs = 5000): () => void {
  const beat = () => redis.set(workerHeartbeatKey(prefix), String(Date.now()), 'PX', intervalMs * 3).catch(() => undefined);
  void beat();
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
