import type { Person } from '#demo/model.ts';
import { meansNote, mixed, type PersonTest, single } from './person-tests.ts';
import type { Planter } from './planter.ts';

const TRADES = [
  '五金加工厂',
  '灯饰店',
  '餐饮店',
  '服装店',
  '贸易有限公司',
  '电器有限公司',
  '物流有限公司',
  '装饰工程部',
];
const ROLES = ['法定代表人', '股东', '经营者', '监事'] as const;

/**
 * BUSINESS_OWNER: means-tested payees with an ACTIVE business (also written `Active`, or next to
 * a cancelled one; on the means-tested row only for a person with another row too); the
 * look-alikes that get none (CANCELLED, REVOKED, an ELDERLY payee's business); and the
 * registrations of people on no roster.
 */
export function plantBusinessOwner(p: Planter): void {
  const { rng } = p;
  const { business } = p.records;
  const company = (owner: Person) => {
    const place = rng.pick(p.plans).town.name.replace(/(街道|镇|开发区)$/, '');
    return `中山市${place}${owner.name.slice(-1)}${rng.pick(['记', '氏', '发', '盛', '兴'])}${rng.pick(TRADES)}`;
  };
  const creditCode = () => {
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    let code = rng.chance(0.6) ? '92442000' : '91442000';
    while (code.length < 18) code += chars.charAt(rng.int(0, chars.length - 1));
    return code;
  };
  const record = (owner: Person, status: string, role: string = rng.pick(ROLES)) =>
    business.push([company(owner), creditCode(), owner.id, role, status]);
  const plants: [PersonTest, string[], string][] = [
    [single('DIBAO'), ['ACTIVE'], 'DIBAO payee owns an ACTIVE business: BUSINESS_OWNER'],
    [
      single('DIBAO_EDGE'),
      ['Active'],
      'DIBAO_EDGE payee with an ACTIVE business written "Active" (codes match case-insensitively): BUSINESS_OWNER',
    ],
    [
      mixed,
      ['ACTIVE'],
      'ACTIVE business owner with a means-tested and another row: BUSINESS_OWNER on the means-tested row only',
    ],
    [
      single('HARDSHIP', 'DIBAO'),
      ['CANCELLED', 'ACTIVE'],
      'a CANCELLED and an ACTIVE business: BUSINESS_OWNER',
    ],
    [single('DIBAO'), ['CANCELLED'], 'business CANCELLED: no finding'],
    [single('TEKUN', 'DIBAO'), ['REVOKED'], 'business licence REVOKED: no finding'],
    [single('ELDERLY'), ['ACTIVE'], 'ACTIVE business of an ELDERLY payee (not means-tested): no finding'],
  ];
  for (const [test, statuses, what] of plants) {
    const row = p.take(p.host(), test);
    if (!row) continue;
    for (const status of statuses)
      record(row.entry.person, status, status === 'ACTIVE' ? '法定代表人' : undefined);
    for (const r of p.rowsOf(row.entry.person)) p.note(r, meansNote(r, what));
  }
  for (let k = 0; k < 800; k++) {
    const s = p.stranger(22, 70);
    record(s, rng.chance(0.7) ? 'ACTIVE' : rng.chance(0.7) ? 'CANCELLED' : 'REVOKED');
  }
  const foreign = p.stranger(30, 60);
  business.push(['Zhongshan Hengyuan Trading Co., Ltd.', creditCode(), foreign.id, '法定代表人', 'ACTIVE']);
}
