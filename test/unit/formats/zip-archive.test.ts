import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { ZipArchive, type ZipEntry } from '#formats/zip-archive.ts';

async function contentOf(zip: ZipArchive, name: string): Promise<string> {
  const entry = zip.entry(name);
  if (!entry) throw new Error(`no entry ${name}`);
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of zip.chunks(entry)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** A one-entry stored archive whose sizes and offset are given only in ZIP64 records. */
function zip64Archive(name: string, content: Uint8Array): Uint8Array {
  const nameBytes = strToU8(name);
  const local = new Uint8Array(30 + nameBytes.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 45, true);
  lv.setUint32(18, 0xffffffff, true);
  lv.setUint32(22, 0xffffffff, true);
  lv.setUint16(26, nameBytes.length, true);
  local.set(nameBytes, 30);

  const extra = new Uint8Array(4 + 24);
  const ev = new DataView(extra.buffer);
  ev.setUint16(0, 0x0001, true);
  ev.setUint16(2, 24, true);
  ev.setBigUint64(4, BigInt(content.length), true);
  ev.setBigUint64(12, BigInt(content.length), true);
  ev.setBigUint64(20, 0n, true);
  const central = new Uint8Array(46 + nameBytes.length + extra.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(6, 45, true);
  cv.setUint32(20, 0xffffffff, true);
  cv.setUint32(24, 0xffffffff, true);
  cv.setUint16(28, nameBytes.length, true);
  cv.setUint16(30, extra.length, true);
  cv.setUint32(42, 0xffffffff, true);
  central.set(nameBytes, 46);
  central.set(extra, 46 + nameBytes.length);

  const centralOffset = local.length + content.length;
  const zip64End = new Uint8Array(56);
  const zv = new DataView(zip64End.buffer);
  zv.setUint32(0, 0x06064b50, true);
  zv.setBigUint64(4, 44n, true);
  zv.setBigUint64(24, 1n, true);
  zv.setBigUint64(32, 1n, true);
  zv.setBigUint64(40, BigInt(central.length), true);
  zv.setBigUint64(48, BigInt(centralOffset), true);
  const locator = new Uint8Array(20);
  const lov = new DataView(locator.buffer);
  lov.setUint32(0, 0x07064b50, true);
  lov.setBigUint64(8, BigInt(centralOffset + central.length), true);
  lov.setUint32(16, 1, true);
  const end = new Uint8Array(22);
  const endView = new DataView(end.buffer);
  endView.setUint32(0, 0x06054b50, true);
  endView.setUint16(8, 0xffff, true);
  endView.setUint16(10, 0xffff, true);
  endView.setUint32(12, 0xffffffff, true);
  endView.setUint32(16, 0xffffffff, true);

  const parts = [local, content, central, zip64End, locator, end];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe('ZipArchive', () => {
  it('reads deflated and stored entries, names case-insensitively', async () => {
    // Prepare
    const big = 'row '.repeat(100_000);
    const bytes = zipSync({
      'xl/Workbook.xml': strToU8('<workbook/>'),
      'xl/big.xml': [strToU8(big), { level: 0 }],
    });

    // Act
    const zip = new ZipArchive(bytes);

    // Assess
    expect(await contentOf(zip, 'XL/workbook.xml')).toBe('<workbook/>');
    expect(await contentOf(zip, '/xl/big.xml')).toBe(big);
    expect(zip.entry('xl/missing.xml')).toBeUndefined();
  });

  it('inflates a large entry in bounded chunks', async () => {
    // Prepare
    const text = Array.from({ length: 200_000 }, (_, i) => `<row r="${i}"/>`).join('');
    const zip = new ZipArchive(zipSync({ 'a.xml': strToU8(text) }));

    // Act
    const sizes: number[] = [];
    for await (const chunk of zip.chunks(zip.entry('a.xml') as ZipEntry)) sizes.push(chunk.length);

    // Assess
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(text.length);
    expect(Math.max(...sizes)).toBeLessThan(text.length / 2);
  });

  it('reads ZIP64 sizes and offsets', async () => {
    // Prepare
    const bytes = zip64Archive('xl/workbook.xml', strToU8('<workbook/>'));

    // Act
    const zip = new ZipArchive(bytes);

    // Assess
    expect(await contentOf(zip, 'xl/workbook.xml')).toBe('<workbook/>');
  });

  it.each([
    ['an encrypted entry', 8, 0x01],
    ['an unknown compression method', 10, 99],
  ])('rejects %s', async (_, field, value) => {
    // Prepare
    const bytes = zipSync({ 'a.xml': strToU8('<a/>') });
    const centralAt = new TextDecoder('latin1').decode(bytes).lastIndexOf('PK\u0001\u0002');
    new DataView(bytes.buffer).setUint16(centralAt + field, value, true);
    const zip = new ZipArchive(bytes);

    // Act
    const error = await failure(() => contentOf(zip, 'a.xml'));

    // Assess
    expect(error).toBeInstanceOf(UnreadableFileError);
  });

  it('rejects a deflated entry whose data is damaged or longer than listed', async () => {
    // Prepare
    const text = Array.from({ length: 5000 }, (_, i) => `<row r="${i}"/>`).join('');
    const damaged = zipSync({ 'a.xml': strToU8(text) });
    const dataAt = 30 + 'a.xml'.length;
    for (let i = dataAt + 100; i < dataAt + 140; i++) damaged[i] = (damaged[i] as number) ^ 0xa5;
    const longer = zipSync({ 'a.xml': strToU8(text) });
    const centralAt = new TextDecoder('latin1').decode(longer).lastIndexOf('PK\u0001\u0002');
    new DataView(longer.buffer).setUint32(centralAt + 24, 100, true);

    // Act
    const damagedError = await failure(() => contentOf(new ZipArchive(damaged), 'a.xml'));
    const longerError = await failure(() => contentOf(new ZipArchive(longer), 'a.xml'));

    // Assess
    expect(damagedError).toBeInstanceOf(UnreadableFileError);
    expect(longerError).toBeInstanceOf(UnreadableFileError);
    expect((longerError as UnreadableFileError).reason).toContain('wrong length');
  });

  it('rejects data that is not an archive, or whose directory is cut', async () => {
    // Prepare
    const bytes = zipSync({ 'a.xml': strToU8('<a/>'), 'b.xml': strToU8('<b/>') });
    const cut = bytes.slice(0, bytes.length - 30);

    // Act & Assess
    expect(await failure(() => new ZipArchive(new Uint8Array(10)))).toBeInstanceOf(UnreadableFileError);
    expect(await failure(() => new ZipArchive(cut))).toBeInstanceOf(UnreadableFileError);
  });
});
