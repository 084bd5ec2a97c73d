import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseFaultPlan } from '#local/engine/fault-plan.ts';
import { previousMonth } from '#schemas/month.ts';
import {
  AUDIT_EXPORT,
  describeAuditVerdict,
  formatAuditEntries,
  readAuditExport,
  verifyAuditExport,
} from './audit-export.ts';
import { exitCleanlyOnSignals, removeOnInterrupt } from './interrupt-cleanup.ts';
import { RunError } from './run-error.ts';
import type { RunMonthOptions, RunMonthResult } from './run-month.ts';
import { RunOutput } from './run-output.ts';
import { printRunSummary, printWatchSummary } from './run-summary-table.ts';

const USAGE = `usage:
  npm start                                    run a demonstration month on generated data (outputs in ./out)
  npm start -- run --data DIR --month YYYY-MM --out OUT [--approve auto|manual] [--port N]
                                               run one month over DIR (contract bucket layout)
  npm start -- anomalies --data DIR --month YYYY-MM --out OUT [--seed S]
                                               town indicators, anomalies, home-visit sample and report.html
                                               (the month's rosters in DIR are checked first, not approved)
  npm start -- desk --data DIR --month YYYY-MM [--port N]
                                               serve the town desk (and approval page) on loopback over DIR,
                                               print each town office's link; Ctrl-C ends it
  npm start -- audit --out OUT [--action NAME] print the audit trail of the month run into OUT
  npm start -- audit --out OUT --verify        check its hash chain; names the first broken entry`;

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `PAYGUARD_FAULT=workflow:state:transient|crash[:invocation]`: one Task state fails once (see
 * local/engine/fault-plan.ts), to watch the pipeline recover or stop with the failure recorded.
 */
function faultFromEnvironment(): { fault?: ReturnType<typeof parseFaultPlan> } {
  const text = process.env.PAYGUARD_FAULT;
  if (!text) return {};
  try {
    return { fault: parseFaultPlan(text) };
  } catch (error) {
    throw new RunError(`PAYGUARD_FAULT: ${(error as Error).message}`);
  }
}

/**
 * `PAYGUARD_WORKERS`: how many Lambda-like worker processes run handlers at once
 * (local/engine/lambda-workers.ts); unset or `0`, every handler in this process. With workers the
 * embedded S3 and DynamoDB run in a process of their own (`runMonth`), off the engine's thread.
 * A 5M-payee month needs them (in one process it did not complete; with 2 workers it completes
 * and agrees with DuckDB). Not the default: the stand-ins' own process costs ~2 s to start, which
 * every e2e test file would pay (README, Architecture).
 */
function workersFromEnvironment(): { workers: boolean | { size: number } } {
  const text = process.env.PAYGUARD_WORKERS;
  if (text === undefined || text === '') return { workers: false };
  const size = Number(text);
  if (!Number.isInteger(size) || size < 0)
    throw new RunError(`PAYGUARD_WORKERS must be a whole number of workers (0: none), got "${text}"`);
  return { workers: size === 0 ? false : { size } };
}

/**
 * Runs a month (`run-month.ts`, loaded here). With workers, the stand-ins' process is forked
 * first, so its start overlaps the loading of the run's modules (~1 s each); it is stopped here if
 * the run ends before its stack adopted it.
 */
async function startRun(options: RunMonthOptions): Promise<RunMonthResult> {
  const ahead = options.workers
    ? await (await import('#local/stand-ins/stand-ins-ahead.ts')).forkStandInsAhead()
    : undefined;
  const forget = ahead && removeOnInterrupt(ahead.directory);
  try {
    const { runMonth } = await import('./run-month.ts');
    return await runMonth({ ...options, ...(ahead ? { standInsAhead: ahead } : {}) });
  } finally {
    await ahead?.release();
    forget?.();
  }
}

async function demo(): Promise<void> {
  const { generateDemoMonth } = await import('#demo/generate-month.ts');
  const { simulateBankReturns } = await import('#demo/bank-returns.ts');
  const { seedDemoMetricsHistory } = await import('#demo/metrics-history.ts');
  const { demoCaseHistory } = await import('#demo/case-history.ts');
  const today = new Date().toISOString().slice(0, 7);
  const month = previousMonth(today);
  const outDir = resolve('out');
  // The generated data is part of the run's output: it goes into OUT's partial folder with the rest.
  const output = await RunOutput.open(outDir);
  const dataDir = join(output.dir, 'demo-data');
  say(`payguard demonstration month ${month}`);
  say(`generating a city's data in ${output.finalPath(dataDir)} …`);
  const result = await (async () => {
    const manifest = await generateDemoMonth({ dir: dataDir, month });
    say(`  ${manifest.towns.length} towns, ${manifest.files.length} files`);
    for (const file of manifest.files.filter((f) => f.note)) say(`  - ${file.key}: ${file.note}`);
    const history = await seedDemoMetricsHistory(dataDir, month, manifest.towns);
    say(
      `  - ${history.length} months of town indicators (${history[0]} … ${history.at(-1)}): the history the month watch compares with`,
    );
    const caseHistory = await demoCaseHistory(dataDir, month);
    say(
      `  - ${caseHistory.cases.length} cases of ${caseHistory.month}, opened ${caseHistory.openedDaysAgo} days ago: some worked by their towns, the rest open and overdue`,
    );
    return startRun({
      dataDir,
      month,
      outDir,
      output,
      approve: 'auto',
      progress: say,
      ...faultFromEnvironment(),
      ...workersFromEnvironment(),
      playDesk: true,
      caseHistory,
      correctedRosters: manifest.correction ? [manifest.correction] : [],
      simulateBank: (releaseCsv) => simulateBankReturns(month, releaseCsv),
    });
  })().catch(async (error: unknown) => {
    await output.discard();
    throw error;
  });
  printRunSummary(result, say);
  say(`approval e-mails: ${resolve(outDir, 'outbox')}; audit trail: npm start -- audit --out ${outDir}`);
  say(`the month at a glance: ${resolve(outDir, 'report.html')}`);
}

