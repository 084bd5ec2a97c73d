import { type DateSystem, excelSerialDate } from './excel-dates.ts';
import type { RawRecord } from './raw-record.ts';
import { cellTooLong, MAX_CELL_CHARS, MAX_SHEET_ROWS, tooManyRows } from './xlsx-limits.ts';
import { textBetween, unescapeOoxmlText, XmlScanner } from './xml-scanner.ts';

// Element indexes, most frequent first (the tokenizer tries them in order).
const C = 0;
const V = 1;
const ROW = 2;
const IS = 3;
const T = 4;
const RPH = 5;

// Cell types (`<c t>`), as small integers so that the hot path compares no strings.
const NUMBER = 0;
const SHARED_STRING = 1;
const INLINE_STRING = 2;
const FORMULA_STRING = 3;
const BOOLEAN = 4;
/** An ISO 8601 date (`d`): the stored text as it is, and its date in the record's `dates`. */
const ISO_DATE = 5;
/** Errors (`e`) and anything unknown: the stored text as it is. */
const OTHER = 6;

/** Fast-path results besides a position: wait for more text, or take the generic path. */
const INCOMPLETE = -1;
const UNUSUAL = -2;

const SPACE = 0x20;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const GT = 0x3e;
const LETTER_C = 0x63;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LETTER_I = 0x69;
const LETTER_S = 0x73;
const LETTER_R = 0x72;
const LETTER_T = 0x74;
const LETTER_V = 0x76;

const MAX_COLUMNS = 16_384;
/** Excel keeps at most 64000 cell formats; a larger `s` is no style the workbook defines. */
const MAX_STYLES = 65_536;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}/;

/** How a sheet's cells show dates: from the styles part and the workbook properties. */
export interface SheetDates {
  /** `styles[s]` is 1 when cell style `s` shows a date (see `readDateStyles`). */
  readonly styles: Uint8Array;
  readonly system: DateSystem;
}

const NO_DATES: SheetDates = { styles: new Uint8Array(0), system: '1900' };

/**
 * Turns the XML of a worksheet, pushed in chunks, into records (take them with {@link take}).
 *
 * Row numbers come from `<row r>` (sheet row − 1), column positions from `<c r>` (`C5` → 2), gaps
 * filled with `''`; without those attributes a row or cell follows the previous one. If the sheet has
 * no row 1, an empty header record (row 0) is produced first, so the header always comes first.
 *
 * Cell values are the stored text, never converted: numbers, dates and errors as written in `<v>`
 * (an ID stored as a number keeps all its digits, and `4.40102199001011E+17` stays as written), shared
 * strings looked up, inline strings from `<is>`, formula strings (`t="str"`) from `<v>`, booleans as
 * `TRUE`/`FALSE`; a formula cell is its cached value. A date cell (a number cell whose style shows a
 * date, or `t="d"`) also gives the date it shows in the record's `dates` (see {@link RawRecord}).
 */
export class SheetRowsScanner extends XmlScanner {
  private records: RawRecord[] = [];
  private rowNumber = 0;
  private fields: string[] = [];
  private column = -1;
  private cellType = NUMBER;
  private cellStyle = 0;
  private rowDates: (string | undefined)[] | undefined;
  /** The last serial read as a date and its date: a month column repeats one serial on every row. */
  private lastSerial = '';
  private lastDate: string | undefined;
  private value = '';
  private inlineText = '';
  private inInlineString = false;
  private phoneticDepth = 0;
  private collectingInline = false;

  private readonly sharedStrings: readonly string[];
  private readonly dateStyles: Uint8Array;
  private readonly dateSystem: DateSystem;

  /** @param dates which cell styles show dates, and the date system; by default none does. */
  constructor(partName: string, sharedStrings: readonly string[], dates: SheetDates = NO_DATES) {
    super(partName, ['c', 'v', 'row', 'is', 't', 'rPh']);
    this.sharedStrings = sharedStrings;
    this.dateStyles = dates.styles;
    this.dateSystem = dates.system;
  }

  /** The records completed so far (each returned once). */
  take(): RawRecord[] {
    const records = this.records;
    this.records = [];
    return records;
  }

