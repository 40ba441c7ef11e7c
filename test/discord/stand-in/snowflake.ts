/** Discord's epoch (2015-01-01) in ms; snowflakes count from it in their top 42 bits. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Real-looking, ever-increasing snowflakes (timestamp << 22 | worker | process | increment) from a
 * fixed start, so ids in a failing test's output look like Discord's and sort by creation.
 */
export class Snowflakes {
  private increment = 0n;

  constructor(private readonly startMs = Date.parse('2026-03-02T09:00:00Z')) {}

  next(): string {
    this.increment += 1n;
    const ms = BigInt(this.startMs) + this.increment;
    return (((ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | (this.increment & 0xfffn)).toString();
  }
}

/** The creation time Discord encodes in a snowflake, for timestamps in payloads. */
export function snowflakeTime(id: string): string {
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH)).toISOString();
}
