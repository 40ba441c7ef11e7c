import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQueryable,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

/*
 * The driver adapter the wasm schema engine talks to Postgres through. It is @prisma/adapter-pg with two
 * repairs, both found by running the engine here:
 * 1. PrismaPg.connectToShadowDb (7.10.1) drops the shadow database while its own pool still holds a
 *    connection to it ("database ... is being accessed by other users"), and derives the shadow pool's
 *    config by spreading `database` over a connectionString, which pg ignores (the connection string
 *    wins), so with a URL the "shadow" would be the real database. We create and drop it ourselves.
 * 2. The engine's Postgres describer selects pg_catalog columns of type "char" (contype, confdeltype,
 *    ...) and reads them as Character values, but adapter-pg has no mapping for that type and rejects
 *    it. So pg (the pool and its clients) relabels such columns as text, which adapter-pg accepts (the
 *    value is a one-character string either way), noting their positions; queryRaw then reports those
 *    columns as Character.
 */

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** The "char" column positions seen by the query that the current queryRaw call is running. */
const charColumns = new AsyncLocalStorage<Set<number>>();

export interface ShadowAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Ends every pool still open and drops every shadow database still present. */
  close(): Promise<void>;
}

/** `serverUrl` names a database on a server where its user may CREATE and DROP DATABASE. */
export function createShadowAdapterFactory(serverUrl: string): ShadowAdapterFactory {
  const cleanups = new Set<() => Promise<void>>();

  async function connectTo(url: string, afterEnd?: () => Promise<void>): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString: url, allowExitOnIdle: true });
    relabelCharColumnsAsText(pool);
    pool.on('connect', relabelCharColumnsAsText);
    const adapter = await new PrismaPg(pool).connect();
    reportCharColumnsAsCharacter(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      reportCharColumnsAsCharacter(transaction);
      return transaction;
    };
    let disposed = false;
    const dispose = async () => {
      if (disposed) return;
      disposed = true;
      cleanups.delete(dispose);
      await pool.end();
      await afterEnd?.();
    };
    cleanups.add(dispose);
    adapter.dispose = dispose;
    return adapter;
  }

  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connectTo(serverUrl),
    async connectToShadowDb() {
      // Prisma's naming, so a leftover is recognisable as a shadow database.
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
      return connectTo(databaseUrl(serverUrl, name), () =>
        adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
    async close() {
      for (const cleanup of [...cleanups]) await cleanup();
    },
  };
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Repair 2, adapter side: the columns the pg client relabelled are Character columns. */
function reportCharColumnsAsCharacter(queryable: SqlQueryable): void {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const seen = new Set<number>();
    const result = await charColumns.run(seen, () => queryRaw(query));
    for (const index of seen) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
}

type AnyQuery = (...args: unknown[]) => unknown;

/**
 * Repair 2, driver side: relabels "char" columns as text in what `target.query` resolves to. Only the
 * promise form is patched: adapter-pg uses it (on the pool, and on a transaction's client), and the
 * queryRaw call to credit is then the one running now, when the query is issued. pg-pool's own callback
 * calls into its clients run later, from whatever context released a client, and are left alone.
 */
function relabelCharColumnsAsText(target: pg.Pool | pg.PoolClient): void {
  const query = target.query.bind(target) as unknown as AnyQuery;
  (target as unknown as { query: AnyQuery }).query = (...args) => {
    const out = query(...args);
    if (typeof args.at(-1) === 'function' || !(out instanceof Promise)) return out;
    const seen = charColumns.getStore();
    return out.then((result: unknown) => {
      for (const set of Array.isArray(result) ? result : [result]) {
        ((set as Partial<pg.QueryResult> | undefined)?.fields ?? []).forEach((field, index) => {
          if (field.dataTypeID !== PG_CHAR_OID) return;
          field.dataTypeID = PG_TEXT_OID;
          seen?.add(index);
        });
      }
      return result;
    });
  };
}
