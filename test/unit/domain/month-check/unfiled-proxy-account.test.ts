import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import { ACCOUNT_B, ID_A, ID_B, payee, proxyAccount, registeredInput, withCode } from './fixtures.ts';

const proxyFindings = (...args: Parameters<typeof registeredInput>) =>
  withCode(checkMonth(registeredInput(...args)), 'UNFILED_PROXY_ACCOUNT');

describe('unfiledProxyAccount', () => {
  it("sends an unfiled account of someone else to review, the holder's ID masked", () => {
    // Prepare
    const row = payee({ accountHolderId: ID_B });

    // Act
    const findings = proxyFindings([row]);

    // Assess
    const masked = `${ID_B.slice(0, 6)}********${ID_B.slice(-4)}`;
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'REVIEW',
        detail: `开户人 ${masked} 非本人，未在 registers/proxy-accounts.csv 备案 / account holder ${masked} is not the payee, not filed in registers/proxy-accounts.csv`,
      }),
    ]);
    expect(findings[0]?.detail).not.toContain(ID_B);
  });

  it('gives nothing when the holder is the payee', () => {
    // Prepare
    const row = payee({ accountHolderId: ID_A });

    // Act
    const findings = proxyFindings([row]);

    // Assess
    expect(findings).toEqual([]);
  });

  it('gives nothing when (account, payee) is filed', () => {
    // Prepare
    const row = payee({ accountHolderId: ID_B });

    // Act
    const findings = proxyFindings([row], { 'proxy-accounts': [proxyAccount()] });

    // Assess
    expect(findings).toEqual([]);
  });

  it('flags a filing for another account of the payee', () => {
    // Prepare
    const row = payee({ accountHolderId: ID_B });

    // Act
    const findings = proxyFindings([row], { 'proxy-accounts': [proxyAccount({ accountNumber: ACCOUNT_B })] });

    // Assess
    expect(findings).toHaveLength(1);
  });
});
