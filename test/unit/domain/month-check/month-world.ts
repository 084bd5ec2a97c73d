import fc from 'fast-check';
import type { MonthCheckInput, PayeeRow, RegistryRow } from '#domain/month-check/records.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import { idBornOn } from '../fixtures.ts';
import { MONTH, monthInput } from './fixtures.ts';

/** A few people, so that random records collide on IDs, accounts and households. */
const IDS = ['001', '002', '003', '004', '005', '006', '007', '008'].map((seq, i) =>
  idBornOn(`19${50 + i}0${1 + (i % 9)}1${i}`, seq),
);
const CATEGORIES: CategoryCode[] = ['DIBAO', 'TEKUN', 'HARDSHIP', 'TEMPORARY', 'ELDERLY'];
const ACCOUNTS = ['6222000000000001', '6222000000000002', '6222000000000003'];
const MONTHS = ['2026-08', '2026-09', MONTH, '2026-11'];
const DATES = ['2026-09-30', '2026-10-01', '2026-10-31', '2026-11-01'];

const id = fc.constantFrom(...IDS);

const payeeDraft = fc.record({
  batch: fc.constantFrom('a', 'b', 'c'),
  idNumber: id,
  name: fc.constantFrom('张三', '李四'),
  householdId: fc.constantFrom('H1', 'H2', 'H3'),
  category: fc.constantFrom(...CATEGORIES),
  amountFen: fc.constantFrom(100, 200),
  town: fc.constantFrom('shiqi', 'dq02'),
  accountNumber: fc.constantFrom(...ACCOUNTS),
  accountHolderId: fc.constantFrom('', 'self', IDS[0] ?? ''),
});

const registryDraft = fc.record({
  idNumber: id,
  category: fc.constantFrom(...CATEGORIES),
  name: fc.constantFrom('张三', '李四 '),
  householdId: fc.constantFrom('H1', 'H2'),
  approvedAmountFen: fc.constantFrom(100, 200),
  status: fc.constantFrom('ACTIVE', 'ACTIVE', 'SUSPENDED', 'TERMINATED' as const),
  town: fc.constantFrom('shiqi', 'SHIQI', 'dq02'),
  accountNumber: fc.constantFrom(...ACCOUNTS),
  validFrom: fc.constantFrom('', ...MONTHS),
  validTo: fc.constantFrom('', ...MONTHS),
});

/** A random month: rows, registry (one row per (id, category)), partner records and registers. */
export function monthWorld(): fc.Arbitrary<MonthCheckInput> {
  return fc
    .record({
      payees: fc.array(payeeDraft, { maxLength: 14 }),
      registry: fc.uniqueArray(registryDraft, {
        maxLength: 14,
        selector: (r) => `${r.idNumber}|${r.category}`,
      }),
      deaths: fc.array(
        fc.record({
          idNumber: id,
          date: fc.constantFrom(...DATES),
          kind: fc.constantFrom('death', 'cremation' as const),
        }),
        { maxLength: 4 },
      ),
      business: fc.array(
        fc.record({
          idNumber: id,
          status: fc.constantFrom('ACTIVE', 'CANCELLED', 'REVOKED'),
          companyName: fc.constantFrom('甲', '乙'),
        }),
        { maxLength: 4 },
      ),
      socialInsurance: fc.array(
        fc.record({
          idNumber: id,
          month: fc.constantFrom(...MONTHS),
          contributionBaseFen: fc.constantFrom(undefined, 229_999, 230_000, 500_000),
          pensionAmountFen: fc.constantFrom(undefined, 149_999, 150_000),
          employer: fc.constantFrom('', '厂'),
        }),
        { maxLength: 5 },
      ),
      staffRelatives: fc.array(
        fc.record({ relativeIdNumber: id, filed: fc.boolean(), staffId: fc.constantFrom('S1', 'S2') }),
        { maxLength: 4 },
      ),
      proxyAccounts: fc.array(fc.record({ accountNumber: fc.constantFrom(...ACCOUNTS), payeeIdNumber: id }), {
        maxLength: 3,
      }),
    })
    .map((drafts) => {
      const payees: PayeeRow[] = drafts.payees.map((d, i) => ({
        ...d,
        row: i + 1,
        accountHolderId: d.accountHolderId === 'self' ? d.idNumber : d.accountHolderId,
      }));
      const registry: RegistryRow[] = drafts.registry.map((d, i) => ({
        ...d,
        source: 'reference/registry.csv',
        line: i + 1,
      }));
      const deaths = drafts.deaths.map((d) => ({ ...d, source: `partners/${d.kind}s/x.csv` }));
      return monthInput({
        config: { month: MONTH, employedContributionBaseFen: 230_000, pensionIncomeFen: 150_000 },
        payees,
        registry,
        deaths: deaths.flatMap((d) => (d.kind === 'death' ? [{ ...d, kind: d.kind }] : [])),
        cremations: deaths.flatMap((d) => (d.kind === 'cremation' ? [{ ...d, kind: d.kind }] : [])),
        business: drafts.business.map((d) => ({
          ...d,
          creditCode: '91X',
          role: '股东',
          source: 'partners/business/x.csv',
        })),
        'social-insurance': drafts.socialInsurance.map((d) => ({
          ...d,
          source: 'partners/social-insurance/x.csv',
        })),
        'staff-relatives': drafts.staffRelatives.map((d) => ({
          ...d,
          staffName: '王',
          relation: '子女',
          source: 'registers/staff-relatives.csv',
        })),
        'proxy-accounts': drafts.proxyAccounts.map((d) => ({
          ...d,
          holderIdNumber: IDS[1] ?? '',
          filedDate: '2025-01-01',
          source: 'registers/proxy-accounts.csv',
        })),
      });
    });
}
