import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = path.join(root, 'test/forecast/fixtures/prices.csv');

async function backtest(...args: string[]) {
  return run(process.execPath, ['bin/quizcast.js', 'forecast', 'backtest', ...args], { cwd: root });
}

describe('quizcast forecast backtest', () => {
  it('prints exactly the documented JSON for a small CSV', async () => {
    const { stdout } = await backtest(fixture, '--value-column', 'close', '--date-column', 'date', '--window', '5');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] as string);
    expect(Object.keys(result)).toEqual(['n', 'model', 'naive', 'published', 'intervalCoverage']);
    expect(Object.keys(result.model)).toEqual(['mae', 'rmse', 'mase', 'directionalAccuracy']);
    expect(Object.keys(result.naive)).toEqual(['mae', 'rmse']);
    expect(Object.keys(result.published)).toEqual(['mase']);

    // 150 rows, the first 80% (120) train: 30 forecasts. The naive numbers can be checked from the file alone.
    const closes = (await readFile(fixture, 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[1]));
    const moves = closes.slice(120).map((close, i) => Math.abs(close - (closes[119 + i] as number)));
    expect(result.n).toBe(30);
    expect(result.naive.mae).toBeCloseTo(moves.reduce((a, b) => a + b, 0) / 30, 9);
    expect(result.model.mase).toBeCloseTo(result.model.mae / result.naive.mae, 9);
    expect([1, result.model.mase]).toContainEqual(result.published.mase);
    expect(result.intervalCoverage).toBeGreaterThanOrEqual(0);
    expect(result.intervalCoverage).toBeLessThanOrEqual(1);
  });

  it('takes rows in file order without a date column, and fails plainly on a missing column', async () => {
    const { stdout } = await backtest(fixture, '--value-column', 'close');
    expect(JSON.parse(stdout).n).toBe(30);
    await expect(backtest(fixture, '--value-column', 'price')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no column "price"'),
    });
  });
});
