import { runAsFunction } from '#local/stand-ins/function-context.ts';
import { ISSUE_DESK_LINKS_MODULE, WRITE_CASE_OUTPUTS_MODULE } from '#pipelines/standalone-functions.ts';

type IssueHandler = (input: unknown, context: unknown) => Promise<unknown>;

/**
 * Issues the month's desk links as the bureau does in AWS: invokes the `issue-desk-links` function
 * (run as that function) for every town office, or the towns named; the links go out by e-mail
 * (locally into the outbox). Call after the approval services are started.
 */
export async function issueDeskLinksLocally(input: {
  month: string;
  towns?: readonly string[];
  by: string;
}): Promise<unknown> {
  const { handler } = (await import('#functions/issue-desk-links.ts')) as { handler: IssueHandler };
  return runAsFunction(ISSUE_DESK_LINKS_MODULE, () =>
    handler(input, {
      functionName: `payguard-${ISSUE_DESK_LINKS_MODULE}`,
      awsRequestId: crypto.randomUUID(),
      getRemainingTimeInMillis: () => 30_000,
    }),
  );
}

/** Revokes one desk link through the same function. */
export async function revokeDeskLinkLocally(linkId: string, by: string): Promise<unknown> {
  const { handler } = (await import('#functions/issue-desk-links.ts')) as { handler: IssueHandler };
  return runAsFunction(ISSUE_DESK_LINKS_MODULE, () =>
    handler(
      { revoke: linkId, by },
      {
        functionName: `payguard-${ISSUE_DESK_LINKS_MODULE}`,
        awsRequestId: crypto.randomUUID(),
        getRemainingTimeInMillis: () => 30_000,
      },
    ),
  );
}

/**
 * Rewrites the month's `cases.csv` and `report.html` from the cases as the officers left them:
 * invokes the `write-case-outputs` function (run as that function), as the desk's changes do.
 */
export async function writeCaseOutputsLocally(input: { month: string; bucket: string }): Promise<unknown> {
  const { handler } = (await import('#functions/write-case-outputs.ts')) as { handler: IssueHandler };
  return runAsFunction(WRITE_CASE_OUTPUTS_MODULE, () =>
    handler(
      { ...input, trigger: 'payguard:desk' },
      {
        functionName: `payguard-${WRITE_CASE_OUTPUTS_MODULE}`,
        awsRequestId: crypto.randomUUID(),
        getRemainingTimeInMillis: () => 60_000,
      },
    ),
  );
}
