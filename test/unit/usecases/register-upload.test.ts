import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identifyUpload, type ObjectCreated } from '#usecases/register-upload.ts';

const event = (over: Partial<ObjectCreated> = {}): ObjectCreated => ({
  bucket: 'payguard-data',
  key: 'incoming/2026-10/shiqi/roster.csv',
  versionId: undefined,
  etag: 'abc',
  sequencer: '0001',
  size: 10,
  time: '2026-10-28T01:02:03Z',
  ...over,
});

describe('identifyUpload', () => {
  it('derives a stable upload id from bucket, key and version', () => {
    // Act
    const a = identifyUpload(event({ versionId: 'v1' }));
    const b = identifyUpload(event({ versionId: 'v1' }));
    const c = identifyUpload(event({ versionId: 'v2' }));
    // Assess
    expect(a).toEqual(b);
    expect((a as { uploadId: string }).uploadId).not.toBe((c as { uploadId: string }).uploadId);
    expect((a as { version: string }).version).toBe('v1');
  });

  it('falls back to the ETag where the bucket is not versioned', () => {
    expect(identifyUpload(event())).toEqual(expect.objectContaining({ version: 'abc' }));
  });

  it('orders uploads by event time, then file name (contract section 1)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 5000 }),
        fc.stringMatching(/^[a-z0-9]{1,8}\.csv$/),
        fc.stringMatching(/^[a-z0-9]{1,8}\.csv$/),
        (time, laterMs, nameA, nameB) => {
          const first = identifyUpload(
            event({ time: time.toISOString(), key: `incoming/2026-10/shiqi/${nameA}` }),
          );
          const second = identifyUpload(
            event({
              time: new Date(time.getTime() + laterMs).toISOString(),
              key: `incoming/2026-10/shiqi/${nameB}`,
            }),
          );
          const [o1, o2] = [(first as { order: string }).order, (second as { order: string }).order];
          if (laterMs > 0) expect(o1 < o2).toBe(true);
          else expect(o1 < o2).toBe(nameA < nameB);
        },
      ),
    );
  });

  it('normalises second-precision EventBridge times so they sort with millisecond ones', () => {
    const seconds = identifyUpload(event({ time: '2026-10-28T01:02:03Z' })) as { order: string };
    const millis = identifyUpload(event({ time: '2026-10-28T01:02:03.500Z' })) as { order: string };
    expect(seconds.order < millis.order).toBe(true);
  });
});
