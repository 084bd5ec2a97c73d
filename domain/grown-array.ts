/** A copy of a typed array at a larger `capacity`, its values kept (the rest zero). */
export function grown<T extends Uint16Array | Uint32Array | Int32Array>(from: T, capacity: number): T {
  const to = new (from.constructor as new (n: number) => T)(capacity);
  to.set(from);
  return to;
}
