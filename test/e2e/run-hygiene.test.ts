import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError, runMonth } from '#local/cli/run-month.ts';
import { RUN_MARKER } from '#local/cli/run-output.ts';
import { DATASETS } from '#schemas/datasets.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV } from '../support/roster-builder.ts';

const MONTH = '2026-10';
const PROJECT = join(import.meta.dirname, '..', '..');
const CLI = ['--openssl-legacy-provider', '--import', 'tsx', 'local/cli/main.ts'];
let root: string;

/** A data directory of the month: shiqi and dongqu upload, the registry approves shiqi's payees. */
async function dataDir(name: string, files: Record<string, string> = {}): Promise<string> {
  const dir = join(root, name);
  const registryRows = [1, 2].map((seq) => {
    const r = rosterRow({}, seq);
    return [r[0], r[1], r[2], 'DIBAO', '1180.00', 'ACTIVE', 'shiqi', r[7], '', ''] as string[];
  });
  const all: Record<string, string> = {
    'reference/towns.csv': TOWNS_CSV,
    'reference/registry.csv': csv(DATASETS.registry.columnNames, registryRows),
    [`incoming/${MONTH}/shiqi/roster.csv`]: csv(ENGLISH_HEADER, [rosterRow({}, 1), rosterRow({}, 2)]),
    [`incoming/${MONTH}/dongqu/roster.csv`]: csv(ENGLISH_HEADER, [rosterRow({ town: 'dongqu' }, 3)]),
    ...files,
  };
  for (const [key, body] of Object.entries(all)) {
    await mkdir(dirname(join(dir, key)), { recursive: true });
    if (body !== '\u0000delete') await writeFile(join(dir, key), body);
  }
  return dir;
}

/** Runs the CLI to its end: exit code and output. */
const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, [...CLI, ...args], { cwd: PROJECT }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

/** Starts the CLI and resolves once a line of its output matches `pattern` (with the match). */
function startCli(args: string[], pattern: RegExp): { child: ChildProcess; seen: Promise<RegExpExecArray> } {
  const child = spawn(process.execPath, [...CLI, ...args], {
    cwd: PROJECT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const seen = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`the CLI ended (${code}) before ${pattern}: ${output}`)));
  });
  return { child, seen };
}

const ended = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-hygiene-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a run that cannot run says why on one line and touches nothing', () => {
  it('names config/pipeline.json and its problem once, before any upload is checked', async () => {
    // Prepare
    const data = await dataDir('bad-config', { 'config/pipeline.json': '{"pensionIncome": 15' });
    const out = join(root, 'out-bad-config');
    const progress: string[] = [];

    // Act
    const run = runMonth({
      dataDir: data,
      month: MONTH,
      outDir: out,
      approve: 'auto',
      progress: (l) => progress.push(l),
    });

    // Assess
    await expect(run).rejects.toThrow(RunError);
    await expect(run).rejects.toThrow(
      /^config\/pipeline\.json is not valid JSON \([^\n]+\); correct it, or delete the file to use the defaults$/,
    );
    expect(progress).toEqual([]);
    expect(await exists(out)).toBe(false);
  });

  it('names a bad value of config/pipeline.json the same way', async () => {
    // Prepare
    const data = await dataDir('bad-value', { 'config/pipeline.json': '{"approvalLinkHours": 0}' });

    // Act
    const run = runMonth({
      dataDir: data,
      month: MONTH,
      outDir: join(root, 'out-bad-value'),
      approve: 'auto',
    });

    // Assess
    await expect(run).rejects.toThrow(
      new RunError(
        'config/pipeline.json: approvalLinkHours must be a whole number of hours from 1 to 168; correct the value, or remove the key to use the default',
      ),
    );
  });

  it('says --out is a file, not a raw errno', async () => {
    // Prepare
    const data = await dataDir('out-file');
    const file = join(root, 'a-file');
    await writeFile(file, 'not a folder');

    // Act
    const run = runMonth({ dataDir: data, month: MONTH, outDir: file, approve: 'auto' }).catch(
      (e: Error) => e,
    );
    const audit = await cli(['audit', '--out', file, '--verify']);

    // Assess
    expect(await run).toEqual(
      new RunError(`--out ${file} is a file, not a folder; give a folder for the run's outputs`),
    );
    expect(audit.code).toBe(1);
    expect(audit.stderr).toBe(`payguard: --out ${file} is a file, not the output folder of a run\n`);
  });

  it('refuses data inside OUT, which the run would replace', async () => {
    // Prepare
    const out = join(root, 'out-holding-data');
    const data = await dataDir(join('out-holding-data', 'data'));

    // Act
    const run = runMonth({ dataDir: data, month: MONTH, outDir: out, approve: 'auto' });

    // Assess
    await expect(run).rejects.toThrow(`--data ${data} is inside --out ${out}, which a run replaces whole`);
    expect(await readdir(out)).toEqual(['data']);
  });

  it.each([
    ['0-byte', ''],
    ['header-only', `${DATASETS.registry.columnNames.join(',')}\n`],
  ])('stops the month at a %s registry, and nothing goes to the approvers', async (name, body) => {
    // Prepare
    const data = await dataDir(`registry-${name}`, { 'reference/registry.csv': body });
    const out = join(root, `out-registry-${name}`);
    const progress: string[] = [];

    // Act
    const run = runMonth({
      dataDir: data,
      month: MONTH,
      outDir: out,
      approve: 'auto',
      progress: (l) => progress.push(l),
    });

    // Assess
    await expect(run).rejects.toThrow(
      new RunError(
        'the month run stopped: ReferenceDataError: reference/registry.csv holds no records: nothing can be verified ' +
          'against an empty system of record; upload the full file and run the month again',
      ),
    );
    expect(progress.filter((line) => /e-mailed|approved/.test(line))).toEqual([]);
    expect(progress.some((line) => line.startsWith('month run for'))).toBe(true);
    expect(await exists(out)).toBe(false);
    expect(await readdir(root)).not.toContain(expect.stringMatching(/^out-registry-.*\.partial-/));
  });
});

