import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
      return /\.(ts|js|mjs)$/.test(entry.name) ? [full] : [];
    }),
  );
  return nested.flat();
}

describe('the Slack boundary', () => {
  it('only src/bot/slack imports Slack SDKs (@slack/*)', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles('src')) {
      if (file.startsWith(path.join('src', 'bot', 'slack') + path.sep)) continue;
      const text = await readFile(file, 'utf8');
      if (/from\s+['"]@slack\/|import\(\s*['"]@slack\/|require\(\s*['"]@slack\//.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
