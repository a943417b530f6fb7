import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDown, migrateToLatest } from '../../../src/server/db/migrator.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Migration 0005 turns the conversations stored as lines into trees: each message's parent is
// the one before it, the last one is on show, and the text is there for search.

let t: TestApp
beforeAll(async () => {
  t = await startApp()
}, 60_000)
afterAll(async () => {
  await t?.close()
})

async function columnsOf(table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}
  `.execute(t.deps.db)
  return rows.map((row) => row.column_name)
}

const text = (words: string) => JSON.stringify([{ type: 'text', text: words }])

describe('migration 0005 (message branches)', () => {
  it('links the messages of existing conversations in order, and drops the links going down', async () => {
    const { cookie, userId } = await registerUser(t)
    await migrateDown(t.deps.db, '0004-json-key-order')
    expect(await columnsOf('messages')).not.toContain('parent_id')
    expect(await columnsOf('conversations')).not.toContain('current_message_id')

    // Rows as the code before 0005 wrote them.
    // biome-ignore lint/suspicious/noExplicitAny: the schema before 0005 is not the app's type
    const db = t.deps.db as unknown as Kysely<any>
    const [line] = (await db
      .insertInto('conversations')
      .values({ user_id: userId, title: 'A line', model: null })
      .returning('id')
      .execute()) as [{ id: string }]
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, second))
    const rows = [
      { id: 'm-1', role: 'user', parts: text('first question'), created_at: at(1) },
      {
        id: 'm-2',
        role: 'assistant',
        parts: JSON.stringify([
          { type: 'step-start' },
          { type: 'text', text: 'first' },
          { type: 'reasoning', text: 'not searched' },
          { type: 'text', text: 'answer' },
        ]),
        created_at: at(2),
      },
      { id: 'm-3', role: 'user', parts: text('second question'), created_at: at(3) },
      { id: 'm-4', role: 'assistant', parts: text('second answer'), created_at: at(4) },
    ]
    // Inserted out of order: the order is their time.
    for (const row of [rows[2], rows[0], rows[3], rows[1]]) {
      await db
        .insertInto('messages')
        .values({ ...row, conversation_id: line.id, updated_at: row?.created_at })
        .execute()
    }
    const [leftover] = (await db
      .insertInto('conversations')
      .values({ user_id: userId, title: 'New conversation', model: null })
      .returning('id')
      .execute()) as [{ id: string }]
    const [named] = (await db
      .insertInto('conversations')
      .values({ user_id: userId, title: 'Named, still empty', model: null })
      .returning('id')
      .execute()) as [{ id: string }]

    await migrateToLatest(t.deps.db)

    const detail = await (await t.request(`/api/conversations/${line.id}`, { cookie })).json()
    expect(detail.messages.map((m: { id: string }) => m.id)).toEqual(['m-1', 'm-2', 'm-3', 'm-4'])
    expect(detail.messages.map((m: { parentId: string | null }) => m.parentId)).toEqual([
      null,
      'm-1',
      'm-2',
      'm-3',
    ])
    const stored = await t.deps.db
      .selectFrom('messages')
      .select(['id', 'search_text'])
      .where('conversation_id', '=', line.id)
      .orderBy('id')
      .execute()
    expect(stored.map((row) => row.search_text)).toEqual([
      'first question',
      'first answer',
      'second question',
      'second answer',
    ])
    const conversation = await t.deps.db
      .selectFrom('conversations')
      .select(['current_message_id', 'pinned'])
      .where('id', '=', line.id)
      .executeTakeFirstOrThrow()
    expect(conversation).toEqual({ current_message_id: 'm-4', pinned: false })
    // Search finds the old text; the empty leftover of "New conversation" is gone, a named one stays.
    const found = await (await t.request('/api/conversations?q=FIRST%20answer', { cookie })).json()
    expect(found.conversations.map((c: { id: string }) => c.id)).toEqual([line.id])
    const ids = (
      await (await t.request('/api/conversations', { cookie })).json()
    ).conversations.map((c: { id: string }) => c.id)
    expect(ids).toContain(named.id)
    expect(ids).not.toContain(leftover.id)

    // And down again: the columns go, the messages stay.
    await migrateDown(t.deps.db, '0004-json-key-order')
    expect(await columnsOf('messages')).not.toContain('parent_id')
    expect(await columnsOf('messages')).not.toContain('search_text')
    expect(await columnsOf('conversations')).not.toContain('pinned')
    const { rows: kept } = await sql<{ n: number }>`
      select count(*)::int as n from messages where conversation_id = ${line.id}
    `.execute(t.deps.db)
    expect(kept[0]?.n).toBe(4)
    await migrateToLatest(t.deps.db)
  })
})
