import { describe, expect, it } from 'vitest';
import { nextTradingDay } from '../../src/shared/forecast/trading-days.js';

describe('nextTradingDay', () => {
  it('skips weekends', () => {
    expect(nextTradingDay('2020-04-17')).toBe('2020-04-20'); // Friday → Monday
    expect(nextTradingDay('2020-04-18')).toBe('2020-04-20'); // Saturday → Monday
    expect(nextTradingDay('2020-04-19')).toBe('2020-04-20'); // Sunday → Monday
    expect(nextTradingDay('2020-04-20')).toBe('2020-04-21'); // Monday → Tuesday
  });

  it('crosses month and year ends, and does not model holidays', () => {
    expect(nextTradingDay('2020-02-28')).toBe('2020-03-02');
    expect(nextTradingDay('2021-12-31')).toBe('2022-01-03');
    expect(nextTradingDay('2020-12-24')).toBe('2020-12-25'); // Christmas is a weekday here
  });

  it('rejects what is not a calendar day', () => {
    expect(() => nextTradingDay('2020-02-30')).toThrow(RangeError);
    expect(() => nextTradingDay('20/04/2020')).toThrow(RangeError);
  });
});
