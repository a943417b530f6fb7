import type { KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ToolCallRecord } from '../../../src/server/db/mcp-tool-calls.ts'
import { createCallLog } from '../../../src/server/toolcalls/call-log.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

/** Counts the statements that reach the database, and can fail the next few. */
function statementCounter() {
  const counter = {
    statements: 0,
    failNext: 0,
    plugin: {
      transformQuery(args) {
        if (counter.failNext > 0) {
          counter.failNext -= 1
          throw new Error('database unavailable')
        }
        counter.statements += 1
        return args.node
      },
      transformResult: async (args) => args.result,
    } satisfies KyselyPlugin,
  }
  return counter
}

describe('the call log', () => {
  let t: TestApp
  let userId: string

  beforeAll(async () => {
    t = await startApp()
    userId = (await registerUser(t)).userId
  })

  afterAll(async () => {
    await t?.close()
  })

  function record(status: 'running' | 'succeeded'): ToolCallRecord {
    const now = new Date()
    return {
      id: crypto.randomUUID(),
      user_id: userId,
      server_name: 'echo',
      tool_name: 'echo',
      source: 'api',
      mode: 'sync',
      input: '{}',
      status,
      created_at: now,
      updated_at: now,
    }
  }

  async function statusOf(id: string) {
    const row = await t.deps.db
      .selectFrom('mcp_tool_calls')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst()
    return row?.status
  }

  it('writes calls that end within the window once, together, in their final state', async () => {
    const counter = statementCounter()
    const log = createCallLog({ db: t.deps.db.withPlugin(counter.plugin), log: t.deps.log })
    const calls = Array.from({ length: 5 }, () => record('running'))
    for (const call of calls) log.write(call)
    for (const call of calls) log.write({ ...call, status: 'succeeded' })
    await log.close()
    expect(counter.statements).toBe(1)
    for (const call of calls) expect(await statusOf(call.id)).toBe('succeeded')
  })

  it('writes at once for someone waiting on a row, not at the timer', async () => {
    const log = createCallLog({ db: t.deps.db, log: t.deps.log }, { flushAfterMs: 60_000 })
    const call = record('running')
    log.write(call)
    const waited = await Promise.race([
      log.written(call.id).then(() => 'written'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000)),
    ])
    expect(waited).toBe('written')
    expect(await statusOf(call.id)).toBe('running')
    await log.close()
  })

  it('keeps every row through failed writes and writes them once the database is back', async () => {
    const counter = statementCounter()
    counter.failNext = 2
    const log = createCallLog(
      { db: t.deps.db.withPlugin(counter.plugin), log: t.deps.log },
      { flushAfterMs: 1, retryAfterMs: 10 },
    )
    const calls = Array.from({ length: 20 }, () => record('succeeded'))
    for (const call of calls) log.write(call)
    await log.flush()
    expect(counter.failNext).toBe(0)
    for (const call of calls) expect(await statusOf(call.id)).toBe('succeeded')
    await log.close()
  })
})
