import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { migrateDown, migrateToLatest, migrationStatus } from '../../../src/server/db/migrator.ts'
import { buildDeps } from '../../../src/server/deps.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'
import { startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp()
})
afterAll(() => t?.close())

describe('GET /api/health/ready', () => {
  it('answers 200 when the database and Redis answer and every migration is applied', async () => {
    const res = await t.request('/api/health/ready')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      status: 'ready',
      database: { reachable: true, latencyMs: expect.any(Number) },
      // The PostgreSQL pass of the suite runs with Redis (TEST_REDIS_URL).
      redis: process.env.TEST_REDIS_URL ? { reachable: true } : null,
      migrations: { upToDate: true, pending: [] },
    })
  })

  it('answers 503 naming the migration that is pending', async () => {
    const [last] = (await migrationStatus(t.deps.db)).slice(-1)
    await migrateDown(t.deps.db)
    try {
      const res = await t.request('/api/health/ready')
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({
        status: 'not_ready',
        database: { reachable: true },
        migrations: { upToDate: false, pending: [last?.name] },
      })
    } finally {
      await migrateToLatest(t.deps.db)
    }
    expect((await t.request('/api/health/ready')).status).toBe(200)
  })

  it('answers 503 when the database cannot be reached', async () => {
    // PostgreSQL on a port nothing listens on: every connection is refused.
    const url = await closedPortUrl('/switchboard', 'postgres')
    const built = await buildDeps(testConfig({ DATABASE_URL: url }))
    try {
      const res = await createApp(built.deps).request('/api/health/ready')
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({
        status: 'not_ready',
        database: { reachable: false },
        migrations: null,
      })
    } finally {
      await built.close()
    }
  })
})
