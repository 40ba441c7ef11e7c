/**
 * Runs at most `limit` tasks at once; the rest wait in order. Used where a platform can deliver far more
 * events at once than the database pool can serve: waiting here costs a little latency, while letting
 * them all through makes transactions time out waiting for a connection and lose the work.
 */
export function createConcurrencyLimit(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
