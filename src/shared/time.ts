import { UserError } from './errors.js';

/** A clock is passed in everywhere so tests can fix the date. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface TimeOfDay {
  hour: number;
  minute: number;
}

export function parseTimeOfDay(text: string): TimeOfDay {
  const match = TIME_OF_DAY.exec(text.trim());
  if (!match) throw new UserError('invalid_input', `"${text}" is not a time of day; use HH:MM in 24-hour form, e.g. 09:30.`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function assertTimeZone(zone: string): string {
  if (!isValidTimeZone(zone)) {
    throw new UserError('invalid_input', `"${zone}" is not an IANA time zone; try e.g. Europe/Paris or America/New_York.`);
  }
  return zone;
}

/** The calendar date (YYYY-MM-DD) at `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Minutes since local midnight at `instant` in `timeZone`. */
export function localMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

export function formatTimeOfDay({ hour, minute }: TimeOfDay): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
