import { readFile, writeFile } from 'node:fs/promises';

/** Replaces the section that starts with `heading` (up to the next "## " heading), or appends it; other sections stay. */
export async function writeSection(file: string, heading: string, section: string): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => '# Benchmarks\n');
  const start = existing.indexOf(`${heading}\n`);
  if (start < 0) {
    await writeFile(file, `${existing.trimEnd()}\n\n${section}`);
    return;
  }
  const next = existing.indexOf('\n## ', start + heading.length);
  const end = next < 0 ? existing.length : next + 1;
  await writeFile(file, `${existing.slice(0, start)}${section}${next < 0 ? '' : '\n'}${existing.slice(end)}`);
}