async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      month: { type: 'string' },
      out: { type: 'string' },
      approve: { type: 'string', default: 'auto' },
      port: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  if (!values.data || !values.month || !values.out)
    throw new RunError('run needs --data DIR, --month YYYY-MM and --out OUT');
  if (values.approve !== 'auto' && values.approve !== 'manual') {
    throw new RunError(`--approve must be auto or manual, got "${values.approve}"`);
  }
  const port = values.port === undefined ? undefined : Number.parseInt(values.port, 10);
  if (port !== undefined && !(port > 0 && port < 65536))
    throw new RunError(`--port must be a TCP port, got "${values.port}"`);
  const result = await startRun({
    dataDir: resolve(values.data),
    month: values.month,
    outDir: resolve(values.out),
    approve: values.approve,
    progress: say,
    ...faultFromEnvironment(),
    ...workersFromEnvironment(),
    ...(port !== undefined ? { approvalPort: port } : {}),
    ...(values.seed ? { sampleSeed: values.seed } : {}),
  });
  printRunSummary(result, say);
}

async function anomalies(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      month: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  if (!values.data || !values.month || !values.out)
    throw new RunError('anomalies needs --data DIR, --month YYYY-MM and --out OUT');
  const result = await startRun({
    dataDir: resolve(values.data),
    month: values.month,
    outDir: resolve(values.out),
    approve: 'none',
    progress: say,
    ...faultFromEnvironment(),
    ...workersFromEnvironment(),
    ...(values.seed ? { sampleSeed: values.seed } : {}),
  });
  printWatchSummary(result, say);
}

async function desk(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' }, month: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  if (!values.data || !values.month) throw new RunError('desk needs --data DIR and --month YYYY-MM');
  const port = values.port === undefined ? undefined : Number.parseInt(values.port, 10);
  if (port !== undefined && !(port > 0 && port < 65536))
    throw new RunError(`--port must be a TCP port, got "${values.port}"`);
  const { serveDesk } = await import('./serve-desk.ts');
  const served = await serveDesk({
    dataDir: resolve(values.data),
    month: values.month,
    say,
    ...(port !== undefined ? { port } : {}),
  });
  say(`town desk for ${values.month} at ${served.siteUrl} — each office's link (opens the desk once):`);
  for (const [town, link] of served.links) say(`  ${town.padEnd(12)} ${link}`);
  say('Ctrl-C stops the desk (the embedded stack and its files go with it)');
  // The loopback servers keep the process alive; Ctrl-C ends it (exitCleanlyOnSignals removes the
  // stack's folder and the outbox).
  await new Promise<never>(() => undefined);
}

async function audit(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, action: { type: 'string' }, verify: { type: 'boolean' } },
    strict: true,
  });
  if (!values.out) throw new RunError('audit needs --out OUT (the output directory of a run)');
  const outDir = resolve(values.out);
  const noTrail = (error: unknown): never => {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new RunError(`no audit trail in ${outDir} (run a month into it first)`);
    if (code === 'ENOTDIR') throw new RunError(`--out ${outDir} is a file, not the output folder of a run`);
    throw new RunError(`${join(outDir, AUDIT_EXPORT)} cannot be read: ${(error as Error).message}`);
  };
  if (values.verify) {
    const verdict = await verifyAuditExport(outDir).catch(noTrail);
    if (verdict.broken) throw new RunError(describeAuditVerdict(verdict));
    say(describeAuditVerdict(verdict));
    return;
  }
  const entries = await readAuditExport(outDir).catch(noTrail);
  const shown = values.action ? entries.filter((e) => e.action === values.action) : entries;
  for (const line of formatAuditEntries(shown)) say(line);
  say(`${shown.length} audit entries`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) await demo();
    else if (command === 'run') await run(rest);
    else if (command === 'audit') await audit(rest);
    else if (command === 'anomalies') await anomalies(rest);
    else if (command === 'desk') await desk(rest);
    else if (command === 'help' || command === '--help' || command === '-h') say(USAGE);
    else throw new RunError(`unknown command "${command}"\n${USAGE}`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`payguard: ${message.split('\n')[0]}\n`);
    if (process.env.PAYGUARD_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return 1;
  }
}

exitCleanlyOnSignals();
// Timers of executions still waiting (for the bank) must not keep the process alive.
process.exit(await main(process.argv.slice(2)));
