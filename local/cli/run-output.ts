import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { removeStaleFolders } from '#local/stand-ins/stale-folders.ts';
import { AUDIT_EXPORT } from './audit-export.ts';
import { removeOnInterrupt } from './interrupt-cleanup.ts';
import { RunError } from './run-error.ts';

/** Written into every complete OUT: the folder is a run's, which the next run may replace whole. */
export const RUN_MARKER = '.payguard-run';

/**
 * Names by which an OUT written before the marker existed is still recognised as a run's: the
 * outbox came first, the demonstration's generated data before it.
 */
const EARLIER_RUN_FILES = ['summary.json', AUDIT_EXPORT, 'outbox', 'demo-data'];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A run's OUT while it is written: every output goes to the sibling folder `OUT.partial-{pid}`,
 * which takes OUT's place (a rename, atomic on one file system) only when the run completes. So
 * OUT is always a whole run: the earlier one until this one completes, never a mix of both and
 * never half of one. A run that fails or is interrupted removes its partial folder; one killed
 * outright (SIGKILL) leaves `OUT.partial-{pid}`, plainly not OUT, which the next run into the same
 * OUT removes.
 */
export class RunOutput {
  private constructor(
    /** Where the run's outputs go once complete. */
    readonly outDir: string,
    /** Where they are written meanwhile. */
    readonly dir: string,
    private readonly forgetOnInterrupt: () => void,
  ) {}

  /**
   * Prepares a partial folder for `outDir`, after removing those of dead runs.
   * @throws RunError when `outDir` is a file, or a folder holding something that is not a run's
   *   output (a run replaces OUT whole and must not take anything else with it).
   */
  static async open(outDir: string): Promise<RunOutput> {
    const info = await stat(outDir).catch(() => undefined);
    if (info && !info.isDirectory()) {
      throw new RunError(`--out ${outDir} is a file, not a folder; give a folder for the run's outputs`);
    }
    if (info) {
      const names = await readdir(outDir);
      const isRun = names.length === 0 || [RUN_MARKER, ...EARLIER_RUN_FILES].some((n) => names.includes(n));
      if (!isRun) {
        throw new RunError(
          `--out ${outDir} holds files of something else (e.g. ${names.sort()[0]}); a run replaces OUT whole, so give an empty or new folder`,
        );
      }
    }
    const parent = dirname(outDir);
    const name = basename(outDir);
    await removeStaleFolders(parent, new RegExp(`^${escapeRegExp(name)}\\.(?:partial|replaced)-(\\d+)$`));
    const dir = join(parent, `${name}.partial-${process.pid}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new RunError(`--out ${outDir}: cannot create ${dir} (${error.code ?? error.message})`);
    });
    return new RunOutput(outDir, dir, removeOnInterrupt(dir));
  }

  /** Where `path`, written under {@link dir}, is once the run is complete. */
  finalPath(path: string): string {
    return path.startsWith(this.dir) ? this.outDir + path.slice(this.dir.length) : path;
  }

  /** Puts the complete run in OUT's place; the earlier run in OUT goes. */
  async commit(): Promise<void> {
    await writeFile(
      join(this.dir, RUN_MARKER),
      'payguard run output: the next run into this folder replaces it whole\n',
    );
    const replaced = `${this.outDir}.replaced-${process.pid}`;
    const hadEarlier = await stat(this.outDir).then(
      () => true,
      () => false,
    );
    if (hadEarlier) await rename(this.outDir, replaced);
    await rename(this.dir, this.outDir);
    this.forgetOnInterrupt();
    if (hadEarlier) await rm(replaced, { recursive: true, force: true });
  }

  /** Removes what the run wrote; OUT stays as it was. */
  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    this.forgetOnInterrupt();
  }
}
