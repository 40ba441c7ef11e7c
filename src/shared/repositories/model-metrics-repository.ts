import type { Database } from './database.js';

export interface LatestPriceModelMetrics {
  symbol: string;
  version: number;
  stale: boolean;
  /** Validation MASE of the RNN and of the naive baseline (null when undefined, e.g. a flat series). */
  rnnMase: number | null;
  naiveMase: number | null;
}

/** The newest model of every symbol with its validation MASE, read straight from the stored metrics JSON. */
export async function latestPriceModelMetrics(db: Database): Promise<LatestPriceModelMetrics[]> {
  return db.$queryRaw<LatestPriceModelMetrics[]>`
    SELECT DISTINCT ON (m."symbolId")
      s."code" AS "symbol", m."version", m."stale",
      (m."metrics" #>> '{validation,rnn,mase}')::float8 AS "rnnMase",
      (m."metrics" #>> '{validation,naive,mase}')::float8 AS "naiveMase"
    FROM "PriceModel" m JOIN "Symbol" s ON s."id" = m."symbolId"
    ORDER BY m."symbolId", m."version" DESC`;
}
