/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`) by where the time goes: self time per
 * function and per module, and inclusive time per module of this repository (a sample counts once
 * for each module on its stack), so a whole-month run's hotspots can be read per use case.
 *
 * `npx tsx bench/cpu-profile-summary.ts FILE.cpuprofile [--top N] [--filter TEXT]`
 * (`--filter` keeps inclusive rows whose module path contains TEXT; `--callers TEXT` adds the
 * repository or package functions that call a frame containing TEXT, with the time spent below them;
 * `--timings FILE --clock FILE` add busy time per Task state of a PAYGUARD_TIMINGS file, placed on
 * the profile by the line bench/profile-clock.cjs wrote, with each task's top functions).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One node of V8's sampled call tree. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

/** The `.cpuprofile` JSON as V8 writes it. */
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A module's name relative to the repository (or the package under node_modules). */
function moduleOf(url: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return `npm:${pkg}`;
  }
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

/** Repository code: not a package, not Node's own, not native. */
function isRepoModule(mod: string): boolean {
  return !mod.startsWith('npm:') && !mod.startsWith('node:') && !mod.startsWith('(') && !mod.startsWith('/');
}

/** A frame worth naming as a caller: ours or a package's. */
function isCallerModule(mod: string): boolean {
  return isRepoModule(mod) || mod.startsWith('npm:');
}

/**
 * A function's name and place. tsx hands V8 one-line modules, so the column places it (the line is
 * kept for files that keep theirs).
 */
function fnName(f: ProfileNode['callFrame']): string {
  return `${f.functionName || '(anonymous)'} ${moduleOf(f.url)}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
}

/**
 * Self and inclusive microseconds per function and per module; `attributed` charges each sample
 * to the innermost repository function on its stack (what of ours caused it, packages and GC
 * included), and `callers` charges the samples whose stack has a frame containing `callersOf`
 * to the innermost repository or package function above that frame.
 */
export function summarise(profile: CpuProfile, callersOf?: string, windows?: TaskWindows) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const selfFn = new Map<string, number>();
  const selfModule = new Map<string, number>();
  const inclusiveModule = new Map<string, number>();
  const inclusiveFn = new Map<string, number>();
  const attributed = new Map<string, number>();
  const callers = new Map<string, number>();
  const perTask = new Map<string, { us: number; fns: Map<string, number> }>();
  if (windows) {
    let t = profile.startTime;
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      t += us;
      const node = byId.get(id);
      if (!node || node.callFrame.functionName === '(idle)') return;
      const open = windows.at(t);
      const share = us / Math.max(1, open.length);
      for (const task of open.length > 0 ? open : ['(no task running)']) {
        const entry = perTask.get(task) ?? { us: 0, fns: new Map<string, number>() };
        entry.us += share;
        let repoFrame: string | undefined;
        for (let cur: number | undefined = id; cur !== undefined && !repoFrame; cur = parent.get(cur)) {
          const cf = byId.get(cur)?.callFrame;
          if (cf && isRepoModule(moduleOf(cf.url))) repoFrame = fnName(cf);
        }
        const own = fnName(node.callFrame);
        const key = repoFrame && repoFrame !== own ? `${own} < ${repoFrame}` : own;
        entry.fns.set(key, (entry.fns.get(key) ?? 0) + share);
        perTask.set(task, entry);
      }
    });
  }
  let total = 0;
  for (const [id, us] of selfUs) {
    total += us;
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    const fnKey = fnName(f);
    selfFn.set(fnKey, (selfFn.get(fnKey) ?? 0) + us);
    const mod = moduleOf(f.url);
    selfModule.set(mod, (selfModule.get(mod) ?? 0) + us);
    const seenModules = new Set<string>();
    const seenFns = new Set<string>();
    let repoFrame: string | undefined;
    let matched = callersOf === undefined;
    let callerFrame: string | undefined;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)?.callFrame;
      if (!cf) break;
      const m = moduleOf(cf.url);
      seenModules.add(m);
      if (cf.url !== '') seenFns.add(fnName(cf));
      if (repoFrame === undefined && isRepoModule(m)) repoFrame = fnName(cf);
      if (!matched && callersOf !== undefined && fnName(cf).includes(callersOf)) matched = true;
      else if (matched && callersOf !== undefined && callerFrame === undefined && isCallerModule(m))
        callerFrame = fnName(cf);
    }
    for (const m of seenModules) inclusiveModule.set(m, (inclusiveModule.get(m) ?? 0) + us);
    for (const fn of seenFns) inclusiveFn.set(fn, (inclusiveFn.get(fn) ?? 0) + us);
    const a = repoFrame ?? '(no repository frame).';
    attributed.set(a, (attributed.get(a) ?? 0) + us);
    if (callersOf !== undefined && matched) {
      const c = callerFrame ?? '(no caller of ours or of a package)';
      callers.set(c, (callers.get(c) ?? 0) + us);
    }
  }
  return { totalUs: total, selfFn, selfModule, inclusiveModule, inclusiveFn, attributed, callers, perTask };
}

