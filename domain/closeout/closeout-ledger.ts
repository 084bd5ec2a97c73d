import { PackedStrings } from '#domain/packed-strings.ts';
import { cleanValue } from '#schemas/clean-value.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';
import { closeoutDetail } from './closeout-detail.ts';
import type { CloseoutRow } from './closeout-row.ts';
import { ReleaseIndex } from './release-index.ts';
import type { ReturnLine } from './return-line.ts';
import { type ReturnLineReading, readReturnLine } from './return-line-reading.ts';
import { notReturnedRow, verdictRows } from './verdict-rows.ts';

/** A released payment the bank returned as `FAILED`, to be paid again; `reason` is the bank's. */
export interface ReissueEntry extends ReleasedPayment {
  readonly reason: string;
}

/** What the close-out found for one released payment. */
export interface SettledPayment {
  readonly releasedAmountFen: number;
  /** Its verdict row(s), then the `DUPLICATE_RETURN` rows of its later lines, in line order. */
  readonly rows: readonly CloseoutRow[];
  /** Set when its verdict is `PAYMENT_FAILED` (it goes to the re-issue list): the bank's reason. */
  readonly reissueReason?: string;
  /** The amount its judged line reports paid, when that line is a readable `SUCCESS`. */
  readonly paidAmountFen?: number;
}

const NONE = 0;
const SUCCESS = 1;
const FAILED = 2;
const INVALID = 3;
/** `#valueDate` of a line without a value date. */
const NO_DATE = -1;

/**
 * The close-out of a month (contract 3.4) built up as its inputs stream by, holding per released
 * payment a few typed-array entries rather than objects: the release is added payment by payment,
 * then the return lines are judged one by one, then each payment is settled as the release is read
 * again. Objects are kept only for what is not plainly paid (failures, mismatches, invalid,
 * duplicate and unexpected lines), so its memory is a few dozen bytes per payment plus the rows of
 * those exceptions. The rules are those of {@link reconcileCloseout}, which runs it in memory.
 *
 * Use: {@link addPayment} for every payment in release order; {@link judge} for every non-blank
 * return line in order of file name, then row number; {@link settle} for every payment again, in
 * release order; then {@link unreleasedRows}. {@link discardFile} undoes the lines of the file
 * judged last (a file that turned out unreadable, or is read again as GB18030).
 */
export class CloseoutLedger {
  readonly #index = new ReleaseIndex();
  readonly #accounts = new PackedStrings();
  #size = 0;
  #amountFen = new Float64Array(1024);
  /** Per payment: the file (by {@link #files} position) of its judged line, −1 before one came. */
  #firstFile = new Int32Array(1024).fill(-1);
  #firstRow = new Int32Array(1024);
  #kind = new Uint8Array(1024);
  #paidFen = new Float64Array(1024);
  /** Per plainly paid payment: its line's value date as the number `yyyymmdd`, or {@link NO_DATE}. */
  #valueDate = new Int32Array(1024);
  /** The verdict rows of every judged payment that is not plainly paid, by position. */
  readonly #verdicts = new Map<number, CloseoutRow[]>();
  readonly #reasons = new Map<number, string>();
  readonly #duplicates = new Map<number, CloseoutRow[]>();
  readonly #unreleased: CloseoutRow[] = [];
  /** The first line of every never-released `payment_ref` returned. */
  readonly #unreleasedFirst = new Map<string, { source: string; row: number }>();
  readonly #files: string[] = [];
  readonly #fileOf = new Map<string, number>();

