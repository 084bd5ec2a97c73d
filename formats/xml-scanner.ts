import { copySubstring, flattenString } from './flatten-string.ts';
import { corrupt } from './zip-archive.ts';

const TAB_LF_CR_SPACE = 0x20;
const BANG = 0x21;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const SLASH = 0x2f;
const COLON = 0x3a;
const LT = 0x3c;
const AMPERSAND = 0x26;
const SPACE = 0x20;
const LETTER_T = 0x74;
const PRESERVE = ' xml:space="preserve">';
const CR = 0x0d;
const EQUALS = 0x3d;
const GT = 0x3e;
const QUESTION = 0x3f;
const MAX_TOKEN_CHARS = 4 * 1024 * 1024;
/** Characters of a new chunk used to finish the markup the previous one ended in. */
const HEAD_CHARS = 4096;

/**
 * A small streaming XML tokenizer for the parts of an XLSX package, fed decoded text in chunks.
 * It reports elements by their index in `names` (local names, namespace prefixes ignored; -1 for any
 * other element), and text only while `collecting` is set, so the hot loop allocates nothing for the
 * markup it skips. Only well-formed markup is accepted; a malformed or truncated part is an
 * {@link UnreadableFileError}. Hand-written rather than saxes: a 1M-row sheet is ~40M tokens, and
 * saxes took 2.5 s only to tokenize a 200k-row, 10-column sheet that this scanner (with the fast
 * paths of `SheetRowsScanner`) turns into records in ~0.7 s.
 */
export abstract class XmlScanner {
  /** When set, the text between tags is passed to {@link text}, entities decoded. */
  protected collecting = false;
  /** The text being scanned; attribute positions refer to it while {@link startElement} runs. */
  protected buf = '';
  /** The text found by the last successful {@link simpleTextElement}. */
  protected simpleText = '';
  /** End of the value found by the last {@link attributeStart}. */
  protected attributeEnd = 0;
  private rest = '';
  /** Attribute ranges of the current start tag: name start, name end, value start, value end. */
  private attributes = new Int32Array(64);
  private attributeCount = 0;
  /** Open elements: the part must close all it opens. */
  protected depth = 0;
  /** The part's name, for error reasons. */
  protected readonly partName: string;
  private readonly names: readonly string[];
  private readonly nameLengths: Int32Array;
  private readonly nameFirstChars: Int32Array;

  protected constructor(partName: string, names: readonly string[]) {
    this.partName = partName;
    this.names = names;
    this.nameLengths = Int32Array.from(names, (name) => name.length);
    this.nameFirstChars = Int32Array.from(names, (name) => name.charCodeAt(0));
  }

  protected abstract startElement(tag: number): void;
  protected abstract endElement(tag: number): void;
  protected abstract text(value: string): void;

  /** Scans the next chunk of the part's text. */
  push(chunk: string): void {
    let buf = chunk;
    let start = 0;
    const rest = this.rest;
    if (rest.length > 0) {
      // The markup split by the chunk boundary is finished with a short piece of the new chunk, rather
      // than copying the whole chunk behind it (join, not +: a flat string, not a rope).
      const whole = chunk.length <= HEAD_CHARS;
      const head = [rest, whole ? chunk : chunk.substring(0, HEAD_CHARS)].join('');
      this.buf = head;
      const pos = this.scan(head, 0, head.length);
      if (whole) {
        buf = head;
        start = pos;
      } else if (pos >= rest.length) {
        start = pos - rest.length;
      } else {
        // The split markup is longer than the head (a long text): scan on in the joined text.
        buf = [rest, chunk].join('');
        start = pos;
      }
    }
    this.buf = buf;
    const pos = this.scan(buf, start, buf.length);
    // The unfinished tail (a text run or a tag split by the chunk boundary) waits for more text.
    this.rest = buf.substring(pos);
    this.buf = '';
    // Excel keeps a cell to 32767 characters; a longer run only makes a damaged part eat memory.
    if (this.rest.length > MAX_TOKEN_CHARS) throw this.malformed();
  }

