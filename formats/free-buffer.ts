/**
 * Gives a buffer's memory back at once, for buffers of tens of megabytes that a function makes
 * and drops by the hundred (a staged shard's record batches, a spill read back). V8 frees a
 * Buffer's memory only when a full collection finds it unreachable, and it starts one each time
 * ~64 MB more of them are alive than after the last: on a heap of ~20 MB, staging a 244 MB file
 * made ~65 full collections for what it dropped. `ArrayBuffer.prototype.transfer(0)` detaches the
 * buffer and frees its memory now (every view of it then reads as empty), so the collector has
 * nothing left to count.
 *
 * Only for a buffer nothing else holds: the caller made it, and no view of it was given out.
 * A view of part of a buffer (a slice of Node's shared pool, a field of a record batch read from
 * IPC bytes) is left to the collector.
 */
export function freeBuffer(view: ArrayBufferView | undefined): void {
  if (view === undefined) return;
  const { buffer } = view;
  if (!(buffer instanceof ArrayBuffer) || view.byteOffset !== 0 || view.byteLength !== buffer.byteLength)
    return;
  if (buffer.byteLength < FREED_FROM_BYTES) return;
  try {
    buffer.transfer(0);
  } catch {
    // A buffer that cannot be detached (one Node or WebAssembly keeps) is the collector's.
  }
}

/** Below this a buffer is left to the collector: freeing it saves less than the call costs. */
const FREED_FROM_BYTES = 4096;
