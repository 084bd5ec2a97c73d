import { runAsFunction } from '#local/stand-ins/function-context.ts';
import { ISSUE_DESK_LINKS_MODULE } from '#pipelines/standalone-functions.ts';

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
