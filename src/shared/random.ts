/** A seeded uniform [0, 1) generator (mulberry32): small, fast, and the same on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates with the given generator, so training batches are reproducible from the seed. */
export function shuffledIndices(length: number, random: () => number): number[] {
  const indices = Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = indices[i] as number;
    indices[i] = indices[j] as number;
    indices[j] = tmp;
  }
  return indices;
}

/** A standard normal draw (Box-Muller), for test series such as random walks. */
export function normalDraw(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A geometric random walk: the series naive forecasting is optimal for. */
export function randomWalk(length: number, options: { seed: number; start?: number; volatility?: number }): number[] {
  const random = seededRandom(options.seed);
  const closes = [options.start ?? 100];
  for (let i = 1; i < length; i++) {
    const last = closes[i - 1] as number;
    closes.push(last * Math.exp((options.volatility ?? 0.01) * normalDraw(random)));
  }
  return closes;
}
