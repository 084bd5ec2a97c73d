/** A roster row the generator expects to be released. */
export interface ModelledPayment {
  readonly batch: number;
  readonly row: number;
  readonly person: number;
  readonly amountFen: number;
}

/**
 * The bench generator's own account of which roster rows a month releases: it planted every
 * situation that holds a row (contract 3.3's BLOCK codes), so it marks those rows, or their person,
 * as held, and the rest is the release (contract 4). Independent of the pipeline: the bank file
 * it lets the generator write is judged by payguard and by the DuckDB twin alike, and the bench
 * reports whether the model matched the release payguard wrote.
 */
export class ReleaseModel {
  private readonly batches: { person: number[]; amountFen: number[]; held: boolean[] }[];
  private readonly heldPeople = new Set<number>();

  constructor(batchCount: number) {
    this.batches = Array.from({ length: batchCount }, () => ({ person: [], amountFen: [], held: [] }));
  }

  /**
   * Records the next row of a batch's roster.
   * @returns its row number (1-based, after the header: contract 2).
   */
  addRow(batch: number, person: number, amountFen: number, held: boolean): number {
    const rows = this.batches[batch] as { person: number[]; amountFen: number[]; held: boolean[] };
    rows.person.push(person);
    rows.amountFen.push(amountFen);
    rows.held.push(held);
    return rows.person.length;
  }

  /** Holds every row of a person (e.g. a death record before the month). */
  holdPerson(person: number): void {
    this.heldPeople.add(person);
  }

  /** The rows of the batches in `order`, each batch in row order, released or held. */
  *rows(order: readonly number[], released: boolean): Generator<ModelledPayment> {
    for (const batch of order) {
      const rows = this.batches[batch];
      if (rows === undefined) continue;
      for (let i = 0; i < rows.person.length; i++) {
        const person = rows.person[i] as number;
        const held = rows.held[i] === true || this.heldPeople.has(person);
        if (held !== released) yield { batch, row: i + 1, person, amountFen: rows.amountFen[i] as number };
      }
    }
  }
}
