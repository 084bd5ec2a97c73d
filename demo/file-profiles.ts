/**
 * The towns' rosters as files: which town uploads which kind of file (its role) and how each
 * town's office writes its roster (headers, encoding, line ends, quoting, value styles, name).
 */
import type { Profile, Role } from './model.ts';
import type { DemoTown } from './people.ts';

/** Preferred town (index in the city list) of each special role; falls back to the last free town. */
const ROLE_PREFERENCES: readonly (readonly [Role, number])[] = [
  ['xlsx', 9], // guzhen
  ['gb18030', 11], // huangpu
  ['reupload', 10], // tanzhou
  ['missingColumns', 15], // sanjiao
  ['junk', 20], // shenwan
];

/** The role of each town: CSV but for one town of each special role. */
export function assignRoles(count: number): Role[] {
  const roles: Role[] = Array.from({ length: count }, () => 'csv');
  for (const [role, preferred] of ROLE_PREFERENCES) {
    let at = preferred < count && preferred > 0 && roles[preferred] === 'csv' ? preferred : -1;
    for (let i = count - 1; at < 0 && i >= 1; i--) if (roles[i] === 'csv') at = i;
    if (at > 0) roles[at] = role;
  }
  return roles;
}

/** How the office of the town at `index` writes its roster, for its role. */
export function profileFor(index: number, role: Role, town: DemoTown, month: string): Profile {
  const headers = ['zh', 'en', 'zh-alt', 'en-caps'] as const;
  const profile: Profile = {
    header: headers[index % 4] ?? 'en',
    bom: index % 3 === 0,
    eol: index % 2 === 0 ? '\r\n' : '\n',
    serial: index % 4 === 0 || index % 5 === 2,
    phone: index % 6 === 1,
    holder: index % 3 !== 2,
    remark: index % 5 !== 4,
    reorder: index % 4 === 2,
    quoteAll: index % 7 === 5,
    townStyle: (['name', 'code', 'mix', 'upper'] as const)[index % 4] ?? 'code',
    catStyle: (['label', 'code', 'mix'] as const)[(index + 1) % 3] ?? 'code',
    amountStyle: (['fixed', 'natural', 'mix'] as const)[index % 3] ?? 'fixed',
    padded: index % 7 === 3,
    sheetTitle: false,
    fileName: `${town.code}-${month}.csv`,
  };
  if (index % 6 === 5) profile.fileName = `${town.code}_${month.replace('-', '')}.CSV`;
  if (index === 17)
    profile.fileName = `${month.slice(0, 4)}年${Number(month.slice(5))}月${town.name}救助金发放名册.csv`;
  switch (role) {
    case 'gb18030':
      return {
        ...profile,
        header: 'zh',
        bom: false,
        eol: '\r\n',
        serial: true,
        quoteAll: false,
        townStyle: 'name',
        catStyle: 'label',
        amountStyle: 'fixed',
        sheetTitle: true,
        fileName: `${town.code}-${month}-gbk.csv`,
      };
    case 'xlsx':
      return {
        ...profile,
        header: 'zh',
        serial: true,
        holder: true,
        remark: true,
        reorder: false,
        townStyle: 'mix',
        catStyle: 'mix',
        amountStyle: 'natural',
        sheetTitle: true,
        fileName: `${town.code}-${month}.xlsx`,
      };
    case 'missingColumns':
      return { ...profile, header: 'en', holder: true, fileName: `${town.code}-${month}.csv` };
    case 'junk':
      return { ...profile, fileName: 'roster.csv' };
    case 'reupload':
      return { ...profile, header: 'zh', bom: true, eol: '\r\n', fileName: `${month}-roster-v2.csv` };
    default:
      return profile;
  }
}

/** The manifest's description of a CSV roster's format. */
export function formatNote(p: Profile, encoding: string): string {
  const header = {
    en: 'English headers',
    'en-caps': 'English headers in mixed case with spaces',
    zh: 'Chinese headers',
    'zh-alt': 'alternative Chinese headers',
  }[p.header];
  return [
    `${encoding}${encoding === 'UTF-8' && p.bom ? ' with BOM' : ''}`,
    header,
    p.eol === '\r\n' ? 'CRLF' : 'LF',
    p.quoteAll ? 'every field quoted' : '',
    p.padded ? 'some values padded with spaces or U+3000' : '',
    p.sheetTitle
      ? 'a title and a unit line above the header, a 合计 line and a line to sign below the rows'
      : '',
  ]
    .filter(Boolean)
    .join(', ');
}
