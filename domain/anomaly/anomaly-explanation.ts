import { CATEGORIES, type CategoryCode } from '#schemas/categories.ts';
import type { AnomalyMetric } from '#schemas/metrics.ts';
import type { CategoryShift } from './category-shift.ts';
import type { Unavailable } from './metric-change.ts';

/** Why a row is flagged or not: the first that applies, in this order. */
export type Verdict =
  | { readonly kind: 'not-enough-history'; readonly months: number; readonly needed: number }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'town-history-short'; readonly values: number; readonly needed: number }
  | { readonly kind: 'within-band' }
  | { readonly kind: 'peers-alike' }
  | { readonly kind: 'peers-further' }
  | { readonly kind: 'small-change'; readonly minimum: number }
  | { readonly kind: 'peers-scattered' }
  | {
      readonly kind: 'category-shift';
      readonly moves: readonly { readonly category: CategoryCode; readonly delta: number }[];
    }
  | {
      readonly kind: 'few-in-categories';
      readonly moves: readonly { readonly category: CategoryCode; readonly delta: number }[];
      readonly minimum: number;
    }
  | { readonly kind: 'flagged' }
  | { readonly kind: 'flagged-no-peers' };

/** What one explanation tells. Values are in the metric's unit (fractions, yuan). */
export interface ExplanationFacts {
  readonly metric: AnomalyMetric;
  /** The category judged; `undefined` for all categories together. */
  readonly category: CategoryCode | undefined;
  readonly value: number;
  /** Why the change cannot be computed, if so (growth is then 0 and nothing is judged). */
  readonly unavailable: Unavailable | undefined;
  /** The month before the one judged (growth compares with it). */
  readonly previousMonth: string;
  /** The month a level's change is measured from (usually `previousMonth`). */
  readonly reference: string | undefined;
  /** What the town's own history expects (growth: its usual growth). */
  readonly baseline: number | undefined;
  readonly low: number | undefined;
  readonly high: number | undefined;
  /** The change judged: growth itself, or a level's change since `reference` (fraction). */
  readonly change: number | undefined;
  /** The other towns' median change this month (same category). */
  readonly peers: number | undefined;
  readonly verdict: Verdict;
  /** When the category's people moved to or from other categories of the town (flagged rows only). */
  readonly shift?: CategoryShift | undefined;
}

/** Minus sign of the explanations (U+2212), as a person writes it. */
const MINUS = '\u2212';

const signed = (text: string, negative: boolean) => (negative ? `${MINUS}${text}` : `+${text}`);

/** A fraction as a signed percentage with 1 decimal: `+42.0%`, `−2.1%`, `+0.0%`. */
export function signedPercent(fraction: number): string {
  const text = (Math.abs(fraction) * 100).toFixed(1);
  return signed(`${text}%`, fraction < 0 && Number(text) !== 0);
}

/** A share in percent: 2 decimals (2.13%), 4 below 0.1% so a small share is not shown as 0.00%. */
function percent(fraction: number): string {
  const p = fraction * 100;
  return `${p.toFixed(p !== 0 && Math.abs(p) < 0.1 ? 4 : 2)}%`;
}
const money = (yuan: number) => yuan.toFixed(2);
const isAmount = (metric: AnomalyMetric) => metric === 'average_amount' || metric === 'total_amount';

/** A category's first Chinese label (table 2.2). */
const CHINESE_LABEL = new Map(CATEGORIES.map((c) => [c.code, c.labels[0] ?? c.code]));

/** A category as a sentence names it: `低保（DIBAO）`, and `DIBAO` in English. */
export function categoryName(category: CategoryCode): [string, string] {
  return [`${CHINESE_LABEL.get(category) ?? category}（${category}）`, category];
}

/** A value of the metric as written in a sentence (share 2.13%, growth +4.2%, amounts 812.50). */
function shown(metric: AnomalyMetric, value: number): string {
  if (metric === 'recipients_share') return percent(value);
  if (metric === 'recipients_growth') return signedPercent(value);
  return money(value);
}