describe('a re-run into the same OUT', () => {
  it('leaves no file of the earlier run: no report of a batch gone, no older release', async () => {
    // Prepare
    const out = join(root, 'out-rerun');
    await runMonth({ dataDir: await dataDir('first'), month: MONTH, outDir: out, approve: 'auto' });
    const first = await readdir(out);
    const second = await dataDir('second', { [`incoming/${MONTH}/dongqu/roster.csv`]: '\u0000delete' });

    // Act
    await runMonth({ dataDir: second, month: MONTH, outDir: out, approve: 'none' });

    // Assess
    expect(first).toEqual(expect.arrayContaining(['release.csv', 'release.manifest.json', RUN_MARKER]));
    expect(await readdir(join(root, 'first', 'incoming', MONTH))).toContain('dongqu');
    expect(await readdir(out)).not.toContain('release.csv');
    expect(await readdir(out)).not.toContain('release.manifest.json');
    expect(await readdir(join(out, 'validation'))).toEqual(['shiqi.txt']);
    expect((await readdir(root)).filter((n) => n.startsWith('out-rerun'))).toEqual(['out-rerun']);
  });
});

describe('a run that is killed or interrupted', () => {
  it('after SIGKILL leaves OUT as the earlier run and its partial folder plainly apart; the next run clears both', async () => {
    // Prepare
    const data = await dataDir('killed');
    const out = join(root, 'out-killed');
    await runMonth({ dataDir: data, month: MONTH, outDir: out, approve: 'auto' });
    const earlierAudit = await readFile(join(out, 'audit.jsonl'), 'utf8');
    const { child, seen } = startCli(
      ['run', '--data', data, '--month', MONTH, '--out', out],
      /files in (\S+)\),[\s\S]*month run for/,
    );
    const stackFolder = (await seen)[1] as string;

    // Act
    child.kill('SIGKILL');
    await ended(child);
    const afterKill = (await readdir(root)).filter((n) => n.startsWith('out-killed'));
    const stackLeft = await exists(stackFolder);
    await runMonth({ dataDir: data, month: MONTH, outDir: out, approve: 'auto' });

    // Assess
    expect(afterKill.sort()).toEqual(['out-killed', `out-killed.partial-${child.pid}`]);
    expect(stackLeft).toBe(true);
    expect(await readFile(join(out, RUN_MARKER), 'utf8')).not.toBe('');
    expect((await readdir(root)).filter((n) => n.startsWith('out-killed'))).toEqual(['out-killed']);
    expect(await exists(stackFolder)).toBe(false);
    expect(await readFile(join(out, 'audit.jsonl'), 'utf8')).not.toBe(earlierAudit);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'on %s removes the embedded stack folder and its partial OUT, and exits %i',
    async (signal, code) => {
      // Prepare
      const data = await dataDir(`signal-${signal}`);
      const out = join(root, `out-${signal}`);
      const { child, seen } = startCli(
        ['run', '--data', data, '--month', MONTH, '--out', out],
        /files in (\S+)\),/,
      );
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const stackFolder = (await seen)[1] as string;
      const partialBefore = await exists(`${out}.partial-${child.pid}`);

      // Act
      child.kill(signal);
      const end = await ended(child);

      // Assess
      expect(partialBefore).toBe(true);
      expect(end.code).toBe(code);
      expect(stderr).toBe(`payguard: stopped by ${signal}; OUT is left as it was before this run\n`);
      expect(await exists(stackFolder)).toBe(false);
      expect((await readdir(root)).filter((n) => n.startsWith(`out-${signal}`))).toEqual([]);
    },
  );
});
