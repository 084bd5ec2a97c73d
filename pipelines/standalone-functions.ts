import { APPROVAL_DESK_MODULE } from './bucket-access.ts';

/** The sweep that delivers stored approval decisions whose `SendTaskSuccess` failed (scheduled). */
export const DELIVER_DECISIONS_MODULE = 'deliver-decisions';

/** Every function module under `functions/` that no workflow runs: the approval site and the sweep. */
export const STANDALONE_MODULES: readonly string[] = [APPROVAL_DESK_MODULE, DELIVER_DECISIONS_MODULE];
