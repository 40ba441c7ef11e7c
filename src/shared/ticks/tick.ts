

/** A tick as it arrives from outside: anything may be wrong with it. */
export type RawTick = { symbol?: unknown; ts?: unknown; price?: unknown };

export interface ValidTick {
  /** Position in the submitted batch, so results map back to what the caller sent. */
  index: number;
  symbol: string;
  /** Milliseconds since the epoch (UTC). */
  ts: number;
  price: number;
}

export type TickRejection =
  | 'malformed'
  | 'invalid_symbol'
  | 'invalid_price'
  | 'invalid_timestamp'
  | 'future_timestamp'
  | 'unknown_symbol';

/** What happened to one submitted tick. "late" ticks are stored but predate the newest daily close. */
export type TickResult =
  | { index: number; status: 'stored' | 'stored_late' | 'duplicate' }
  | { index: number; status: 'rejected'; reason: TickRejection; message: string };

export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,19}$/;
/** Ticks this far ahead of the server clock are accepted (clock skew); beyond it they are refused. */
export const DEFAULT_FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export interface TickValidation {
  valid: ValidTick[];
  rejected: Extract<TickResult, { status: 'rejected' }>[];
}

/** A short, safe description of a bad value: never the whole value (deeply nested JSON overflows stringify). */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** Checks shape, symbol form, price and time; symbol registration and duplicates are the store's call. */
export function validateTicks(raw: readonly unknown[], now: Date, futureToleranceMs = DEFAULT_FUTURE_TOLERANCE_MS): TickValidation {
  const valid: ValidTick[] = [];
  const rejected: TickValidation['rejected'] = [];
  const reject = (index: number, reason: TickRejection, message: string) =>
    rejected.push({ index, status: 'rejected', reason, message });
  raw.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      reject(index, 'malformed', 'a tick is an object {symbol, ts, price}');
      return;
    }
    const tick = item as RawTick;
    const symbol = typeof tick.symbol === 'string' ? tick.symbol.trim().toUpperCase() : '';
    if (!SYMBOL_PATTERN.test(symbol)) {
      reject(index, 'invalid_symbol', `symbol ${describe(tick.symbol)} is not 1–20 letters, digits, . _ -`);
      return;
    }
    const price = typeof tick.price === 'number' ? tick.price : typeof tick.price === 'string' && tick.price.trim() !== '' ? Number(tick.price) : Number.NaN;
    if (!Number.isFinite(price) || price <= 0) {
      reject(index, 'invalid_price', `price ${describe(tick.price)} must be a finite number above zero`);
      return;
    }
    const ts = parseTimestamp(tick.ts);
    if (ts === undefined) {
      reject(index, 'invalid_timestamp', `ts ${describe(tick.ts)} is not an ISO-8601 time or epoch milliseconds`);
      return;
    }
    if (ts > now.getTime() + futureToleranceMs) {
      reject(index, 'future_timestamp', `ts ${new Date(ts).toISOString()} is in the future`);
      return;
    }
    valid.push({ index, symbol, ts, price });
  });
  return { valid, rejected };
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** ISO-8601 with an explicit zone, or integer epoch milliseconds; anything ambiguous is refused. */
function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  }
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value.trim())) return undefined;
  const ms = Date.parse(value.trim());
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
