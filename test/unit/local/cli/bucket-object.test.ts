import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveObjects } from '#local/cli/bucket-object.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'payguard-save-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saveObjects', () => {
  it('saves every object at once, each to its file, and lists the files written in the order given', async () => {
    // Prepare: a stack whose exports of three keys overlap, the first answered last; no `absent`.
    const bodies: Record<string, { text: string; delayMs: number }> = {
      'months/2026-10/release.csv': { text: '批次,金额\n'.repeat(2000), delayMs: 60 },
      'months/2026-10/findings.csv': { text: 'code,detail\n', delayMs: 0 },
      'months/2026-10/closeout.csv': { text: 'status\nPAID\n', delayMs: 20 },
    };
    let inFlight = 0;
    let most = 0;
    const stack = {
      async exportObject(key: string, path: string) {
        const body = bodies[key];
        if (body === undefined) return false;
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, body.delayMs));
        await writeFile(path, body.text);
        inFlight--;
        return true;
      },
    };
    const objects = [
      { key: 'months/2026-10/release.csv', path: join(dir, 'release.csv') },
      { key: 'months/2026-10/absent.csv', path: join(dir, 'absent.csv') },
      { key: 'months/2026-10/findings.csv', path: join(dir, 'findings.csv') },
      { key: 'months/2026-10/closeout.csv', path: join(dir, 'closeout.csv') },
    ];

    // Act
    const written = await saveObjects(stack, objects);

    // Assess
    expect(written).toEqual([join(dir, 'release.csv'), join(dir, 'findings.csv'), join(dir, 'closeout.csv')]);
    expect(most).toBe(3);
    for (const { key, path } of objects.filter((o) => bodies[o.key] !== undefined))
      expect(await readFile(path, 'utf8')).toBe(bodies[key]?.text);
  });
});
