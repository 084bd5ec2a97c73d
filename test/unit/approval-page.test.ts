import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApprovalView } from '#schemas/approval-view.ts';
import { type ApprovalPageInput, renderApprovalPage } from '#views/approval-page.ts';
import { displayCount } from '#views/display-number.ts';
import { maskIdLike } from '#views/mask-ids.ts';
import { fenOfDisplayed } from '../support/displayed-fen.ts';

const HASH = 'ab12cd34ef56789000aa11bb22cc33dd44ee55ff66778899aabbccddeeff0011';
const UNMASKED_ID = '44200019800101123X';
const ID_LIKE = /\d{17}[\dXx]/;

type HeldRow = ApprovalView['held']['rowsShown'][number];
const HELD_ROW: HeldRow = {
  batch: 'shiqi',
  row: 12,
  idMasked: '442000********123X',
  name: '张三',
  category: 'DIBAO',
  town: 'shiqi',
  amountFen: 50_050,
  codes: ['DECEASED'],
};

function view(overrides: Partial<ApprovalView> = {}): ApprovalView {
  return {
    month: '2026-10',
    runId: 'run-20261025-01',
    contentSha256: HASH,
    generatedAt: '2026-10-25T08:00:00Z',
    release: {
      rows: 3210,
      amountFen: 123_456_789,
      byTown: [
        { code: 'shiqi', label: '石岐街道', rows: 2000, amountFen: 100_000_000 },
        { code: 'dongqu', label: '东区街道', rows: 1210, amountFen: 23_456_789 },
      ],
      byCategory: [
        { code: 'DIBAO', label: '低保', rows: 3000, amountFen: 120_000_000 },
        { code: 'ELDERLY', label: '高龄津贴', rows: 210, amountFen: 3_456_789 },
      ],
    },
    held: {
      rows: 2,
      amountFen: 150_050,
      byTown: [{ code: 'shiqi', label: '石岐街道', rows: 2, amountFen: 150_050 }],
      byCode: [
        { code: 'DECEASED', label: '已死亡', rows: 1, amountFen: 50_050 },
        { code: 'DUPLICATE_PAYMENT', label: '重复发放', rows: 1, amountFen: 100_000 },
      ],
      rowsShown: [HELD_ROW],
      rowsOmitted: 1,
    },
    review: [{ code: 'EMPLOYED', label: '有就业参保记录', findings: 4 }],
    batchesNotReleased: [{ batch: 'gangkou', status: 'REJECTED', detail: '缺少必需列 / missing columns' }],
    invalidRows: 17,
    ...overrides,
  };
}

function input(overrides: Partial<ApprovalPageInput> = {}): ApprovalPageInput {
  return {
    view: view(),
    approver: { id: 'approver-1', name: '李审批' },
    requiredApprovals: 1,
    decisions: [],
    expiresAt: '2026-10-28 18:00 (UTC+8)',
    form: { action: '/approval/decide', token: 'AAECAwQFBgcICQoLDA0ODw.1790000000.sig', csrf: 'csrf-token' },
    ...overrides,
  };
}