function valuePhrase(
  metric: AnomalyMetric,
  category: CategoryCode | undefined,
  value: number,
): [string, string] {
  const [zh, en] = category === undefined ? ['', ''] : categoryName(category);
  switch (metric) {
    case 'recipients_share':
      return [
        `${zh}受助人数占常住人口 ${percent(value)}`,
        `${en ? `${en} ` : ''}recipients are ${percent(value)} of the population`,
      ];
    case 'recipients_growth':
      return [
        `${zh}受助人数环比 ${signedPercent(value)}`,
        `${en ? `${en} ` : ''}recipients ${signedPercent(value)} month on month`,
      ];
    case 'average_amount':
      return category === 'DIBAO'
        ? [
            `${zh}补差水平（人均发放）${money(value)} 元`,
            `DIBAO top-up level ${money(value)} yuan per recipient`,
          ]
        : [
            `${zh}人均发放 ${money(value)} 元`,
            `${en ? `${en} ` : ''}average ${money(value)} yuan per recipient`,
          ];
    case 'total_amount':
      return [`${zh}发放总额 ${money(value)} 元`, `${en ? `${en} ` : ''}total ${money(value)} yuan`];
  }
}

function unavailablePhrase(facts: ExplanationFacts, reason: Unavailable): [string, string] {
  const { metric, category, previousMonth } = facts;
  const [valueZh, valueEn] = valuePhrase(metric, category, facts.value);
  const [whoZh, whoEn] = category === undefined ? ['', ''] : categoryName(category);
  switch (reason) {
    case 'no-population':
      return ['常住人口为 0，无法计算受助人数占比', 'population is 0, so there is no share'];
    case 'no-recipients':
      return [
        `${whoZh}本月无受助人，无法计算人均发放`,
        `${whoEn ? `${whoEn}: ` : ''}no recipients this month, so no average`,
      ];
    case 'no-previous':
      return metric === 'recipients_growth'
        ? [
            `${whoZh}缺少上月（${previousMonth}）数据，无法计算环比`,
            `${whoEn ? `${whoEn}: ` : ''}no figures for ${previousMonth}, so no growth`,
          ]
        : [`${valueZh}，此前无数据可比`, `${valueEn}, with no earlier figures to compare with`];
    case 'previous-zero':
      return metric === 'recipients_growth'
        ? [
            `${whoZh}上月（${previousMonth}）无受助人，无法计算环比`,
            `${whoEn ? `${whoEn}: ` : ''}no recipients in ${previousMonth}, so no growth`,
          ]
        : [`${valueZh}，此前为 0，无从比较`, `${valueEn}, after none before: nothing to compare with`];
  }
}

/** People as a signed count: `+30`, `−12`. */
const people = (n: number) => signed(String(Math.abs(n)), n < 0);

function verdictPhrase(verdict: Verdict, category: CategoryCode | undefined): [string, string] {
  switch (verdict.kind) {
    case 'not-enough-history':
      return [
        `历史数据不足（需 ${verdict.needed} 个月，现有 ${verdict.months} 个月），暂不标记`,
        `not enough history yet (${verdict.months} of ${verdict.needed} months), not flagged`,
      ];
    case 'unavailable':
      return ['不标记', 'not flagged'];
    case 'town-history-short':
      return [
        `本镇${category === undefined ? '' : '该类别'}历史数据不足（需 ${verdict.needed} 个，现有 ${verdict.values} 个），不标记`,
        `not enough history for this town${category === undefined ? '' : ' and category'} yet (${verdict.values} of ${verdict.needed} values), not flagged`,
      ];
    case 'within-band':
      return ['在正常区间内，不标记', 'within the band, not flagged'];
    case 'small-change':
      return [
        `变动不足 ${verdict.minimum} 人（或 ${verdict.minimum} 笔常规发放），视为正常波动，不标记`,
        `a change worth fewer than ${verdict.minimum} recipients (or usual payments) is noise, not flagged`,
      ];
    case 'peers-alike':
      return [
        '其他各镇同期变动相近，属全市性变化，不标记',
        'the other towns moved alike (a city-wide change), not flagged',
      ];
    case 'peers-further':
      return [
        '其他各镇同期同向变动且幅度更大，属全市性变化，不标记',
        'the other towns moved the same way and further (a city-wide change), not flagged',
      ];
    case 'peers-scattered':
      return [
        '其他各镇本月偏离各自常态的幅度同样较大，不标记',
        'the other towns strayed as far from their own usual changes this month, not flagged',
      ];
    case 'category-shift':
      return [
        `系人员在类别间转移（${verdict.moves.map((m) => `${categoryName(m.category)[0]} ${people(m.delta)} 人`).join('、')}），已在相应类别标记，合计不另标记`,
        `people moved between categories (${verdict.moves.map((m) => `${m.category} ${people(m.delta)}`).join(', ')}), flagged on those categories, not on the total`,
      ];
    case 'few-in-categories':
      return [
        `变动来自各类别的少量人员（${verdict.moves.map((m) => `${categoryName(m.category)[0]} ${people(m.delta)} 人`).join('、')}），各类别变动均不足 ${verdict.minimum} 人，不标记`,
        `the change comes from a few people in its categories (${verdict.moves.map((m) => `${m.category} ${people(m.delta)}`).join(', ')}), none moving by ${verdict.minimum} or more, not flagged`,
      ];
    case 'flagged':
      return [
        '同时偏离本镇历史与其他各镇，列为异常',
        'flagged, as it departs from its own history and from the other towns',
      ];
    case 'flagged-no-peers':
      return [
        '偏离本镇历史，且无法与其他镇街比较，列为异常',
        'flagged, as it departs from its own history and cannot be compared with other towns',
      ];
  }
}

