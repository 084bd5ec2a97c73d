import type {
  BusinessRecord,
  DeathRecord,
  ProxyAccountRecord,
  RegistryRow,
  RegistryStatus,
  SocialInsuranceRecord,
  StaffRelativeRecord,
} from '#domain/month-check/records.ts';
import { ReferenceDataError } from '#domain/reference-data-error.ts';
import { readStagedBatches, type StagedBatch } from '#formats/dataset-table.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import { DATASET_ARROW } from '#schemas/dataset-arrow.ts';
import { DATASET_NAMES, DATASETS, type DatasetName } from '#schemas/datasets.ts';
import type { ObjectStore } from './ports.ts';

/** The domain record each dataset loads as (`domain/month-check/records.ts`). */
export interface DatasetRecordMap {
  registry: RegistryRow;
  'staff-relatives': StaffRelativeRecord;
  'proxy-accounts': ProxyAccountRecord;
  deaths: DeathRecord;
  cremations: DeathRecord;
  business: BusinessRecord;
  'social-insurance': SocialInsuranceRecord;
}

/**
 * What loading needs of a snapshot: a `DatasetSnapshot` or a run manifest's copy of it.
 * `dataset` is a string so a manifest read back from JSON can be passed as is.
 */
export interface StagedDatasetRef {
  readonly dataset: string;
  readonly stagedKey?: string | undefined;
  readonly missing?: boolean | undefined;
}

/** Keeps the records of the people a partition checks, by ID number. */
export type IdFilter = (idNumber: string) => boolean;

type Builder<R> = (batch: StagedBatch) => { id: (i: number) => string; build: (i: number) => R };

const BUILDERS: { readonly [N in DatasetName]: Builder<DatasetRecordMap[N]> } = {
  registry: (b) => {
    const [source, line, id, name, household, category, amount, status, town, account, from, to] = [
      b.text('source'),
      b.uint32('line'),
      b.text('id_number'),
      b.text('name'),
      b.text('household_id'),
      b.text('category'),
      b.fen('approved_amount_fen'),
      b.text('status'),
      b.text('town'),
      b.text('account_number'),
      b.text('valid_from'),
      b.text('valid_to'),
    ] as const;
    return {
      id,
      build: (i) => ({
        idNumber: id(i),
        name: name(i),
        householdId: household(i),
        category: category(i) as CategoryCode,
        approvedAmountFen: amount(i) as number,
        status: status(i) as RegistryStatus,
        town: town(i),
        accountNumber: account(i),
        validFrom: from(i),
        validTo: to(i),
        source: source(i),
        line: line(i),
      }),
    };
  },
  'staff-relatives': (b) => {
    const source = b.text('source');
    const staffId = b.text('staff_id');
    const staffName = b.text('staff_name');
    const id = b.text('relative_id_number');
    const relation = b.text('relation');
    const filed = b.bool('filed');
    return {
      id,
      build: (i) => ({
        staffId: staffId(i),
        staffName: staffName(i),
        relativeIdNumber: id(i),
        relation: relation(i),
        filed: filed(i),
        source: source(i),
      }),
    };
  },
  'proxy-accounts': (b) => {
    const source = b.text('source');
    const account = b.text('account_number');
    const id = b.text('payee_id_number');
    const holder = b.text('holder_id_number');
    const filedDate = b.text('filed_date');
    return {
      id,
      build: (i) => ({
        accountNumber: account(i),
        payeeIdNumber: id(i),
        holderIdNumber: holder(i),
        filedDate: filedDate(i),
        source: source(i),
      }),
    };
  },
  deaths: (b) => {
    const source = b.text('source');
    const id = b.text('id_number');
    const date = b.date('date_of_death');
    return { id, build: (i) => ({ idNumber: id(i), date: date(i), kind: 'death', source: source(i) }) };
  },
  cremations: (b) => {
    const source = b.text('source');
    const id = b.text('id_number');
    const date = b.date('cremation_date');
    return { id, build: (i) => ({ idNumber: id(i), date: date(i), kind: 'cremation', source: source(i) }) };
  },
  business: (b) => {
    const source = b.text('source');
    const id = b.text('id_number');
    const company = b.text('company_name');
    const credit = b.text('credit_code');
    const role = b.text('role');
    const status = b.text('status');
    return {
      id,
      build: (i) => ({
        idNumber: id(i),
        companyName: company(i),
        creditCode: credit(i),
        role: role(i),
        status: status(i),
        source: source(i),
      }),
    };
  },
  'social-insurance': (b) => {
    const source = b.text('source');
    const id = b.text('id_number');
    const month = b.text('month');
    const employer = b.text('employer');
    const base = b.fen('contribution_base_fen');
    const pension = b.fen('pension_amount_fen');
    return {
      id,
      build: (i) => ({
        idNumber: id(i),
        month: month(i),
        employer: employer(i),
        contributionBaseFen: base(i),
        pensionAmountFen: pension(i),
        source: source(i),
      }),
    };
  },
};

