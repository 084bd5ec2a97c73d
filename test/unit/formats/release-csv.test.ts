import { describe, expect, it } from 'vitest';
import { releaseRows, rowKey } from '#domain/release/release-rows.ts';
import { releaseCsv } from '#formats/release-csv.ts';
import { parseReleaseFile } from '#usecases/read-release-file.ts';
import { payee } from '../domain/release/payee.ts';

describe('releaseCsv', () => {
  it('releases every row not held, in order, as contract section 4 writes it', () => {
    // Prepare
    const rows = [payee('a', 1), payee('a', 2, { name: '李"四', amountFen: 5 }), payee('b', 1)];

    // Act
    const released = releaseRows(rows, new Set([rowKey('a', 1)]));
    const text = releaseCsv('2026-10', released);

    // Assess
    expect(text).toBe(
      'payment_ref,batch,row,id_number,name,account_number,amount,category,town\r\n' +
        '2026-10-a-000002,a,2,44200019600101001X,"李""四",6222020200000000001,0.05,DIBAO,shiqi\r\n' +
        '2026-10-b-000001,b,1,44200019600101001X,张三,6222020200000000001,1180.00,DIBAO,shiqi\r\n',
    );
  });

  it('gives the same bytes for the same rows (what an approval is bound to)', () => {
    const rows = [payee('a', 1), payee('a', 2)];
    expect(releaseCsv('2026-10', rows)).toBe(releaseCsv('2026-10', [...rows]));
  });

  it('guards a batch or town code a spreadsheet would run, and the close-out reads the code back', async () => {
    // Prepare: `[a-z0-9-]+` lets a batch folder begin with `-`; towns.csv may hold any code
    const rows = [payee('-x', 1, { town: '=t' })];

    // Act
    const text = releaseCsv('2026-10', rows);
    const back = await parseReleaseFile(new Uint8Array(Buffer.from(text)), 'reports/2026-10/release.csv');

    // Assess
    expect(text.split('\r\n')[1]).toBe(
      "2026-10--x-000001,'-x,1,44200019600101001X,张三,6222020200000000001,1180.00,DIBAO,'=t",
    );
    expect(back).toEqual([
      expect.objectContaining({ paymentRef: '2026-10--x-000001', batch: '-x', town: '=t' }),
    ]);
  });
});
