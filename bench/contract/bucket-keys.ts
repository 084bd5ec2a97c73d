/**
 * The bucket keys of contract section 1, spelled by the bench itself: its generator and its DuckDB
 * twin must not share the pipeline's `schemas/bucket-layout.ts`, so that a mistake there cannot
 * hide in both sides of a comparison.
 */
export const contractKeys = {
  towns: 'reference/towns.csv',
  registry: 'reference/registry.csv',
  register: (name: 'staff-relatives' | 'proxy-accounts') => `registers/${name}.csv`,
  partnerFolder: (dataset: string) => `partners/${dataset}/`,
  partnerFile: (dataset: string, file: string) => `partners/${dataset}/${file}`,
  rosterFolder: (month: string) => `incoming/${month}/`,
  roster: (month: string, batch: string, file: string) => `incoming/${month}/${batch}/${file}`,
  bankReturnsFolder: (month: string) => `bank-returns/${month}/`,
  bankReturn: (month: string, file: string) => `bank-returns/${month}/${file}`,
} as const;
