/** Test handler: keeps its process's CPU busy for `ms` of wall time, then sleeps `sleepMs`. */
export async function handler(event: { ms: number; sleepMs: number }): Promise<{ spins: number }> {
  const until = performance.now() + event.ms;
  let spins = 0;
  while (performance.now() < until) spins++;
  await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return { spins };
}
