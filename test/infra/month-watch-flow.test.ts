import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { MONTH_WATCH_WORKFLOW, readDefinition } from '#pipelines/workflows.ts';
import { NotifyBureauInputSchema } from '#schemas/metrics.ts';
import type { OverdueSummary } from '#schemas/overdue-cases.ts';

const OVERDUE: OverdueSummary = {
  days: 15,
  count: 1,
  perTown: [{ town: 'shiqi', count: 1 }],
  oldest: [
    {
      month: '2026-10',
      town: 'shiqi',
      code: 'EMPLOYED',
      maskedId: '442000********123X',
      ageDays: 35,
    },
  ],
};

/** What each Lambda of the month watch answers, as `lambda:invoke` wraps it (`Payload`). */
const RESULTS: Record<string, unknown> = {
  ComputeMetrics: {
    month: '2026-11',
    bucket: 'b',
    metricsKey: 'm',
    towns: 1,
    recipients: 1,
    checked: true,
    sampleSeed: '',
  },
  DetectAnomalies: { flagged: 0 },
  DrawSample: { visits: 1 },
  OpenVisitCases: { opened: 1, replacements: 0 },
  WriteMonthPage: {
    month: '2026-11',
    reportKey: 'reports/2026-11/report.html',
    state: 'CLOSED',
    overdue: OVERDUE,
  },
  NotifyBureau: { month: '2026-11', flagged: 0, recipients: 1, overdue: 1 },
};

describe('the month watch definition', () => {
  it("hands NotifyBureau the overdue cases WriteMonthPage returned, in the shape NotifyBureau's schema reads", async () => {
    // Prepare: every Task state answered locally, what it was invoked with recorded
    const invoked = new Map<string, unknown>();
    const handlers = Object.fromEntries(
      MONTH_WATCH_WORKFLOW.tasks.map(({ state }) => [
        state,
        async (input: { Payload: unknown }) => {
          invoked.set(state, input.Payload);
          return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: RESULTS[state] };
        },
      ]),
    );
    const machine = new StateMachine(JSON.parse(readDefinition(MONTH_WATCH_WORKFLOW)));

    // Act
    await machine.run(
      { month: '2026-11', bucket: 'b' },
      { overrides: { taskResourceLocalHandlers: handlers as never } },
    ).result;

    // Assess
    const notify = NotifyBureauInputSchema.parse(invoked.get('NotifyBureau'));
    expect(notify.page?.overdue).toEqual(OVERDUE);
    expect(notify).toMatchObject({ month: '2026-11', bucket: 'b' });
  });
});
