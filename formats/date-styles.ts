import { builtInDateTimeFormat, isDateFormat } from './number-formats.ts';
import { decodePartText } from './part-text.ts';
import { MAX_CELL_FORMATS, tooManyCellFormats } from './xlsx-limits.ts';
import { XmlScanner } from './xml-scanner.ts';
import type { ZipArchive, ZipEntry } from './zip-archive.ts';

const NUM_FMTS = 0;
const NUM_FMT = 1;
const CELL_XFS = 2;
const XF = 3;

/**
 * Which cell styles of a workbook show a date: `result[s]` is 1 when a cell with `s="{s}"` is shown
 * as a date (its `cellXfs` entry's number format, custom or built-in, has a year, month or day
 * part: see {@link isDateFormat}), else 0. Read from the styles part (`xl/styles.xml`) as a stream;
 * a workbook without one has no date style.
 *
 * @throws UnreadableFileError for more cell or number formats than Excel's {@link MAX_CELL_FORMATS}:
 *   the list is held while the sheet is read, so a part of millions of styles must not grow it.
 */
export async function readDateStyles(zip: ZipArchive, entry: ZipEntry | undefined): Promise<Uint8Array> {
  if (entry === undefined) return new Uint8Array(0);
  const scanner = new StylesScanner(entry.name);
  for await (const text of decodePartText(zip, entry)) scanner.push(text);
  scanner.end();
  return Uint8Array.from(scanner.cellFormats, (id) => {
    const code = scanner.customFormats.get(id) ?? builtInDateTimeFormat(id);
    return code !== undefined && isDateFormat(code) ? 1 : 0;
  });
}

/** Collects the custom number formats (`<numFmts>`) and each cell style's `numFmtId` (`<cellXfs>`). */
class StylesScanner extends XmlScanner {
  readonly customFormats = new Map<number, string>();
  readonly cellFormats: number[] = [];
  private inNumFmts = false;
  private inCellXfs = false;

  constructor(partName: string) {
    super(partName, ['numFmts', 'numFmt', 'cellXfs', 'xf']);
  }

  protected startElement(tag: number): void {
    switch (tag) {
      case NUM_FMTS:
        this.inNumFmts = true;
        break;
      // Differential formats (<dxfs>) carry numFmt elements too: only those of <numFmts> count.
      case NUM_FMT:
        if (this.inNumFmts) {
          const id = Number(this.attribute('numFmtId'));
          const code = this.attribute('formatCode');
          if (Number.isInteger(id) && code !== undefined) this.customFormats.set(id, code);
          if (this.customFormats.size > MAX_CELL_FORMATS) throw tooManyCellFormats(this.partName);
        }
        break;
      case CELL_XFS:
        this.inCellXfs = true;
        break;
      // Cell style formats (<cellStyleXfs>) are xf elements too: only those of <cellXfs> are `s`.
      case XF:
        if (this.inCellXfs) {
          const id = Number(this.attribute('numFmtId') ?? '0');
          this.cellFormats.push(Number.isInteger(id) ? id : 0);
          if (this.cellFormats.length > MAX_CELL_FORMATS) throw tooManyCellFormats(this.partName);
        }
        break;
    }
  }

  protected endElement(tag: number): void {
    if (tag === NUM_FMTS) this.inNumFmts = false;
    else if (tag === CELL_XFS) this.inCellXfs = false;
  }

  protected text(): void {}
}
