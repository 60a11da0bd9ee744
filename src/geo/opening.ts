// Whether a center is open at a given moment, in Honduras time (America/Tegucigalpa, no daylight
// saving), and when it opens next. Honest about what is not known.
import { DAYS, type Day } from '../content/center-kinds.js';
import type { Hours } from '../content/facts-schema.js';

export const HONDURAS_TIME_ZONE = 'America/Tegucigalpa';

export type Opening =
  | { state: 'unknown' } // no days or hours known
  | { state: 'open_today_hours_unknown'; day: Day } // open on this weekday, hours not known
  | { state: 'open'; closes: string }
  | { state: 'closed'; next?: { day: Day; today: boolean; time?: string } };

const clock = new Intl.DateTimeFormat('en-US', { timeZone: HONDURAS_TIME_ZONE, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The minute last asked for: every center card of a turn asks, and Intl takes microseconds each time. */
let lastMinute = { minute: Number.NaN, day: 'mon' as Day, time: '' };

/** The weekday and HH:MM in Honduras at a moment. */
export function hondurasTime(now: Date): { day: Day; time: string } {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastMinute.minute) {
    const parts = Object.fromEntries(clock.formatToParts(now).map((p) => [p.type, p.value]));
    lastMinute = { minute, day: String(parts.weekday).toLowerCase().slice(0, 3) as Day, time: `${parts.hour}:${parts.minute}` };
  }
  return { day: lastMinute.day, time: lastMinute.time };
}

export function openingAt(hours: Hours, now: Date): Opening {
  if (hours === 'unknown') return { state: 'unknown' };
  const { day, time } = hondurasTime(now);
  const today = DAYS.indexOf(day);
  const opensOn = (d: Day) => hours.days.includes(d);

  if (hours.times === 'unknown') {
    if (opensOn(day)) return { state: 'open_today_hours_unknown', day };
    const next = nextDay(today, opensOn);
    return { state: 'closed', next: next && { day: next, today: false } };
  }
  const ranges = [...hours.times].sort((a, b) => a.open.localeCompare(b.open));
  if (opensOn(day)) {
    const current = ranges.find((r) => r.open <= time && time < r.close);
    if (current) return { state: 'open', closes: current.close };
    const later = ranges.find((r) => r.open > time);
    if (later) return { state: 'closed', next: { day, today: true, time: later.open } };
  }
  const next = nextDay(today, opensOn);
  return { state: 'closed', next: next && { day: next, today: false, time: ranges[0]!.open } };
}

/** True, false, or null when it cannot be known. */
export function isOpen(opening: Opening): boolean | null {
  if (opening.state === 'open') return true;
  if (opening.state === 'closed') return false;
  return null;
}

function nextDay(today: number, opensOn: (d: Day) => boolean): Day | undefined {
  for (let i = 1; i <= 7; i++) {
    const day = DAYS[(today + i) % 7]!;
    if (opensOn(day)) return day;
  }
  return undefined;
}
