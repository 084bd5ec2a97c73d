import { APPROVAL_DESK_MODULE, TOWN_DESK_MODULE, WRITE_CASE_OUTPUTS_MODULE } from './bucket-access.ts';

export { WRITE_CASE_OUTPUTS_MODULE };

/** The sweep that delivers stored approval decisions whose `SendTaskSuccess` failed (scheduled). */
export const DELIVER_DECISIONS_MODULE = 'deliver-decisions';

/** The rotation function of the approval-link signing secret (Secrets Manager invokes it). */
export const ROTATE_LINK_SECRET_MODULE = 'rotate-link-secret';

/** Issues (e-mails) the town offices' desk links of a month, or revokes one (invoked by the bureau). */
export const ISSUE_DESK_LINKS_MODULE = 'issue-desk-links';

/**
 * Every function module under `functions/` that no workflow runs: the approval site, the
 * decision-delivery sweep, the link secret's rotation function, the town desk and its link issuer.
 */
export const STANDALONE_MODULES: readonly string[] = [
  APPROVAL_DESK_MODULE,
  DELIVER_DECISIONS_MODULE,
  ROTATE_LINK_SECRET_MODULE,
  TOWN_DESK_MODULE,
  ISSUE_DESK_LINKS_MODULE,
  WRITE_CASE_OUTPUTS_MODULE,
];
