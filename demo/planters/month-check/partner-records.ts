/**
 * The records the planters write into the register and partner files of contract 2.3, as rows of
 * text in the file's column order (see `partner-files.ts` for the headers).
 */
export interface PartnerRecords {
  /** `registers/staff-relatives.csv`: staff_id, staff_name, relative_id_number, relation, filed, filed_date. */
  staff: string[][];
  /** `registers/proxy-accounts.csv`: account_number, payee_id_number, holder_id_number, filed_date. */
  proxy: string[][];
  /** Deaths of the previous month: id_number, name, date_of_death, registry_office. */
  deathsBefore: string[][];
  /** Deaths of the month: id_number, name, date_of_death. */
  deathsNow: string[][];
  /** id_number, name, cremation_date, funeral_home. */
  cremations: string[][];
  /** company_name, credit_code, id_number, role, status. */
  business: string[][];
  /** Social insurance of the month, then of the two months before: id_number, month, employer, contribution_base, pension_amount. */
  insuranceNow: string[][];
  insuranceBefore: string[][];
  insuranceEarlier: string[][];
}

/** No records yet. */
export function emptyPartnerRecords(): PartnerRecords {
  return {
    staff: [],
    proxy: [],
    deathsBefore: [],
    deathsNow: [],
    cremations: [],
    business: [],
    insuranceNow: [],
    insuranceBefore: [],
    insuranceEarlier: [],
  };
}
