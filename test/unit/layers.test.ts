import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');
const CONFIG_FILES = ['biome.json', 'biome.layers.jsonc'];

/** A row of the README's Layout table: a folder and what it may import. */
interface LayerRow {
  /** e.g. `local/cli/`. */
  readonly folder: string;
  /** The row says "everything". */
  readonly everything: boolean;
  /** The folders (ending in `/`) and files (ending in `.ts`) named in its "may import" cell. */
  readonly allowed: readonly string[];
}

/** The Layout table of the README, the truth `npm run lint` enforces. */
function layoutTable(readme: string): LayerRow[] {
  const section = readme.slice(readme.indexOf('\n## Layout\n'));
  const lines = section.split('\n').filter((line) => line.startsWith('| `'));
  return lines.map((line) => {
    const [folderCell = '', , mayImport = ''] = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    const paths = [...mayImport.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    return {
      folder: folderCell.replaceAll('`', ''),
      everything: mayImport.startsWith('everything'),
      allowed: paths.filter((p) => p.endsWith('/') || p.endsWith('.ts')),
    };
  });
}

/** Whether the table lets `row`'s files import the project file `target` (e.g. `usecases/ports.ts`). */
function tableAllows(row: LayerRow, target: string): boolean {
  if (row.everything || target.startsWith(row.folder)) return true;
  return row.allowed.some((allowed) =>
    allowed.endsWith('/') ? target.startsWith(allowed) : target === allowed,
  );
}

interface Plant {
  /** Path of the planted file, relative to the tree. */
  readonly file: string;
  readonly specifier: string;
  readonly expectRefused: boolean;
}

const plantSource = (specifier: string) =>
  `import { planted } from '${specifier}';\nexport const use = planted;\n`;

/**
 * Runs the project's Biome with the project's configuration over `dir` (its own version-control
 * settings when `dir` is the project): the refused imports, by file.
 */
async function refusedImports(dir: string, vcs: boolean): Promise<Map<string, string[]>> {
  const run = promisify(execFile);
  const args = ['lint', '--only=style/noRestrictedImports', '--reporter=json', '--max-diagnostics=none'];
  const output = await run(BIOME, [...args, ...(vcs ? [] : ['--vcs-enabled=false']), '.'], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const report = JSON.parse(output.stdout) as {
    diagnostics: { category: string; message: string; location: { path: string } }[];
  };
  const refused = new Map<string, string[]>();
  for (const d of report.diagnostics) {
    if (d.category !== 'lint/style/noRestrictedImports') continue;
    refused.set(d.location.path, [...(refused.get(d.location.path) ?? []), d.message]);
  }
  return refused;
}

/** Writes the plants into a fresh tree with the project's lint configuration and lints it. */
async function lintPlants(plants: readonly Plant[]): Promise<Map<string, string[]>> {
  const tree = await mkdtemp(join(tmpdir(), 'payguard-layers-'));
  try {
    for (const name of CONFIG_FILES) await copyFile(join(ROOT, name), join(tree, name));
    for (const plant of plants) {
      await mkdir(join(tree, dirname(plant.file)), { recursive: true });
      await writeFile(join(tree, plant.file), plantSource(plant.specifier));
    }
    return await refusedImports(tree, false);
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}

/** The plants whose file lint refused or let pass against expectation, readably. */
const unexpected = (plants: readonly Plant[], refused: Map<string, string[]>) =>
  plants
    .filter((plant) => refused.has(plant.file) !== plant.expectRefused)
    .map(
      (p) =>
        `${p.file} importing ${p.specifier}: ${p.expectRefused ? 'passes, the table refuses it' : 'refused'}`,
    );

describe('the layer table', () => {
  let rows: LayerRow[];

  beforeAll(async () => {
    rows = layoutTable(await readFile(join(ROOT, 'README.md'), 'utf8'));
  });

  it('has a row for every folder of the project', async () => {
    // Prepare
    const run = promisify(execFile);
    const { stdout } = await run('git', ['ls-files'], { cwd: ROOT });
    const folders = new Set(
      stdout
        .split('\n')
        .filter((path) => path.includes('/') && !path.startsWith('.'))
        .map((path) => {
          const [top = '', sub = ''] = path.split('/');
          return top === 'local' ? `local/${sub}/` : `${top}/`;
        }),
    );

    // Act
    const described = new Set(rows.map((row) => row.folder));

    // Assess
    expect([...folders].sort()).toEqual([...described].sort());
    for (const row of rows)
      expect(row.everything || row.allowed.length > 0 || row.folder === 'schemas/').toBe(true);
  });

  it('is what npm run lint enforces: every import between folders the table does not allow is refused', async () => {
    // Prepare: one file per (folder, import), importing a module of each folder and each file the table names
    const layered = rows.filter((row) => !['test/', 'bench/', 'scripts/'].includes(row.folder));
    const targets = [
      ...layered.map((row) => `${row.folder}planted-target.ts`),
      ...new Set(rows.flatMap((row) => row.allowed.filter((path) => path.endsWith('.ts')))),
    ];
    const plants: Plant[] = [];
    for (const row of rows) {
      targets.forEach((target, i) => {
        plants.push({
          file: `${row.folder}planted-alias-${i}.ts`,
          specifier: `#${target}`,
          expectRefused: !tableAllows(row, target),
        });
      });
      const file = `${row.folder}planted-relative.ts`;
      const outside = row.folder === 'schemas/' ? 'domain/month.ts' : 'schemas/money.ts';
      plants.push({
        file,
        specifier: relative(dirname(file), outside),
        expectRefused: !row.everything,
      });
      plants.push({
        file: `${row.folder}planted-sibling.ts`,
        specifier: './sibling.ts',
        expectRefused: false,
      });
    }

    // Act
    const refused = await lintPlants(plants);

    // Assess
    expect(unexpected(plants, refused)).toEqual([]);
    expect(plants.filter((p) => p.expectRefused).length).toBeGreaterThan(100);
  });

  it('keeps AWS out of the pure folders and schemas/ to its packages', async () => {
    // Prepare
    const plants: Plant[] = [
      ...['schemas', 'domain', 'formats', 'usecases', 'pipelines', 'views', 'demo'].flatMap((folder) => [
        { file: `${folder}/aws-sdk.ts`, specifier: '@aws-sdk/client-s3', expectRefused: true },
        { file: `${folder}/middy.ts`, specifier: '@middy/core', expectRefused: true },
      ]),
      { file: 'schemas/crypto.ts', specifier: 'node:crypto', expectRefused: true },
      { file: 'schemas/zod.ts', specifier: 'zod', expectRefused: false },
      {
        file: 'schemas/event.ts',
        specifier: '@aws-lambda-powertools/parser/schemas/s3',
        expectRefused: false,
      },
      { file: 'domain/crypto.ts', specifier: 'node:crypto', expectRefused: false },
      { file: 'adapters/aws-sdk.ts', specifier: '@aws-sdk/client-s3', expectRefused: false },
      { file: 'functions/middy.ts', specifier: '@middy/core', expectRefused: false },
      { file: 'infra/cdk.ts', specifier: 'aws-cdk-lib', expectRefused: false },
    ];

    // Act
    const refused = await lintPlants(plants);

    // Assess
    expect(unexpected(plants, refused)).toEqual([]);
  });

  it('holds for the project as it is', async () => {
    // Act
    const refused = await refusedImports(ROOT, true);

    // Assess
    expect(Object.fromEntries(refused)).toEqual({});
  });
});
