import { approvalLinks } from '#local/cli/approval-browser.ts';
import type { CallbackWait, LocalExecution } from '#local/engine/workflow-engine.ts';
import { DATASETS } from '#schemas/datasets.ts';
import type { IngestHarness } from './local-harness.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV } from './roster-builder.ts';

export const MONTH = '2026-10';

/**
 * Seeds one batch (`shiqi`) of `rows` payments of 1180.00 that the registry approves, so every
 * row is released; `config/pipeline.json` expects just that batch (the month run then starts by
 * itself when it is accepted) with the given four-eyes threshold in yuan.
 */
export async function seedMonth(h: IngestHarness, options: { rows: number; fourEyesThreshold: number }) {
  const sequences = Array.from({ length: options.rows }, (_, i) => i + 1);
  await h.put('reference/towns.csv', TOWNS_CSV);
  await h.put(
    'reference/registry.csv',
    csv(
      DATASETS.registry.columnNames,
      sequences.map((seq) => {
        const r = rosterRow({}, seq);
        return [r[0], r[1], r[2], 'DIBAO', '1180.00', 'ACTIVE', 'shiqi', r[7], '', ''] as string[];
      }),
    ),
  );
  await h.put(
    'config/pipeline.json',
    JSON.stringify({ expectedBatches: ['shiqi'], fourEyesThreshold: options.fourEyesThreshold }),
  );
  await h.bridge.drain();
  await h.put(
    `incoming/${MONTH}/shiqi/roster.csv`,
    csv(
      ENGLISH_HEADER,
      sequences.map((s) => rosterRow({}, s)),
    ),
  );
  await h.bridge.drain();
}

/** The month-run executions of the month, oldest first. */
export function monthRuns(h: IngestHarness): LocalExecution[] {
  return h.workflows.executions.filter((e) => e.workflow === 'month-run');
}

/** Waits until the newest month run waits at `state`, and returns where. */
export async function untilWaiting(h: IngestHarness, state: string): Promise<CallbackWait> {
  await h.bridge.drain();
  const run = monthRuns(h).at(-1);
  if (!run) throw new Error('no month run started');
  const wait = h.workflows.waitingAt(run.executionArn);
  if (wait?.state !== state) {
    const outcome = await Promise.race([
      run.result.then(
        () => 'finished',
        (e: Error) => `failed: ${e.message}`,
      ),
      Promise.resolve('running'),
    ]);
    throw new Error(`the month run waits at ${wait?.state ?? 'nothing'} (${outcome}), not ${state}`);
  }
  return wait;
}

export interface SentLink {
  readonly to: string;
  readonly link: string;
}

/**
 * The approval links e-mailed so far, oldest first, with their recipients; the harness has two
 * approvers, so every request sends (at least) two.
 */
export function sentLinks(h: IngestHarness): [SentLink, SentLink, ...SentLink[]] {
  const links = h.services.ses
    .sent()
    .flatMap((mail) => approvalLinks(mail.text ?? '').map((link) => ({ to: mail.to.join(','), link })));
  const [first, second, ...rest] = links;
  if (!first || !second) throw new Error(`expected approval links for two approvers, found ${links.length}`);
  return [first, second, ...rest];
}

/** The link sent to the first approver of the newest request. */
export function newestLink(h: IngestHarness): string {
  const links = sentLinks(h);
  return (links.at(-2) as SentLink).link;
}
