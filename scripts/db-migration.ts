/*
 * Migrations without Prisma's native schema engine (it cannot be downloaded here):
 *   npx tsx scripts/db-migration.ts create <name>   write the next migration, like `prisma migrate dev --create-only`
 *   npx tsx scripts/db-migration.ts check           fail, printing the SQL, when prisma/migrations and
 *                                                  prisma/schema.prisma disagree
 * Both replay the migrations into a throwaway shadow database. SHADOW_DATABASE_SERVER_URL may name a
 * Postgres whose user can create databases; otherwise a private embedded Postgres is started and removed.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/shared/infra/embedded-postgres.js';
import { createLogger } from '../src/shared/logger.js';
import { diffMigrationsToSchema, MIGRATION_LOCKFILE, MIGRATIONS_PATH, type SchemaDiff } from './lib/migration-diff.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'check' && rest.length === 0) return check();
  if (command === 'create' && rest.length > 0) return create(rest.join(' '));
  process.stderr.write('usage: db-migration.ts create <name> | check\n');
  return 2;
}

async function check(): Promise<number> {
  const diff = await withShadowServer((serverUrl) => diffMigrationsToSchema({ serverUrl }));
  if (!diff.changed) {
    process.stdout.write('prisma/migrations matches prisma/schema.prisma.\n');
    return 0;
  }
  process.stdout.write(
    'prisma/schema.prisma differs from what prisma/migrations builds. The missing migration would be:\n\n' +
      `${diff.script}\nRun \`npm run db:migration:create -- <name>\` to write it.\n`,
  );
  return 1;
}

async function create(rawName: string): Promise<number> {
  const name = migrationName(rawName);
  if (!name) {
    process.stderr.write(`"${rawName}" leaves no usable migration name.\n`);
    return 2;
  }
  const diff: SchemaDiff = await withShadowServer((serverUrl) => diffMigrationsToSchema({ serverUrl }));
  const directory = path.join(MIGRATIONS_PATH, `${timestamp(new Date())}_${name}`);
  if (existsSync(directory)) throw new Error(`The migration directory already exists at ${directory}`);
  await mkdir(directory, { recursive: true });
  // Like --create-only, an unchanged schema still gets a (comment-only) migration, for hand-written SQL.
  await writeFile(path.join(directory, 'migration.sql'), diff.script, 'utf8');
  const lockfile = path.join(MIGRATIONS_PATH, 'migration_lock.toml');
  if (!existsSync(lockfile)) await writeFile(lockfile, MIGRATION_LOCKFILE, 'utf8');
  const note = diff.changed ? '' : ' (the schema is unchanged: it is empty, for SQL of your own)';
  process.stdout.write(`Wrote ${path.relative(process.cwd(), path.join(directory, 'migration.sql'))}${note}.\n`);
  return 0;
}

/**
 * Prisma slugifies the name with @sindresorhus/slugify (separator "_") and cuts it at 200 characters
 * (prisma/prisma, packages/migrate/src/utils/promptForMigrationName.ts); this covers the same ground for
 * the names people type: accents dropped, camelCase split, anything else becomes one underscore.
 */
function migrationName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z\d]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
}

/** The engine names directories `%Y%m%d%H%M%S` in UTC, then `_name`. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 14);
}

async function withShadowServer<T>(work: (serverUrl: string) => Promise<T>): Promise<T> {
  const given = process.env.SHADOW_DATABASE_SERVER_URL;
  if (given) return work(given);
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'quizcast-migration-'));
  const postgres = await startEmbeddedPostgres(path.join(stateDir, 'postgres'), createLogger('db-migration', 'warn'));
  try {
    return await work(postgres.urlFor('postgres'));
  } finally {
    await postgres.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
