/**
 * The memory allocator settings every payguard function runs with: `GLIBC_TUNABLES` in its
 * environment, set on each Lambda function by `infra/constructs/payguard-function.ts` and given to
 * each local Lambda-like worker by `local/engine/lambda-workers.ts` (and to the stand-ins' process,
 * which streams the same files). Both tunables are read by glibc 2.26 and later: Lambda's Node.js
 * 24 runtime (Amazon Linux 2023, glibc 2.34) and the local machines' Node alike.
 *
 * The functions stream hundreds of MB through Buffers of a few MB to a few tens of MB: a staged
 * shard joined for its PUT (~21 MB), spilled batches read back, a shard read by a partition, the
 * release and close-out files. glibc's defaults map each Buffer over 128 KiB afresh (the threshold
 * rises only after such a Buffer is freed) and return it to the kernel when it is freed, so each
 * one is written into pages never touched, a page fault every 4 KiB: on the development machine,
 * filling 32 fresh 21 MB Buffers took ~1.0 s against 0.03 s for one reused. With the threshold at
 * 32 MiB (the most glibc accepts) those Buffers come from the heap, and up to 256 MiB freed at its
 * top is kept for the next ones instead of being returned at once.
 *
 * Measured on the development machine: staging a 1M-payee month's social-insurance file (8M rows)
 * alone took 8.8–9.9 s of CPU instead of 10.8–14.3 s (warm); in whole 1M months, runs alternated,
 * the functions' CPU was 0–18% lower in five pairs (~9% on average); at 5M, StageDataset's CPU
 * 148 → 128 s and CloseOut's 50 → 37 s (CheckPartition's 134 → 146 s). Each function's largest
 * invocation is ~30–110 MB higher: the memory kept.
 */
export const FUNCTION_ALLOCATOR_ENVIRONMENT = {
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456',
} as const;
