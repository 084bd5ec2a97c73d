import { describe, expect, it } from 'vitest';
import { markSameDevice, sameDevice } from '#domain/approval/same-device.ts';

const UA = 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0';
const li = { approverId: 'approver.li', at: '2026-10-02T08:00:00.000Z', sourceIp: '10.1.2.3', userAgent: UA };
const zhao = {
  approverId: 'approver.zhao',
  at: '2026-10-02T09:00:00.000Z',
  sourceIp: '10.1.2.3',
  userAgent: UA,
};

describe('sameDevice', () => {
  it.each([
    ['the same IP and user agent', zhao, true],
    ['another IP', { ...zhao, sourceIp: '10.1.2.4' }, false],
    ['another user agent', { ...zhao, userAgent: `${UA} Edg/131.0` }, false],
    ['no user agent recorded', { ...zhao, userAgent: undefined }, false],
  ])('%s: %s', (_, other, expected) => {
    // Act
    const same = sameDevice(li, other);

    // Assess
    expect(same).toBe(expected);
  });
});

describe('markSameDevice', () => {
  it('marks the later approval with the earlier approver, whatever the input order', () => {
    // Act
    const marked = markSameDevice([zhao, li]);

    // Assess
    expect(marked).toEqual([li, { ...zhao, sameDeviceAs: ['approver.li'] }]);
  });

  it('marks nothing when the devices differ, and drops a stale mark', () => {
    // Prepare
    const other = { ...zhao, sourceIp: '10.9.9.9', sameDeviceAs: ['approver.li'] };

    // Act
    const marked = markSameDevice([li, other]);

    // Assess
    expect(marked).toEqual([li, { ...zhao, sourceIp: '10.9.9.9' }]);
  });
});
