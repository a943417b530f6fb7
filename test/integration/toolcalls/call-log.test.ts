import type { KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ToolCallRecord } from '../../../src/server/db/mcp-tool-calls.ts'
import { CallLogError, createCallLog } from '../../../src/server/toolcalls/call-log.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

/**
 * Counts the statements that reach the database, can fail the next few, and can hold results
 * back (`hold`) so a test knows a write is in flight.
 */
function statementCounter() {
  let open: () => void = () => {}
  let gate: Promise<void> | null = null
  const counter = {
    statements: 0,
    failNext: 0,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve
      })
      return () => {
        gate = null
        open()
      }
    },
    plugin: {
      transformQuery(args) {
        if (counter.failNext > 0) {
          counter.failNext -= 1
          throw new Error('database unavailable')
        }
        counter.statements += 1
        return args.node
      },
      transformResult: async (args) => {
        await gate
        return args.result
      },
    } satisfies KyselyPlugin,
  }
  return counter
}

/** Settles within `ms` (a generous bound), or says it did not. */
function within<T>(promise: Promise<T>, ms = 10_000): Promise<T | 'still waiting'> {
  return Promise.race([
    promise,
    new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms)),
  ])
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
    return (await rowOf(id))?.status
  }

  async function rowOf(id: string) {
    return t.deps.db
      .selectFrom('mcp_tool_calls')
      .select(['status', 'conversation_id', 'message_id'])
      .where('id', '=', id)
      .executeTakeFirst()
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

  it('commits at once, and commits arriving while a batch is written share the next one', async () => {
    const counter = statementCounter()
    const log = createCallLog(
      { db: t.deps.db.withPlugin(counter.plugin), log: t.deps.log },
      { flushAfterMs: 60_000 },
    )
    const open = counter.hold()
    const first = record('running')
    const firstCommitted = log.commit(first)
    await expect.poll(() => counter.statements, { timeout: 10_000 }).toBe(1)
    // The first batch is in flight: these wait for it, then go together.
    const rest = Array.from({ length: 10 }, () => record('succeeded'))
    const restCommitted = rest.map((call) => log.commit(call))
    open()
    expect(await within(Promise.all([firstCommitted, ...restCommitted]))).not.toBe('still waiting')
    expect(counter.statements).toBe(2)
    for (const call of [first, ...rest]) expect(await statusOf(call.id)).toBe(call.status)
    await log.close()
  })

  it('writes the rest of a batch at once when one row names a conversation that is gone', async () => {
    const log = createCallLog({ db: t.deps.db, log: t.deps.log }, { flushAfterMs: 1 })
    const good = Array.from({ length: 5 }, () => record('succeeded'))
    const orphan = {
      ...record('succeeded'),
      conversation_id: crypto.randomUUID(),
      message_id: 'message-1',
    }
    for (const call of [good[0], orphan, ...good.slice(1)]) log.write(call as ToolCallRecord)
    const all = Promise.all([...good, orphan].map((call) => log.written(call.id)))
    expect(await within(all)).not.toBe('still waiting')
    for (const call of good) expect(await statusOf(call.id)).toBe('succeeded')
    // Kept, filed under no conversation; the message id stays as it was.
    expect(await rowOf(orphan.id)).toEqual({
      status: 'succeeded',
      conversation_id: null,
      message_id: 'message-1',
    })
    await log.close()
  })

  it('drops a row the database always refuses, tells its waiter, and loses no other', async () => {
    const log = createCallLog(
      { db: t.deps.db, log: t.deps.log },
      { flushAfterMs: 1, retryAfterMs: 10 },
    )
    const good = Array.from({ length: 6 }, () => record('succeeded'))
    // A status the table's check constraint refuses: no retry can ever write it.
    const bad = { ...record('succeeded'), status: 'exploded' } as unknown as ToolCallRecord
    for (const call of [...good.slice(0, 3), bad, ...good.slice(3)]) log.write(call)
    const badWritten = log.written(bad.id).then(
      () => 'written',
      (error: unknown) => error,
    )
    expect(await within(Promise.all(good.map((call) => log.written(call.id))))).not.toBe(
      'still waiting',
    )
    for (const call of good) expect(await statusOf(call.id)).toBe('succeeded')
    const outcome = await within(badWritten)
    expect(outcome).toBeInstanceOf(CallLogError)
    expect(await statusOf(bad.id)).toBeUndefined()
    // The log goes on: a later row is written as usual.
    const later = record('succeeded')
    expect(await within(log.commit(later))).toBeUndefined()
    expect(await statusOf(later.id)).toBe('succeeded')
    await log.close()
  })

  it('writes every good row on close and returns, even with a row it can never write', async () => {
    const log = createCallLog({ db: t.deps.db, log: t.deps.log }, { flushAfterMs: 60_000 })
    const good = Array.from({ length: 4 }, () => record('succeeded'))
    const bad = { ...record('running'), source: 'carrier-pigeon' } as unknown as ToolCallRecord
    for (const call of [bad, ...good]) log.write(call)
    const badWritten = log.written(bad.id).catch((error: unknown) => error)
    expect(await within(log.close())).toBeUndefined()
    for (const call of good) expect(await statusOf(call.id)).toBe('succeeded')
    expect(await badWritten).toBeInstanceOf(CallLogError)
  })
})
