import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/* The CLI as users run it (node bin/quizcast.js …), against the committed default artifact. */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'bin/quizcast.js');
const fixture = fileURLToPath(new URL('./fixtures/small.jsonl', import.meta.url));
const env = { ...process.env, LOG_LEVEL: 'warn' };
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'quizcast-sentiment-cli-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('quizcast sentiment (subprocess)', () => {
  it('eval prints n, model and lexicon accuracy/F1 for a JSONL file', async () => {
    const { stdout } = await run(process.execPath, [cli, 'sentiment', 'eval', fixture], { cwd: root, env });
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(['n', 'model', 'lexicon']);
    expect(result.n).toBe(10);
    for (const side of [result.model, result.lexicon]) {
      expect(Object.keys(side)).toEqual(['accuracy', 'f1']);
      expect(side.accuracy).toBeGreaterThanOrEqual(0);
      expect(side.accuracy).toBeLessThanOrEqual(1);
      expect(side.f1).toBeGreaterThanOrEqual(0);
      expect(side.f1).toBeLessThanOrEqual(1);
    }
    // Obvious movie reviews: the trained model should get nearly all of them.
    expect(result.model.accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('eval names the bad line of a malformed file and exits non-zero', async () => {
    const bad = path.join(scratch, 'bad.jsonl');
    await writeFile(bad, '{"text": "fine", "label": 1}\n{"text": "no label"}\n');
    await expect(run(process.execPath, [cli, 'sentiment', 'eval', bad], { cwd: root, env })).rejects.toMatchObject({
      stderr: expect.stringContaining('bad.jsonl:2'),
    });
  });

  it('score prints exactly {"score", "label"}', async () => {
    const { stdout } = await run(process.execPath, [cli, 'sentiment', 'score', 'What a wonderful, moving film!'], { cwd: root, env });
    expect(stdout).toMatch(/^\{"score":(0|1|0\.\d+),"label":"(positive|negative)"\}\n$/);
    expect(JSON.parse(stdout).label).toBe('positive');
  });
});
