let running = 0;

/** Test handler: sleeps `ms`, and says how many invocations this process ran at once with it. */
export async function handler(event: {
  ms: number;
}): Promise<{ pid: number; concurrent: number; absent?: undefined }> {
  running += 1;
  const concurrent = running;
  await new Promise((resolve) => setTimeout(resolve, event.ms));
  running -= 1;
  return { pid: process.pid, concurrent, absent: undefined };
}
