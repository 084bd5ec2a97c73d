import type { Construct } from 'constructs';
import { DEFAULT_TIME_ZONE } from '#schemas/metrics.ts';

/**
 * Context key setting when EventBridge Scheduler starts the month watch: a 6-field cron expression
 * in the `cron(minutes hours day-of-month month day-of-week year)` form of EventBridge Scheduler,
 * read in the `payguard:timeZone` time zone, e.g. `-c 'payguard:monthWatchSchedule=cron(0 6 5 * ? *)'`.
 * The watch covers the month before the one it starts in, so run it once a month, after the bank's
 * return files usually land.
 */
export const MONTH_WATCH_SCHEDULE_CONTEXT_KEY = 'payguard:monthWatchSchedule';

/** 06:00 on the 3rd of every month. */
export const DEFAULT_MONTH_WATCH_SCHEDULE = 'cron(0 6 3 * ? *)';

/**
 * Context key naming the IANA time zone of the month watch (`-c payguard:timeZone=Asia/Shanghai`):
 * the schedule's cron fields are read in it, and the first task takes the month before the current
 * one in it.
 */
export const TIME_ZONE_CONTEXT_KEY = 'payguard:timeZone';

const CRON = /^cron\(([^()\s]+(?: [^()\s]+){5})\)$/;
const CRON_FIELD = /^[0-9A-Za-z*?,/#-]+$/;

/**
 * The month watch's schedule from the `payguard:monthWatchSchedule` context: `cron(...)` with six
 * space-separated fields, of which exactly one of day-of-month and day-of-week is `?` (as EventBridge
 * Scheduler requires). Field values are left to Scheduler to check.
 *
 * @default 'cron(0 6 3 * ? *)' when the context key is absent
 */
export function readMonthWatchSchedule(scope: Construct): string {
  const value: unknown =
    scope.node.tryGetContext(MONTH_WATCH_SCHEDULE_CONTEXT_KEY) ?? DEFAULT_MONTH_WATCH_SCHEDULE;
  const fields = typeof value === 'string' ? CRON.exec(value)?.[1]?.split(' ') : undefined;
  const valid =
    fields?.every((field) => CRON_FIELD.test(field)) && (fields[2] === '?') !== (fields[4] === '?');
  if (!valid) {
    throw new Error(
      `Context ${MONTH_WATCH_SCHEDULE_CONTEXT_KEY}=${JSON.stringify(value)} is not a cron schedule; pass ` +
        'cron(minutes hours day-of-month month day-of-week year) with "?" in exactly one of day-of-month and ' +
        `day-of-week, e.g. -c '${MONTH_WATCH_SCHEDULE_CONTEXT_KEY}=${DEFAULT_MONTH_WATCH_SCHEDULE}'`,
    );
  }
  return value as string;
}

/**
 * The month watch's time zone from the `payguard:timeZone` context: an IANA name spelled as the
 * time-zone database spells it (`Asia/Shanghai`, `UTC`), which both EventBridge Scheduler and the
 * functions' `Intl` understand.
 *
 * @default 'Asia/Shanghai' when the context key is absent
 */
export function readTimeZone(scope: Construct): string {
  const value: unknown = scope.node.tryGetContext(TIME_ZONE_CONTEXT_KEY) ?? DEFAULT_TIME_ZONE;
  if (typeof value !== 'string' || !isTimeZoneName(value)) {
    throw new Error(
      `Context ${TIME_ZONE_CONTEXT_KEY}=${JSON.stringify(value)} is not an IANA time zone; pass a name such as ` +
        `-c ${TIME_ZONE_CONTEXT_KEY}=${DEFAULT_TIME_ZONE}`,
    );
  }
  return value;
}

function isTimeZoneName(name: string): boolean {
  // Intl also takes UTC offsets (`+08:00`), which are no zone names Scheduler knows.
  if (!/^[A-Za-z]/.test(name)) return false;
  if (Intl.supportedValuesOf('timeZone').includes(name)) return true;
  try {
    // Names the database keeps as links (`UTC`, `Asia/Calcutta`) resolve to themselves.
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone === name;
  } catch {
    return false;
  }
}
