import { rm } from 'node:fs/promises';
import { BUCKET, makeStackFolder } from './stack-folder.ts';
import type { StandInServers } from './stand-in-servers.ts';
import { forkStandInServers } from './stand-ins-process.ts';

/** The stand-ins' process, forked before the local stack that will use it. */
export interface StandInsAhead {
  /** Its folder (`payguard-s3-{pid}-…`), made before it was forked. */
  readonly directory: string;
  /** Hands the process to `startLocalStack` (once), which stops it and removes the folder with the stack. */
  adopt(): Promise<StandInServers>;
  /** Stops the process and removes its folder, unless a stack adopted them. */
  release(): Promise<void>;
}

/**
 * Forks the S3 and DynamoDB stand-ins' process now, before the caller loads the rest of what it
 * runs: the process takes ~1 s to start, which the CLI used to wait for after its own ~1 s of
 * imports; started first, the two overlap. Only this module and the fork are loaded for it.
 */
export async function forkStandInsAhead(): Promise<StandInsAhead> {
  const directory = await makeStackFolder();
  const servers = forkStandInServers({ directory, bucket: BUCKET });
  // Until adopted, a failure to start is the adopter's to report (or nobody's, once released).
  servers.catch(() => undefined);
  let adopted = false;
  return {
    directory,
    adopt() {
      if (adopted) throw new Error('the stand-ins started ahead were adopted already');
      adopted = true;
      return servers;
    },
    async release() {
      if (adopted) return;
      adopted = true;
      await servers.then((s) => s.close()).catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
