import { setFlagsFromString } from 'node:v8';
import type { MiddlewareObj } from '@middy/core';

const ON = '--external-memory-accounted-in-global-limit';
const OFF = '--no-external-memory-accounted-in-global-limit';

/**
 * Whether a V8 of this version (`process.versions.v8`) takes the flag and needs it: V8 13 (Node
 * 24's 13.6) up to 14.7. V8 14.8 made it the default and removed the flag (V8 commits 6a5039d9db
 * and cf511a65ad, bug 361124432); an older V8 is not known to have it. Where it is unknown,
 * setting it would print an error at every invocation.
 */
export function takesExternalMemoryFlag(v8Version: string): boolean {
  const [major = 0, minor = 0] = v8Version.split('.').map(Number);
  return major === 13 || (major === 14 && minor < 8);
}

const HAS_FLAG = takesExternalMemoryFlag(process.versions.v8);

const off = () => {
  if (HAS_FLAG) setFlagsFromString(OFF);
};

/**
 * While the handler runs, V8 counts the memory of Buffers and typed arrays (external memory) in the
 * heap's own limit, instead of starting a full collection each time they grow 64 MB past what the
 * last one left. A function that reads hundreds of MB through Buffers while it holds a large heap
 * (a partition reading its staged shards into its people) otherwise marks that whole heap every few
 * tens of MB read, although most of those Buffers die young and a scavenge frees them. Set at run
 * time (`v8.setFlagsFromString`): Lambda's Node takes V8 flags only on a command line a function
 * cannot set, so the function sets it itself, in Lambda as in the local workers. Only where the V8
 * takes the flag ({@link takesExternalMemoryFlag}).
 *
 * Only for functions with memory to spare (3,008 MB): it lets a function hold more before it
 * collects. Turned off again after the handler; a full collection then restores the default limit
 * (the local workers run one before each invocation; in Lambda the next invocation is the same
 * function, which sets it again).
 *
 * Measured on the development machine: CheckPartition's CPU in whole 1M months, alternated with
 * its commit before, 25.1 / 24.7 → 21.5 / 20.6 s (its largest invocation ~880 → 1,060–1,090 MB);
 * at 5M, 141.8 → 93.5 s (864 → 958 MB). StageDataset, which holds little, gained nothing beyond
 * the host's noise and peaked higher (444 → 541–761 MB at 1M): it does not use it.
 */
export const externalMemoryInHeapLimit = (): MiddlewareObj => ({
  before: () => {
    if (HAS_FLAG) setFlagsFromString(ON);
  },
  after: off,
  onError: off,
});
