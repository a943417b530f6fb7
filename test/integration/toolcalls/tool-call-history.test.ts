import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertToolCalls } from '../../../src/server/db/mcp-tool-calls.ts'
import type { ToolCallView } from '../../../src/shared/tool-calls.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// The history's filters as people use them: typed, partial, in whatever case.
describe('GET /api/user/mcp-tool-calls filters', () => {
  let t: TestApp
  let alice: Awaited<ReturnType<typeof registerUser>>
  let bob: Awaited<ReturnType<typeof registerUser>>

  async function conversation(userId: string, title: string): Promise<string> {
    const now = new Date()
    const row = await t.deps.db
      .insertInto('conversations')
      .values({ user_id: userId, title, model: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  let at = Date.now() - 60_000
  async function call(userId: string, toolName: string, conversationId: string | null = null) {
    at += 1000
    const when = new Date(at)
    await upsertToolCalls(t.deps.db, [
      {
        id: crypto.randomUUID(),
        user_id: userId,
        server_name: 'seeded',
        tool_name: toolName,
        conversation_id: conversationId,
        source: 'chat',
        mode: 'sync',
        input: '{}',
        status: 'succeeded',
        created_at: when,
        updated_at: when,
      },
    ])
  }

  async function toolNames(cookie: string, query: Record<string, string>): Promise<string[]> {
    const res = await t.request(`/api/user/mcp-tool-calls?${new URLSearchParams(query)}`, {
      cookie,
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { calls: ToolCallView[] }
    return body.calls.map((c) => c.toolName).sort()
  }

  beforeAll(async () => {
    t = await startApp()
    alice = await registerUser(t)
    bob = await registerUser(t)
    const lisbon = await conversation(alice.userId, 'Trip to Lisbon')
    const taxes = await conversation(alice.userId, 'Tax return 2026')
    const sale = await conversation(alice.userId, '50% off_sale')
    const bobsLisbon = await conversation(bob.userId, 'Trip to Lisbon')
    await call(alice.userId, 'echo', lisbon)
    await call(alice.userId, 'Echo_Twice', taxes)
    await call(alice.userId, 'get-sum', sale)
    await call(alice.userId, '100%_done')
    await call(alice.userId, 'a_b')
    await call(alice.userId, 'axb')
    await call(alice.userId, 'back\\slash')
    await call(bob.userId, 'echo-bob', bobsLisbon)
  })

  afterAll(async () => {
    await t?.close()
  })

  it('matches part of the tool name in any case', async () => {
    expect(await toolNames(alice.cookie, { toolName: 'ECH' })).toEqual(['Echo_Twice', 'echo'])
    expect(await toolNames(alice.cookie, { toolName: 'twice' })).toEqual(['Echo_Twice'])
    expect(await toolNames(alice.cookie, { toolName: 'nothing-like-it' })).toEqual([])
  })

  it('takes %, _ and \\ in a tool name literally', async () => {
    expect(await toolNames(alice.cookie, { toolName: '%' })).toEqual(['100%_done'])
    expect(await toolNames(alice.cookie, { toolName: 'a_b' })).toEqual(['a_b'])
    expect(await toolNames(alice.cookie, { toolName: '_' })).toEqual([
      '100%_done',
      'Echo_Twice',
      'a_b',
    ])
    expect(await toolNames(alice.cookie, { toolName: '\\' })).toEqual(['back\\slash'])
  })

  it("matches part of the conversation's title in any case, only among the caller's", async () => {
    expect(await toolNames(alice.cookie, { conversation: 'lisbon' })).toEqual(['echo'])
    expect(await toolNames(alice.cookie, { conversation: 'TAX' })).toEqual(['Echo_Twice'])
    expect(await toolNames(alice.cookie, { conversation: '%' })).toEqual(['get-sum'])
    expect(await toolNames(alice.cookie, { conversation: 'off_' })).toEqual(['get-sum'])
    expect(await toolNames(alice.cookie, { conversation: 'nowhere' })).toEqual([])
    expect(await toolNames(bob.cookie, { conversation: 'Lisbon' })).toEqual(['echo-bob'])
  })

  it('combines the tool and conversation filters', async () => {
    expect(await toolNames(alice.cookie, { toolName: 'E', conversation: 'trip' })).toEqual(['echo'])
    expect(await toolNames(alice.cookie, { toolName: 'SUM', conversation: 'off' })).toEqual([
      'get-sum',
    ])
    expect(await toolNames(alice.cookie, { toolName: 'sum', conversation: 'trip' })).toEqual([])
  })
})
