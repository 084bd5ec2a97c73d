import type { Person } from '#demo/model.ts';
import { ageAt, chineseName } from '#demo/people.ts';
import { single } from './person-tests.ts';
import type { Planter } from './planter.ts';

const RELATIONS = ['配偶', '父亲', '母亲', '子女', '兄弟姐妹', '儿媳', '女婿', '岳母'] as const;

/**
 * UNFILED_STAFF_RELATIVE: relatives of staff filed N or empty (one with two rows, one filed by one
 * staff member and not by another), the look-alikes filed `Y` and `y`, and the register's other
 * relatives, who are on no roster.
 */
export function plantUnfiledStaffRelative(p: Planter): void {
  const { month, rng } = p;
  const { staff } = p.records;
  const relationOf = (person: Person) =>
    ageAt(person.birth, month) < 18 ? rng.pick(['子女', '孙子女']) : rng.pick(RELATIONS);
  const staffMember = () => [`ZS${String(rng.int(1000, 9999))}`, chineseName(rng, rng.chance(0.5))] as const;
  const relative = (person: Person, filed: string, date: string, who = staffMember()) =>
    staff.push([who[0], who[1], person.id, relationOf(person), filed, date]);
  const a = p.take(p.host(), single());
  if (a) {
    relative(a.entry.person, 'Y', p.filedDate());
    p.note(a, 'staff relative, filed Y: no finding');
  }
  const b = p.take(p.host(), single());
  if (b) {
    relative(b.entry.person, 'y', p.filedDate());
    p.note(b, 'staff relative, filed y (lower case): no finding');
  }
  const cc = p.take(p.host(), (rows) => rows.length === 2);
  if (cc) {
    relative(cc.entry.person, 'N', '');
    for (const r of p.rowsOf(cc.entry.person))
      p.note(r, 'staff relative, filed N: UNFILED_STAFF_RELATIVE on each of the two rows');
  }
  const d = p.take(p.host(), single());
  if (d) {
    relative(d.entry.person, '', '');
    p.note(d, 'staff relative, filed empty: UNFILED_STAFF_RELATIVE');
  }
  const e = p.take(p.host(), single());
  if (e) {
    relative(e.entry.person, 'Y', p.filedDate());
    relative(e.entry.person, 'N', '');
    p.note(
      e,
      'relative of two staff members, filed by one (Y) and not by the other (N): UNFILED_STAFF_RELATIVE',
    );
  }
  for (let k = 0; k < 24; k++) {
    const s = p.stranger(18, 90);
    const filed = rng.pick(['Y', 'Y', 'y', 'N', '']);
    relative(s, filed, filed.toUpperCase() === 'Y' ? p.filedDate() : '');
  }
}
