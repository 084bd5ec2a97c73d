import { rmSync } from 'node:fs';

/** Folders to remove when the process is interrupted: a run's partial OUT, the embedded stack's files. */
const folders = new Set<string>();

/** Has `path` (a folder) removed if the process is interrupted; call the function returned once it is handled otherwise. */
export function removeOnInterrupt(path: string): () => void {
  folders.add(path);
  return () => folders.delete(path);
}

/** Exit codes of a process ended by a signal, as shells give them: 128 + the signal's number. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Makes SIGINT (Ctrl-C) and SIGTERM remove the registered folders, say so on one line and exit
 * 130 / 143. Without it Node would exit at once and leave the embedded stack's temporary folder
 * and a half-written OUT behind. For the CLI's entry point only: a library must not take over
 * the process's signals.
 */
export function exitCleanlyOnSignals(): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.once(signal, () => {
      for (const path of folders) rmSync(path, { recursive: true, force: true });
      process.stderr.write(`payguard: stopped by ${signal}; OUT is left as it was before this run\n`);
      process.exit(code);
    });
  }
}
