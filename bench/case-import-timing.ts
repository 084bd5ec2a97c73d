/**
 * Times the desk's bulk import of a town's case workbook on the embedded stack (dynalite):
 * `npx tsx bench/case-import-timing.ts [ROWS…] [--latency MS]` (default 1000 10000) opens ROWS
 * cases in a town, fills the downloaded template for every one and imports it, printing the time
 * of the import alone and the audit entries it wrote. dynalite answers in the same process, so its
 * calls cost CPU rather than wait: `--latency MS` adds MS of waiting to every table call of the
 * import, as DynamoDB's round trip from a Lambda (~8 ms) would. Not part of `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { startLocalStack } from '#local/stand-ins/local-stack.ts';
import { ChainedAuditTrail } from '#usecases/audit-chain.ts';
import { importCaseOutcomesWorkbook } from '#usecases/case-workbook.ts';
import { bulkCase, bulkOutcome, fillCaseWorkbook } from './case-workbook-filler.ts';

const args = process.argv.slice(2);
const latencyAt = args.indexOf('--latency');
const latencyMs = latencyAt < 0 ? 0 : Number(args[latencyAt + 1]);
const sizes = (latencyAt < 0 ? args : args.slice(0, latencyAt)).map(Number);
const stack = await startLocalStack();
try {
  const { documentClient } = await import('#adapters/clients.ts');
  const { DynamoCaseStore } = await import('#adapters/dynamo-case-store.ts');
  const { DynamoAuditLedger } = await import('#adapters/dynamo-audit-ledger.ts');
  const cases = new DynamoCaseStore(documentClient(), stack.caseTable);
  const audit = new ChainedAuditTrail(new DynamoAuditLedger(documentClient(), stack.auditTable));
  for (const [i, rows] of (sizes.length > 0 ? sizes : [1000, 10_000]).entries()) {
    const month = `2030-${String(i + 1).padStart(2, '0')}`;
    const town = 'xiaolan';
    const records = Array.from({ length: rows }, (_, n) => bulkCase(month, town, n + 1));
    await cases.openAll(month, records);
    const byId = new Map(records.map((r) => [r.caseId, r]));
    const { bytes } = await fillCaseWorkbook({ month, town }, { cases }, (id) => {
      const record = byId.get(id);
      return record ? bulkOutcome(record) : undefined;
    });
    const client = documentClient();
    const send = client.send.bind(client);
    if (latencyMs > 0) {
      client.send = (async (...call: Parameters<typeof send>) => {
        await new Promise((resolve) => setTimeout(resolve, latencyMs));
        return send(...call);
      }) as typeof client.send;
    }
    const started = performance.now();
    const report = await importCaseOutcomesWorkbook(
      { month, town, officer: 'bench', bytes },
      { cases, audit, now: () => new Date().toISOString() },
    );
    const seconds = (performance.now() - started) / 1000;
    client.send = send;
    const entries = (await audit.list(month)).length;
    console.log(
      `${rows} rows${latencyMs > 0 ? ` (+${latencyMs} ms a call)` : ''}: import ${seconds.toFixed(2)} s (applied ${report.applied}, refused ${report.refused}); ${entries} audit entries`,
    );
  }
} finally {
  await stack.stop();
}
