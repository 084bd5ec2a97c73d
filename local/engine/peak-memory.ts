import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Resets this process's peak resident set size (VmHWM) by writing 5 to `/proc/self/clear_refs`
 * (Linux, `man 5 proc`), so that {@link peakRss} then reports the peak since now.
 * @returns false where it cannot (not Linux, or refused): the peak is then the process's whole life.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** This process's peak resident set size in bytes: VmHWM since the last reset, else since it started. */
export function peakRss(): number {
  try {
    const kb = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // Not Linux: getrusage below.
  }
  return process.resourceUsage().maxRSS * 1024;
}
