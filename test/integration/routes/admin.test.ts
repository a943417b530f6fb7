import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdminStats, AdminUserList } from '../../../src/shared/admin.ts'
import type { AuditList } from '../../../src/shared/audit.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// One database for the file: the first account registered (in beforeAll) is the admin, and
// only the stats test writes servers and tool calls, so the installation-wide counts are known.
let t: TestApp
let admin: Awaited<ReturnType<typeof registerUser>>
beforeAll(async () => {
  t = await startApp()
  admin = await registerUser(t)
})
afterAll(() => t.close())

const HOUR = 3_600_000

async function getJson<T>(path: string, cookie: string): Promise<T> {
  const res = await t.request(path, { cookie })
  expect(res.status, path).toBe(200)
  return (await res.json()) as T
}

async function insertServer(userId: string | null, name: string, status: 'online' | 'error') {
  return t.deps.db
    .insertInto('mcp_servers')
    .values({
      user_id: userId,
      name,
      transport: 'streamable-http',
      url: 'https://mcp.example.test/mcp',
      config: '{}',
      status,
    })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
}

async function insertCall(input: {
  userId: string
  server: { id: string; name: string } | null
  serverName?: string
  status: 'succeeded' | 'failed' | 'timeout' | 'running'
  durationMs: number | null
  hoursAgo?: number
}) {
  const createdAt = new Date(Date.now() - (input.hoursAgo ?? 1) * HOUR)
  await t.deps.db
    .insertInto('mcp_tool_calls')
    .values({
      user_id: input.userId,
      server_id: input.server?.id ?? null,
      server_name: input.server?.name ?? input.serverName ?? 'gone',
      tool_name: 'echo',
      source: 'api',
      mode: 'sync',
      input: '{}',
      status: input.status,
      duration_ms: input.durationMs,
      created_at: createdAt,
    })
    .execute()
}

describe('/api/admin for non-admins', () => {
  it('answers 403 forbidden on every route to a signed-in user, 401 to nobody', async () => {
    const { cookie } = await registerUser(t)
    for (const path of [
      '/api/admin/stats',
      '/api/admin/stats?hours=48',
      '/api/admin/users',
      '/api/admin/audit',
      `/api/admin/audit?userId=${admin.userId}`,
    ]) {
      const res = await t.request(path, { cookie })
      expect(res.status, path).toBe(403)
      expect((await res.json()).error.code).toBe('forbidden')
      expect((await t.request(path)).status, path).toBe(401)
    }
  })
})

