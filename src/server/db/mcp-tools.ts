import type { Insertable, Selectable, Updateable } from 'kysely'
import { sql } from 'kysely'
import type { Db } from './database.ts'
import type { McpToolsTable } from './schema.ts'

export type McpToolRow = Selectable<McpToolsTable>

/** Tools of one of the user's servers (the join enforces ownership). */
export async function listToolsForUser(
  db: Db,
  input: { userId: string; serverId: string },
): Promise<McpToolRow[]> {
  return db
    .selectFrom('mcp_tools')
    .innerJoin('mcp_servers', 'mcp_servers.id', 'mcp_tools.server_id')
    .selectAll('mcp_tools')
    .where('mcp_tools.server_id', '=', input.serverId)
    .where('mcp_servers.user_id', '=', input.userId)
    .orderBy('mcp_tools.name')
    .execute()
}

export async function findToolForUser(
  db: Db,
  input: { userId: string; serverId: string; toolId: string },
): Promise<McpToolRow | undefined> {
  return db
    .selectFrom('mcp_tools')
    .innerJoin('mcp_servers', 'mcp_servers.id', 'mcp_tools.server_id')
    .selectAll('mcp_tools')
    .where('mcp_tools.id', '=', input.toolId)
    .where('mcp_tools.server_id', '=', input.serverId)
    .where('mcp_servers.user_id', '=', input.userId)
    .executeTakeFirst()
}

export async function listToolsOfServer(
  db: Db,
  input: { serverId: string },
): Promise<McpToolRow[]> {
  return db.selectFrom('mcp_tools').selectAll().where('server_id', '=', input.serverId).execute()
}

export async function insertTools(db: Db, rows: Insertable<McpToolsTable>[]): Promise<void> {
  // Chunked: PostgreSQL caps a statement at 65,535 parameters.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('mcp_tools')
      .values(rows.slice(i, i + 500))
      .execute()
  }
}

export async function updateTool(
  db: Db,
  input: { id: string; values: Updateable<McpToolsTable> },
): Promise<void> {
  await db
    .updateTable('mcp_tools')
    .set({ ...input.values, updated_at: new Date() })
    .where('id', '=', input.id)
    .execute()
}

export async function deleteTools(db: Db, input: { ids: string[] }): Promise<void> {
  if (input.ids.length === 0) return
  await db.deleteFrom('mcp_tools').where('id', 'in', input.ids).execute()
}

export async function touchTools(db: Db, input: { serverId: string; at: Date }): Promise<void> {
  await db
    .updateTable('mcp_tools')
    .set({ last_synced_at: input.at })
    .where('server_id', '=', input.serverId)
    .execute()
}

export async function countToolsForUser(
  db: Db,
  input: { userId: string },
): Promise<{ total: number; enabled: number }> {
  const row = await db
    .selectFrom('mcp_tools')
    .innerJoin('mcp_servers', 'mcp_servers.id', 'mcp_tools.server_id')
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`count(*) filter (where mcp_tools.enabled)::int`.as('enabled'),
    ])
    .where('mcp_servers.user_id', '=', input.userId)
    .executeTakeFirstOrThrow()
  return row
}
