import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueDeskLinksLocally } from '#local/engine/desk-links.ts';
import { LocalEventBridge } from '#local/engine/event-bridge.ts';
import { LocalWorkflows } from '#local/engine/local-workflows.ts';
import { startLocalStack } from '#local/stand-ins/local-stack.ts';
import { isMonth } from '#schemas/month.ts';
import { demoContacts, startApprovalServices } from './approval-services.ts';
import { loadDataDir } from './data-dir-loader.ts';
import { deskLinks } from './desk-mail.ts';
import { removeOnInterrupt } from './interrupt-cleanup.ts';
import { preflight, RunError } from './run-month.ts';

/** Options of {@link serveDesk}. */
export interface ServeDeskOptions {
  readonly dataDir: string;
  readonly month: string;
  /** Port of the loopback site. @default - any free port */
  readonly port?: number;
  readonly say: (line: string) => void;
}

/** A desk served on loopback, until {@link ServedDesk.stop}. */
export interface ServedDesk {
  readonly siteUrl: string;
  /** Each office's link, by town code, as it was e-mailed (locally: into the outbox). */
  readonly links: ReadonlyMap<string, string>;
  stop(): Promise<void>;
}

/**
 * `npm start -- desk`: loads DIR into the embedded stack (every upload ingested as usual), serves
 * the site on loopback — the town desk and the approval page —, issues the month's desk link to
 * every town office through the `issue-desk-links` function and prints each. Uploads made from
 * the desk go into the stand-in bucket and are ingested as they arrive.
 */
export async function serveDesk(options: ServeDeskOptions): Promise<ServedDesk> {
  if (!isMonth(options.month)) throw new RunError(`--month must be YYYY-MM, got "${options.month}"`);
  const codes = await preflight(options.dataDir);
  const outboxDir = await mkdtemp(join(tmpdir(), 'payguard-desk-outbox-'));
  const forgetOutbox = removeOnInterrupt(outboxDir);
  const stack = await startLocalStack();
  const forgetStack = removeOnInterrupt(stack.directory);
  const services = await startApprovalServices({
    outboxDir,
    contacts: demoContacts(codes),
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  const workflows = await LocalWorkflows.create({ broker: services.broker });
  const bridge = new LocalEventBridge(stack, workflows);
  options.say(`loading ${options.dataDir} into the embedded stack …`);
  const { uploaded } = await loadDataDir(options.dataDir, stack);
  // Loaded before the first office opens its link, not when it does (~0.6 s of modules).
  services.preloadSite();
  await bridge.drain();
  options.say(`${uploaded} files loaded and ingested`);
  await issueDeskLinksLocally({ month: options.month, by: 'payguard:cli' });
  const links = new Map<string, string>();
  for (const mail of services.ses.sent()) {
    const town = codes.find((code) => mail.to.includes(demoContacts([code]).towns[code] ?? ''));
    const [link] = deskLinks(mail.text ?? '');
    if (town !== undefined && link !== undefined) links.set(town, link);
  }
  return {
    siteUrl: services.approvalUrl,
    links,
    async stop() {
      workflows.abortAll();
      await services.stop();
      await stack.stop();
      await rm(outboxDir, { recursive: true, force: true });
      forgetStack();
      forgetOutbox();
    },
  };
}