describe('GET /api/admin/audit', () => {
  it("shows every user's entries, and one user's with userId", async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    const all = await getJson<AuditList>('/api/admin/audit?limit=200', admin.cookie)
    const users = new Set(all.entries.map((e) => e.userId))
    expect(users).toContain(alice.userId)
    expect(users).toContain(bob.userId)
    expect(users).toContain(admin.userId)

    const onlyBob = await getJson<AuditList>(
      `/api/admin/audit?limit=200&userId=${bob.userId}`,
      admin.cookie,
    )
    expect(onlyBob.entries.map((e) => e.action)).toEqual(['auth.sign_in', 'auth.register'])
    expect(onlyBob.entries.every((e) => e.userId === bob.userId)).toBe(true)

    const registers = await getJson<AuditList>(
      '/api/admin/audit?limit=200&action=auth.register',
      admin.cookie,
    )
    expect(registers.entries.every((e) => e.action === 'auth.register')).toBe(true)
    expect(registers.entries.map((e) => e.userId)).toEqual(
      expect.arrayContaining([alice.userId, bob.userId]),
    )
  })

  it('pages through entries written in the same instant without losing or repeating one', async () => {
    const { userId } = await registerUser(t)
    const at = new Date(Date.now() - HOUR)
    // Half a millisecond later: only a cursor at the column's own precision tells them apart.
    const later = at.toISOString().replace('Z', '500Z')
    await t.deps.db
      .insertInto('audit_log')
      .values(
        Array.from({ length: 11 }, (_, i) => ({
          user_id: userId,
          actor: 'system',
          action: 'token.created',
          details: JSON.stringify({ name: `same-${i}` }),
          at: i % 2 ? at : later,
        })),
      )
      .execute()
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = `?userId=${userId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`
      const page: AuditList = await getJson<AuditList>(`/api/admin/audit${query}`, admin.cookie)
      seen.push(...page.entries.map((e) => e.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toHaveLength(13) // 11 written here, plus register and sign-in
    expect(new Set(seen).size).toBe(13)
  })
})

describe('GET /api/admin/stats and /api/admin/users', () => {
  it('counts users, servers by status and tool calls with latency percentiles', async () => {
    const user = await registerUser(t)
    const alpha = await insertServer(user.userId, 'alpha', 'online')
    const beta = await insertServer(user.userId, 'beta', 'error')
    await insertServer(null, 'shared', 'online')
    for (const ms of [10, 20, 30, 40, 100]) {
      await insertCall({ userId: user.userId, server: alpha, status: 'succeeded', durationMs: ms })
    }
    await insertCall({ userId: user.userId, server: beta, status: 'failed', durationMs: 5 })
    await insertCall({ userId: user.userId, server: beta, status: 'timeout', durationMs: 7 })
    await insertCall({ userId: admin.userId, server: beta, status: 'running', durationMs: null })
    await insertCall({
      userId: user.userId,
      server: null,
      serverName: 'deleted',
      status: 'failed',
      durationMs: 1,
    })
    // outside a 24-hour window
    await insertCall({
      userId: user.userId,
      server: alpha,
      status: 'succeeded',
      durationMs: 1000,
      hoursAgo: 48,
    })

    const stats = await getJson<AdminStats>('/api/admin/stats', admin.cookie)
    const usersNow = await t.deps.db.selectFrom('users').select('id').execute()
    expect(stats.users).toEqual({ total: usersNow.length, admins: 1 })
    expect(stats.servers).toEqual({
      total: 3,
      byStatus: { unknown: 0, online: 2, offline: 0, error: 1, needs_auth: 0 },
    })
    expect(stats.calls.total).toBe(9)
    expect(stats.calls.byStatus).toEqual({
      pending: 0,
      running: 1,
      succeeded: 5,
      failed: 2,
      timeout: 1,
      cancelled: 0,
      interrupted: 0,
    })
    expect(stats.calls.perServer).toEqual([
      { serverId: alpha.id, serverName: 'alpha', calls: 5, failed: 0, p50Ms: 30, p95Ms: 88 },
      { serverId: beta.id, serverName: 'beta', calls: 3, failed: 2, p50Ms: 6, p95Ms: 6.9 },
      { serverId: null, serverName: 'deleted', calls: 1, failed: 1, p50Ms: 1, p95Ms: 1 },
    ])
    expect(Date.parse(stats.window.to) - Date.parse(stats.window.from)).toBe(24 * HOUR)

    const wide = await getJson<AdminStats>('/api/admin/stats?hours=72', admin.cookie)
    expect(wide.calls.total).toBe(10)
    expect(wide.calls.perServer[0]).toMatchObject({ serverName: 'alpha', calls: 6, p50Ms: 35 })

    const { users } = await getJson<AdminUserList>('/api/admin/users', admin.cookie)
    expect(users).toHaveLength(usersNow.length)
    expect(users[0]).toMatchObject({
      id: admin.userId,
      role: 'admin',
      serverCount: 0,
      callCount: 1,
    })
    expect(users.find((u) => u.id === user.userId)).toMatchObject({
      role: 'user',
      email: user.email,
      serverCount: 2,
      callCount: 8,
    })
    const wideUsers = await getJson<AdminUserList>('/api/admin/users?hours=72', admin.cookie)
    expect(wideUsers.users.find((u) => u.id === user.userId)?.callCount).toBe(9)
  })

  it('answers 400 for a window outside 1..720 hours', async () => {
    for (const hours of ['0', '721', 'soon']) {
      const res = await t.request(`/api/admin/stats?hours=${hours}`, { cookie: admin.cookie })
      expect(res.status, hours).toBe(400)
      expect((await res.json()).error.details.fields[0].field).toBe('hours')
    }
  })
})

describe('OpenAPI', () => {
  it('documents the audit and admin routes with their schemas', async () => {
    const doc = await (await t.request('/api/openapi.json')).json()
    for (const path of [
      '/api/user/audit',
      '/api/admin/audit',
      '/api/admin/stats',
      '/api/admin/users',
    ]) {
      expect(doc.paths, path).toHaveProperty([path, 'get'])
    }
    for (const schema of ['AuditList', 'AuditEntry', 'AdminStats', 'AdminUserList']) {
      expect(doc.components.schemas, schema).toHaveProperty([schema])
    }
  })
})
