import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS, type MessageKind, renderMessagePage } from '#views/message-page.ts';
import { UNMASKED_ID_NUMBER } from '../support/unmasked-id-number.ts';

const RECORDED: readonly MessageKind[] = [
  'RECORDED_APPROVED',
  'RECORDED_REJECTED',
  'WAITING_SECOND_APPROVER',
];
const REFUSALS = MESSAGE_KINDS.filter((kind) => !RECORDED.includes(kind));

function testIdText(html: string, testId: string): string | undefined {
  return new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

describe('renderMessagePage', () => {
  it('knows the twelve kinds of the approval endpoint', () => {
    // Assess
    expect(MESSAGE_KINDS).toHaveLength(12);
    expect(REFUSALS).toHaveLength(9);
  });

  it.each(MESSAGE_KINDS)('renders %s as a whole page naming its kind, with a bilingual title', (kind) => {
    // Act
    const html = renderMessagePage({ kind, month: '2026-10' });

    // Assess
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(testIdText(html, 'message-kind')).toBe(kind);
    expect(testIdText(html, 'message-title')).toMatch(/^\S.* \/ [A-Z].+$/);
    expect(testIdText(html, 'message-month')).toBe('2026-10');
    expect(html).not.toMatch(/<script|<link|<img|\ssrc=|https?:/i);
  });

  it.each(REFUSALS)('says for %s that nothing was changed, in both languages', (kind) => {
    // Act
    const html = renderMessagePage({ kind });

    // Assess
    expect(testIdText(html, 'message-text')).toMatch(/未做任何更改[。，].* \/ .*Nothing was changed[. ]/);
  });

  it.each(RECORDED)('says for %s that the decision is recorded', (kind) => {
    // Act
    const html = renderMessagePage({ kind });

    // Assess
    expect(testIdText(html, 'message-text')).toMatch(/已记录.* \/ .*recorded/);
    expect(html).not.toContain('Nothing was changed');
  });

  it('tells an expired link what happened and what to do', () => {
    // Act
    const html = renderMessagePage({ kind: 'EXPIRED', month: '2026-10' });

    // Assess
    expect(testIdText(html, 'message-text')).toBe(
      '此链接已过期，未做任何更改。请联系管理员重新发送审批请求。 / This link has expired. Nothing was changed. Ask for a new approval request.',
    );
    expect(html).toContain('<title>2026-10 链接已过期 / Link expired</title>');
  });

  it('escapes the detail and the month, and masks an ID in them', () => {
    // Act
    const html = renderMessagePage({
      kind: 'REQUEST_CLOSED',
      month: '<b>2026-10</b>',
      detail: '<script>x</script> 44200019800101123X',
    });

    // Assess
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(testIdText(html, 'message-detail')).toBe('&lt;script&gt;x&lt;/script&gt; 442000********123X');
    expect(html).not.toMatch(UNMASKED_ID_NUMBER);
  });

  it('leaves the month and the detail out when not given', () => {
    // Act
    const html = renderMessagePage({ kind: 'NOT_FOUND' });

    // Assess
    expect(html).not.toContain('message-month');
    expect(html).not.toContain('message-detail');
    expect(html).toContain('<title>未找到审批请求 / Approval request not found</title>');
  });
});
