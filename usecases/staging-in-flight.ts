import type { ObjectStore } from './ports.ts';

/**
 * The stagings in progress in this process, by store location (or store instance) and the key of
 * what they write (a snapshot or a file's staging). Files of one dataset arriving together each
 * ask for the dataset: they share one staging of each file instead of reading it again at once
 * (the local engine may run every execution in one process; a Lambda runs one invocation at a
 * time, and there a later staging finds the staging written).
 */
const inFlightByLocation = new Map<string, Map<string, Promise<unknown>>>();
const inFlightByStore = new WeakMap<ObjectStore, Map<string, Promise<unknown>>>();

function inFlight(store: ObjectStore): Map<string, Promise<unknown>> {
  const byLocation = store.location;
  let running = byLocation === undefined ? inFlightByStore.get(store) : inFlightByLocation.get(byLocation);
  if (running === undefined) {
    running = new Map();
    if (byLocation === undefined) inFlightByStore.set(store, running);
    else inFlightByLocation.set(byLocation, running);
  }
  return running;
}

/** `work` for `key`, or the promise of the same work already running in this process. */
export function once<T>(store: ObjectStore, key: string, work: () => Promise<T>): Promise<T> {
  const running = inFlight(store);
  const pending = running.get(key);
  if (pending !== undefined) return pending as Promise<T>;
  const started = work().finally(() => running.delete(key));
  running.set(key, started);
  return started;
}
