import {
  type IdSet,
  type Person,
  pickFreeRow,
  renamePerson,
  rowsOfPerson,
  type TownPlan,
} from '#demo/model.ts';
import { ageAt, birthDateBefore, makeId, type Rng, surnameOf } from '#demo/people.ts';

/**
 * Valid rows that stress the reading and validation of a roster and must get no finding: a
 * supplementary-plane character, a 50-character name (the limit), a remark over two lines, a
 * lower-case x, padding with U+00A0 and U+3000, a GB18030 character outside GBK, an ID as a
 * number cell a double holds exactly. Each row's `edge` says which.
 */
export function addEdgeRows(plans: TownPlan[], month: string, rng: Rng, ids: IdSet): void {
  const csvTowns = plans.filter((p) => p.role === 'csv');
  const first = csvTowns[0];
  if (first) {
    const row = pickFreeRow(first, rng);
    if (row) {
      renamePerson(first, row, `${surnameOf(row.entry.person.name)}𠮷`);
      row.edge = 'name with a supplementary-plane character (𠮷, U+20BB7)';
    }
    const quoted = pickFreeRow(first, rng);
    if (quoted && first.profile.remark) {
      quoted.values.remark = '户主住院,\n下月复核"收入"情况';
      quoted.edge = 'remark with a comma, quotes and a line break inside quotes (one record over two lines)';
    }
  }
  const second = csvTowns[1] ?? first;
  if (second) {
    const row = pickFreeRow(second, rng);
    const parts = [
      '阿卜杜热合曼',
      '买买提',
      '艾尼瓦尔',
      '吐尔逊',
      '阿不都克力木',
      '热依木',
      '库尔班',
      '艾则孜',
      '阿依古丽',
      '热娜',
    ];
    let name = '';
    for (let i = 0; Array.from(name).length < 50; i++)
      name += (name ? '·' : '') + (parts[i % parts.length] ?? '');
    name = Array.from(name).slice(0, 50).join('');
    if (name.endsWith('·')) name = `${name.slice(0, -1)}热`;
    if (row) {
      renamePerson(second, row, name);
      row.edge = 'name of exactly 50 characters (the limit)';
    }
    const lower = pickFreeRow(second, rng, (r) => r.entry.person.id.endsWith('X'));
    if (lower) {
      lower.values.id_number = `${lower.entry.person.id.slice(0, 17)}x`;
      lower.edge = 'ID with a lower-case x check character (valid)';
    }
    const spaced = pickFreeRow(second, rng);
    if (spaced) {
      spaced.values.name = `\u00a0${spaced.entry.person.name}\u3000`;
      spaced.values.amount = ` ${spaced.values.amount} `;
      spaced.edge = 'name padded with U+00A0 and U+3000, amount padded with spaces';
    }
  }
  const gb = plans.find((p) => p.role === 'gb18030');
  if (gb) {
    const row = pickFreeRow(gb, rng);
    if (row) renamePerson(gb, row, '刘䶮');
    if (row) row.edge = 'name with 䶮 (U+4DAE, a four-byte GB18030 character outside GBK)';
  }
  const xlsx = plans.find((p) => p.role === 'xlsx');
  if (xlsx) {
    const row = pickFreeRow(xlsx, rng, (r) => !r.entry.person.id.endsWith('X'));
    if (!row) return;
    const id = exactNumberId(row.entry.person, month, rng, ids);
    row.entry.person.id = id;
    for (const r of rowsOfPerson(xlsx, row)) {
      r.values.id_number = id;
      r.values.account_holder_id = '';
    }
    row.idCell = 'exact';
    row.edge = `ID as a NUMBER cell that a double holds exactly (${id.slice(0, 6)}…): must be read as its digits and accepted`;
  }
}

/** An unused valid ID, without X, that survives a round trip through a double. */
function exactNumberId(person: Person, month: string, rng: Rng, ids: IdSet): string {
  for (let tries = 0; ; tries++) {
    const birth =
      tries < 5000
        ? birthDateBefore(
            month,
            Math.max(1, Math.round((ageAt(person.birth, month) + 0.5) * 365.25) + rng.int(-150, 150)),
          )
        : birthDateBefore(month, rng.int(9000, 25000));
    const id = makeId('442000', birth, rng.int(0, 99) * 10);
    if (id.endsWith('X') || ids.has(id) || String(Number(id)) !== id) continue;
    ids.delete(person.id);
    ids.add(id);
    person.birth = birth;
    return id;
  }
}
