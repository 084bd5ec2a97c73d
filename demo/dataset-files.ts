/**
 * Writing the register and reference files: `reference/towns.csv`, `reference/registry.csv`, and
 * the register and partner files the planters built (in their encodings and line ends).
 */
import iconv from 'iconv-lite';
import type { Entry } from './model.ts';
import type { DemoTown } from './people.ts';
import { yuanFixed } from './people.ts';
import type { PartnerFile } from './planters/month-check/partner-files.ts';
import { encodeUtf8, quotedIfNeeded } from './roster-csv.ts';

/** A register or partner file's bytes: RFC 4180 quoting where needed, in its encoding. */
export function partnerBytes(f: PartnerFile): Uint8Array {
  const text = [f.header, ...f.rows].map((r) => r.map(quotedIfNeeded).join(',')).join(f.eol) + f.eol;
  if (f.encoding === 'gb18030') return iconv.encode(text, 'gb18030');
  return encodeUtf8(text, f.encoding === 'utf8-bom');
}

/** `reference/towns.csv`: code, name and population of every town. */
export function townsCsv(towns: readonly DemoTown[]): string {
  return `code,name,population\n${towns.map((t) => `${t.code},${t.name},${t.population}`).join('\n')}\n`;
}

/** `reference/registry.csv`: every approved recipient, categories as codes. */
export function registryCsv(entries: readonly Entry[]): string {
  const lines = [
    'id_number,name,household_id,category,approved_amount,status,town,account_number,valid_from,valid_to',
  ];
  for (const e of entries) {
    const p = e.person;
    lines.push(
      `${p.id},${p.name},${p.household},${e.category},${yuanFixed(e.fen)},${e.status},${e.town.code},${p.account},${e.validFrom},${e.validTo}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
