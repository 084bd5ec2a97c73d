import { flattenString } from './flatten-string.ts';
import { decodePartText } from './part-text.ts';
import {
  cellTooLong,
  MAX_CELL_CHARS,
  sharedStringsTooLong,
  tooManySharedStrings,
  type XlsxLimits,
} from './xlsx-limits.ts';
import { textBetween, unescapeOoxmlText, XmlScanner } from './xml-scanner.ts';
import type { ZipArchive, ZipEntry } from './zip-archive.ts';

const GT = 0x3e;
const LETTER_I = 0x69;
const LETTER_S = 0x73;

const SI = 0;
const T = 1;
const RPH = 2;

/**
 * The shared string table of a workbook (`xl/sharedStrings.xml`), read as a stream: each `<si>` is the
 * concatenation of its `<t>` texts (plain or in rich-text runs `<r>`), without phonetic guides `<rPh>`.
 * @throws UnreadableFileError when the table holds more strings or characters than `limits` allow,
 *   or a string longer than a cell may be.
 */
export async function readSharedStrings(
  zip: ZipArchive,
  entry: ZipEntry,
  limits: Pick<XlsxLimits, 'sharedStrings' | 'sharedStringChars'>,
): Promise<string[]> {
  const scanner = new SharedStringsScanner(entry.name, limits);
  for await (const text of decodePartText(zip, entry)) scanner.push(text);
  scanner.end();
  return scanner.strings;
}

class SharedStringsScanner extends XmlScanner {
  readonly strings: string[] = [];
  private current = '';
  private inItem = false;
  private phoneticDepth = 0;
  private chars = 0;
  private readonly limits: Pick<XlsxLimits, 'sharedStrings' | 'sharedStringChars'>;

  constructor(partName: string, limits: Pick<XlsxLimits, 'sharedStrings' | 'sharedStringChars'>) {
    super(partName, ['si', 't', 'rPh']);
    this.limits = limits;
  }

  /** Keeps a string, within the limits: the table is held while the sheet is read. */
  private keep(text: string): void {
    if (text.length > MAX_CELL_CHARS) throw cellTooLong(this.partName);
    if (this.strings.length >= this.limits.sharedStrings)
      throw tooManySharedStrings(this.partName, this.limits.sharedStrings);
    this.chars += text.length;
    if (this.chars > this.limits.sharedStringChars)
      throw sharedStringsTooLong(this.partName, this.limits.sharedStringChars);
    this.strings.push(text);
  }

  /** The generic scan with a fast path for the common item, `<si><t>text</t></si>`. */
  protected override scan(buf: string, start: number, n: number): number {
    let pos = start;
    while (pos < n) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) break;
      if (lt > pos && this.collecting) this.text(textBetween(buf, pos, lt));
      pos = lt;
      if (
        lt + 3 < n &&
        buf.charCodeAt(lt + 1) === LETTER_S &&
        buf.charCodeAt(lt + 2) === LETTER_I &&
        buf.charCodeAt(lt + 3) === GT
      ) {
        const after = this.simpleTextElement(buf, lt + 4, n);
        if (after >= 0 && after + 4 < n && buf.startsWith('</si>', after)) {
          this.keep(unescapeOoxmlText(this.simpleText));
          pos = after + 5;
          continue;
        }
      }
      const next = this.markup(buf, lt, n);
      if (next < 0) break;
      pos = next;
    }
    return pos;
  }

  protected startElement(tag: number): void {
    if (tag === SI) {
      this.inItem = true;
      this.current = '';
    } else if (tag === T) {
      this.collecting = this.inItem && this.phoneticDepth === 0;
    } else if (tag === RPH) {
      this.phoneticDepth++;
    }
  }

  protected endElement(tag: number): void {
    if (tag === SI) {
      this.inItem = false;
      // Flattened so that the table does not keep every chunk of the part's text alive.
      this.keep(flattenString(unescapeOoxmlText(this.current)));
    } else if (tag === T) {
      this.collecting = false;
    } else if (tag === RPH) {
      this.phoneticDepth--;
    }
  }

  protected text(value: string): void {
    this.current += value;
    // Pieces (CDATA sections, runs) add up: stop before a damaged item grows without bound. The
    // escaped text may be longer than what it stands for, hence the margin.
    if (this.current.length > 8 * MAX_CELL_CHARS) throw cellTooLong(this.partName);
  }
}
