/** Test handler: its runtime exits mid-invocation (as on an out-of-memory kill). */
export async function handler(event: { code: number }): Promise<never> {
  setTimeout(() => process.exit(event.code), 10);
  return new Promise(() => undefined);
}
