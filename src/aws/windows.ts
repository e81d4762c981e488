/**
 * Backup, snapshot and maintenance windows as RDS and ElastiCache take them, in UTC.
 *
 * Sources: RDS API CreateDBInstance / ModifyDBCluster (PreferredBackupWindow: "hh24:mi-hh24:mi",
 * at least 30 minutes, must not conflict with the preferred maintenance window;
 * PreferredMaintenanceWindow: "ddd:hh24:mi-ddd:hh24:mi", days mon | tue | wed | thu | fri | sat |
 * sun, at least 30 minutes); ElastiCache API CreateReplicationGroup (PreferredMaintenanceWindow:
 * the same form, "the minimum maintenance window is a 60 minute period"; SnapshotWindow:
 * "hh24:mi-hh24:mi").
 */

/** The days a weekly window names, in the week's order. */
export const WEEK_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const DAILY = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY = new RegExp(`^(${WEEK_DAYS.join("|")}):${TIME}-(${WEEK_DAYS.join("|")}):${TIME}$`);

/** A window as minutes from the start of the day (daily) or of Monday (weekly); `end` may wrap past the period. */
interface Span {
  readonly start: number;
  readonly minutes: number;
  readonly period: number;
}

const at = (hours: string, minutes: string) => Number(hours) * 60 + Number(minutes);
const length = (start: number, end: number, period: number) => (((end - start) % period) + period) % period;

/** A daily window ("03:00-03:30"), or undefined when it is not one (an hour past 23, a minute past 59, another form). */
export function parseDailyWindow(text: string): Span | undefined {
  const m = DAILY.exec(text);
  if (!m) return undefined;
  const [start, end] = [at(m[1], m[2]), at(m[3], m[4])];
  return { start, minutes: length(start, end, MINUTES_PER_DAY), period: MINUTES_PER_DAY };
}

/** A weekly window ("sun:04:30-sun:05:30"), or undefined when it is not one. */
export function parseWeeklyWindow(text: string): Span | undefined {
  const m = WEEKLY.exec(text);
  if (!m) return undefined;
  const day = (name: string) => WEEK_DAYS.indexOf(name as (typeof WEEK_DAYS)[number]) * MINUTES_PER_DAY;
  const [start, end] = [day(m[1]) + at(m[2], m[3]), day(m[4]) + at(m[5], m[6])];
  return { start, minutes: length(start, end, MINUTES_PER_WEEK), period: MINUTES_PER_WEEK };
}

/** The minutes of the week a window covers, as [from, to) intervals within 0..one week. */
function weekIntervals(span: Span): [number, number][] {
  const repeats = MINUTES_PER_WEEK / span.period;
  return Array.from({ length: repeats }, (_, i) => span.start + i * span.period).flatMap((from): [number, number][] => {
    const to = from + span.minutes;
    return to <= MINUTES_PER_WEEK
      ? [[from, to]]
      : [
          [from, MINUTES_PER_WEEK],
          [0, to - MINUTES_PER_WEEK],
        ];
  });
}

/** Whether a daily window (every day) and a weekly one share a minute; windows that only touch do not. */
export function windowsOverlap(daily: Span, weekly: Span): boolean {
  const weeklyIntervals = weekIntervals(weekly);
  return weekIntervals(daily).some(([from, to]) => weeklyIntervals.some(([wFrom, wTo]) => from < wTo && wFrom < to));
}
