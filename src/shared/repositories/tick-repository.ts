import type { TickResult, ValidTick } from '../ticks/tick.js';
import type { Database } from './database.js';
import { sqlTimestamp } from './sql-timestamp.js';

export interface StoredBatch {
  results: TickResult[];
  /** Per symbol: days whose close was created or changed, and whether history before the newest close changed. */
  changes: Map<string, { newDays: string[]; changedDays: string[]; late: boolean }>;
}


/**
 * Stores a batch of validated ticks in one transaction: unknown symbols are refused per tick, a tick
 * already stored (same symbol and timestamp) is reported as a duplicate and stored once, and the daily
 * closes of every touched day are recomputed from the ticks themselves (the close is derived, never
 * typed twice). A tick on a day before the symbol's newest close is "late": stored, and its symbol's
 * latest model marked stale because the history it learned from changed.
 */
export async function storeTickBatch(db: Database, ticks: readonly ValidTick[], marketTimeZone: string): Promise<StoredBatch> {
  return db.$transaction(
    async (tx) => {
      const codes = [...new Set(ticks.map((tick) => tick.symbol))];
      const symbols = await tx.$queryRaw<{ id: number; code: string }[]>`
        SELECT "id", "code" FROM "Symbol" WHERE "code" = ANY(${codes}::text[])`;
      const idByCode = new Map(symbols.map((symbol) => [symbol.code, symbol.id]));
      const results: TickResult[] = [];
      const known = ticks.filter((tick) => {
        if (idByCode.has(tick.symbol)) return true;
        results.push({
          index: tick.index,
          status: 'rejected',
          reason: 'unknown_symbol',
          message: `symbol ${tick.symbol} is not registered (quizcast symbols add ${tick.symbol})`,
        });
        return false;
      });
      const changes: StoredBatch['changes'] = new Map();
      if (known.length === 0) return { results, changes };

      const ids = known.map((tick) => idByCode.get(tick.symbol) ?? 0);
      // One writer per symbol at a time (several workers may share the queue); sorted, so no deadlock.
      for (const symbolId of [...new Set(ids)].sort((a, b) => a - b)) {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(7301, ${symbolId}::int)`;
      }
      const newestBefore = new Map(
        (
          await tx.$queryRaw<{ symbolId: number; day: string }[]>`
            SELECT "symbolId", max("day") AS "day" FROM "DailyClose"
            WHERE "symbolId" = ANY(${[...new Set(ids)]}::int[]) GROUP BY "symbolId"`
        ).map((row) => [row.symbolId, row.day]),
      );
      const inserted = await tx.$queryRaw<{ symbolId: number; ts: Date; day: string }[]>`
        INSERT INTO "Tick" ("symbolId", "ts", "price", "receivedAt")
        SELECT s, t, p, now() AT TIME ZONE 'UTC'
        FROM unnest(${ids}::int[], ${known.map((tick) => sqlTimestamp(tick.ts))}::timestamp(3)[], ${known.map((tick) => tick.price)}::float8[]) AS batch(s, t, p)
        ON CONFLICT ("symbolId", "ts") DO NOTHING
        RETURNING "symbolId", "ts", to_char(("ts" AT TIME ZONE 'UTC') AT TIME ZONE ${marketTimeZone}, 'YYYY-MM-DD') AS "day"`;
      const insertedKeys = new Map(inserted.map((row) => [`${row.symbolId}|${row.ts.getTime()}`, row.day]));

      const touched = new Map<number, Set<string>>();
      for (const [i, tick] of known.entries()) {
        const symbolId = ids[i] ?? 0;
        const key = `${symbolId}|${tick.ts}`;
        const day = insertedKeys.get(key);
        if (day === undefined) {
          results.push({ index: tick.index, status: 'duplicate' });
          continue;
        }
        // Only the first of identical ticks in one batch is the stored one; the rest are duplicates.
        insertedKeys.delete(key);
        const newest = newestBefore.get(symbolId);
        const late = newest !== undefined && day < newest;
        results.push({ index: tick.index, status: late ? 'stored_late' : 'stored' });
        if (!touched.has(symbolId)) touched.set(symbolId, new Set());
        touched.get(symbolId)?.add(day);
      }

      for (const [symbolId, days] of touched) {
        const code = symbols.find((symbol) => symbol.id === symbolId)?.code ?? '';
        const updated = await tx.$queryRaw<{ day: string; created: boolean }[]>`
          INSERT INTO "DailyClose" ("symbolId", "day", "close", "closeTs")
          SELECT DISTINCT ON (d) "symbolId", d, "price", "ts"
          FROM (
            SELECT "symbolId", "price", "ts",
                   to_char(("ts" AT TIME ZONE 'UTC') AT TIME ZONE ${marketTimeZone}, 'YYYY-MM-DD') AS d
            FROM "Tick"
            WHERE "symbolId" = ${symbolId}
              AND "ts" >= (${[...days].sort()[0]}::date - 1)::timestamp
              AND "ts" < (${[...days].sort().at(-1)}::date + 2)::timestamp
          ) AS ticks
          WHERE d = ANY(${[...days]}::text[])
          ORDER BY d, "ts" DESC
          -- Ticks are never deleted, so only a later tick may move a close (concurrent batches included).
          ON CONFLICT ("symbolId", "day") DO UPDATE
            SET "close" = EXCLUDED."close", "closeTs" = EXCLUDED."closeTs"
            WHERE EXCLUDED."closeTs" > "DailyClose"."closeTs"
          RETURNING "day", (xmax = 0) AS "created"`;
        const newest = newestBefore.get(symbolId);
        const late = updated.some((row) => newest !== undefined && row.day < newest);
        if (late) {
          await tx.$executeRaw`
            UPDATE "PriceModel" SET "stale" = true
            WHERE "symbolId" = ${symbolId} AND "version" = (SELECT max("version") FROM "PriceModel" WHERE "symbolId" = ${symbolId})`;
        }
        changes.set(code, {
          newDays: updated.filter((row) => row.created).map((row) => row.day),
          changedDays: updated.filter((row) => !row.created).map((row) => row.day),
          late,
        });
      }
      results.sort((a, b) => a.index - b.index);
      return { results, changes };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

export async function loadDailyCloses(db: Database, symbol: string): Promise<{ day: string; close: number }[]> {
  return db.dailyClose.findMany({
    where: { symbol: { code: symbol } },
    orderBy: { day: 'asc' },
    select: { day: true, close: true },
  });
}

export async function newestCloseDay(db: Database, symbol: string): Promise<string | undefined> {
  const row = await db.dailyClose.findFirst({ where: { symbol: { code: symbol } }, orderBy: { day: 'desc' }, select: { day: true } });
  return row?.day;
}
