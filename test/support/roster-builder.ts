import { idCheckCharacter } from '#domain/id-number.ts';
import { ROSTER_COLUMNS } from '#schemas/roster-columns.ts';

/** A valid 18-character ID for a birth date (YYYYMMDD) and sequence, with its MOD 11-2 check character. */
export function validId(birth = '19600101', sequence = 1, area = '442000'): string {
  const first17 = `${area}${birth}${String(sequence).padStart(3, '0')}`;
  return `${first17}${idCheckCharacter(first17)}`;
}

/** An ID whose check character is wrong. */
export function badCheckId(birth = '19600101', sequence = 1): string {
  const id = validId(birth, sequence);
  const wrong = id.endsWith('0') ? '1' : '0';
  return `${id.slice(0, 17)}${wrong}`;
}

export const ENGLISH_HEADER: string[] = [...ROSTER_COLUMNS];

export const CHINESE_HEADER = [
  '身份证号',
  '姓名',
  '户编号',
  '救助类别',
  '发放金额',
  '发放月份',
  '镇街',
  '收款账号',
  '开户人身份证号',
  '备注',
];

/** One roster row with sensible defaults. */
export function rosterRow(
  overrides: Partial<Record<string, string>> = {},
  sequence = 1,
  month = '2026-10',
): string[] {
  const row: Record<string, string> = {
    id_number: validId('19600101', sequence),
    name: `张${sequence}`,
    household_id: `H${String(sequence).padStart(4, '0')}`,
    category: 'DIBAO',
    amount: '1180.00',
    month,
    town: 'shiqi',
    account_number: `62220202${String(sequence).padStart(11, '0')}`,
    account_holder_id: '',
    remark: '',
    ...overrides,
  };
  return ENGLISH_HEADER.map((column) => row[column] ?? '');
}

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** CSV text (LF line ends) of a header and rows. */
export function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${[header, ...rows].map((r) => r.map(quote).join(',')).join('\n')}\n`;
}

export const TOWNS_CSV =
  'code,name,population\nshiqi,石岐街道,180000\ndongqu,东区街道,150000\nxiaolan,小榄镇,320000\n';
