import { single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/** Common surnames in their traditional form, as a Hong Kong or Macao document writes them. */
const TRADITIONAL: Record<string, string> = {
  陈: '陳',
  黄: '黃',
  刘: '劉',
  张: '張',
  吴: '吳',
  郑: '鄭',
  冯: '馮',
  谭: '譚',
  罗: '羅',
  钟: '鍾',
  苏: '蘇',
  卢: '盧',
  杨: '楊',
};
/** Given-name characters and a homophone typed in their place. */
const HOMOPHONES: Record<string, string> = {
  伟: '玮',
  明: '铭',
  华: '桦',
  平: '萍',
  杰: '洁',
  辉: '晖',
  芳: '方',
  玲: '苓',
  英: '瑛',
  珍: '贞',
  敏: '闵',
  兰: '岚',
  梅: '媚',
  强: '蔷',
  国: '帼',
  荣: '蓉',
  娟: '鹃',
  欣: '昕',
  琪: '祺',
};

/**
 * NAME_MISMATCH: a surname in its traditional form, and a homophone typed for a character of the
 * given name.
 */
export function plantNameMismatch(p: Planter): void {
  const trad = p.take(
    p.host(),
    single(),
    (r) =>
      TRADITIONAL[r.entry.person.name.charAt(0)] !== undefined &&
      TRADITIONAL[r.entry.person.name.charAt(0)] !== r.entry.person.name.charAt(0),
  );
  if (trad) {
    const name = trad.entry.person.name;
    trad.values.name = `${TRADITIONAL[name.charAt(0)]}${name.slice(1)}`;
    p.note(
      trad,
      `name ${trad.values.name} with the traditional form of the surname, the registry has ${name}: NAME_MISMATCH`,
    );
  }
  const homophone = p.take(p.host(), single(), (r) =>
    [...r.entry.person.name.slice(1)].some((ch) => HOMOPHONES[ch]),
  );
  if (homophone) {
    const name = homophone.entry.person.name;
    const at = [...name].findIndex((ch, i) => i > 0 && HOMOPHONES[ch]);
    const chars = [...name];
    chars[at] = HOMOPHONES[chars[at] ?? ''] ?? '';
    homophone.values.name = chars.join('');
    p.note(homophone, `name ${homophone.values.name}, a homophone of the registry's ${name}: NAME_MISMATCH`);
  }
}
