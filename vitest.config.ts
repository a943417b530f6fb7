import { defineConfig } from 'vitest/config'

// 2 cores and ~760 MB per PGlite instance: two forks, one database per test file.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    // On CI a failed test runs once more. A test that passes only on its retry still shows up:
    // scripts/test-summary.mjs lists it as flaky, with the error of its first attempt.
    retry: process.env.CI ? 1 : 0,
    hookTimeout: 60_000,
    // expect.poll waits on real servers and a real browser; its 1 s default is too short on a
    // busy 2-core machine (a page answering in 1.5 s is not a bug).
    expect: { poll: { timeout: 10_000 } },
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
})
