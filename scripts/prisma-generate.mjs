#!/usr/bin/env node
/*
 * `prisma generate`, made to work offline. Generating the client needs no schema engine, but the Prisma
 * CLI first makes sure the native engine binary exists and, when it is missing, tries to download it,
 * which fails here. PRISMA_SCHEMA_ENGINE_BINARY pointing at any existing file satisfies that check; we
 * set it for this one child process only, so no `prisma migrate` elsewhere ever runs a stand-in engine
 * (it would "succeed" doing nothing). A real engine, or a caller's own setting, is left alone.
 * CHECKPOINT_DISABLE=1 stops the CLI's update check, which would only time out.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const prismaCli = resolveOrNull('prisma/build/index.js');
if (!prismaCli) {
  // An install without devDependencies (npm ci --omit=dev) has no CLI; the committed workflow generates
  // before that, so say so rather than fail the install.
  console.warn('prisma-generate: the prisma CLI is not installed; skipping `prisma generate`.');
  process.exit(0);
}

const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !realEngineInstalled()) {
  // /bin/true exits 0 if anything ever runs it; elsewhere any existing file passes the check.
  env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync('/bin/true') ? '/bin/true' : fileURLToPath(import.meta.url);
}

const result = spawnSync(process.execPath, [prismaCli, 'generate', ...process.argv.slice(2)], {
  cwd: repoRoot,
  env,
  stdio: 'inherit',
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);

/** @prisma/engines keeps a downloaded engine beside its package.json, named schema-engine-<target>. */
function realEngineInstalled() {
  const enginesPackage = resolveOrNull('@prisma/engines/package.json');
  if (!enginesPackage) return false;
  return readdirSync(path.dirname(enginesPackage)).some((name) => name.startsWith('schema-engine-'));
}

function resolveOrNull(specifier) {
  try {
    return require.resolve(specifier, { paths: [repoRoot] });
  } catch {
    return null;
  }
}
