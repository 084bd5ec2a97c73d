import { html, page, type SafeHtml } from './html.ts';
import { maskIdLike } from './mask-ids.ts';

/** Every outcome the approval endpoint reports to the person who opened or posted a link. */
export const MESSAGE_KINDS = [
  'RECORDED_APPROVED',
  'RECORDED_REJECTED',
  'WAITING_SECOND_APPROVER',
  'ALREADY_USED',
  'EXPIRED',
  'INVALID_LINK',
  'REQUEST_CLOSED',
  'SUPERSEDED',
  'REASON_REQUIRED',
  'FORBIDDEN',
  'CONTENT_CHANGED',
  'NOT_FOUND',
] as const;

/** One outcome of {@link MESSAGE_KINDS}. */
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Input of {@link renderMessagePage}. */
export interface MessagePageInput {
  readonly kind: MessageKind;
  /** The payment month the link is for, when known. */
  readonly month?: string;
  /** One more line of plain text (e.g. when the request was closed and by whom). */
  readonly detail?: string;
}

interface MessageText {
  /** `ok`: a decision was recorded; `refused`: nothing was changed. */
  readonly tone: 'ok' | 'refused';
  readonly titleZh: string;
  readonly titleEn: string;
  readonly zh: string;
  readonly en: string;
}

const TEXTS: Record<MessageKind, MessageText> = {
  RECORDED_APPROVED: {
    tone: 'ok',
    titleZh: '已批准',
    titleEn: 'Approved',
    zh: '您的批准已记录，本月发放将继续进行。此链接已失效。',
    en: 'Your approval is recorded and the release goes ahead. This link no longer works.',
  },
  RECORDED_REJECTED: {
    tone: 'ok',
    titleZh: '已驳回',
    titleEn: 'Rejected',
    zh: '您的驳回及理由已记录，本次发放不会进行，任何款项都不会发出。此链接已失效。',
    en: 'Your rejection and its reason are recorded. This release will not go ahead and no money is paid. This link no longer works.',
  },
  WAITING_SECOND_APPROVER: {
    tone: 'ok',
    titleZh: '已批准，等待第二位审批人',
    titleEn: 'Approved, waiting for the second approver',
    zh: '您的批准已记录。本月发放须经两名审批人批准，另一名审批人批准后才会发放。此链接已失效。',
    en: 'Your approval is recorded. This release needs two approvers; nothing is paid until the other approver approves too. This link no longer works.',
  },
  ALREADY_USED: {
    tone: 'refused',
    titleZh: '链接已使用',
    titleEn: 'Link already used',
    zh: '此链接已经使用过，每个链接只能使用一次。未做任何更改。',
    en: 'This link has already been used; each link works once. Nothing was changed.',
  },
  EXPIRED: {
    tone: 'refused',
    titleZh: '链接已过期',
    titleEn: 'Link expired',
    zh: '此链接已过期，未做任何更改。请联系管理员重新发送审批请求。',
    en: 'This link has expired. Nothing was changed. Ask for a new approval request.',
  },
  INVALID_LINK: {
    tone: 'refused',
    titleZh: '链接无效',
    titleEn: 'Invalid link',
    zh: '此链接无效，可能不完整或已被改动。未做任何更改。请使用审批邮件中的完整链接。',
    en: 'This link is not valid: it may be incomplete or altered. Nothing was changed. Use the complete link from the approval email.',
  },
  REQUEST_CLOSED: {
    tone: 'refused',
    titleZh: '审批已结束',
    titleEn: 'Approval closed',
    zh: '此审批请求已有结果或已被撤回，不再接受决定。未做任何更改。',
    en: 'This approval request is already decided or withdrawn and takes no more decisions. Nothing was changed.',
  },
  SUPERSEDED: {
    tone: 'refused',
    titleZh: '审批请求已被替换',
    titleEn: 'Approval request replaced',
    zh: '该月份已发出新的审批请求，此链接不再有效。未做任何更改。请使用最新审批邮件中的链接。',
    en: 'A newer approval request for this month replaced this one, so this link no longer works. Nothing was changed. Use the link in the latest approval email.',
  },
  REASON_REQUIRED: {
    tone: 'refused',
    titleZh: '驳回须填写理由',
    titleEn: 'A reason is required to reject',
    zh: '驳回时必须填写理由。未做任何更改，此链接仍然有效。请返回上一页填写理由后重新提交。',
    en: 'A reason is required to reject. Nothing was changed and the link still works. Go back, enter a reason and submit again.',
  },
  FORBIDDEN: {
    tone: 'refused',
    titleZh: '无法确认此请求',
    titleEn: 'Request not accepted',
    zh: '无法确认此请求来自您打开的审批页面（例如会话已过期，或在其他浏览器中提交），或您无权进行此审批。未做任何更改。请重新打开审批邮件中的链接。',
    en: 'This request could not be confirmed as coming from the approval page you opened (for example the session expired or it was sent from another browser), or you may not decide on it. Nothing was changed. Open the link from the approval email again.',
  },
  CONTENT_CHANGED: {
    tone: 'refused',
    titleZh: '发放内容已变化',
    titleEn: 'The release has changed',
    zh: '您查看页面后，发放内容发生了变化，您的决定未被记录。未做任何更改。请重新打开链接查看最新内容后再决定。',
    en: 'The release changed after you opened the page, so your decision was not recorded. Nothing was changed. Open the link again to see the current release before deciding.',
  },
  NOT_FOUND: {
    tone: 'refused',
    titleZh: '未找到审批请求',
    titleEn: 'Approval request not found',
    zh: '未找到此链接对应的审批请求。未做任何更改。请使用审批邮件中的链接，或联系管理员。',
    en: 'No approval request belongs to this link. Nothing was changed. Use the link from the approval email or contact the administrator.',
  },
};

/**
 * The page shown after an approval link is opened or its form is posted and there is no approval
 * page to show: a recorded decision, or why nothing was done. Bilingual, Chinese first; every
 * refusal says that nothing was changed. The kind is written in an element with
 * `data-testid="message-kind"`. `month` and `detail` are escaped and any ID-like run in them is
 * masked. Pure: no I/O.
 */
export function renderMessagePage(input: MessagePageInput): string {
  const text = TEXTS[input.kind];
  const month = input.month === undefined ? undefined : maskIdLike(input.month);
  const detail = input.detail === undefined ? undefined : maskIdLike(input.detail);
  const body = html`
<header>
  <p class="muted">payguard · 社会救助资金发放审批 / Social-assistance payout approval${month === undefined ? '' : html` · <span data-testid="message-month">${month}</span>`}</p>
  <h1 data-testid="message-title">${text.titleZh} / ${text.titleEn}</h1>
</header>
<section class="panel ${text.tone === 'ok' ? 'ok' : 'warn'}">
  <p data-testid="message-text">${text.zh} / ${text.en}</p>
  ${detailLine(detail)}
</section>
<footer><span data-testid="message-kind">${input.kind}</span></footer>
`;
  const title = `${month === undefined ? '' : `${month} `}${text.titleZh} / ${text.titleEn}`;
  return page({ title, body });
}

function detailLine(detail: string | undefined): SafeHtml {
  return detail === undefined || detail === '' ? html`` : html`<p data-testid="message-detail">${detail}</p>`;
}
