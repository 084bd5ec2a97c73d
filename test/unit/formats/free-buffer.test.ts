import { describe, expect, it } from 'vitest';
import { freeBuffer } from '#formats/free-buffer.ts';

describe('freeBuffer', () => {
  it('gives a whole buffer back at once: it reads as empty and V8 counts it no longer', () => {
    // Prepare
    const bytes = new Uint8Array(64 << 20).fill(7);
    const before = process.memoryUsage().arrayBuffers;

    // Act
    freeBuffer(bytes);

    // Assess
    expect(bytes.byteLength).toBe(0);
    expect(bytes.buffer.byteLength).toBe(0);
    expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(64 << 20);
  });

  it('frees a whole Buffer and a whole typed array of any element size', () => {
    // Prepare
    const buffer = Buffer.allocUnsafe(1 << 20);
    const words = new BigInt64Array(1 << 16);

    // Act
    freeBuffer(buffer);
    freeBuffer(words);

    // Assess
    expect(buffer.byteLength).toBe(0);
    expect(words.length).toBe(0);
  });

  it('leaves what may be held elsewhere: a view of part of a buffer, a slice of the Buffer pool, a small buffer', () => {
    // Prepare
    const whole = new Uint8Array(1 << 20).fill(1);
    const part = whole.subarray(1);
    const pooled = Buffer.from('公示 / notice', 'utf8');
    const small = new Uint8Array(4095).fill(2);

    // Act
    freeBuffer(part);
    freeBuffer(pooled);
    freeBuffer(small);
    freeBuffer(undefined);

    // Assess
    expect(whole.byteLength).toBe(1 << 20);
    expect(part[0]).toBe(1);
    expect(pooled.toString('utf8')).toBe('公示 / notice');
    expect(small.byteLength).toBe(4095);
    expect(small[4094]).toBe(2);
  });
});
