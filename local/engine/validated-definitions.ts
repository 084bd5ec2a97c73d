import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedVersion, localCacheFolder, packageDir } from './installed-packages.ts';

/** The versions of the engine and of the validator it calls: a new one validates afresh. */
function versions(): string {
  const engine = packageDir('aws-local-stepfunctions');
  return `aws-local-stepfunctions@${installedVersion('aws-local-stepfunctions')} asl-validator@${installedVersion('asl-validator', engine)}`;
}

/** Where a definition found valid is marked (the markers are keyed by those versions). */
const cacheFolder = () => localCacheFolder('asl-valid');

let versionTag: string | undefined;

function markerOf(definitionText: string, optionsText: string): string {
  versionTag ??= versions();
  const digest = createHash('sha256')
    .update(`${versionTag}\n${optionsText}\n${definitionText}`)
    .digest('hex');
  return join(cacheFolder(), digest);
}

/**
 * Whether this very definition (its JSON text) was found valid with these validation options by
 * the same asl-validator and aws-local-stepfunctions versions in an earlier process. Validating an
 * ASL document compiles asl-validator's JSON schemas afresh each time (a new Ajv per call): about
 * 0.3 s of CPU per definition, ~2 s for the six machines of every `npm start` (measured at 200k
 * payees: 3 % of the whole month's CPU). The engine then skips validation for a definition known
 * valid; an invalid one is never marked, so it is refused every time.
 */
export function knownValid(definitionText: string, optionsText: string): boolean {
  try {
    return existsSync(markerOf(definitionText, optionsText));
  } catch {
    return false;
  }
}

/** Marks a definition found valid (best effort: a read-only `node_modules` just validates each time). */
export function markValid(definitionText: string, optionsText: string): void {
  try {
    mkdirSync(cacheFolder(), { recursive: true });
    writeFileSync(markerOf(definitionText, optionsText), '');
  } catch {
    // Nothing kept: the next process validates again.
  }
}
