const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The next weekday after `day` (YYYY-MM-DD). Exchange holidays are not modelled: the day after a Friday
 * is always the Monday, even when it is a holiday.
 */
export function nextTradingDay(day: string): string {
  const match = ISO_DAY.exec(day);
  if (!match) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (date.toISOString().slice(0, 10) !== day) throw new RangeError(`not a calendar day: ${day}`);
  do {
    date.setUTCDate(date.getUTCDate() + 1);
  } while (date.getUTCDay() === 0 || date.getUTCDay() === 6);
  return date.toISOString().slice(0, 10);
}
