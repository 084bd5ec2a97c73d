import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { compareMultisets, readFindingMultiset } from './finding-multiset.ts';

/** Whether one output of payguard and of the DuckDB twin agree, and what was compared. */
export interface OutputComparison {
  readonly same: boolean;
  /** Rows compared (payguard's). */
  readonly rows: number;
  /** A line saying what differs, or how they agree. */
  readonly note: string;
}

export interface OutputAgreement {
  readonly findings: OutputComparison;
  readonly release: OutputComparison;
  readonly closeout: OutputComparison;
  readonly same: boolean;
}

const int = (n: number) => n.toLocaleString('en');

/** `findings.csv`: the multiset of (batch, row, id_number, category, code), detail left out. */
async function findings(payguard: string, duckdb: string): Promise<OutputComparison> {
  const left = await readFindingMultiset(payguard);
  const right = await readFindingMultiset(duckdb);
  const diff = compareMultisets(left, right);
  const rows = [...left.values()].reduce((s, n) => s + n, 0);
  const byCode = [...diff.byCode]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, n]) => `${code} ${n.left === n.right ? int(n.left) : `${int(n.left)}≠${int(n.right)}`}`)
    .join(', ');
  const same = diff.onlyLeft.length === 0 && diff.onlyRight.length === 0;
  return {
    same,
    rows,
    note: same
      ? `${int(rows)} findings: ${byCode}`
      : `${diff.onlyLeft.length} only payguard, ${diff.onlyRight.length} only DuckDB; ${byCode}; ` +
        `only payguard e.g. ${diff.onlyLeft.slice(0, 3).join('; ')}; only DuckDB e.g. ${diff.onlyRight.slice(0, 3).join('; ')}`,
  };
}

/** `release.csv`: byte for byte. */
async function release(payguard: string, duckdb: string): Promise<OutputComparison> {
  const [left, right] = await Promise.all([readFile(payguard), readFile(duckdb)]);
  const leftLines = left.toString('utf8').split('\r\n');
  const rows = leftLines.length - 2;
  if (left.equals(right)) return { same: true, rows, note: `${int(rows)} payments, byte for byte` };
  const rightLines = right.toString('utf8').split('\r\n');
  const at = leftLines.findIndex((line, i) => line !== rightLines[i]);
  return {
    same: false,
    rows,
    note: `${int(rows)} vs ${int(rightLines.length - 2)} payments; first difference at line ${at + 1}: payguard "${leftLines[at]}", DuckDB "${rightLines[at]}"`,
  };
}

/** The records of a CSV file, each cut to its first `width` fields and joined with `|`. */
async function records(path: string, width: number): Promise<string[]> {
  const out: string[] = [];
  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true, from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) out.push(record.slice(0, width).join('|'));
  return out;
}

/** `closeout.csv`: payment_ref, code, released_amount, paid_amount of every row, in order (no detail). */
async function closeout(payguard: string, duckdb: string): Promise<OutputComparison> {
  const left = await records(payguard, 4);
  const right = await records(duckdb, 4);
  const counts = new Map<string, number>();
  for (const row of left) {
    const code = row.split('|')[1] ?? '';
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const byCode = [...counts].map(([code, n]) => `${code} ${int(n)}`).join(', ');
  const at = left.findIndex((row, i) => row !== right[i]);
  if (at < 0 && left.length === right.length) {
    return { same: true, rows: left.length, note: `${int(left.length)} rows in the same order: ${byCode}` };
  }
  const i = at < 0 ? left.length : at;
  return {
    same: false,
    rows: left.length,
    note: `${int(left.length)} vs ${int(right.length)} rows; first difference at row ${i + 1}: payguard "${left[i] ?? '(none)'}", DuckDB "${right[i] ?? '(none)'}"`,
  };
}

/**
 * Compares the outputs of payguard's run and of the DuckDB twin: `findings.csv` as a multiset of
 * (batch, row, id_number, category, code), `release.csv` byte for byte, `closeout.csv` as the
 * ordered rows of (payment_ref, code, released_amount, paid_amount). The `detail` texts are
 * payguard's own and are not compared.
 */
export async function compareOutputs(
  payguard: { findings: string; release: string; closeout: string },
  duckdb: { findings: string; release: string; closeout: string },
): Promise<OutputAgreement> {
  const f = await findings(payguard.findings, duckdb.findings);
  const r = await release(payguard.release, duckdb.release);
  const c = await closeout(payguard.closeout, duckdb.closeout);
  return { findings: f, release: r, closeout: c, same: f.same && r.same && c.same };
}
