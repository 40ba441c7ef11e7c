import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { diffMigrationsToSchema, MIGRATIONS_PATH, SCHEMA_PATH } from '../../scripts/lib/migration-diff.js';

/*
 * The same diff `npm run db:migration:check` runs: Prisma's schema engine (wasm) replays prisma/migrations
 * into a shadow database and compares the result with prisma/schema.prisma.
 */

const serverUrl = inject('postgresAdminUrl');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'quizcast-drift-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('schema drift', () => {
  it('prisma/migrations builds exactly what prisma/schema.prisma describes', async () => {
    const diff = await diffMigrationsToSchema({ serverUrl });
    // On failure the message is the missing migration: `npm run db:migration:create -- <name>` writes it.
    expect(diff.changed, diff.script).toBe(false);
  });

  it('notices a schema change that has no migration', async () => {
    const schemaPath = path.join(scratch, 'schema.prisma');
    const schema = await readFile(SCHEMA_PATH, 'utf8');
    const edited = schema.replace(/model ChatUser \{\n/, 'model ChatUser {\n  nickname    String?\n');
    expect(edited).not.toBe(schema);
    await writeFile(schemaPath, edited);

    const diff = await diffMigrationsToSchema({ serverUrl, schemaPath });
    expect(diff.changed).toBe(true);
    expect(diff.script).toMatch(/ALTER TABLE "ChatUser" ADD COLUMN\s+"nickname" TEXT;/);
  });

  it('notices a migration that the schema does not describe', async () => {
    const migrationsDir = path.join(scratch, 'migrations');
    await cp(MIGRATIONS_PATH, migrationsDir, { recursive: true });
    await mkdir(path.join(migrationsDir, '29990101000000_stray'));
    await writeFile(path.join(migrationsDir, '29990101000000_stray', 'migration.sql'), 'ALTER TABLE "Deck" ADD COLUMN "stray" TEXT;\n');

    const diff = await diffMigrationsToSchema({ serverUrl, migrationsDir });
    expect(diff.changed).toBe(true);
    expect(diff.script).toMatch(/ALTER TABLE "Deck" DROP COLUMN "stray";/);
  });

  it('leaves no shadow database behind', async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'`);
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
