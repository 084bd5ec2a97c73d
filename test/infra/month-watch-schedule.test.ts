import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MONTH_WATCH_SCHEDULE,
  MONTH_WATCH_SCHEDULE_CONTEXT_KEY,
  readMonthWatchSchedule,
  readTimeZone,
  TIME_ZONE_CONTEXT_KEY,
} from '#infra/month-watch-schedule.ts';
import { DEFAULT_TIME_ZONE } from '#schemas/metrics.ts';

describe('readMonthWatchSchedule', () => {
  it('defaults to 06:00 on the 3rd of every month', () => {
    // Prepare
    const app = new App();

    // Act
    const schedule = readMonthWatchSchedule(app);

    // Assess
    expect(schedule).toBe(DEFAULT_MONTH_WATCH_SCHEDULE);
    expect(schedule).toBe('cron(0 6 3 * ? *)');
  });

  it.each([
    'cron(0 6 3 * ? *)',
    'cron(30 1 ? * MON#1 *)',
    'cron(0 8 L * ? *)',
    'cron(0/30 6-7 2,5 * ? 2027)',
  ])('reads the payguard:monthWatchSchedule context %j', (value) => {
    // Prepare
    const app = new App({ context: { [MONTH_WATCH_SCHEDULE_CONTEXT_KEY]: value } });

    // Act
    const schedule = readMonthWatchSchedule(app);

    // Assess
    expect(schedule).toBe(value);
  });

  it.each([
    '0 6 3 * ? *',
    'cron(0 6 3 * *)',
    'cron(0 6 3 * * *)',
    'cron(0 6 ? * ? *)',
    'cron(0  6 3 * ? *)',
    'cron(0 6 3 * ? *) ',
    'rate(30 days)',
    'at(2026-11-03T06:00:00)',
    'cron(0 6 3 * ? *); rm',
    '',
    5,
  ])('refuses %j, naming the value and the fix', (value) => {
    // Prepare
    const app = new App({ context: { [MONTH_WATCH_SCHEDULE_CONTEXT_KEY]: value } });

    // Act
    const read = () => readMonthWatchSchedule(app);

    // Assess
    expect(read).toThrow(
      `Context payguard:monthWatchSchedule=${JSON.stringify(value)} is not a cron schedule; pass ` +
        'cron(minutes hours day-of-month month day-of-week year)',
    );
  });
});

describe('readTimeZone', () => {
  it('defaults to Asia/Shanghai', () => {
    // Prepare
    const app = new App();

    // Act
    const timeZone = readTimeZone(app);

    // Assess
    expect(timeZone).toBe(DEFAULT_TIME_ZONE);
    expect(timeZone).toBe('Asia/Shanghai');
  });

  it.each(['Asia/Shanghai', 'Asia/Urumqi', 'Europe/Berlin', 'UTC'])(
    'reads the payguard:timeZone context %j',
    (value) => {
      // Prepare
      const app = new App({ context: { [TIME_ZONE_CONTEXT_KEY]: value } });

      // Act
      const timeZone = readTimeZone(app);

      // Assess
      expect(timeZone).toBe(value);
    },
  );

  it.each(['asia/shanghai', 'PRC', 'Asia/Beijing', '+08:00', '', 8])(
    'refuses %j, naming the value and the fix',
    (value) => {
      // Prepare
      const app = new App({ context: { [TIME_ZONE_CONTEXT_KEY]: value } });

      // Act
      const read = () => readTimeZone(app);

      // Assess
      expect(read).toThrow(
        `Context payguard:timeZone=${JSON.stringify(value)} is not an IANA time zone; pass a name such as ` +
          '-c payguard:timeZone=Asia/Shanghai',
      );
    },
  );
});