function shiftPhrase(shift: CategoryShift): [string, string] {
  const zh = shift.counterparts.map((c) => `${categoryName(c.category)[0]} ${people(c.delta)} 人`).join('、');
  const en = shift.counterparts.map((c) => `${c.category} ${people(c.delta)}`).join(', ');
  const town = shift.townChange === undefined ? undefined : signedPercent(shift.townChange);
  return [
    `；同镇同期 ${zh}${town === undefined ? '' : `，全部类别合计 ${town}`}，疑为人员在类别间转移`,
    `; in the same town ${en}${town === undefined ? '' : ` while all categories together ${town}`}: people appear to have moved between categories`,
  ];
}

/**
 * One short sentence, Chinese then English: the category and value, what the town's own history
 * expected and its band, the other towns, the verdict, and a category shift when there is one.
 * @example
 * '受助人数环比 +42.0%，本镇以往中位数 +0.3%（区间 −2.1% ~ +2.7%），同期各镇中位数 +0.2%，同时偏离本镇历史与其他各镇，列为异常 /
 *  recipients +42.0% month on month vs the town's median +0.3% (band −2.1% to +2.7%) and the other towns' +0.2%:
 *  flagged, as it departs from its own history and from the other towns'
 */
export function explainAnomaly(facts: ExplanationFacts): string {
  const { metric, verdict, category, unavailable } = facts;
  const zh: string[] = [];
  const en: string[] = [];
  const [valueZh, valueEn] =
    unavailable === undefined
      ? valuePhrase(metric, category, facts.value)
      : unavailablePhrase(facts, unavailable);
  zh.push(valueZh);
  en.push(valueEn);
  const { baseline, low, high, change, reference } = facts;
  const banded =
    unavailable === undefined && baseline !== undefined && low !== undefined && high !== undefined;
  if (banded && metric === 'recipients_growth') {
    zh.push(
      `，本镇以往中位数 ${shown(metric, baseline)}（区间 ${shown(metric, low)} ~ ${shown(metric, high)}）`,
    );
    en.push(
      ` vs the town's median ${shown(metric, baseline)} (band ${shown(metric, low)} to ${shown(metric, high)})`,
    );
  } else if (banded && reference !== undefined) {
    const unitZh = isAmount(metric) ? ' 元' : '';
    zh.push(
      `，按 ${reference} 推算预期 ${shown(metric, baseline)}${unitZh}（区间 ${shown(metric, low)} ~ ${shown(metric, high)}${unitZh}）`,
    );
    en.push(
      ` vs ${shown(metric, baseline)} expected from ${reference} (band ${shown(metric, low)} to ${shown(metric, high)})`,
    );
  }
  if (unavailable === undefined && metric !== 'recipients_growth' && change !== undefined && reference) {
    zh.push(`，较 ${reference} ${signedPercent(change)}`);
    en.push(`, ${signedPercent(change)} on ${reference}`);
  }
  if (unavailable === undefined && facts.peers !== undefined) {
    const same = category === undefined ? '' : '同类别';
    if (metric === 'recipients_growth') {
      zh.push(`，同期各镇${same}中位数 ${signedPercent(facts.peers)}`);
      en.push(` and the other towns' ${signedPercent(facts.peers)}`);
    } else {
      zh.push(`，同期各镇${same}中位变动 ${signedPercent(facts.peers)}`);
      en.push(`, the other towns' median change ${signedPercent(facts.peers)}`);
    }
  }
  const [verdictZh, verdictEn] = verdictPhrase(verdict, category);
  const [shiftZh, shiftEn] = facts.shift === undefined ? ['', ''] : shiftPhrase(facts.shift);
  return `${zh.join('')}，${verdictZh}${shiftZh} / ${en.join('')}: ${verdictEn}${shiftEn}`;
}
