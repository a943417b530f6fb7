import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDown, migrateToLatest, migrationStatus } from '../../../src/server/db/migrator.ts'
import { listTables, snapshotSchema } from '../../helpers/schema-snapshot.ts'
import { openTestDatabase, TEST_DB_KIND, type TestDatabase } from '../../helpers/test-db.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await openTestDatabase()
})
afterAll(() => database.close())

const BOOKKEEPING = ['schema_migrations', 'schema_migrations_lock']

describe(`migrations on ${TEST_DB_KIND}`, () => {
  it('migrates all the way down and up again to the identical schema', async () => {
    const { db } = database
    await migrateToLatest(db)
    const before = await snapshotSchema(db)
    expect(before.length).toBeGreaterThan(50)

    await migrateDown(db, 'zero')
    expect((await listTables(db)).filter((t) => !BOOKKEEPING.includes(t))).toEqual([])
    expect((await migrationStatus(db)).every((m) => !m.applied)).toBe(true)

    await migrateToLatest(db)
    expect(await snapshotSchema(db)).toEqual(before)
  })

  it('creates every table of the design with the keys and indexes it names', async () => {
    const { db } = database
    await migrateToLatest(db)
    const tables = await listTables(db)
    for (const table of [
      'users',
      'sessions',
      'accounts',
      'verifications',
      'api_tokens',
      'mcp_servers',
      'mcp_tools',
      'mcp_tool_calls',
      'audit_log',
      'conversations',
      'messages',
      'user_tool_settings',
    ]) {
      expect(tables).toContain(table)
    }
    const schema = (await snapshotSchema(db)).join('\n')
    expect(schema).toContain('UNIQUE (user_id, name)')
    expect(schema).toContain('UNIQUE (server_id, name)')
    expect(schema).toMatch(/mcp_servers_status_idx/)
    expect(schema).toMatch(/mcp_tool_calls_user_id_created_at_idx .*\(user_id, created_at DESC\)/)
    expect(schema).toMatch(/mcp_tool_calls_conversation_id_idx/)
    expect(schema).toMatch(
      /FOREIGN KEY \(server_id\) REFERENCES mcp_servers\(id\) ON DELETE CASCADE/,
    )
  })

  it('reports status and refuses an unknown target', async () => {
    const { db } = database
    await migrateToLatest(db)
    const status = await migrationStatus(db)
    expect(status[0]).toMatchObject({ name: '0001-initial', applied: true })
    expect(status.every((m) => m.applied)).toBe(true)
    await expect(migrateDown(db, 'nope')).rejects.toThrow(/unknown migration "nope"/)
  })
})
