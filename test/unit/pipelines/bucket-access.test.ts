import { describe, expect, it } from 'vitest';
import {
  APPROVAL_DESK_MODULE,
  BUCKET_ACCESS,
  bucketGrantsOf,
  grantsAllow,
  TOWN_DESK_MODULE,
} from '#pipelines/bucket-access.ts';
import { STANDALONE_MODULES } from '#pipelines/standalone-functions.ts';
import { WORKFLOWS } from '#pipelines/workflows.ts';
import {
  BUCKET_LAYOUT,
  bankReturnFile,
  closeoutJson,
  matchesPattern,
  partnerFile,
  releaseFile,
  releaseManifest,
  rosterUpload,
  townsFile,
} from '#schemas/bucket-layout.ts';

const MODULES = new Set([
  ...WORKFLOWS.flatMap((w) => w.tasks.map((t) => t.functionModule)),
  APPROVAL_DESK_MODULE,
  ...STANDALONE_MODULES,
]);

describe('bucketGrantsOf', () => {
  it('grants reads and writes on the key patterns, and lists the folders listed and every key read', () => {
    // Act
    const grants = bucketGrantsOf({
      read: [closeoutJson, townsFile, townsFile],
      list: [bankReturnFile, partnerFile.where({ dataset: 'deaths' })],
      write: [closeoutJson],
    });

    // Assess
    expect(grants).toEqual({
      getObject: ['reports/????-??/closeout.json', 'reference/towns.csv'],
      putObject: ['reports/????-??/closeout.json'],
      listPrefixes: [
        'bank-returns/????-??/',
        'partners/deaths/',
        'reports/????-??/closeout.json',
        'reference/towns.csv',
      ],
    });
  });

  it('refuses to list a family that no folder lists', () => {
    expect(() => bucketGrantsOf({ list: [townsFile] })).toThrow(
      'reference/towns.csv is not listed by a folder',
    );
  });

  it('allows exactly what the patterns match, per action', () => {
    // Prepare
    const grants = bucketGrantsOf({ read: [townsFile], list: [bankReturnFile], write: [releaseFile] });

    // Act
    const decisions = [
      grantsAllow(grants, 's3:GetObject', 'reference/towns.csv'),
      grantsAllow(grants, 's3:GetObject', 'reference/registry.csv'),
      grantsAllow(grants, 's3:PutObject', 'reports/2026-10/release.csv'),
      grantsAllow(grants, 's3:PutObject', 'reference/towns.csv'),
      grantsAllow(grants, 's3:ListBucket', 'bank-returns/2026-10/'),
      grantsAllow(grants, 's3:ListBucket', 'bank-returns/'),
      grantsAllow(grants, 's3:ListBucket', 'reference/towns.csv'),
    ];

    // Assess
    expect(decisions).toEqual([true, false, true, false, true, false, true]);
  });
});

describe('BUCKET_ACCESS', () => {
  it('declares access only for function modules that exist, each deriving valid grants', () => {
    for (const [module, access] of Object.entries(BUCKET_ACCESS)) {
      expect(MODULES.has(module), module).toBe(true);
      expect(() => bucketGrantsOf(access), module).not.toThrow();
    }
  });

  it('gives the release family and its manifest a single writer: release-month', () => {
    // Act
    const writersOf = (key: string) =>
      Object.entries(BUCKET_ACCESS)
        .filter(([, access]) => bucketGrantsOf(access).putObject.some((p) => matchesPattern(p, key)))
        .map(([module]) => module);

    // Assess
    expect(writersOf(releaseFile.key({ month: '2026-10' }))).toEqual(['release-month']);
    expect(writersOf(releaseManifest.key({ month: '2026-10' }))).toEqual(['release-month']);
  });

  it('leaves no input of contract 1 writable by any function (only metrics, which the month watch computes, and the rosters the town desk signs PUTs for)', () => {
    // Prepare
    const inputs = Object.entries(BUCKET_LAYOUT)
      .filter(([, family]) =>
        ['incoming/', 'reference/', 'registers/', 'partners/', 'bank-returns/', 'config/'].includes(
          family.root,
        ),
      )
      .map(([name, family]) => ({ name, pattern: family.pattern }));

    // Act
    const written = Object.entries(BUCKET_ACCESS)
      .filter(([module]) => module !== TOWN_DESK_MODULE)
      .flatMap(([, access]) => bucketGrantsOf(access).putObject);
    const desk = bucketGrantsOf(BUCKET_ACCESS[TOWN_DESK_MODULE] ?? {}).putObject;

    // Assess
    expect(inputs.length).toBeGreaterThanOrEqual(7);
    for (const { name, pattern } of inputs) expect(written, name).not.toContain(pattern);
    // The desk's role signs the officer's PUT (a presigned URL acts with the signer's rights): rosters only.
    expect(desk).toEqual([rosterUpload.pattern]);
    expect(
      written.every((p) => p.startsWith('staged/') || p.startsWith('reports/') || p.startsWith('metrics/')),
    ).toBe(true);
  });
});
