import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');
const SHARED = path.join(SRC, 'shared');
const BOT = path.join(SRC, 'bot');

/** Platform SDKs (discord.js and its packages, @slack/bolt, @slack/web-api…): never in the core. */
const PLATFORM_SDK = /^(discord\.js($|\/)|@discordjs\/|@slack\/)/;

/**
 * Every module specifier a TypeScript file loads: static imports and re-exports (also type-only and
 * multi-line), side-effect imports, dynamic import() and require(). Comments are dropped first so a
 * sentence about discord.js is not an import of it.
 */
function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] ?? ''));
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function resolvesInto(file: string, specifier: string, dir: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = path.resolve(path.dirname(file), specifier);
  return target === dir || target.startsWith(`${dir}${path.sep}`);
}

async function violations(files: string[], forbidden: (file: string, specifier: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    for (const specifier of importSpecifiers(await readFile(file, 'utf8'))) {
      if (forbidden(file, specifier)) found.push(`${path.relative(ROOT, file)} imports ${specifier}`);
    }
  }
  return found;
}

describe('architecture boundary', () => {
  it('finds every kind of import (the detector itself)', () => {
    const sample = [
      "import { Client } from 'discord.js';",
      'import type {',
      '  App,',
      '} from "@slack/bolt";',
      "export * from '../../bot/bot.js';",
      "import '@slack/web-api';",
      "const lazy = await import('@discordjs/rest');",
      "const old = require('discord.js');",
      "// import { nothing } from 'discord.js';",
      "/* import { nothing } from '@slack/bolt'; */",
      "const url = 'https://example.com'; import { z } from 'zod';",
    ].join('\n');
    expect(importSpecifiers(sample).sort()).toEqual(
      ['../../bot/bot.js', '@discordjs/rest', '@slack/bolt', '@slack/web-api', 'discord.js', 'discord.js', 'zod'].sort(),
    );
  });

  it('src/shared imports no platform SDK and nothing under src/bot', async () => {
    const files = await sourceFiles(SHARED);
    expect(files.length).toBeGreaterThan(20);
    const found = await violations(files, (file, specifier) => PLATFORM_SDK.test(specifier) || resolvesInto(file, specifier, BOT));
    expect(found).toEqual([]);
  });

  it('only the Discord adapter folder (and its CLI) imports discord.js', async () => {
    const allowed = (file: string) => file.startsWith(path.join(BOT, 'discord') + path.sep) || file === path.join(SRC, 'cli', 'discord.ts');
    const found = await violations(await sourceFiles(SRC), (file, specifier) => /^(discord\.js($|\/)|@discordjs\/)/.test(specifier) && !allowed(file));
    expect(found).toEqual([]);
  });
});
