import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { buildDeps } from '../../../src/server/deps.ts'
import { cliEnvironment, runCli } from '../../helpers/run-cli.ts'
import { testConfig } from '../../helpers/test-config.ts'

// The CLI runs as a real process against a real database: a PGlite data dir, or a fresh
// PostgreSQL database when TEST_DATABASE_URL is set.
let env: Record<string, string>
let closeEnv: () => Promise<void>
beforeAll(async () => {
  ;({ env, close: closeEnv } = await cliEnvironment({
    SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('base64'),
  }))
})
afterAll(() => closeEnv?.())

// Each CLI run boots a process and the database (seconds under load): generous timeouts.
describe('switchboard CLI', { timeout: 600_000 }, () => {
  it('creates a user and a token that works as Bearer on /api/auth/me', async () => {
    const created = await runCli(
      ['user', 'create', '--email', 'Ops@Example.test', '--password', 'a long password', '--admin'],
      env,
    )
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    expect(created.stdout).toMatch(/created admin ops@example\.test/)

    const token = await runCli(['token', 'create', '--email', 'ops@example.test'], env)
    expect(token.code).toBe(0)
    const secret = token.stdout.trim()
    expect(token.stdout).toBe(`${secret}\n`)
    expect(secret).toMatch(/^sb_[A-Za-z0-9_-]{43}$/)

    // Same database, now through the HTTP app.
    const config = testConfig(env)
    const built = await buildDeps(config, { migrate: false })
    try {
      const res = await createApp(built.deps).request('/api/auth/me', {
        headers: { authorization: `Bearer ${secret}` },
      })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ user: { email: 'ops@example.test', role: 'admin' } })
    } finally {
      await built.close()
    }
  })

  it('migrates up, down to zero, reports status, and up again', async () => {
    expect((await runCli(['migrate', 'up'], env)).code).toBe(0)
    const down = await runCli(['migrate', 'down', '--to', 'zero'], env)
    expect(down.code).toBe(0)
    expect(down.stdout).toMatch(/^reverted: .*0001-initial$/m)
    const status = await runCli(['migrate', 'status'], env)
    expect(status.stdout).toMatch(/^pending {2}0001-initial/m)
    expect(status.stdout).not.toMatch(/^applied/m)
    const up = await runCli(['migrate', 'up'], env)
    expect(up.stdout).toMatch(/^applied: 0001-initial/m)
    expect((await runCli(['migrate', 'status'], env)).stdout).not.toMatch(/^pending/m)
  })

  it.each([
    [['user', 'create', '--email', 'x@example.test'], /--password is required/],
    [['user', 'create', '--email', 'nope', '--password', 'a long password'], /email/],
    [['user', 'create', '--bogus'], /Unknown option '--bogus'/],
    [['migrate', 'sideways'], /unknown migrate action "sideways"/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('exits 2 with a usage message for %j', async (args, message) => {
    const result = await runCli(args, env)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).toMatch(/usage:/)
  })

  it('exits 1 naming the problem for an unknown user', async () => {
    const result = await runCli(['token', 'create', '--email', 'ghost@example.test'], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('error: no user with email ghost@example.test\n')
  })

  it('exits 1 with a clear message when the database cannot be reached', async () => {
    const result = await runCli(['migrate', 'status'], {
      ...env,
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/cannot reach the database \(ECONNREFUSED\): check DATABASE_URL/)
    expect(result.stderr).not.toMatch(/\n\s+at /) // no stack trace
  })
})
