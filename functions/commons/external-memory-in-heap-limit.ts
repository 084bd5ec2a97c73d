import { setFlagsFromString } from 'node:v8';
import type { MiddlewareObj } from '@middy/core';

const ON = '--external-memory-accounted-in-global-limit';
const OFF = '--no-external-memory-accounted-in-global-limit';

/**
 * While the handler runs, V8 counts the memory of Buffers and typed arrays (external memory) in the
 * heap's own limit, instead of starting a full collection each time they grow 64 MB past what the
 * last one left. A function that reads hundreds of MB through Buffers while it holds a large heap
 * (a partition reading its staged shards into its people) otherwise marks that whole heap every
 * few tens of MB read, although most of those Buffers die young and a scavenge frees them. Set at run time (`v8.setFlagsFromString`), so the function does the same in Lambda, whose
 * Node takes V8 flags only on a command line a function cannot set, as in the local workers.
 *
 * Only for functions with memory to spare (3,008 MB): it lets a function hold more before it
 * collects (measured at 1M payees: CheckPartition's largest invocation ~870 → ~1,090 MB). Turned
 * off again after the handler; a full collection then restores the default limit (the local
 * workers run one before each invocation; in Lambda the next invocation is the same function).
 *
 * Measured on the development machine, whole 1M months alternated with its commit before:
 * CheckPartition's CPU 25.1 / 24.7 → 21.5 / 20.6 s (four invocations). StageDataset, which holds
 * little, gained nothing beyond the host's noise and peaked higher (444 → 541–761 MB): it does not
 * use it.
 */
export const externalMemoryInHeapLimit = (): MiddlewareObj => ({
  before: () => {
    setFlagsFromString(ON);
  },
  after: () => {
    setFlagsFromString(OFF);
  },
  onError: () => {
    setFlagsFromString(OFF);
  },
});
