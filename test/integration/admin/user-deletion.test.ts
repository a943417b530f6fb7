import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/server/db/database.ts'
import { adminApi } from '../../helpers/admin-users.ts'
import { MemoryOAuthProvider, signInClient } from '../../helpers/endpoint-oauth.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import {
  freePort,
  LOOPBACK_POLICY,
  type RunningHttp,
  startEverything,
} from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Deleting a user leaves no row behind: every table is read as text, row by row, for the user's
// id and email, so a table added later that keeps either is caught too (foreign key or not).
let t: TestApp
let http: Listening
let everything: RunningHttp
beforeAll(async () => {
  const port = await freePort()
  ;[t, everything] = await Promise.all([
    startApp({
      config: { ssrf: LOOPBACK_POLICY },
      env: { SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${port}` },
    }),
    startEverything('streamableHttp'),
  ])
  http = await listen(t.app, port)
}, 60_000)
afterAll(async () => {
  await http?.close()
  await everything?.close()
  await t?.close()
})

/** Rows per table whose text holds `needle` (all columns, jsonb included). */
async function rowsHolding(db: Db, needle: string): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db)
  const found: Record<string, number> = {}
  for (const { table_name } of tables.rows) {
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from ${sql.table(table_name)} as t
      where position(${needle} in t::text) > 0`.execute(db)
    if ((rows[0]?.count ?? 0) > 0) found[table_name] = rows[0]?.count ?? 0
  }
  return found
}

/** Tables with a column named like a user reference (user_id, created_by, …). */
async function userColumns(db: Db): Promise<{ table: string; column: string }[]> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public'
      and (column_name like '%user_id' or column_name like '%_by' or column_name = 'user')`.execute(
    db,
  )
  return rows.map((row) => ({ table: row.table_name, column: row.column_name }))
}

async function populate(user: { cookie: string; userId: string }) {
  const post = async (path: string, json: unknown, status = 201) => {
    const res = await t.request(path, { method: 'POST', cookie: user.cookie, json })
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(status)
    return res.json()
  }
  const server = await post('/api/user/mcp-servers', {
    name: 'everything',
    transport: 'streamable-http',
    url: everything.url,
    auth: { type: 'bearer', token: 'secret-token-of-the-user' },
  })
  const tools = (await (
    await t.request(`/api/user/mcp-servers/${server.id}/tools`, { cookie: user.cookie })
  ).json()) as { tools: { id: string; name: string }[] }
  const echo = tools.tools.find((tool) => tool.name === 'echo')
  await t.request(`/api/user/mcp-servers/${server.id}/tools/${echo?.id}`, {
    method: 'PATCH',
    cookie: user.cookie,
    json: { enabled: true },
  })
  await post(
    '/api/chat/tool-call',
    { serverId: server.id, toolName: 'echo', arguments: { message: 'hi' } },
    200,
  )
  const conversation = await post('/api/conversations', { title: 'Private thoughts' })
  await t.deps.db
    .insertInto('messages')
    .values({
      id: `m-${user.userId}`,
      conversation_id: conversation.id,
      parent_id: null,
      role: 'user',
      parts: JSON.stringify([{ type: 'text', text: 'hello' }]),
      metadata: null,
    })
    .execute()
  const form = new FormData()
  form.append('file', new File([Buffer.from('notes')], 'notes.txt', { type: 'text/plain' }))
  const upload = await t.app.request('/api/user/attachments', {
    method: 'POST',
    body: form,
    headers: { cookie: user.cookie },
  })
  expect(upload.status).toBe(201)
  await post('/api/user/tokens', { name: 'laptop' })
  const profile = await post('/api/user/mcp-profiles', { name: 'work', serverIds: [server.id] })
  await post('/api/user/tokens', { name: 'scoped', profileId: profile.id })
  await t.deps.db
    .insertInto('model_favourites')
    .values({ user_id: user.userId, model_id: 'some/model' })
    .execute()
  await t.deps.db
    .insertInto('chat_presets')
    .values({ user_id: user.userId, name: 'preset' })
    .execute()
  const provider = new MemoryOAuthProvider('Deletion test client')
  await signInClient(t, provider, { serverUrl: `${http.url}/mcp`, cookie: user.cookie })
}

describe('DELETE /api/admin/users/:id', () => {
  it('leaves no row of the user in any table, and keeps everyone else’s', async () => {
    const admin = await registerUser(t)
    const api = adminApi(t, admin.cookie)
    const victim = await registerUser(t)
    const bystander = await registerUser(t)
    await populate(victim)
    await populate(bystander)
    await api.resetLink(victim.userId)

    const before = await rowsHolding(t.deps.db, victim.userId)
    // The scan can fail: the user's rows are there, in many tables.
    for (const table of [
      'users',
      'sessions',
      'accounts',
      'api_tokens',
      'mcp_servers',
      'mcp_tool_calls',
      'conversations',
      'attachments',
      'mcp_profiles',
      'mcp_client_grants',
      'oauth_access_tokens',
      'oauth_refresh_tokens',
      'oauth_consents',
      'verifications',
      'audit_log',
      'user_activity',
      'model_favourites',
      'chat_presets',
    ]) {
      expect(before[table] ?? 0, `${table} in ${JSON.stringify(before)}`).toBeGreaterThan(0)
    }
    const bystanderBefore = await rowsHolding(t.deps.db, bystander.userId)

    await api.remove(victim.userId)

    const left = await rowsHolding(t.deps.db, victim.userId)
    // Only the admin's record of the deletion names the account.
    expect(left).toEqual({ audit_log: 1 })
    const [record] = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where(sql<boolean>`position(${victim.userId} in audit_log::text) > 0`)
      .execute()
    expect(record).toMatchObject({ action: 'admin.user_deleted', user_id: admin.userId })
    expect(await rowsHolding(t.deps.db, victim.email)).toEqual({ audit_log: 1 })
    // Every column that names a user holds no trace of them (a second look, by column).
    for (const { table, column } of await userColumns(t.deps.db)) {
      const { rows } = await sql<{ count: number }>`
        select count(*)::int as count from ${sql.table(table)}
        where ${sql.ref(column)}::text = ${victim.userId}`.execute(t.deps.db)
      expect(rows[0]?.count, `${table}.${column}`).toBe(0)
    }
    // The server's tools, tool settings and secrets went with the servers (they hold no user id).
    const servers = await t.deps.db
      .selectFrom('mcp_servers')
      .select('id')
      .where('user_id', 'is not', null)
      .execute()
    const tools = await t.deps.db.selectFrom('mcp_tools').select('server_id').execute()
    const serverIds = new Set(servers.map((row) => row.id))
    expect(tools.every((tool) => serverIds.has(tool.server_id))).toBe(true)
    // Nothing of the bystander went.
    expect(await rowsHolding(t.deps.db, bystander.userId)).toEqual(bystanderBefore)
  }, 60_000)
})
