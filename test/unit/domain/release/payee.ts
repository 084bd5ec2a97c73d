import type { PayeeRow } from '#domain/month-check/records.ts';

/** A valid roster row of batch `batch`, row `row`: 1180.00 yuan of DIBAO in shiqi. */
export const payee = (batch: string, row: number, overrides: Partial<PayeeRow> = {}): PayeeRow => ({
  batch,
  row,
  idNumber: '44200019600101001X',
  name: '张三',
  householdId: 'H1',
  category: 'DIBAO',
  amountFen: 118_000,
  town: 'shiqi',
  accountNumber: '6222020200000000001',
  accountHolderId: '',
  ...overrides,
});