/** Text of the element carrying a data-testid (its first text run). */
function testIdText(html: string, testId: string): string | undefined {
  return new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

/** The element carrying a data-testid, as far as its closing tag. */
function testIdElement(html: string, testId: string, tag: string): string {
  const match = new RegExp(`<${tag}[^>]*data-testid="${testId}"[\\s\\S]*?</${tag}>`).exec(html);
  if (match === null) throw new Error(`no <${tag} data-testid="${testId}">`);
  return match[0];
}

describe('displayCount', () => {
  it('groups counts by thousands', () => {
    // Act & Assess
    expect(displayCount(7)).toBe('7');
    expect(displayCount(1000)).toBe('1,000');
    expect(displayCount(1_234_567)).toBe('1,234,567');
  });
});

describe('maskIdLike', () => {
  it('leaves no ID-like run in any text, however long its digit runs', () => {
    const text = fc.string({
      unit: fc.constantFrom('0', '1', '9', 'X', 'x', '*', 'a', ' ', '张'),
      maxLength: 120,
    });
    fc.assert(
      fc.property(text, (value) => {
        // Act
        const masked = maskIdLike(value);

        // Assess
        expect(masked).not.toMatch(ID_LIKE);
        expect(masked).toHaveLength(value.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('masks an ID as maskIdNumber does and keeps other text', () => {
    // Act & Assess
    expect(maskIdLike(`张三 ${UNMASKED_ID}，第 12 行`)).toBe('张三 442000********123X，第 12 行');
    expect(maskIdLike('2026-10 12345678901234567')).toBe('2026-10 12345678901234567');
  });
});

describe('renderApprovalPage', () => {
  it('shows the month and the amount to release, exactly from the fen', () => {
    // Act
    const html = renderApprovalPage(input());

    // Assess
    expect(html).toContain('2026-10 发放审批 / 2026-10 release approval');
    expect(testIdText(html, 'release-amount')).toBe('1,234,567.89');
    expect(testIdText(html, 'release-rows')).toBe('3,210');
  });

  it('shows any release amount so that it reads back to the same fen', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (amountFen) => {
        // Arrange
        const base = view();
        const page = input({ view: { ...base, release: { ...base.release, amountFen } } });

        // Act
        const html = renderApprovalPage(page);

        // Assess
        expect(fenOfDisplayed(testIdText(html, 'release-amount') ?? '')).toBe(amountFen);
      }),
      { numRuns: 200 },
    );
  });

  it('shows totals per town and per category, with the release total', () => {
    // Act
    const html = renderApprovalPage(input());

    // Assess
    const towns = testIdElement(html, 'town-totals', 'table');
    expect(towns).toContain('石岐街道');
    expect(towns).toContain('1,000,000.00');
    expect(towns).toContain('234,567.89');
    expect(towns).toContain('1,234,567.89');
    const categories = testIdElement(html, 'category-totals', 'table');
    expect(categories).toContain('低保');
    expect(categories).toContain('高龄津贴');
    expect(categories).toContain('34,567.89');
  });

  it('shows what is held and why, the rows shown, and how many more are not shown', () => {
    // Act
    const html = renderApprovalPage(input());

    // Assess
    const byCode = testIdElement(html, 'held-by-code', 'table');
    expect(byCode).toContain('已死亡 <code>DECEASED</code>');
    expect(byCode).toContain('1,000.00');
    const rows = testIdElement(html, 'held-rows', 'table');
    for (const cell of ['shiqi', '>12<', '442000********123X', '张三', 'DIBAO', '500.50', 'DECEASED']) {
      expect(rows).toContain(cell);
    }
    expect(html).toContain('1 more not shown');
    expect(testIdText(html, 'held-rows-omitted')).toContain('另有 1 行未在此显示');
  });

  it('omits the "more not shown" line when every held row is shown', () => {
    // Arrange
    const base = view();
    const page = input({ view: { ...base, held: { ...base.held, rowsOmitted: 0 } } });

    // Act
    const html = renderApprovalPage(page);

    // Assess
    expect(html).not.toContain('more not shown');
  });

  it('shows review findings, batches not released and invalid rows', () => {
    // Act
    const html = renderApprovalPage(input());

    // Assess
    expect(testIdElement(html, 'review-by-code', 'table')).toContain('有就业参保记录 <code>EMPLOYED</code>');
    expect(testIdElement(html, 'batches-not-released', 'table')).toContain('gangkou');
    expect(html).toMatch(/data-testid="invalid-rows"><strong>17<\/strong>/);
  });

  it('writes "None" rows for empty tables and keeps their test ids', () => {
    // Arrange
    const base = view();
    const empty = input({
      view: {
        ...base,
        held: { rows: 0, amountFen: 0, byCode: [], rowsShown: [], rowsOmitted: 0, byTown: [] },
        review: [],
        batchesNotReleased: [],
      },
    });

    // Act
    const html = renderApprovalPage(empty);

    // Assess
    expect(testIdElement(html, 'held-by-code', 'table')).toContain('无 / None');
    expect(testIdElement(html, 'held-rows', 'table')).toContain('无 / None');
  });

  it('shows the content hash the decision is bound to: 16 characters, the whole in the title', () => {
    // Act
    const html = renderApprovalPage(input());

    // Assess
    expect(html).toContain(
      `<code id="content-hash" data-testid="content-hash" title="${HASH}">${HASH.slice(0, 16)}</code>`,
    );
  });

  it('has one post form with the token, the CSRF token, the content hash, a reason and two buttons', () => {
    // Act
    const html = renderApprovalPage(
      input({ form: { action: '/decide?a=1&b=2', token: 'tok"en', csrf: 'c<s' } }),
    );

    // Assess
    expect(html.match(/<form/g)).toHaveLength(1);
    const form = testIdElement(html.replace('<form', '<form data-testid="form"'), 'form', 'form');
    expect(form).toContain('method="post" action="/decide?a=1&amp;b=2"');
    expect(form).toContain('<input type="hidden" name="token" value="tok&quot;en">');
    expect(form).toContain('<input type="hidden" name="csrf" value="c&lt;s">');
    expect(form).toContain(`<input type="hidden" name="content" value="${HASH}">`);
    expect(form).toMatch(/<textarea id="reason" name="reason" data-testid="reason">/);
    expect(form).toContain('驳回理由（驳回时必填）/ Reason (required to reject)');
    expect(form).toMatch(/<button type="submit" name="decision" value="APPROVE"[^>]*data-testid="approve"/);
    expect(form).toMatch(/<button type="submit" name="decision" value="REJECT"[^>]*data-testid="reject"/);
  });

  it('escapes every text from the data', () => {
    // Arrange
    const script = '<script>alert("x")</script>';
    const base = view();
    const page = input({
      approver: { id: script, name: script },
      decisions: [{ approverName: script, decision: 'APPROVED', at: script }],
      requiredApprovals: 2,
      expiresAt: script,
      view: {
        ...base,
        month: script,
        release: { ...base.release, byTown: [{ code: script, label: script, rows: 1, amountFen: 1 }] },
        held: {
          ...base.held,
          rowsShown: [{ ...HELD_ROW, name: script, batch: script }],
        },
        batchesNotReleased: [{ batch: script, status: script, detail: script }],
      },
    });

    // Act
    const html = renderApprovalPage(page);

    // Assess
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('masks an ID that reached the view unmasked by mistake, wherever it is', () => {
    // Arrange
    const base = view();
    const page = input({
      approver: { id: UNMASKED_ID, name: `王五${UNMASKED_ID}` },
      view: {
        ...base,
        held: {
          ...base.held,
          rowsShown: [{ ...HELD_ROW, idMasked: UNMASKED_ID, name: `ID${UNMASKED_ID}x` }],
        },
        batchesNotReleased: [{ batch: 'b', status: 'FAILED', detail: `row of 110105194912310021 failed` }],
      },
    });

    // Act
    const html = renderApprovalPage(page);

    // Assess
    expect(html).not.toMatch(ID_LIKE);
    expect(html).toContain('442000********123X');
    expect(html).toContain('110105********0021');
  });

  it('never shows an ID-like run from any text of the view', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc
        .tuple(
          fc.string({ maxLength: 5 }),
          fc.stringMatching(/^\d{17,40}[\dXx]$/),
          fc.string({ maxLength: 5 }),
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, text, text, fc.stringMatching(/^[0-9a-f]{64}$/), (name, detail, id, hash) => {
        // Arrange
        const base = view();
        const page = input({
          approver: { id, name },
          view: {
            ...base,
            contentSha256: hash,
            held: { ...base.held, rowsShown: [{ ...HELD_ROW, idMasked: id, name }] },
            batchesNotReleased: [{ batch: name, status: 'FAILED', detail }],
          },
        });

        // Act
        const html = renderApprovalPage(page);

        // Assess: the content hash is hex and may hold a digit run; it is not an ID.
        expect(html.replaceAll(hash, '')).not.toMatch(ID_LIKE);
      }),
      { numRuns: 300 },
    );
  });

  it('notes the four-eyes rule and the decisions already made', () => {
    // Arrange
    const page = input({
      requiredApprovals: 2,
      decisions: [{ approverName: '赵一', decision: 'APPROVED', at: '2026-10-26 09:30' }],
    });

    // Act
    const html = renderApprovalPage(page);

    // Assess
    const note = testIdElement(html, 'four-eyes', 'section');
    expect(note).toContain('2 different approvers');
    expect(note).toContain('赵一：批准 / approved，2026-10-26 09:30');
    expect(note).toContain('Your approval completes it');
  });

  it('warns the second approver when the first approved from her device, and still offers the form', () => {
    // Arrange
    const page = input({
      requiredApprovals: 2,
      decisions: [{ approverName: '赵一', decision: 'APPROVED', at: '2026-10-26 09:30' }],
      sameDeviceAs: ['赵一'],
    });

    // Act
    const html = renderApprovalPage(page);

    // Assess
    const warning = testIdElement(html, 'same-device', 'section');
    expect(warning).toContain('赵一 的批准来自与您相同的设备');
    expect(warning).toContain('Note: 赵一 approved from this same device (the same IP address and browser).');
    expect(html).toContain('data-testid="approve"');
  });

  it('lets the browser send its origin with the form post (same-origin referrer policy, not no-referrer)', () => {
    // Act
    const html = renderApprovalPage(input());

    // Assess
    expect(html).toContain('<meta name="referrer" content="same-origin">');
    expect(html).not.toContain('no-referrer');
  });

  it('has no device warning when nobody approved from this device', () => {
    // Act
    const html = renderApprovalPage(input({ requiredApprovals: 2, sameDeviceAs: [] }));

    // Assess
    expect(html).not.toContain('same-device');
  });

  it('has no four-eyes note when one approval is enough', () => {
    // Act
    const html = renderApprovalPage(input());

    // Assess
    expect(html).not.toContain('four-eyes');
  });

  it('shows when the link expires', () => {
    // Act
    const html = renderApprovalPage(input());

    // Assess
    expect(html).toContain('valid until <strong>2026-10-28 18:00 (UTC+8)</strong>');
  });

  it('is self-contained: no script, no external resource, a print style', () => {
    // Act
    const html = renderApprovalPage(input());

    // Assess
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(|https?:/i);
    expect(html).toContain('@media print');
    expect(html).toContain("default-src 'none'");
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('refuses a content hash that is not 64 lower-case hex digits', () => {
    // Act & Assess
    expect(() => renderApprovalPage(input({ view: view({ contentSha256: 'ABC' }) }))).toThrow(RangeError);
    expect(() => renderApprovalPage(input({ requiredApprovals: 0 }))).toThrow(RangeError);
  });
});
