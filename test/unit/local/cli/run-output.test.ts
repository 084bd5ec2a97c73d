import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '#local/cli/run-error.ts';
import { RUN_MARKER, RunOutput } from '#local/cli/run-output.ts';

let parent: string;
let out: string;

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

/** An OUT holding a complete earlier run: a validation report of a batch and an older release. */
async function earlierRun(): Promise<void> {
  await mkdir(join(out, 'validation'), { recursive: true });
  await writeFile(join(out, 'validation', 'gone-batch.txt'), 'old report');
  await writeFile(join(out, 'release.csv'), 'old release');
  await writeFile(join(out, RUN_MARKER), '');
}

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'payguard-run-output-'));
  out = join(parent, 'out');
});

afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('RunOutput', () => {
  it('writes beside OUT until the run completes, then puts the run in its place', async () => {
    // Prepare
    const output = await RunOutput.open(out);
    await writeFile(join(output.dir, 'findings.csv'), 'new');

    // Act
    const before = await readdir(parent);
    await output.commit();

    // Assess
    expect(before).toEqual([`out.partial-${process.pid}`]);
    expect((await readdir(parent)).sort()).toEqual(['out']);
    expect((await readdir(out)).sort()).toEqual([RUN_MARKER, 'findings.csv']);
    expect(output.finalPath(join(output.dir, 'findings.csv'))).toBe(join(out, 'findings.csv'));
  });

  it('leaves nothing of an earlier run in OUT: reports of batches no longer there, an older release', async () => {
    // Prepare
    await earlierRun();
    const output = await RunOutput.open(out);
    await writeFile(join(output.dir, 'findings.csv'), 'new');

    // Act
    await output.commit();

    // Assess
    expect((await readdir(out)).sort()).toEqual([RUN_MARKER, 'findings.csv']);
    expect(await readdir(parent)).toEqual(['out']);
  });

  it('leaves OUT as it was when the run is discarded', async () => {
    // Prepare
    await earlierRun();
    const output = await RunOutput.open(out);
    await writeFile(join(output.dir, 'findings.csv'), 'new');

    // Act
    await output.discard();

    // Assess
    expect(await readdir(parent)).toEqual(['out']);
    expect(await readFile(join(out, 'release.csv'), 'utf8')).toBe('old release');
  });

  it('removes the partial and replaced folders of runs whose process is gone, and only those', async () => {
    // Prepare
    const dead = deadPid();
    await mkdir(join(parent, `out.partial-${dead}`, 'validation'), { recursive: true });
    await mkdir(join(parent, `out.replaced-${dead}`));
    await mkdir(join(parent, `out.partial-${process.ppid}`));
    await mkdir(join(parent, `other.partial-${dead}`));

    // Act
    const output = await RunOutput.open(out);

    // Assess
    expect((await readdir(parent)).sort()).toEqual(
      [`other.partial-${dead}`, `out.partial-${process.pid}`, `out.partial-${process.ppid}`].sort(),
    );
    await output.discard();
  });

  it('refuses an OUT that is a file, with one clear line', async () => {
    // Prepare
    await writeFile(out, 'not a folder');

    // Act
    const open = RunOutput.open(out);

    // Assess
    await expect(open).rejects.toThrow(RunError);
    await expect(open).rejects.toThrow(
      `--out ${out} is a file, not a folder; give a folder for the run's outputs`,
    );
  });

  it('refuses an OUT holding files no run wrote, and touches nothing', async () => {
    // Prepare
    await mkdir(out);
    await writeFile(join(out, 'thesis.docx'), 'precious');

    // Act
    const open = RunOutput.open(out);

    // Assess
    await expect(open).rejects.toThrow(`--out ${out} holds files of something else (e.g. thesis.docx)`);
    expect(await readdir(parent)).toEqual(['out']);
  });

  it.each(['summary.json', 'audit.jsonl', 'outbox', 'demo-data'])(
    'takes an OUT written before runs marked theirs, recognised by its %s',
    async (name) => {
      // Prepare
      await mkdir(join(out, name === 'outbox' || name === 'demo-data' ? name : ''), { recursive: true });
      if (name.includes('.')) await writeFile(join(out, name), '{}');

      // Act
      const output = await RunOutput.open(out);
      await output.commit();

      // Assess
      expect(await readdir(out)).toEqual([RUN_MARKER]);
    },
  );
});
