import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/own-temp-dir.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default (cores - 1) runs the files one at a time on a 2-core machine (the CI's),
    // leaving a core to its main process, which has little to do once the modules are transformed:
    // each test file runs in one single-threaded fork, so two forks keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // s3rver fails listings longer than one page without the legacy provider (see README).
    execArgv: ['--openssl-legacy-provider'],
    projects: [
      {
        extends: true,
        test: {
          name: 'app',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/infra/**'],
        },
      },
      {
        extends: true,
        // The first test of each file synthesizes the whole stack with cdk-nag: seconds alone, minutes
        // on a loaded machine. Not a speed goal (those live in npm run bench), so give it room.
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