function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

async function readAll(store: ObjectStore, key: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await store.open(key)) chunks.push(chunk);
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

/**
 * Reads a staged dataset snapshot back as the domain records of the month check, in staging
 * order (source key, then line), keeping only the people `filter` accepts when given (the ID
 * tested: the registry's and partners' `id_number`, the staff register's `relative_id_number`,
 * the proxy register's `payee_id_number`).
 *
 * A missing snapshot (its file absent) loads as no records, except the registry, whose absence
 * stops the month run.
 * @throws ReferenceDataError when the registry snapshot is missing.
 * @throws Error when the staged file is absent or has another layout.
 * @example const deaths = await loadDataset(snapshot, { store }, { filter: mine });
 */
export async function loadDataset<N extends DatasetName>(
  snapshot: StagedDatasetRef & { readonly dataset: N },
  deps: { store: ObjectStore },
  options: { filter?: IdFilter | undefined } = {},
): Promise<DatasetRecordMap[N][]> {
  const name = snapshot.dataset;
  const definition = DATASETS[name];
  if (snapshot.missing === true || snapshot.stagedKey === undefined) {
    if (definition.presence === 'required' && definition.source.kind === 'file') {
      const key = definition.source.key;
      throw new ReferenceDataError(`${key} 缺失 / ${key} is missing: no payment can be checked against it`, {
        file: key,
      });
    }
    return [];
  }
  const bytes = await readAll(deps.store, snapshot.stagedKey);
  const builder = BUILDERS[name] as Builder<DatasetRecordMap[N]>;
  const filter = options.filter;
  const records: DatasetRecordMap[N][] = [];
  for (const batch of readStagedBatches(bytes, DATASET_ARROW[name])) {
    const { id, build } = builder(batch);
    for (let i = 0; i < batch.length; i++) {
      if (filter === undefined || filter(id(i))) records.push(build(i));
    }
  }
  return records;
}

/** The partner and register records of a month check, as `MonthCheckInput` names them. */
export interface DatasetRecords {
  readonly registry: RegistryRow[];
  /** Deaths and cremations together (the earliest date of both sources counts, contract 3.3). */
  readonly deaths: DeathRecord[];
  readonly business: BusinessRecord[];
  readonly socialInsurance: SocialInsuranceRecord[];
  readonly staffRelatives: StaffRelativeRecord[];
  readonly proxyAccounts: ProxyAccountRecord[];
}

/**
 * Loads every dataset of a run (a manifest's `datasets`, keyed by dataset name) for the people
 * `filter` accepts. A dataset absent from `datasets` is treated as missing.
 * @throws ReferenceDataError when the registry is missing.
 */
export async function loadDatasetRecords(
  datasets: Readonly<Record<string, StagedDatasetRef>>,
  store: ObjectStore,
  filter?: IdFilter,
): Promise<DatasetRecords> {
  const load = <N extends DatasetName>(name: N): Promise<DatasetRecordMap[N][]> => {
    const ref = datasets[name];
    const snapshot =
      ref !== undefined && isDatasetName(ref.dataset) && ref.dataset === name ? ref : undefined;
    return loadDataset({ ...(snapshot ?? { missing: true }), dataset: name }, { store }, { filter });
  };
  const [registry, deaths, cremations, business, socialInsurance, staffRelatives, proxyAccounts] =
    await Promise.all([
      load('registry'),
      load('deaths'),
      load('cremations'),
      load('business'),
      load('social-insurance'),
      load('staff-relatives'),
      load('proxy-accounts'),
    ]);
  return {
    registry,
    deaths: deaths.concat(cremations),
    business,
    socialInsurance,
    staffRelatives,
    proxyAccounts,
  };
}
