// Runs a command under Node >= 22, the one home of the project's Node version and of where it lives.
// When the Node running this file is older (a newcomer's system Node 20), Node 24 is installed from
// the npm registry into ./.tools once, and the command runs with it first on PATH, so `tsx`,
// `vitest`, `npx` and every `#!/usr/bin/env node` below them run under Node 24.
// Plain JavaScript with no dependencies: it runs on old Nodes and before `npm ci`.
//
//   node scripts/node24.mjs <command> [args...]   what the npm scripts do
//   node scripts/node24.mjs --bin-dir             prints the folder to put first on PATH, or nothing
//                                                 when this Node is new enough (scripts/use-node24.sh)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN_MAJOR = 22;
const NODE_PACKAGE = 'node@24';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = join(ROOT, '.tools');
const BIN_DIR = join(TOOLS, 'node_modules', '.bin');
const NODE_BIN = join(BIN_DIR, 'node');
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

function installedMajor() {
  if (!existsSync(NODE_BIN)) return 0;
  const r = spawnSync(NODE_BIN, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? majorOf(r.stdout.trim()) : 0;
}

/** The npm that runs this script when an npm script started it, else the one on PATH. */
function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  return npmCli?.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
}

/** Installs Node 24 into ./.tools unless a working one is there; exits with one line if it cannot. */
function ensureNode24() {
  if (installedMajor() >= MIN_MAJOR) return;
  const where = `./${relative(process.cwd(), TOOLS) || '.tools'}`;
  process.stderr.write(
    `payguard: installing Node 24 into ${where} (this Node is ${process.version}; once)\n`,
  );
  const npmArgs = ['install', '--prefix', TOOLS, NODE_PACKAGE, '--no-audit', '--no-fund'];
  const [cmd, args] = npmCommand([
    ...npmArgs,
    '--loglevel=error',
    '--prefer-offline',
    '--fetch-retries=1',
    '--fetch-retry-mintimeout=2000',
  ]);
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT });
  if (r.status === 0 && installedMajor() >= MIN_MAJOR) return;
  const code =
    /npm error code (\S+)/.exec(`${r.stderr}${r.stdout}`)?.[1] ?? r.error?.code ?? `exit ${r.status}`;
  process.stderr.write(
    `payguard needs Node >= ${MIN_MAJOR} and could not install it (${code}): run \`npm install --prefix ${ROOT}/.tools ${NODE_PACKAGE}\` when the npm registry is reachable, or put Node 24 first on PATH\n`,
  );
  process.exit(1);
}

/** The environment for the command: Node 24 first on PATH when this Node is too old. */
function commandEnv() {
  if (majorOf(process.version) >= MIN_MAJOR) return process.env;
  ensureNode24();
  const env = { ...process.env, PATH: `${BIN_DIR}${delimiter}${process.env.PATH ?? ''}` };
  // npm tells scripts which Node runs it; tools that read these must see the Node the command runs on.
  if (env.NODE) env.NODE = NODE_BIN;
  if (env.npm_node_execpath) env.npm_node_execpath = NODE_BIN;
  return env;
}

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', env: commandEnv() });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.on('error', (error) => {
    const hint = error.code === 'ENOENT' ? ' (not installed: run `npm ci`)' : '';
    process.stderr.write(`payguard: cannot run ${command}: ${error.message}${hint}\n`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    // Die of the same signal, so whoever started us sees what the command saw.
    for (const s of FORWARDED_SIGNALS) process.off(s, forward);
    process.exitCode = 128 + (constants.signals[signal] ?? 0);
    process.kill(process.pid, signal);
  });
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--bin-dir') {
  if (majorOf(process.version) < MIN_MAJOR) {
    ensureNode24();
    process.stdout.write(`${BIN_DIR}\n`);
  }
} else if (first) {
  run(first, rest);
} else {
  process.stderr.write('usage: node scripts/node24.mjs <command> [args...] | --bin-dir\n');
  process.exit(2);
}
