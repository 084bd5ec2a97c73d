import type { DateSystem } from './excel-dates.ts';
import { readPartText } from './part-text.ts';
import { decodeXmlText } from './xml-scanner.ts';
import { corrupt, type ZipArchive, type ZipEntry } from './zip-archive.ts';

/** The parts of an XLSX package needed to read its first worksheet, and how it counts dates. */
export interface WorkbookParts {
  readonly sheet: ZipEntry;
  readonly sharedStrings: ZipEntry | undefined;
  /** The styles part (`xl/styles.xml`): which cell styles show dates. */
  readonly styles: ZipEntry | undefined;
  /** From the workbook's `<workbookPr date1904 dateCompatibility>`. */
  readonly dateSystem: DateSystem;
}

interface Relationship {
  readonly id: string;
  readonly type: string;
  readonly target: string;
}

const OFFICE_DOCUMENT = '/officeDocument';
const WORKSHEET = '/worksheet';
const SHARED_STRINGS = '/sharedStrings';
const STYLES = '/styles';
// Attribute values may contain '>', so a tag is matched as a run of quoted values and other characters.
const TAG_BODY = `((?:[^>"']|"[^"]*"|'[^']*')*)`;
const RELATIONSHIP_TAG = new RegExp(`<(?:[\\w.-]+:)?Relationship\\b${TAG_BODY}>`, 'g');
const SHEET_TAG = new RegExp(`<(?:[\\w.-]+:)?sheet\\b${TAG_BODY}>`, 'g');
const WORKBOOK_PROPERTIES_TAG = new RegExp(`<(?:[\\w.-]+:)?workbookPr\\b${TAG_BODY}>`);
const ATTRIBUTE = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * Finds the first worksheet of a workbook, in the workbook's sheet order (chart sheets skipped), and the
 * shared string table: package relationships → workbook part → its relationships → parts.
 *
 * @throws UnreadableFileError when the workbook, its relationships or the sheet part are missing.
 */
export async function locateWorkbookParts(zip: ZipArchive): Promise<WorkbookParts> {
  const packageRels = zip.entry('_rels/.rels');
  const officeDocument = packageRels
    ? readRelationships(await readPartText(zip, packageRels), '').find((r) =>
        r.type.endsWith(OFFICE_DOCUMENT),
      )
    : undefined;
  const workbookPath = officeDocument?.target ?? 'xl/workbook.xml';
  const workbook = zip.entry(workbookPath);
  if (!workbook) throw corrupt('缺少工作簿部件', `missing workbook part ${workbookPath}`);

  const folder = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
  const relsPath = `${folder}_rels/${workbookPath.slice(folder.length)}.rels`;
  const relsEntry = zip.entry(relsPath);
  if (!relsEntry) throw corrupt('缺少工作簿关系部件', `missing workbook relationships ${relsPath}`);
  const rels = new Map<string, Relationship>();
  for (const rel of readRelationships(await readPartText(zip, relsEntry), folder)) rels.set(rel.id, rel);

  const workbookXml = await readPartText(zip, workbook);
  let sheetPath: string | undefined;
  for (const match of workbookXml.matchAll(SHEET_TAG)) {
    const id = attributes(match[1] ?? '').find(([name]) => name.endsWith(':id'))?.[1];
    const rel = id === undefined ? undefined : rels.get(id);
    if (rel?.type.endsWith(WORKSHEET)) {
      sheetPath = rel.target;
      break;
    }
  }
  if (sheetPath === undefined) throw corrupt('工作簿中没有工作表', 'the workbook has no worksheet');
  const sheet = zip.entry(sheetPath);
  if (!sheet) throw corrupt('缺少工作表部件', `missing worksheet part ${sheetPath}`);

  const partOf = (type: string) => {
    const rel = [...rels.values()].find((r) => r.type.endsWith(type));
    return rel ? zip.entry(rel.target) : undefined;
  };
  return {
    sheet,
    sharedStrings: partOf(SHARED_STRINGS),
    styles: partOf(STYLES),
    dateSystem: dateSystemOf(workbookXml),
  };
}

/** The date system the workbook properties name (xsd:boolean attributes: `1`/`true`, `0`/`false`). */
function dateSystemOf(workbookXml: string): DateSystem {
  const properties = new Map(attributes(WORKBOOK_PROPERTIES_TAG.exec(workbookXml)?.[1] ?? ''));
  const flag = (name: string) => {
    const value = properties.get(name)?.trim();
    return value === undefined ? undefined : value === '1' || value === 'true';
  };
  if (flag('date1904') === true) return '1904';
  return flag('dateCompatibility') === false ? '1900-strict' : '1900';
}

function readRelationships(xml: string, folder: string): Relationship[] {
  const result: Relationship[] = [];
  for (const match of xml.matchAll(RELATIONSHIP_TAG)) {
    const attrs = new Map(attributes(match[1] ?? ''));
    if (attrs.get('TargetMode') === 'External') continue;
    const target = attrs.get('Target');
    if (target === undefined) continue;
    result.push({
      id: attrs.get('Id') ?? '',
      type: attrs.get('Type') ?? '',
      target: resolvePartName(folder, target),
    });
  }
  return result;
}

function attributes(body: string): [string, string][] {
  return [...body.matchAll(ATTRIBUTE)].map((m) => [m[1] as string, decodeXmlText(m[2] ?? m[3] ?? '')]);
}

/** A relationship target resolved against the folder of its source part (`/`-rooted targets are absolute). */
function resolvePartName(folder: string, target: string): string {
  const path = target.replaceAll('\\', '/');
  const segments = (path.startsWith('/') ? path : folder + path).split('/');
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') resolved.pop();
    else resolved.push(decodeURIComponentSafe(segment));
  }
  return resolved.join('/');
}

function decodeURIComponentSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
