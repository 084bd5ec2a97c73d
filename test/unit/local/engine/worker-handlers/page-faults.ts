/**
 * Test handler: fills `buffers` Buffers of `megabytes` each, lets them go and collects them, `rounds`
 * times, and counts the page faults (minor: fresh pages) of every round after the first, and the
 * pages those rounds wrote. A process whose allocator keeps freed memory for the next Buffers
 * faults a few pages only; one that returns it to the kernel faults each page written again.
 */
export async function handler(event: {
  rounds: number;
  buffers: number;
  megabytes: number;
}): Promise<{ faults: number; pages: number }> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('page-faults needs --expose-gc');
  let faults = 0;
  for (let round = 0; round < event.rounds; round++) {
    const before = process.resourceUsage().minorPageFault;
    let held: Uint8Array[] = [];
    for (let i = 0; i < event.buffers; i++)
      held.push(new Uint8Array(event.megabytes * 2 ** 20).fill(round + 1));
    held = [];
    collect();
    if (round > 0) faults += process.resourceUsage().minorPageFault - before;
  }
  return { faults, pages: ((event.rounds - 1) * event.buffers * event.megabytes * 2 ** 20) / 4096 };
}
