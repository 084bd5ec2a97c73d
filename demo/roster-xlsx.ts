/**
 * The XLSX roster, written by a small built-in SpreadsheetML writer (shared strings, styles, two
 * worksheets, as Excel writes them) zipped with fflate: exceljs needs about a second to load and
 * write one town's sheet and does not write byte-identical archives, which the demonstration
 * cannot afford. Kept as the office keeps it (`sheetTitle`): a merged title row above the header,
 * months typed in as Excel stores them (date cells with a `yyyy-mm` or `yyyy年m月` format), a 合计
 * row and the row to sign.
 */
import { strToU8, zipSync } from 'fflate';
import type { IdCell, TownPlan } from './model.ts';
import { amountFen } from './oracle.ts';
import { splitYm, yuanNatural } from './people.ts';
import { columnsFor, HEADERS } from './roster-csv.ts';
import {
  monthSerial,
  rosterTitle,
  signatureFields,
  statedTotalFen,
  TOTAL_LABEL,
} from './roster-sheet-lines.ts';

/** The stored text of a number cell holding `id` (see {@link IdCell}). */
export function numberCellText(id: string, mode: IdCell): string {
  if (mode === 'exact') return id;
  const n = Number(id);
  return mode === 'lossy-plain' ? String(n) : n.toExponential().toUpperCase();
}

type XCell = { t: 's'; text: string; style?: number } | { t: 'n'; raw: string; style?: number };

const xmlEscape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

function columnLetter(i: number): string {
  return String.fromCharCode(65 + i);
}

class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly list: string[] = [];
  count = 0;

  ref(text: string): number {
    this.count++;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(text, i);
      this.list.push(text);
    }
    return i;
  }

  xml(): string {
    const items = this.list.map(
      (s) => `<si><t${/^\s|\s$/.test(s) ? ' xml:space="preserve"' : ''}>${xmlEscape(s)}</t></si>`,
    );
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${this.count}" uniqueCount="${this.list.length}">${items.join('')}</sst>`;
  }
}

