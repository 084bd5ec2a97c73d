import type { LocalWorkflows } from '#local/engine/local-workflows.ts';
import type { CallbackWait, LocalExecution } from '#local/engine/workflow-engine.ts';
import { approvalLinks, decideApproval, openApproval } from './approval-browser.ts';
import type { ApprovalServices } from './approval-services.ts';

/** How a local month run ended (or where it stopped). */
export type MonthEnd =
  | { state: 'FINISHED'; output: unknown }
  | { state: 'FAILED'; error: Error }
  | { state: 'WAITING_FOR_BANK' }
  | { state: 'WAITING_FOR_APPROVAL' };

export interface FollowOptions {
  /** `none`: stop following once the month waits for its approvers (the checks are done). */
  readonly approve: 'auto' | 'manual' | 'none';
  readonly say: (line: string) => void;
  /** Called the first time the month waits for the bank; may upload a bank file (the demo does). */
  readonly onBankWait?: () => Promise<boolean>;
  /**
   * Called the first time the month waits for its approvers with `auto`, before they decide: true
   * when it started a newer run of the month (a town's corrected roster accepted), whose request
   * supersedes this one, so the approvers decide that one instead (the demo's desk officer).
   */
  readonly beforeApproval?: () => Promise<boolean>;
}

type Next = { kind: 'settled' } | { kind: 'waiting'; wait: CallbackWait };

/** The next thing that happens to an execution: it finishes, or it parks at a callback step. */
function next(workflows: LocalWorkflows, execution: LocalExecution, handled: Set<string>): Promise<Next> {
  return new Promise((resolve) => {
    const parked = workflows.waitingAt(execution.executionArn);
    if (parked && !handled.has(parked.token)) {
      resolve({ kind: 'waiting', wait: parked });
      return;
    }
    const unsubscribe = workflows.onCallbackWait((wait) => {
      if (wait.executionArn === execution.executionArn && !handled.has(wait.token)) {
        unsubscribe();
        resolve({ kind: 'waiting', wait });
      }
    });
    const settled = () => {
      unsubscribe();
      resolve({ kind: 'settled' });
    };
    execution.result.then(settled, settled);
  });
}

/** Whether an execution's result has settled (its handlers run before the next macrotask). */
function hasSettled(execution: LocalExecution): Promise<boolean> {
  return Promise.race([
    execution.result.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setImmediate(() => resolve(false))),
  ]);
}

/**
 * The run of the month to follow once `execution` settled: one still running (the newest started),
 * which is where the month goes on whatever order the runs were started in (the later request
 * supersedes the earlier at the approval gate); else one started after it; never one followed before.
 */
async function successorOf(
  workflows: LocalWorkflows,
  execution: LocalExecution,
  followed: ReadonlySet<LocalExecution>,
): Promise<LocalExecution | undefined> {
  const month = (execution.input as { month?: string }).month;
  const runs = workflows.executions.filter(
    (e) => e.workflow === execution.workflow && (e.input as { month?: string }).month === month,
  );
  const others = runs.filter((run) => run !== execution && !followed.has(run));
  const running: LocalExecution[] = [];
  for (const run of others) if (!(await hasSettled(run))) running.push(run);
  const later = others.filter((run) => runs.indexOf(run) > runs.indexOf(execution));
  return running.at(-1) ?? later.at(-1);
}

/** Approves the open request with every new approval link, one approver after another. */
async function approveAll(services: ApprovalServices, used: Set<string>, say: (line: string) => void) {
  const links = services.ses
    .sent()
    .flatMap((mail) => approvalLinks(mail.text ?? '').map((link) => ({ link, to: mail.to.join(', ') })))
    .filter(({ link }) => !used.has(link));
  if (links.length === 0) throw new Error('the approval request sent no links');
  for (const { link, to } of links) {
    used.add(link);
    say(`  approval link e-mailed to ${to}: ${link}`);
    const page = await openApproval(link);
    if (page.status !== 200) continue;
    const result = await decideApproval(link, page, 'APPROVE');
    say(`  approval: ${to} approved (${result.kind ?? result.status})`);
    if (result.kind === 'RECORDED_APPROVED') return;
  }
}

/**
 * Follows a month-run execution on the local stack to its end, or until it waits for a bank file
 * that will not come: approves as every approver the gate needs (`auto`) or prints the links and
 * waits for people to decide (`manual`). Follows a newer run of the month that supersedes it.
 */
export async function followMonth(
  workflows: LocalWorkflows,
  services: ApprovalServices,
  first: LocalExecution,
  options: FollowOptions,
): Promise<{ execution: LocalExecution; end: MonthEnd }> {
  const handled = new Set<string>();
  const usedLinks = new Set<string>();
  let bankAsked = false;
  let approvalAsked = false;
  let execution = first;
  const followed = new Set<LocalExecution>([first]);
  for (;;) {
    const event = await next(workflows, execution, handled);
    if (event.kind === 'settled') {
      const successor = await successorOf(workflows, execution, followed);
      if (successor) {
        options.say('  another run of the month took over');
        followed.add(successor);
        execution = successor;
        continue;
      }
      try {
        return { execution, end: { state: 'FINISHED', output: await execution.result } };
      } catch (error) {
        return { execution, end: { state: 'FAILED', error: error as Error } };
      }
    }
    const { wait } = event;
    handled.add(wait.token);
    if (wait.state === 'RequestApproval') {
      if (options.approve === 'none') return { execution, end: { state: 'WAITING_FOR_APPROVAL' } };
      if (options.approve === 'auto') {
        if (!approvalAsked && options.beforeApproval) {
          approvalAsked = true;
          if (await options.beforeApproval()) {
            // This request is superseded: its links no longer decide anything.
            for (const mail of services.ses.sent())
              for (const link of approvalLinks(mail.text ?? '')) usedLinks.add(link);
            continue;
          }
        }
        await approveAll(services, usedLinks, options.say);
      } else {
        options.say('  waiting for the approvers; open a link to review and decide:');
        for (const mail of services.ses.sent()) {
          for (const link of approvalLinks(mail.text ?? '')) {
            if (usedLinks.has(link)) continue;
            usedLinks.add(link);
            options.say(`    ${mail.to.join(', ')}: ${link}`);
          }
        }
      }
    } else if (wait.state === 'AwaitBankReturns') {
      if (!bankAsked && options.onBankWait) {
        bankAsked = true;
        if (await options.onBankWait()) continue;
      }
      return { execution, end: { state: 'WAITING_FOR_BANK' } };
    }
  }
}