  /** Number of released payments added. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds the next payment of the release.
   * @throws RangeError when the release lists its `payment_ref` twice (a broken release).
   */
  addPayment(payment: Pick<ReleasedPayment, 'paymentRef' | 'amountFen' | 'accountNumber'>): void {
    const i = this.#size;
    if (this.#index.add(payment.paymentRef, i) >= 0) {
      throw new RangeError(`the release lists payment_ref ${payment.paymentRef} twice`);
    }
    if (i === this.#amountFen.length) this.#grow();
    this.#size++;
    this.#amountFen[i] = payment.amountFen;
    this.#accounts.push(cleanValue(payment.accountNumber));
  }

  /** Judges the next return line (lines come in order of file name, then row number). */
  judge(line: ReturnLine): void {
    const reading = readReturnLine(line);
    const ref = reading.paymentRef;
    const at = { source: line.source, row: line.row };
    if (ref === '' && reading.kind === 'invalid') {
      this.#unreleased.push({
        paymentRef: ref,
        code: 'INVALID_RETURN',
        detail: closeoutDetail.invalid(line, reading.problems),
        line: at,
      });
      return;
    }
    const i = this.#index.get(ref);
    const paidAmountFen = reading.kind === 'SUCCESS' ? reading.amountFen : undefined;
    if (i < 0) {
      this.#judgeUnreleased(line, reading, paidAmountFen);
      return;
    }
    const firstFile = this.#firstFile[i] as number;
    if (firstFile >= 0) {
      const first = { source: this.#files[firstFile] as string, row: this.#firstRow[i] as number };
      const rows = this.#duplicates.get(i) ?? [];
      rows.push({
        paymentRef: ref,
        code: 'DUPLICATE_RETURN',
        releasedAmountFen: this.#amountFen[i],
        paidAmountFen,
        detail: closeoutDetail.duplicate(line, first),
        line: at,
      });
      this.#duplicates.set(i, rows);
      return;
    }
    this.#firstFile[i] = this.#fileNumber(line.source);
    this.#firstRow[i] = line.row;
    this.#kind[i] = reading.kind === 'SUCCESS' ? SUCCESS : reading.kind === 'FAILED' ? FAILED : INVALID;
    if (reading.kind === 'FAILED') this.#reasons.set(i, reading.reason);
    const terms = { paymentRef: ref, amountFen: this.#amountFen[i] as number, accountNumber: '' };
    if (reading.kind === 'SUCCESS') {
      this.#paidFen[i] = reading.amountFen;
      const valueDate = plainValueDate(line.valueDate);
      if (
        valueDate !== undefined &&
        reading.amountFen === terms.amountFen &&
        this.#accounts.equals(i, reading.accountNumber)
      ) {
        this.#valueDate[i] = valueDate;
        return;
      }
    }
    this.#verdicts.set(i, verdictRows({ ...terms, accountNumber: this.#accounts.get(i) }, line, reading));
  }

  /**
   * Undoes every line judged from `source`, which must be the last file lines were judged from:
   * its lines count as never read.
   */
  discardFile(source: string): void {
    // A file that judged no released payment first has no number: −2 matches no payment.
    const file = this.#fileOf.get(source) ?? -2;
    for (let i = 0; i < this.#size; i++) {
      if (this.#firstFile[i] !== file) continue;
      this.#firstFile[i] = -1;
      this.#kind[i] = NONE;
      this.#verdicts.delete(i);
      this.#reasons.delete(i);
    }
    const fromOtherFile = (row: CloseoutRow) => row.line?.source !== source;
    for (const [i, rows] of this.#duplicates) {
      const kept = rows.filter(fromOtherFile);
      if (kept.length === 0) this.#duplicates.delete(i);
      else this.#duplicates.set(i, kept);
    }
    while (this.#unreleased.length > 0 && !fromOtherFile(this.#unreleased.at(-1) as CloseoutRow)) {
      this.#unreleased.pop();
    }
    for (const [ref, first] of this.#unreleasedFirst) {
      if (first.source === source) this.#unreleasedFirst.delete(ref);
    }
  }

  /**
   * What the close-out found for the payment at `position` in the release (0-based), met again
   * by its `paymentRef` alone: the release read again need not be converted line by line (only a
   * failed payment's line, for its re-issue entry).
   * @throws Error when that ref is not the one added at that position (the release changed).
   */
  settle(position: number, paymentRef: string): SettledPayment {
    if (position >= this.#size || this.#index.get(paymentRef) !== position) {
      throw new Error(`payment ${paymentRef} is not at position ${position} of the release read before`);
    }
    const terms = { paymentRef, amountFen: this.#amountFen[position] as number };
    const kind = this.#kind[position];
    const duplicates = this.#duplicates.get(position) ?? [];
    const settled = { releasedAmountFen: terms.amountFen };
    if (kind === NONE) return { ...settled, rows: [notReturnedRow(terms), ...duplicates] };
    const verdict = this.#verdicts.get(position) ?? [this.#paidRow(position, terms)];
    const rows = duplicates.length === 0 ? verdict : [...verdict, ...duplicates];
    if (kind === FAILED) return { ...settled, rows, reissueReason: this.#reasons.get(position) ?? '' };
    if (kind === SUCCESS) return { ...settled, rows, paidAmountFen: this.#paidFen[position] as number };
    return { ...settled, rows };
  }

  /**
   * The rows of lines whose `payment_ref` was never released (or is empty), in line order: an
   * invalid one's `INVALID_RETURN` row before its `UNEXPECTED_RETURN` row; later lines of such a
   * ref are `DUPLICATE_RETURN`.
   */
  unreleasedRows(): readonly CloseoutRow[] {
    return this.#unreleased;
  }

  #judgeUnreleased(line: ReturnLine, reading: ReturnLineReading, paidAmountFen: number | undefined): void {
    const ref = reading.paymentRef;
    const at = { source: line.source, row: line.row };
    const first = this.#unreleasedFirst.get(ref);
    if (first !== undefined) {
      this.#unreleased.push({
        paymentRef: ref,
        code: 'DUPLICATE_RETURN',
        releasedAmountFen: undefined,
        paidAmountFen,
        detail: closeoutDetail.duplicate(line, first),
        line: at,
      });
      return;
    }
    this.#unreleasedFirst.set(ref, at);
    if (reading.kind === 'invalid') {
      this.#unreleased.push({
        paymentRef: ref,
        code: 'INVALID_RETURN',
        detail: closeoutDetail.invalid(line, reading.problems),
        line: at,
      });
    }
    this.#unreleased.push({
      paymentRef: ref,
      code: 'UNEXPECTED_RETURN',
      paidAmountFen,
      detail: closeoutDetail.unexpected(line, reading),
      line: at,
    });
  }

  /** The `PAID` row of a plainly paid payment, from what {@link judge} kept of its line. */
  #paidRow(i: number, payment: { paymentRef: string; amountFen: number }): CloseoutRow {
    const source = this.#files[this.#firstFile[i] as number] as string;
    const row = this.#firstRow[i] as number;
    const date = this.#valueDate[i] as number;
    const valueDate =
      date === NO_DATE
        ? ''
        : `${String(Math.floor(date / 10000)).padStart(4, '0')}-${String(Math.floor(date / 100) % 100).padStart(2, '0')}-${String(date % 100).padStart(2, '0')}`;
    return {
      paymentRef: payment.paymentRef,
      releasedAmountFen: payment.amountFen,
      paidAmountFen: this.#paidFen[i] as number,
      line: { source, row },
      code: 'PAID',
      detail: closeoutDetail.paid({ source, row, valueDate }),
    };
  }

  #fileNumber(source: string): number {
    let file = this.#fileOf.get(source);
    if (file === undefined) {
      file = this.#files.push(source) - 1;
      this.#fileOf.set(source, file);
    }
    return file;
  }

  #grow(): void {
    const grow = <A extends Float64Array | Int32Array | Uint8Array>(a: A, fill?: number): A => {
      const grown = new (a.constructor as new (n: number) => A)(a.length * 2);
      if (fill !== undefined) grown.fill(fill);
      grown.set(a);
      return grown;
    };
    this.#amountFen = grow(this.#amountFen);
    this.#firstFile = grow(this.#firstFile, -1);
    this.#firstRow = grow(this.#firstRow);
    this.#kind = grow(this.#kind);
    this.#paidFen = grow(this.#paidFen);
    this.#valueDate = grow(this.#valueDate);
  }
}

/**
 * A value date as `closeoutDetail.paid` shows it plainly: the number `yyyymmdd` of a cleaned
 * `YYYY-MM-DD`, {@link NO_DATE} when empty, `undefined` for anything else (kept as a row).
 */
function plainValueDate(raw: string): number | undefined {
  const value = cleanValue(raw);
  if (value === '') return NO_DATE;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return Number(value.slice(0, 4) + value.slice(5, 7) + value.slice(8, 10));
}