function sheetXml(
  rows: readonly { r: number; cells: readonly (XCell | undefined)[] }[],
  sst: SharedStrings,
  width: number,
  headerRow = 1,
): string {
  const body: string[] = [];
  let last = 1;
  for (const { r, cells } of rows) {
    last = r;
    const cs: string[] = [];
    cells.forEach((cell, i) => {
      if (!cell) return;
      const ref = `${columnLetter(i)}${r}`;
      const s = cell.style ? ` s="${cell.style}"` : '';
      if (cell.t === 's') {
        if (cell.text !== '') cs.push(`<c r="${ref}"${s} t="s"><v>${sst.ref(cell.text)}</v></c>`);
      } else cs.push(`<c r="${ref}"${s}><v>${cell.raw}</v></c>`);
    });
    body.push(`<row r="${r}" spans="1:${width}">${cs.join('')}</row>`);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<dimension ref="A1:${columnLetter(width - 1)}${last}"/>` +
    `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${headerRow}" topLeftCell="A${headerRow + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
    '<sheetFormatPr defaultRowHeight="14.25"/>' +
    `<cols><col min="1" max="${width}" width="20" customWidth="1"/></cols>` +
    `<sheetData>${body.join('')}</sheetData>` +
    (headerRow > 1
      ? `<mergeCells count="1"><mergeCell ref="A1:${columnLetter(width - 1)}1"/></mergeCells>`
      : '') +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
  );
}

/**
 * The town's roster as an XLSX file: a text-styled ID column but for the rows planted with a number
 * cell; with `sheetTitle`, a title row, months as date cells, a 合计 row and the row to sign.
 */
export function xlsxRoster(plan: TownPlan, month: string): Uint8Array {
  const columns = columnsFor(plan);
  const ID_STYLE = 1;
  const AMOUNT_STYLE = 2;
  /** Two ways Excel keeps `2026-10` typed in: a custom `yyyy-mm` and `yyyy年m月`. */
  const MONTH_STYLES = [3, 4] as const;
  const titled = plan.profile.sheetTitle;
  const headerRow = titled ? 2 : 1;
  const sst = new SharedStrings();
  const rows: { r: number; cells: (XCell | undefined)[] }[] = [];
  if (titled) rows.push({ r: 1, cells: [{ t: 's', text: rosterTitle(plan, month) }] });
  rows.push({ r: headerRow, cells: columns.map((c) => ({ t: 's', text: c.header })) });
  const headerIndex = (name: string) => columns.findIndex((c) => c.header === name);
  const idAt = headerIndex(HEADERS.zh.id_number);
  const amountAt = headerIndex(HEADERS.zh.amount);
  const monthAt = headerIndex(HEADERS.zh.month);
  let serial = 0;
  plan.recs.forEach((rec, i) => {
    if (rec.kind === 'blank') return; // an empty sheet row: no <row> element
    serial++;
    const cells: (XCell | undefined)[] = columns.map((c, k) => {
      const v = c.value(rec, serial);
      if (k === 0 && plan.profile.serial) return { t: 'n', raw: v };
      return v === '' ? undefined : { t: 's', text: v };
    });
    if (rec.idCell) cells[idAt] = { t: 'n', raw: numberCellText(rec.entry.person.id, rec.idCell) };
    else if (cells[idAt]) cells[idAt] = { t: 's', text: rec.values.id_number, style: ID_STYLE };
    if (!rec.plant && /^\d+(\.\d{1,2})?$/.test(rec.values.amount) && plan.rng.chance(0.6)) {
      cells[amountAt] = { t: 'n', raw: yuanNatural(amountFen(rec.values.amount) ?? 0), style: AMOUNT_STYLE };
    }
    const dateSerial = titled ? monthSerial(rec.values.month) : undefined;
    if (dateSerial !== undefined) {
      cells[monthAt] = { t: 'n', raw: String(dateSerial), style: MONTH_STYLES[serial % 2] };
    }
    rows.push({ r: i + headerRow + 1, cells });
  });
  if (titled) {
    const totalRow = plan.recs.length + headerRow + 1;
    const total: (XCell | undefined)[] = [{ t: 's', text: TOTAL_LABEL }];
    total[amountAt] = { t: 'n', raw: yuanNatural(statedTotalFen(plan)), style: AMOUNT_STYLE };
    const [preparer, reviewer, head, date] = signatureFields(month).map((text): XCell => ({ t: 's', text }));
    const signatures: (XCell | undefined)[] = [preparer, undefined, reviewer, undefined, head];
    signatures[columns.length - 2] = date;
    rows.push({ r: totalRow, cells: total }, { r: totalRow + 2, cells: signatures });
  }
  const notes = [
    ['填表说明'],
    ['1. 身份证号请设置为文本格式，勿以数字录入。'],
    ['2. 发放金额以元为单位，保留两位小数。'],
    [`3. 发放月份填写 ${month}。`],
  ].map((cells, i) => ({ r: i + 1, cells: cells.map((text): XCell => ({ t: 's', text })) }));

  const sheet1 = sheetXml(rows, sst, columns.length, headerRow);
  const sheet2 = sheetXml(notes, sst, 1);
  const { year, month: m } = splitYm(month);
  const stamp = `${month}-18T09:00:00Z`;
  const ct = 'application/vnd.openxmlformats-officedocument';
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="/xl/workbook.xml" ContentType="${ct}.spreadsheetml.sheet.main+xml"/>` +
      `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${ct}.spreadsheetml.worksheet+xml"/>` +
      `<Override PartName="/xl/worksheets/sheet2.xml" ContentType="${ct}.spreadsheetml.worksheet+xml"/>` +
      `<Override PartName="/xl/styles.xml" ContentType="${ct}.spreadsheetml.styles+xml"/>` +
      `<Override PartName="/xl/sharedStrings.xml" ContentType="${ct}.spreadsheetml.sharedStrings+xml"/>` +
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
      `<Override PartName="/docProps/app.xml" ContentType="${ct}.extended-properties+xml"/></Types>`,
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId3" Type="${ct.replace('application/vnd.openxmlformats-officedocument', 'http://schemas.openxmlformats.org/officeDocument/2006')}/relationships/extended-properties" Target="docProps/app.xml"/>` +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'docProps/app.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><AppVersion>16.0300</AppVersion></Properties>',
    'docProps/core.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<dc:creator>${xmlEscape(plan.town.name)}社会事务局</dc:creator><cp:lastModifiedBy>${xmlEscape(plan.town.name)}社会事务局</cp:lastModifiedBy>` +
      `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified></cp:coreProperties>`,
    'xl/workbook.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews>' +
      `<sheets><sheet name="${year}年${m}月发放名册" sheetId="1" r:id="rId1"/><sheet name="填表说明" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>' +
      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    'xl/styles.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      (titled
        ? '<numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy\\-mm"/><numFmt numFmtId="177" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>'
        : '') +
      '<fonts count="1"><font><sz val="11"/><name val="宋体"/><family val="2"/><charset val="134"/></font></fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      (titled ? '<cellXfs count="5">' : '<cellXfs count="3">') +
      '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
      '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
      '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
      (titled
        ? '<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
          '<xf numFmtId="177" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        : '') +
      '</cellXfs>' +
      '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    'xl/worksheets/sheet1.xml': sheet1,
    'xl/worksheets/sheet2.xml': sheet2,
    'xl/sharedStrings.xml': sst.xml(),
  };
  // Local-time components, so the DOS timestamps in the archive do not depend on the time zone.
  const mtime = new Date(year, m - 1, 18, 9, 0, 0);
  const zipInput: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [name, text] of Object.entries(parts)) zipInput[name] = [strToU8(text), { mtime }];
  return zipSync(zipInput, { level: 1 });
}
