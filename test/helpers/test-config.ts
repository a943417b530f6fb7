import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Config } from '../../src/server/config/config.ts'
import { loadConfig } from '../../src/server/config/load-config.ts'

/**
 * A real Config built by the real loader, from a throwaway dir and the env given. With
 * `TEST_REDIS_URL` set, every app in the run uses that Redis (REDIS_URL).
 */
export function testConfig(
  env: Record<string, string> = {},
  overrides: Partial<Config> = {},
): Config {
  const cwd = mkdtempSync(join(tmpdir(), 'switchboard-test-'))
  const config = loadConfig({
    cwd,
    env: {
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      // The PostgreSQL pass of CI shares limits and events through a real Redis.
      ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
      ...env,
    },
    secretKey: randomBytes(32),
  })
  return { ...config, ...overrides }
}
