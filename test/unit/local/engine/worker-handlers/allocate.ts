/** Test handler: holds `megabytes` MB (touched, so resident) for the invocation, then lets it go. */
export async function handler(event: { megabytes: number }): Promise<{ pid: number; length: number }> {
  const block = Buffer.alloc(event.megabytes * 2 ** 20, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { pid: process.pid, length: block.length };
}
