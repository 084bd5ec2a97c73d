/**
 * A town's roster upload into `incoming/{month}/{town}/`, as its role has it: a UTF-8, GB18030 or
 * XLSX roster; a roster without a required column or junk bytes (the file-level findings, see
 * `planters/file-findings.ts`); a roster uploaded twice, the corrected one counting; a macOS
 * dotfile next to one roster, which the pipeline ignores.
 */
import iconv from 'iconv-lite';
import { rosterUpload } from '#schemas/bucket-layout.ts';
import { formatNote } from './file-profiles.ts';
import type { Rec, Row, TownPlan } from './model.ts';
import { addMonths } from './people.ts';
import { junkBytes } from './planters/file-findings.ts';
import { csvText, encodeUtf8 } from './roster-csv.ts';
import { xlsxRoster } from './roster-xlsx.ts';

/** Writes one file into the data directory: key, bytes, modification time (seconds), manifest note. */
export type PutFile = (key: string, body: string | Uint8Array, mtime: number, note: string) => Promise<void>;

/**
 * What became of the upload that counts: its rows are checked (`accepted`), it is rejected
 * for a missing column (MISSING_COLUMNS), or it cannot be read (UNREADABLE_FILE).
 */
export type UploadOutcome = 'accepted' | 'missingColumns' | 'unreadable';

/**
 * Writes the town's upload(s) at time `t` (seconds; a re-upload two hours later).
 * @returns the key of the upload that counts and what became of it.
 */
export async function writeRosterUploads(
  plan: TownPlan,
  month: string,
  t: number,
  put: PutFile,
): Promise<{ key: string; outcome: UploadOutcome }> {
  const upload = (file: string) => rosterUpload.key({ month, batch: plan.town.code, file });
  const key = upload(plan.profile.fileName);
  const rows = plan.recs.filter((r): r is Row => r.kind === 'row').length;
  const blanks = plan.recs.length - rows;
  const describe = (format: string) => {
    const problems = plan.recs.filter((r) => r.kind === 'row' && r.plant).length;
    return `${format}; ${rows} rows${blanks ? `, ${blanks} blank records` : ''}${problems ? `; ${problems} planted problem rows` : ''}`;
  };
  switch (plan.role) {
    case 'csv': {
      await put(
        key,
        encodeUtf8(csvText(plan, month), plan.profile.bom),
        t,
        describe(formatNote(plan.profile, 'UTF-8')),
      );
      if (plan.dotfile)
        await put(upload('.DS_Store'), dsStore(), t + 60, 'macOS folder metadata (dotfile): ignored');
      return { key, outcome: 'accepted' };
    }
    case 'gb18030': {
      await put(
        key,
        iconv.encode(csvText(plan, month), 'gb18030'),
        t,
        describe(formatNote(plan.profile, 'GB18030')),
      );
      return { key, outcome: 'accepted' };
    }
    case 'xlsx': {
      await put(
        key,
        xlsxRoster(plan, month),
        t,
        describe(
          'XLSX, a merged title row above the Chinese headers (row numbers count from the header: sheet row − 2), IDs as text cells except the noted number cells, months as date cells (yyyy-mm and yyyy年m月 formats), a 合计 row with the right total and a row to sign, second sheet of instructions',
        ),
      );
      return { key, outcome: 'accepted' };
    }
    case 'missingColumns': {
      await put(
        key,
        encodeUtf8(csvText(plan, month), plan.profile.bom),
        t,
        `no account_number column (开户人身份证号 is not an account column) → MISSING_COLUMNS; ${rows} rows not staged`,
      );
      return { key, outcome: 'missingColumns' };
    }
    case 'junk': {
      await put(
        key,
        junkBytes(plan.rng),
        t,
        'random binary with 0xFF and NUL bytes, named .csv → UNREADABLE_FILE',
      );
      return { key, outcome: 'unreadable' };
    }
    case 'reupload': {
      const older = upload(`${month}-roster.csv`);
      const oldPlan: TownPlan = { ...plan, recs: staleCopy(plan.recs, addMonths(month, -1)) };
      await put(
        older,
        encodeUtf8(csvText(oldPlan, month), plan.profile.bom),
        t,
        `first upload (older mtime), every row still says ${addMonths(month, -1)}: superseded by the correction, must not count`,
      );
      await put(
        key,
        encodeUtf8(csvText(plan, month), plan.profile.bom),
        t + 7200,
        describe(
          `corrected re-upload (2 h later; its name sorts before the first upload's, mtime decides); ${formatNote(plan.profile, 'UTF-8')}`,
        ),
      );
      return { key, outcome: 'accepted' };
    }
  }
}

/** The rows as they were before the correction: every row still carries `staleMonth`. */
function staleCopy(recs: readonly Rec[], staleMonth: string): Rec[] {
  return recs.map((rec) =>
    rec.kind === 'row'
      ? { kind: 'row', entry: rec.entry, values: { ...rec.values, month: staleMonth } }
      : rec,
  );
}

/** A `.DS_Store` as the macOS Finder leaves in a folder: its header, then zeros. */
function dsStore(): Uint8Array {
  const bytes = new Uint8Array(1024);
  bytes.set([0x00, 0x00, 0x00, 0x01, 0x42, 0x75, 0x64, 0x31, 0x00, 0x00, 0x10, 0x00], 0);
  return bytes;
}
