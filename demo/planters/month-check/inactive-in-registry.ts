import type { Entry } from '#demo/model.ts';
import { addMonths } from '#demo/people.ts';
import { single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/**
 * INACTIVE_IN_REGISTRY: payees whose registry row is suspended, terminated, expired or not yet
 * valid, and the two boundary months (first and last payment) that must give no finding.
 */
export function plantInactiveInRegistry(p: Planter): void {
  const { month } = p;
  const registryEdits: [string, (e: Entry) => void][] = [
    [
      'registry status SUSPENDED (annual review pending), still on the roster: INACTIVE_IN_REGISTRY',
      (e) => {
        e.status = 'SUSPENDED';
      },
    ],
    [
      'registry TERMINATED two months ago: INACTIVE_IN_REGISTRY',
      (e) => {
        e.status = 'TERMINATED';
        e.validTo = addMonths(month, -2);
        e.validFrom = addMonths(month, -30);
      },
    ],
    [
      'registry ACTIVE but valid_to is last month (approval not renewed): INACTIVE_IN_REGISTRY',
      (e) => {
        e.validTo = addMonths(month, -1);
        e.validFrom = addMonths(month, -13);
      },
    ],
    [
      'registry ACTIVE from next month (paid a month early): INACTIVE_IN_REGISTRY',
      (e) => {
        e.validFrom = addMonths(month, 1);
        e.validTo = '';
      },
    ],
    [
      'registry valid_to is this month (last payment): no finding',
      (e) => {
        e.validTo = month;
        e.validFrom = addMonths(month, -11);
      },
    ],
    [
      'registry valid_from is this month (first payment): no finding',
      (e) => {
        e.validFrom = month;
        e.validTo = '';
      },
    ],
  ];
  for (const [what, edit] of registryEdits) {
    const row = p.take(p.host(), single('DIBAO', 'DIBAO_EDGE', 'TEKUN', 'ELDERLY', 'DISABILITY_LIVING'));
    if (!row) continue;
    edit(row.entry);
    p.note(row, what);
  }
}