/** The Task invocations of a run (PAYGUARD_TIMINGS) on the profile's clock. */
interface TaskWindows {
  /** The `workflow/state` of each invocation running at monotonic microsecond `t`. */
  at(t: number): string[];
}

/**
 * Places the invocations of a PAYGUARD_TIMINGS file on the profile's clock, with the epoch and
 * monotonic times of one instant that bench/profile-clock.cjs recorded in the profiled process.
 */
function taskWindows(timingsFile: string, clockFile: string): TaskWindows {
  const lines = (path: string) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const clock = lines(clockFile)[0] as { epochMs: number; monotonicUs: number } | undefined;
  if (!clock) throw new Error(`${clockFile}: no clock line`);
  const toUs = (epochMs: number) => clock.monotonicUs + (epochMs - clock.epochMs) * 1000;
  const tasks = lines(timingsFile).map((t) => ({
    name: `${t.workflow}/${t.state}`,
    from: toUs(t.start as number),
    to: toUs(t.end as number),
  }));
  return { at: (t) => tasks.filter((w) => w.from <= t && t < w.to).map((w) => w.name) };
}

function table(title: string, m: Map<string, number>, totalUs: number, top: number, filter?: string) {
  console.log(`\n${title}`);
  const rows = [...m].filter(([k]) => !filter || k.includes(filter)).sort((a, b) => b[1] - a[1]);
  for (const [k, us] of rows.slice(0, top)) {
    const pct = ((100 * us) / totalUs).toFixed(1).padStart(5);
    console.log(`${(us / 1e6).toFixed(2).padStart(8)} s ${pct}%  ${k}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file)
    throw new Error(
      'usage: cpu-profile-summary.ts FILE.cpuprofile [--top N] [--filter TEXT] [--callers TEXT]',
    );
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const top = Number(flag('--top') ?? 40);
  const filter = flag('--filter');
  const callersOf = flag('--callers');
  const timings = flag('--timings');
  const clock = flag('--clock');
  const windows = timings && clock ? taskWindows(timings, clock) : undefined;
  const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, callersOf, windows);
  console.log(`sampled ${(s.totalUs / 1e6).toFixed(2)} s`);
  table('self time per function', s.selfFn, s.totalUs, top);
  table('self time per module', s.selfModule, s.totalUs, top);
  table('inclusive time per module', s.inclusiveModule, s.totalUs, top, filter);
  table('inclusive time per function', s.inclusiveFn, s.totalUs, top, filter);
  table('time charged to the innermost repository function', s.attributed, s.totalUs, top, filter);
  if (callersOf) table(`repository callers of ${callersOf}`, s.callers, s.totalUs, top);
  if (windows) {
    const tasks = [...s.perTask].sort((a, b) => b[1].us - a[1].us);
    table(
      'busy time per task (overlapping tasks share an instant)',
      new Map(tasks.map(([k, v]) => [k, v.us])),
      s.totalUs,
      top,
    );
    for (const [task, { us, fns }] of tasks.slice(0, Number(flag('--tasks') ?? 12))) {
      table(
        `${task}: ${(us / 1e6).toFixed(2)} s busy, by function < innermost repository caller`,
        fns,
        us,
        Number(flag('--task-top') ?? 12),
      );
    }
  }
}