  /**
   * The generic scan with fast paths for the bulk of a sheet, unprefixed `<c …>`, `<v>…</v>`, `</c>`
   * and a plain `<is><t>…</t></is>`: a 1M-row sheet has tens of millions of them. Anything else
   * (prefixes, CDATA, markup split by the chunk boundary) takes the generic path, with the same result.
   */
  protected override scan(buf: string, start: number, n: number): number {
    let pos = start;
    while (pos < n) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) break;
      if (lt > pos && this.collecting) this.text(textBetween(buf, pos, lt));
      pos = lt;
      // The fast paths read lt + 1 … lt + 3: an out-of-bounds charCodeAt would deoptimize this loop.
      if (lt + 3 < n) {
        const after = this.fastPath(buf, lt, n);
        if (after === INCOMPLETE) break;
        if (after !== UNUSUAL) {
          pos = after;
          continue;
        }
      }
      const after = this.markup(buf, lt, n);
      if (after < 0) break;
      pos = after;
    }
    return pos;
  }

  /** The markup at `lt` (at least 4 characters left) by a fast path: the index after it, or a code. */
  private fastPath(buf: string, lt: number, n: number): number {
    const next = buf.charCodeAt(lt + 1);
    const second = buf.charCodeAt(lt + 2);
    if (next === LETTER_V && second === GT) {
      const end = buf.indexOf('<', lt + 3);
      if (
        end >= 0 &&
        end + 3 < n &&
        buf.charCodeAt(end + 1) === SLASH &&
        buf.charCodeAt(end + 2) === LETTER_V &&
        buf.charCodeAt(end + 3) === GT
      ) {
        this.value = textBetween(buf, lt + 3, end);
        return end + 4;
      }
    } else if (next === SLASH && second === LETTER_C && buf.charCodeAt(lt + 3) === GT) {
      if (--this.depth < 0) throw this.malformed();
      this.endCell();
      return lt + 4;
    } else if (next === LETTER_C && second === SPACE) {
      return this.cellTag(buf, lt + 2, n);
    } else if (
      next === LETTER_I &&
      second === LETTER_S &&
      buf.charCodeAt(lt + 3) === GT &&
      this.cellType === INLINE_STRING
    ) {
      const after = this.simpleTextElement(buf, lt + 4, n);
      if (after >= 0 && after + 4 < n && buf.startsWith('</is>', after)) {
        this.inlineText = this.simpleText;
        return after + 5;
      }
    }
    return UNUSUAL;
  }

  protected startElement(tag: number): void {
    switch (tag) {
      case C: {
        const ref = this.attributeStart('r');
        const column = ref < 0 ? this.column + 1 : this.columnIndex(ref, this.attributeEnd);
        const type = this.attributeStart('t');
        const typeCode = type < 0 ? NUMBER : this.typeCode(type, this.attributeEnd);
        const style = this.attributeStart('s');
        this.beginCell(column, typeCode, style < 0 ? 0 : this.styleIndex(style, this.attributeEnd));
        break;
      }
      case V:
        this.collecting = true;
        this.collectingInline = false;
        break;
      case ROW: {
        const ref = this.attribute('r');
        const rowNumber = ref === undefined ? this.rowNumber + 1 : Number(ref);
        if (!Number.isInteger(rowNumber) || rowNumber <= this.rowNumber) throw this.malformed();
        if (rowNumber > MAX_SHEET_ROWS) throw tooManyRows(this.partName);
        if (this.rowNumber === 0 && rowNumber > 1) this.records.push({ row: 0, fields: [] });
        this.rowNumber = rowNumber;
        this.fields = [];
        this.rowDates = undefined;
        this.column = -1;
        break;
      }
      case IS:
        this.inInlineString = true;
        break;
      case T:
        if (this.inInlineString && this.phoneticDepth === 0) {
          this.collecting = true;
          this.collectingInline = true;
        }
        break;
      case RPH:
        this.phoneticDepth++;
        break;
    }
  }

  protected endElement(tag: number): void {
    switch (tag) {
      case C:
        this.endCell();
        break;
      case V:
      case T:
        this.collecting = false;
        break;
      case ROW:
        if (this.rowDates === undefined) this.records.push({ row: this.rowNumber - 1, fields: this.fields });
        else this.records.push({ row: this.rowNumber - 1, fields: this.fields, dates: this.rowDates });
        this.fields = [];
        this.rowDates = undefined;
        break;
      case IS:
        this.inInlineString = false;
        break;
      case RPH:
        this.phoneticDepth--;
        break;
    }
  }

  protected text(value: string): void {
    if (this.collectingInline) this.inlineText += value;
    else this.value += value;
    // Pieces (CDATA sections, runs) add up: stop before a damaged cell grows without bound. The
    // escaped text may be longer than what it stands for, hence the margin.
    if (this.value.length + this.inlineText.length > 8 * MAX_CELL_CHARS) throw cellTooLong(this.partName);
  }

  /**
   * Fast path for the attributes of an unprefixed `<c …>` from `i` (after `<c`): reads `r`, `t` and `s`,
   * starts the cell (and ends it when self-closing); returns the index after the tag, {@link INCOMPLETE}
   * at the end of the chunk, or {@link UNUSUAL} for anything the generic path should handle.
   */
  private cellTag(buf: string, start: number, n: number): number {
    let column = this.column + 1;
    let type = NUMBER;
    let style = 0;
    let i = start;
    for (;;) {
      while (i < n && buf.charCodeAt(i) <= SPACE) i++;
      if (i >= n) return INCOMPLETE;
      let c = buf.charCodeAt(i);
      if (c === GT) {
        this.depth++;
        this.beginCell(column, type, style);
        return i + 1;
      }
      if (c === SLASH) {
        if (i + 1 >= n) return INCOMPLETE;
        if (buf.charCodeAt(i + 1) !== GT) return UNUSUAL;
        this.beginCell(column, type, style);
        this.endCell();
        return i + 2;
      }
      const nameStart = i;
      for (; i < n; i++) {
        c = buf.charCodeAt(i);
        if (c === EQUALS || c <= SPACE || c === GT || c === SLASH) break;
      }
      if (i + 1 >= n) return INCOMPLETE;
      const quote = buf.charCodeAt(i + 1);
      if (c !== EQUALS || i === nameStart || (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE)) {
        return UNUSUAL;
      }
      // Cell attribute values are a few characters: a loop beats an indexOf call here.
      let valueEnd = i + 2;
      while (valueEnd < n && buf.charCodeAt(valueEnd) !== quote) valueEnd++;
      if (valueEnd >= n) return INCOMPLETE;
      if (i - nameStart === 1) {
        const name = buf.charCodeAt(nameStart);
        if (name === LETTER_R) column = this.columnIndex(i + 2, valueEnd);
        else if (name === LETTER_T) type = this.typeCode(i + 2, valueEnd);
        else if (name === LETTER_S) style = this.styleIndex(i + 2, valueEnd);
      }
      i = valueEnd + 1;
    }
  }

  private beginCell(column: number, type: number, style: number): void {
    if (column <= this.column) throw this.malformed();
    this.column = column;
    this.cellType = type;
    this.cellStyle = style;
    this.value = '';
    this.inlineText = '';
  }

  private endCell(): void {
    let text: string;
    switch (this.cellType) {
      case SHARED_STRING: {
        if (this.value === '') {
          text = '';
          break;
        }
        const shared = this.sharedStrings[Number(this.value)];
        if (shared === undefined) throw this.malformed();
        text = shared;
        break;
      }
      case INLINE_STRING:
        text = unescapeOoxmlText(this.inlineText);
        break;
      case FORMULA_STRING:
        text = unescapeOoxmlText(this.value);
        break;
      case BOOLEAN:
        text = this.value === '1' ? 'TRUE' : this.value === '0' ? 'FALSE' : this.value;
        break;
      case NUMBER:
        text = this.value;
        if (this.cellStyle < this.dateStyles.length && this.dateStyles[this.cellStyle] === 1) {
          if (text !== this.lastSerial) {
            this.lastSerial = text;
            this.lastDate = excelSerialDate(text, this.dateSystem);
          }
          this.addDate(this.lastDate);
        }
        break;
      case ISO_DATE:
        text = this.value;
        this.addDate(ISO_DAY.exec(text)?.[0]);
        break;
      default:
        text = this.value;
    }
    if (text.length > MAX_CELL_CHARS) throw cellTooLong(this.partName);
    const fields = this.fields;
    while (fields.length < this.column) fields.push('');
    fields.push(text);
  }

  /** Notes the date the current cell shows, if it shows one. */
  private addDate(date: string | undefined): void {
    if (date === undefined) return;
    if (this.rowDates === undefined) this.rowDates = [];
    this.rowDates[this.column] = date;
  }

  /** The style index of an `s` attribute value in `buf[start, end)`; 0 (the default style) if not a number. */
  private styleIndex(start: number, end: number): number {
    const buf = this.buf;
    let style = 0;
    for (let i = start; i < end; i++) {
      const c = buf.charCodeAt(i);
      if (c < DIGIT_0 || c > DIGIT_9 || style > MAX_STYLES) return 0;
      style = style * 10 + (c - DIGIT_0);
    }
    return style;
  }

  /** The column index of a cell reference (`C5` → 2) in `buf[start, end)`. */
  private columnIndex(start: number, end: number): number {
    const buf = this.buf;
    let column = 0;
    let i = start;
    for (; i < end; i++) {
      const c = buf.charCodeAt(i);
      if (c >= 0x41 && c <= 0x5a) column = column * 26 + (c - 0x40);
      else if (c >= 0x61 && c <= 0x7a) column = column * 26 + (c - 0x60);
      else break;
      if (column > MAX_COLUMNS) throw this.malformed();
    }
    if (i === start) throw this.malformed();
    return column - 1;
  }

  /** The cell type code of a `t` attribute value in `buf[start, end)`. */
  private typeCode(start: number, end: number): number {
    const buf = this.buf;
    switch (end - start) {
      case 1:
        switch (buf.charCodeAt(start)) {
          case 0x73: // s
            return SHARED_STRING;
          case 0x64: // d
            return ISO_DATE;
          case 0x6e: // n
            return NUMBER;
          case 0x62: // b
            return BOOLEAN;
          default:
            return OTHER;
        }
      // Among the types of the schema, the length and first letter decide.
      case 3:
        return buf.charCodeAt(start) === LETTER_S ? FORMULA_STRING : OTHER;
      case 9:
        return buf.charCodeAt(start) === LETTER_I ? INLINE_STRING : OTHER;
      default:
        return OTHER;
    }
  }
}
