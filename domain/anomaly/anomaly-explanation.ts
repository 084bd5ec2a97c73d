import type { AnomalyMetric } from '#schemas/metrics.ts';
import type { Unavailable } from './metric-reading.ts';

/** Why a row is flagged or not: the first that applies, in this order. */
export type Verdict =
  | { readonly kind: 'not-enough-history'; readonly months: number; readonly needed: number }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'town-history-short'; readonly values: number; readonly needed: number }
  | { readonly kind: 'within-band' }
  | { readonly kind: 'small-change'; readonly minimum: number }
  | { readonly kind: 'peers-alike' }
  | { readonly kind: 'peers-further' }
  | { readonly kind: 'flagged' }
  | { readonly kind: 'flagged-no-peers' };

/** What one explanation tells. Values are in the metric's unit (fractions, yuan). */
export interface ExplanationFacts {
  readonly metric: AnomalyMetric;
  readonly value: number;
  /** Why the value cannot be computed, if so (it is then 0 and not judged). */
  readonly unavailable: Unavailable | undefined;
  /** The month before the one judged (growth compares with it). */
  readonly previousMonth: string;
  readonly baseline: number | undefined;
  readonly low: number | undefined;
  readonly high: number | undefined;
  /** For a level: the town's change against its baseline (fraction). */
  readonly change: number | undefined;
  /** The other towns' median (growth) or median change against their own baselines (levels). */
  readonly peers: number | undefined;
  readonly verdict: Verdict;
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

/** A value of the metric as written in a sentence (share 2.13%, growth +4.2%, amounts 812.50). */
function shown(metric: AnomalyMetric, value: number): string {
  if (metric === 'recipients_share') return percent(value);
  if (metric === 'recipients_growth') return signedPercent(value);
  return money(value);
}

function valuePhrase(metric: AnomalyMetric, value: number): [string, string] {
  switch (metric) {
    case 'recipients_share':
      return [`受助人数占常住人口 ${percent(value)}`, `recipients are ${percent(value)} of the population`];
    case 'recipients_growth':
      return [`受助人数环比 ${signedPercent(value)}`, `recipients ${signedPercent(value)} month on month`];
    case 'average_amount':
      return [`人均发放 ${money(value)} 元`, `average ${money(value)} yuan per recipient`];
    case 'total_amount':
      return [`发放总额 ${money(value)} 元`, `total ${money(value)} yuan`];
  }
}

function unavailablePhrase(reason: Unavailable, previousMonth: string): [string, string] {
  switch (reason) {
    case 'no-population':
      return ['常住人口为 0，无法计算受助人数占比', 'population is 0, so there is no share'];
    case 'no-previous':
      return [
        `缺少上月（${previousMonth}）数据，无法计算环比`,
        `no figures for ${previousMonth}, so no growth`,
      ];
    case 'previous-zero':
      return [
        `上月（${previousMonth}）无受助人，无法计算环比`,
        `no recipients in ${previousMonth}, so no growth`,
      ];
    case 'no-recipients':
      return ['本月无受助人，无法计算人均发放', 'no recipients this month, so no average'];
  }
}

function verdictPhrase(verdict: Verdict): [string, string] {
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
        `本镇历史数据不足（需 ${verdict.needed} 个，现有 ${verdict.values} 个），不标记`,
        `not enough history for this town yet (${verdict.values} of ${verdict.needed} values), not flagged`,
      ];
    case 'within-band':
      return ['在正常区间内，不标记', 'within the band, not flagged'];
    case 'small-change':
      return [
        `变动不足 ${verdict.minimum} 人，视为正常波动，不标记`,
        `a change worth fewer than ${verdict.minimum} recipients is noise, not flagged`,
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

/**
 * One short sentence, Chinese then English: the value, the town's baseline and band, the other
 * towns, and the verdict.
 * @example
 * '受助人数环比 +42.0%，本镇以往中位数 +0.3%（区间 −2.1% ~ +2.7%），同期各镇中位数 +0.2%，同时偏离本镇历史与其他各镇，列为异常 /
 *  recipients +42.0% month on month vs the town's median +0.3% (band −2.1% to +2.7%) and the other towns' +0.2%:
 *  flagged, as it departs from its own history and from the other towns'
 */
export function explainAnomaly(facts: ExplanationFacts): string {
  const { metric, verdict } = facts;
  const zh: string[] = [];
  const en: string[] = [];
  const { unavailable } = facts;
  const [valueZh, valueEn] =
    unavailable === undefined
      ? valuePhrase(metric, facts.value)
      : unavailablePhrase(unavailable, facts.previousMonth);
  zh.push(valueZh);
  en.push(valueEn);
  const { baseline, low, high } = facts;
  if (unavailable === undefined && baseline !== undefined && low !== undefined && high !== undefined) {
    const unitZh = isAmount(metric) ? ' 元' : '';
    zh.push(
      `，本镇以往中位数 ${shown(metric, baseline)}${unitZh}（区间 ${shown(metric, low)} ~ ${shown(metric, high)}${unitZh}）`,
    );
    en.push(
      ` vs the town's median ${shown(metric, baseline)} (band ${shown(metric, low)} to ${shown(metric, high)})`,
    );
    if (metric !== 'recipients_growth' && facts.change !== undefined) {
      zh.push(`，变动 ${signedPercent(facts.change)}`);
      en.push(`, ${signedPercent(facts.change)}`);
    }
  }
  if (unavailable === undefined && facts.peers !== undefined) {
    if (metric === 'recipients_growth') {
      zh.push(`，同期各镇中位数 ${signedPercent(facts.peers)}`);
      en.push(` and the other towns' ${signedPercent(facts.peers)}`);
    } else {
      zh.push(`，同期各镇中位变动 ${signedPercent(facts.peers)}`);
      en.push(`, the other towns' median change ${signedPercent(facts.peers)}`);
    }
  }
  const [verdictZh, verdictEn] = verdictPhrase(verdict);
  return `${zh.join('')}，${verdictZh} / ${en.join('')}: ${verdictEn}`;
}
