import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { residentIdCheck } from './contract/id-check.ts';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂';
const TOWNS = ['shiqi', 'dongqu', 'xiqu', '南区街道', 'xiaolan', '古镇镇'];
const CATEGORIES = ['DIBAO', 'TEKUN', 'TEMPORARY', 'ELDERLY', '低保', 'DISABILITY_CARE'];

/** Towns the generated rosters name, for the bench's towns.csv. */
export const BENCH_TOWNS_CSV =
  'code,name,population\nshiqi,石岐街道,180000\ndongqu,东区街道,150000\nxiqu,西区街道,120000\nnanqu,南区街道,90000\nxiaolan,小榄镇,320000\nguzhen,古镇镇,160000\n';

/**
 * Writes a realistic roster of `rows` rows (valid IDs with check characters, Chinese names,
 * ~1% of rows with a planted error) to `path`, deterministically.
 */
export async function writeBenchRoster(path: string, rows: number, month: string): Promise<void> {
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const out = createWriteStream(path);
  let buffer =
    'id_number,name,household_id,category,amount,month,town,account_number,account_holder_id,remark\r\n';
  for (let i = 1; i <= rows; i++) {
    const birth = `${1930 + (next() % 80)}${String(1 + (next() % 12)).padStart(2, '0')}${String(1 + (next() % 28)).padStart(2, '0')}`;
    const first17 = `442000${birth}${String(next() % 1000).padStart(3, '0')}`;
    const id = i % 100 === 17 ? `${first17}Z` : `${first17}${residentIdCheck(first17)}`;
    const name =
      SURNAMES.charAt(next() % SURNAMES.length) +
      GIVEN.charAt(next() % GIVEN.length) +
      GIVEN.charAt(next() % GIVEN.length);
    const amount =
      i % 100 === 42 ? '1,200.00' : `${300 + (next() % 2000)}.${String(next() % 100).padStart(2, '0')}`;
    const remark = i % 20 === 0 ? '"复核,""重点""户"' : '';
    buffer += `${id},${name},H${String(i >> 1).padStart(8, '0')},${CATEGORIES[next() % CATEGORIES.length]},${amount},${month},${
      TOWNS[next() % TOWNS.length]
    },6222${String(next()).padStart(10, '0')}${String(i).padStart(5, '0')},,${remark}\r\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
