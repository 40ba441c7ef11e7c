import { describe, expect, it } from 'vitest';
import { SeriesCsvError, parseSeriesCsv } from '../../src/shared/forecast/csv.js';

describe('parseSeriesCsv', () => {
  it('reads a value column in row order when there is no date column', () => {
    expect(parseSeriesCsv('a,price\nx,1.5\ny,2\n\n', { valueColumn: 'price' })).toEqual([{ close: 1.5 }, { close: 2 }]);
  });

  it('sorts by a date column, takes a timestamp’s day and honours quotes', () => {
    const text = 'when,"close"\n2020-01-03T21:00:00Z,"1,001.5"\n2020-01-02,1000\n';
    expect(() => parseSeriesCsv(text, { valueColumn: 'close', dateColumn: 'when' })).toThrow(SeriesCsvError);
    const clean = 'when,"close"\n2020-01-03T21:00:00Z,"1001.5"\n2020-01-02,1000\n';
    expect(parseSeriesCsv(clean, { valueColumn: 'close', dateColumn: 'when' })).toEqual([
      { day: '2020-01-02', close: 1000 },
      { day: '2020-01-03', close: 1001.5 },
    ]);
  });

  it('names the problem: a missing column, a bad value, a bad date', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof SeriesCsvError ? err.code : 'other';
      }
      return 'none';
    };
    expect(codeOf(() => parseSeriesCsv('a,b\n1,2', { valueColumn: 'close' }))).toBe('missing-column');
    expect(codeOf(() => parseSeriesCsv('close\n1\nNaN', { valueColumn: 'close' }))).toBe('bad-value');
    expect(codeOf(() => parseSeriesCsv('d,close\n01/02/2020,1', { valueColumn: 'close', dateColumn: 'd' }))).toBe('bad-date');
    expect(codeOf(() => parseSeriesCsv('', { valueColumn: 'close' }))).toBe('empty');
  });
});
