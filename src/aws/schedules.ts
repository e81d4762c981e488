/**
 * Recurring schedules as Application Auto Scaling and EventBridge Scheduler take them: a cron
 * expression of six fields, `cron(minutes hours day-of-month month day-of-week year)`, with "?"
 * in one of the two day fields, days of the week named SUN to SAT (SUN is day 1), and the time
 * zone as an IANA name.
 *
 * Sources: Application Auto Scaling API PutScheduledAction (Schedule: "cron(fields)", the six
 * fields; Timezone: "an IANA time zone"); EventBridge Scheduler user guide, "Schedule types on
 * EventBridge Scheduler" (cron-based schedules: the same six fields, day-of-week 1-7 or SUN-SAT,
 * ranges with "-", lists with ","; ScheduleExpressionTimezone). A range runs forwards from SUN
 * (day 1) to SAT (day 7); "FRI-MON" is not one.
 */

/** Days of the week in cron's order: SUN is day 1. */
export const CRON_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
export type CronDay = (typeof CRON_DAYS)[number];

const MINUTES_PER_DAY = 24 * 60;

/** A time of day "HH:MM" on a 24-hour clock, 00:00 to 23:59. */
export const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes from midnight of a clock time, or undefined when it is not one. */
export function minuteOfDay(clock: string): number | undefined {
  const m = CLOCK.exec(clock);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** A minute of the day as "HH:MM". */
export function clockOf(minute: number): string {
  const m = ((minute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/**
 * The days a day-of-week field names ("MON-FRI", "MON,WED,FRI", "SUN-SAT"), in cron's order, or
 * the problem with it: an unknown day, a backwards range, a day named twice.
 */
export function parseDays(field: string): { days: CronDay[] } | { problem: string; fix: string } {
  const seen = new Set<CronDay>();
  const index = (name: string) => CRON_DAYS.indexOf(name as CronDay);
  for (const item of field.split(",")) {
    const [from, to, ...rest] = item.split("-");
    if (rest.length > 0 || index(from) < 0 || (to !== undefined && index(to) < 0)) {
      return {
        problem: `names "${item}", which is not a day (${CRON_DAYS.join(", ")}) or a range of two of them`,
        fix: 'write days as AWS cron does, upper case, e.g. "MON-FRI" or "MON,WED,FRI"',
      };
    }
    const [a, b] = [index(from), to === undefined ? index(from) : index(to)];
    if (b < a) {
      return {
        problem: `has the range "${item}", which runs backwards: cron's week starts on SUN, and AWS takes a range only from an earlier day to a later one`,
        fix: `list the days instead, e.g. "${CRON_DAYS.slice(a)
          .concat(CRON_DAYS.slice(0, b + 1))
          .join(",")}"`,
      };
    }
    for (const day of CRON_DAYS.slice(a, b + 1)) {
      if (seen.has(day)) return { problem: `names ${day} twice`, fix: "name each day once" };
      seen.add(day);
    }
  }
  return { days: CRON_DAYS.filter((d) => seen.has(d)) };
}

/** The cron expression that fires at `minute` of the day on `days` (a day-of-week field that parseDays accepts). */
export function cronAt(minute: number, days: string): string {
  return `cron(${minute % 60} ${Math.floor(minute / 60)} ? * ${days} *)`;
}

const CRON_AT = /^cron\((\d{1,2}) (\d{1,2}) \? \* (\S+) \*\)$/;

/** The minute of the day and the days of an expression cronAt writes, or undefined for any other. */
export function parseCronAt(expression: string): { minute: number; days: CronDay[] } | undefined {
  const m = CRON_AT.exec(expression);
  if (!m) return undefined;
  const days = parseDays(m[3]);
  return "days" in days ? { minute: Number(m[2]) * 60 + Number(m[1]), days: days.days } : undefined;
}

/**
 * Whether `name` is an IANA time zone name ("Europe/London", "America/New_York", "UTC"), as the
 * time zone database Node.js carries knows it; a UTC offset ("+01:00") is not a name.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
