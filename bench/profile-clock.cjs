// Preloaded (NODE_OPTIONS=--require …) into a process run with `node --cpu-prof`: writes to
// PROFILE_CLOCK_FILE the epoch milliseconds and the monotonic microseconds (V8's profile clock) of
// the same instant, so bench/cpu-profile-summary.ts can place the PAYGUARD_TIMINGS task windows
// (epoch) on the profile's samples (monotonic).
const { appendFileSync } = require('node:fs');

const file = process.env.PROFILE_CLOCK_FILE;
if (file) {
  const monotonicUs = Number(process.hrtime.bigint() / 1000n);
  const epochMs = performance.timeOrigin + performance.now();
  appendFileSync(file, `${JSON.stringify({ pid: process.pid, epochMs, monotonicUs })}\n`);
}
