/**
 * Planting of the checks on valid rows (contract 3.3) in the demonstration month: roster and
 * registry differences, duplicate and exclusive payments, shared and proxy accounts, and the
 * register and partner files of contract 2.3 (staff relatives, proxy accounts, deaths, cremations,
 * business registrations, social insurance) with the records that raise — or look as if they
 * should raise but must not — each finding. One planter per rule, named as the rule's file in
 * `domain/month-check/`.
 *
 * Every planted row carries a `check` note; the exact expected findings are not counted here but
 * by the oracle (`oracle.ts`) over what is finally written, so that an interaction between two
 * plants can never make the manifest wrong.
 */
import type { Entry } from '#demo/model.ts';
import { plantAccountMismatch } from './account-mismatch.ts';
import { plantAmountMismatch } from './amount-mismatch.ts';
import { plantBusinessOwner } from './business-owner.ts';
import { plantDeaths } from './deceased.ts';
import { plantDuplicateInRejectedFile, plantDuplicatePayment } from './duplicate-payment.ts';
import { plantEmployed, plantFlexibleEmployment } from './employed.ts';
import { plantExclusiveCategories, plantExclusiveInRejectedFile } from './exclusive-categories.ts';
import { plantInactiveInRegistry } from './inactive-in-registry.ts';
import { insureStrangers, plantUnreadableIncome } from './income-evidence.ts';
import { plantNameMismatch } from './name-mismatch.ts';
import { plantNotInRegistry } from './not-in-registry.ts';
import { type PartnerFile, partnerFiles } from './partner-files.ts';
import { plantPensionIncome, plantPensionsWithoutMeansTest } from './pension-income.ts';
import { type CheckContext, Planter } from './planter.ts';
import { plantSharedAccount } from './shared-account.ts';
import { plantTownMismatch } from './town-mismatch.ts';
import {
  clearAmbiguousHolders,
  fileProxiesOfAbsentRecipients,
  plantUnfiledProxyAccount,
} from './unfiled-proxy-account.ts';
import { plantUnfiledStaffRelative } from './unfiled-staff-relative.ts';

/** What the planting adds to the month besides the roster rows it plants on. */
export interface CheckPlants {
  /** Registry rows added for the plants (a second category of a person). */
  registry: Entry[];
  files: PartnerFile[];
}

/**
 * The planters in the order they draw from the seeded PRNG and take turns over the towns:
 * reordering them changes which payee carries which plant (the demonstration's bytes), not what
 * is planted. MISSING_PAYMENT is planted with the registry (`missing-payment.ts`), before these.
 */
const PLANTERS: readonly ((p: Planter) => void)[] = [
  plantNotInRegistry,
  plantInactiveInRegistry,
  plantAmountMismatch,
  plantTownMismatch,
  plantAccountMismatch,
  plantNameMismatch,
  plantDuplicatePayment,
  plantExclusiveCategories,
  plantDuplicateInRejectedFile,
  plantExclusiveInRejectedFile,
  plantSharedAccount,
  plantUnfiledProxyAccount,
  plantDeaths,
  plantUnfiledStaffRelative,
  plantBusinessOwner,
  plantEmployed,
  plantPensionIncome,
  plantUnreadableIncome,
  plantFlexibleEmployment,
  plantPensionsWithoutMeansTest,
  insureStrangers,
  fileProxiesOfAbsentRecipients,
  clearAmbiguousHolders,
];

/**
 * Plants the cases of contract 3.3 into the town plans (after the validation problems and edge
 * rows, which it leaves alone) and builds the register and partner files.
 */
export function plantChecks(c: CheckContext): CheckPlants {
  const p = new Planter(c);
  for (const plant of PLANTERS) plant(p);
  return { registry: p.registry, files: partnerFiles(p.records, c.month, c.rng) };
}
