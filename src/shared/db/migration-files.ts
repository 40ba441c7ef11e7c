import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** prisma/migrations, as prisma.config.ts names it; resolved from this file since the app runs from source. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

export interface MigrationFile {
  /** The directory name, e.g. `20261125105229_init`: what `_prisma_migrations.migration_name` holds. */
  name: string;
  script: string;
  checksum: string;
}

/**
 * Every `<dir>/migration.sql` under the migrations directory, in the order Prisma applies them: its CLI
 * lists the directories and sorts them by name with localeCompare (prisma/prisma, packages/migrate/src/
 * utils/listMigrations.ts). Files other than directories (migration_lock.toml) are not migrations.
 */
export async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      const script = await readFile(file, 'utf8').catch((error: unknown) => {
        throw new Error(`Migration ${name} has no readable migration.sql (${file}): ${String(error)}`);
      });
      return { name, script, checksum: migrationChecksum(script) };
    }),
  );
}

/**
 * The checksum Prisma stores: SHA-256 of the script, as 64 lower-case hex digits (prisma/prisma-engines,
 * schema-engine/connectors/schema-connector/src/checksum.rs, `render_checksum`).
 */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Prisma's `script_matches_checksum` (same file): a checkout with other line endings still matches, and
 * so does a checksum written by old engines that dropped each byte's leading zero.
 */
export function scriptMatchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant, 'utf8').digest();
    const rendered =
      checksum.length !== 0 && checksum.length !== 64
        ? Array.from(digest, (byte) => byte.toString(16)).join('')
        : digest.toString('hex');
    return rendered === checksum;
  });
}
