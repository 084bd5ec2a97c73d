// Preloaded into every Node process of a benchmarked command (NODE_OPTIONS=--require …): at exit,
// appends the process's peak resident set size and CPU time to BENCH_USAGE_FILE as one NDJSON
// line, so the bench measures a command's process tree with Node alone (no /usr/bin/time).
// CommonJS, so the plain Node wrappers in front of tsx load it too.
const { appendFileSync } = require('node:fs');

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    const line = {
      pid: process.pid,
      argv: process.argv.slice(1, 3),
      start: performance.timeOrigin,
      end: performance.timeOrigin + performance.now(),
      maxRssKb: usage.maxRSS,
      cpuUs: usage.userCPUTime + usage.systemCPUTime,
      code,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