  /**
   * Scans `buf` from `start`; returns where the unfinished tail begins. Subclasses may override it
   * with fast paths for their most frequent markup, falling back to {@link markup} for the rest.
   */
  protected scan(buf: string, start: number, n: number): number {
    let pos = start;
    while (pos < n) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) break;
      if (lt > pos && this.collecting) this.text(textBetween(buf, pos, lt));
      pos = lt;
      const next = this.markup(buf, lt, n);
      if (next < 0) break;
      pos = next;
    }
    return pos;
  }

  /**
   * Fast path for a plain `<t>text</t>` (or `<t xml:space="preserve">`) at `i`: returns the index after
   * it, with its text in {@link simpleText}, or -1 when the markup there is anything else or incomplete
   * (the generic path then handles it, with the same result).
   */
  protected simpleTextElement(buf: string, i: number, n: number): number {
    if (i + 3 >= n || buf.charCodeAt(i) !== LT || buf.charCodeAt(i + 1) !== LETTER_T) return -1;
    let textStart = i + 3;
    const c = buf.charCodeAt(i + 2);
    if (c !== GT) {
      if (c !== SPACE || !buf.startsWith(PRESERVE, i + 2)) return -1;
      textStart = i + 2 + PRESERVE.length;
    }
    const end = buf.indexOf('<', textStart);
    if (end < 0 || end + 3 >= n) return -1;
    if (
      buf.charCodeAt(end + 1) !== SLASH ||
      buf.charCodeAt(end + 2) !== LETTER_T ||
      buf.charCodeAt(end + 3) !== GT
    ) {
      return -1;
    }
    this.simpleText = textBetween(buf, textStart, end);
    return end + 4;
  }

  /** Ends the part; an unclosed element or anything but white space left over means it was truncated. */
  end(): void {
    if (this.depth !== 0 || this.rest.trim().length > 0) throw this.malformed();
    this.rest = '';
  }

  /** The value of an attribute of the current start tag (by qualified name), entities decoded. */
  protected attribute(name: string): string | undefined {
    const start = this.attributeStart(name);
    return start < 0 ? undefined : decodeXmlText(this.buf.substring(start, this.attributeEnd));
  }

  /**
   * Where the raw value of an attribute of the current start tag starts in {@link buf} (its end is then
   * in {@link attributeEnd}), or -1: lets the hot path read a value without making a string of it.
   */
  protected attributeStart(name: string): number {
    const a = this.attributes;
    const buf = this.buf;
    const length = name.length;
    const first = name.charCodeAt(0);
    for (let k = 0; k < this.attributeCount * 4; k += 4) {
      const nameStart = a[k] as number;
      if (
        (a[k + 1] as number) - nameStart === length &&
        buf.charCodeAt(nameStart) === first &&
        (length === 1 || buf.startsWith(name, nameStart))
      ) {
        this.attributeEnd = a[k + 3] as number;
        return a[k + 2] as number;
      }
    }
    return -1;
  }

  protected malformed(): Error {
    return corrupt(`部件 ${this.partName} 的 XML 格式错误`, `malformed XML in ${this.partName}`);
  }

  /** Handles the markup starting at `lt`; returns the index after it, or -1 when it is incomplete. */
  protected markup(buf: string, lt: number, n: number): number {
    const p = lt + 1;
    if (p >= n) return -1;
    const first = buf.charCodeAt(p);
    if (first === SLASH) {
      let nameEnd = p + 1;
      let localStart = nameEnd;
      let c = 0;
      for (; nameEnd < n; nameEnd++) {
        c = buf.charCodeAt(nameEnd);
        if (c === GT || c <= TAB_LF_CR_SPACE) break;
        if (c === COLON) localStart = nameEnd + 1;
        else if (c === LT) throw this.malformed();
      }
      let gt = nameEnd;
      if (c !== GT) {
        gt = buf.indexOf('>', nameEnd);
        if (gt < 0) return -1;
      }
      if (--this.depth < 0) throw this.malformed();
      this.endElement(this.tagIndex(buf, localStart, nameEnd));
      return gt + 1;
    }
    if (first === QUESTION) {
      const end = buf.indexOf('?>', p);
      return end < 0 ? -1 : end + 2;
    }
    if (first === BANG) return this.declaration(buf, p, n);
    let i = p;
    let c = 0;
    let localStart = p;
    while (i < n) {
      c = buf.charCodeAt(i);
      if (c === GT || c === SLASH || c <= TAB_LF_CR_SPACE) break;
      if (c === COLON) localStart = i + 1;
      else if (c === LT) throw this.malformed();
      i++;
    }
    if (i >= n) return -1;
    if (i === p) throw this.malformed();
    const tag = this.tagIndex(buf, localStart, i);
    this.attributeCount = 0;
    for (;;) {
      while (i < n && buf.charCodeAt(i) <= TAB_LF_CR_SPACE) i++;
      if (i >= n) return -1;
      c = buf.charCodeAt(i);
      if (c === GT) {
        this.depth++;
        this.startElement(tag);
        return i + 1;
      }
      if (c === SLASH) {
        if (i + 1 >= n) return -1;
        if (buf.charCodeAt(i + 1) !== GT) throw this.malformed();
        this.startElement(tag);
        this.endElement(tag);
        return i + 2;
      }
      const nameStart = i;
      for (; i < n; i++) {
        c = buf.charCodeAt(i);
        if (c === EQUALS || c <= TAB_LF_CR_SPACE || c === GT || c === SLASH) break;
      }
      const nameEnd = i;
      while (i < n && buf.charCodeAt(i) <= TAB_LF_CR_SPACE) i++;
      if (i >= n) return -1;
      if (buf.charCodeAt(i) !== EQUALS || nameEnd === nameStart) throw this.malformed();
      i++;
      while (i < n && buf.charCodeAt(i) <= TAB_LF_CR_SPACE) i++;
      if (i >= n) return -1;
      const quote = buf.charCodeAt(i);
      if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) throw this.malformed();
      const valueEnd = buf.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", i + 1);
      if (valueEnd < 0) return -1;
      this.addAttribute(nameStart, nameEnd, i + 1, valueEnd);
      i = valueEnd + 1;
    }
  }

  /** Comments, CDATA sections and the DOCTYPE (`<!` at `p`). */
  private declaration(buf: string, p: number, n: number): number {
    if (buf.startsWith('!--', p)) {
      const end = buf.indexOf('-->', p + 3);
      return end < 0 ? -1 : end + 3;
    }
    if (buf.startsWith('![CDATA[', p)) {
      const end = buf.indexOf(']]>', p + 8);
      if (end < 0) return -1;
      if (this.collecting) this.text(copySubstring(buf, p + 8, end));
      return end + 3;
    }
    // Too short to tell a comment or CDATA section from a DOCTYPE yet.
    if (n - p < 8) return -1;
    // A DOCTYPE: XLSX parts have none with an internal subset, which is all this skips correctly.
    const end = buf.indexOf('>', p);
    return end < 0 ? -1 : end + 1;
  }

  private tagIndex(buf: string, start: number, end: number): number {
    const length = end - start;
    const first = buf.charCodeAt(start);
    const lengths = this.nameLengths;
    for (let k = 0; k < lengths.length; k++) {
      if (lengths[k] !== length || this.nameFirstChars[k] !== first) continue;
      const name = this.names[k] as string;
      let i = 1;
      while (i < length && buf.charCodeAt(start + i) === name.charCodeAt(i)) i++;
      if (i === length) return k;
    }
    return -1;
  }

  private addAttribute(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    let k = this.attributeCount * 4;
    if (k + 4 > this.attributes.length) {
      const grown = new Int32Array(this.attributes.length * 2);
      grown.set(this.attributes);
      this.attributes = grown;
    }
    const a = this.attributes;
    a[k++] = nameStart;
    a[k++] = nameEnd;
    a[k++] = valueStart;
    a[k] = valueEnd;
    this.attributeCount++;
  }
}

/**
 * The text content `buf[start, end)`, entities decoded, as a copy: a kept cell value must not keep the
 * whole chunk of sheet text alive.
 */
export function textBetween(buf: string, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    const c = buf.charCodeAt(i);
    if (c === AMPERSAND || c === CR) return flattenString(decodeXmlText(buf.substring(start, end)));
  }
  return copySubstring(buf, start, end);
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML character and entity references and normalizes line breaks, as an XML parser does. */
export function decodeXmlText(raw: string): string {
  let text = raw;
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (!text.includes('&')) return text;
  return text.replace(
    ENTITY,
    (_, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
      if (name !== undefined) return NAMED[name] as string;
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number.parseInt(decimal as string, 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : _;
    },
  );
}

const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Undoes the OOXML string escaping (`ST_Xstring`): characters XML cannot carry are written as
 * `_xHHHH_` (e.g. `_x000D_` for CR), and a literal `_x` sequence as `_x005F_x…`.
 */
export function unescapeOoxmlText(text: string): string {
  if (text.length < 7 || !text.includes('_x')) return text;
  return text.replace(OOXML_ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
