import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { STANDALONE_MODULES } from '#pipelines/standalone-functions.ts';
import { WORKFLOWS } from '#pipelines/workflows.ts';

const FUNCTIONS = new URL('../../../functions/', import.meta.url);

/** Every handler module under `functions/` (no extension), with its source. */
async function handlers(): Promise<{ module: string; source: string }[]> {
  const files = (await readdir(FUNCTIONS)).filter((name) => name.endsWith('.ts'));
  return Promise.all(
    files.map(async (name) => ({
      module: name.slice(0, -'.ts'.length),
      source: await readFile(new URL(name, FUNCTIONS), 'utf8'),
    })),
  );
}

describe('handlers', () => {
  it('are exactly the modules the workflows run and the standalone ones (approval site, sweep)', async () => {
    // Act
    const modules = (await handlers()).map((h) => h.module).sort();

    // Assess
    const served = new Set([
      ...WORKFLOWS.flatMap((w) => w.tasks.map((t) => t.functionModule)),
      ...STANDALONE_MODULES,
    ]);
    expect(modules).toEqual([...served].sort());
  });

  it('each call the one use case of their own name', async () => {
    // Act
    const useCases = (await handlers()).map(({ module, source }) => ({
      module,
      useCases: [...source.matchAll(/from '#usecases\/([a-z0-9-]+)\.ts'/g)].map((m) => m[1]),
    }));

    // Assess
    for (const { module, useCases: imported } of useCases)
      expect({ module, imported }).toEqual({ module, imported: [module] });
  });

  it('take their payload schemas from schemas/ and define none of their own', async () => {
    // Act
    const own = (await handlers()).filter(({ source }) => /from 'zod'|\bz\.\w+\(|schemas\/s3'/.test(source));
    const parsed = (await handlers()).flatMap(({ module, source }) =>
      [...source.matchAll(/parser\(\{ schema: (\w+) \}\)/g)].map((m) => ({
        module,
        fromSchemas: new RegExp(`import \\{[^}]*\\b${m[1]}\\b[^}]*\\} from '#schemas/`).test(source),
      })),
    );

    // Assess
    expect(own.map((h) => h.module)).toEqual([]);
    // Every workflow task parses its payload; so do the rotation function its Secrets Manager event
    // and the two functions the bureau or the desk invoke (desk links, case outputs).
    const standalone = ['rotate-link-secret', 'issue-desk-links', 'write-case-outputs'];
    expect(parsed.length).toBe(WORKFLOWS.flatMap((w) => w.tasks).length + standalone.length);
    expect(parsed.map((p) => p.module)).toEqual(expect.arrayContaining(standalone));
    expect(parsed.filter((p) => !p.fromSchemas)).toEqual([]);
  });
});
