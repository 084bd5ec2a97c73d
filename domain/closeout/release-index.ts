/** Rows above this are indexed by the fallback map: a row table is a typed array as long as its largest row. */
const MAX_TABLE_ROW = 1 << 22;

/**
 * The position in the release of each `payment_ref`, held compactly: a release of a million
 * payments costs a few megabytes, not a string and a map entry per payment.
 *
 * A `payment_ref` the pipeline writes is `{month}-{batch}-{row, zero-padded to at least 6 digits}`
 * (`schemas/payment-ref.ts`): its part before the last `-` names a batch, and its digits after it
 * are the canonical spelling of a row number. Such refs go to one `Int32Array` per batch, indexed
 * by row; any other spelling (not canonical, or a row too large for a table) to a plain map. A
 * looked-up ref is split the same way, so it is found exactly when the same string was added.
 */
export class ReleaseIndex {
  readonly #tables = new Map<string, Int32Array>();
  readonly #others = new Map<string, number>();

  /**
   * Records that `ref` is the release's payment number `position` (≥ 0).
   * @returns the position `ref` already had (nothing changed), or −1 when it is new.
   */
  add(ref: string, position: number): number {
    const split = splitRef(ref);
    if (split === undefined) {
      const earlier = this.#others.get(ref);
      if (earlier !== undefined) return earlier;
      this.#others.set(ref, position);
      return -1;
    }
    const [prefix, row] = split;
    let table = this.#tables.get(prefix);
    if (table === undefined || table.length <= row) {
      const grown = new Int32Array(Math.max(64, 2 ** Math.ceil(Math.log2(row + 1)))).fill(-1);
      if (table !== undefined) grown.set(table);
      table = grown;
      this.#tables.set(prefix, table);
    }
    const earlier = table[row] as number;
    if (earlier >= 0) return earlier;
    table[row] = position;
    return -1;
  }

  /** The position of `ref` in the release, or −1 when it was never released. */
  get(ref: string): number {
    const split = splitRef(ref);
    if (split === undefined) return this.#others.get(ref) ?? -1;
    const table = this.#tables.get(split[0]);
    return table === undefined ? -1 : (table[split[1]] ?? -1);
  }
}

/**
 * `[batch prefix, row]` of a ref whose tail after the last `-` is a row number spelled as
 * `paymentRef` spells it (at least 6 digits, zero-padded, no other leading zero); else `undefined`.
 */
function splitRef(ref: string): [string, number] | undefined {
  const dash = ref.lastIndexOf('-');
  const digits = ref.length - dash - 1;
  if (dash < 0 || digits < 6 || digits > 7) return undefined;
  let row = 0;
  for (let i = dash + 1; i < ref.length; i++) {
    const d = ref.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    row = row * 10 + d;
  }
  // Seven digits are canonical only without a leading zero (`0123456` is not how 123456 is spelled).
  if (digits === 7 && ref.charCodeAt(dash + 1) === 48) return undefined;
  if (row > MAX_TABLE_ROW) return undefined;
  return [ref.slice(0, dash), row];
}
