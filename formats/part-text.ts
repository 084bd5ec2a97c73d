import type { ZipArchive, ZipEntry } from './zip-archive.ts';
import { corrupt } from './zip-archive.ts';

/** The text of an XML part of an XLSX package, in chunks: inflated and decoded as UTF-8 on the fly. */
export async function* decodePartText(zip: ZipArchive, entry: ZipEntry): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of zip.chunks(entry)) {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield text;
    }
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } catch (error) {
    if (
      error instanceof TypeError &&
      (error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA'
    ) {
      throw corrupt(`部件 ${entry.name} 不是有效的 UTF-8`, `part ${entry.name} is not valid UTF-8`);
    }
    throw error;
  }
}

/** Largest workbook or relationships part read whole (real ones are a few KiB to a few MiB). */
const MAX_SMALL_PART_BYTES = 64 * 1024 * 1024;

/** The whole text of a small XML part (workbook, relationships). */
export async function readPartText(zip: ZipArchive, entry: ZipEntry): Promise<string> {
  if (entry.uncompressedSize > MAX_SMALL_PART_BYTES) {
    throw corrupt(`部件 ${entry.name} 过大`, `part ${entry.name} is implausibly large`);
  }
  let text = '';
  for await (const chunk of decodePartText(zip, entry)) text += chunk;
  return text;
}
