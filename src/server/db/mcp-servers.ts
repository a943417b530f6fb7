import type { Insertable, Selectable, Updateable } from 'kysely'
import { sql } from 'kysely'
import type { Db } from './database.ts'
import type { McpServersTable } from './schema.ts'

export type McpServerRow = Selectable<McpServersTable>
export type McpServerRowWithCounts = McpServerRow & {
  tool_count: number
  enabled_tool_count: number
}

const toolCounts = sql<number>`(select count(*) from mcp_tools t where t.server_id = mcp_servers.id)::int`
const enabledToolCounts = sql<number>`(select count(*) from mcp_tools t where t.server_id = mcp_servers.id and t.enabled)::int`

/** The user's own servers (config servers have no user and are merged in by mcp/). */
export async function listServersForUser(
  db: Db,
  input: { userId: string },
): Promise<McpServerRowWithCounts[]> {
  return db
    .selectFrom('mcp_servers')
    .selectAll()
    .select([toolCounts.as('tool_count'), enabledToolCounts.as('enabled_tool_count')])
    .where('user_id', '=', input.userId)
    .orderBy('name')
    .execute()
}

/** One of the user's servers; someone else's is simply not found. */
export async function findServerForUser(
  db: Db,
  input: { userId: string; id: string },
): Promise<McpServerRowWithCounts | undefined> {
  return db
    .selectFrom('mcp_servers')
    .selectAll()
    .select([toolCounts.as('tool_count'), enabledToolCounts.as('enabled_tool_count')])
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
}

export async function serverNameTaken(
  db: Db,
  input: { userId: string; name: string; exceptId?: string },
): Promise<boolean> {
  let query = db
    .selectFrom('mcp_servers')
    .select('id')
    .where('user_id', '=', input.userId)
    .where(sql`lower(name)`, '=', input.name.toLowerCase())
  if (input.exceptId) query = query.where('id', '!=', input.exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

export async function insertServer(
  db: Db,
  values: Insertable<McpServersTable>,
): Promise<McpServerRow> {
  return db.insertInto('mcp_servers').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function updateServerRow(
  db: Db,
  input: { userId: string; id: string; values: Updateable<McpServersTable> },
): Promise<void> {
  await db
    .updateTable('mcp_servers')
    .set({ ...input.values, updated_at: new Date() })
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .execute()
}

export async function deleteServerForUser(
  db: Db,
  input: { userId: string; id: string },
): Promise<boolean> {
  const result = await db
    .deleteFrom('mcp_servers')
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export async function countServersByStatus(
  db: Db,
  input: { userId: string },
): Promise<{ status: McpServerRow['status']; count: number }[]> {
  return db
    .selectFrom('mcp_servers')
    .select(['status', sql<number>`count(*)::int`.as('count')])
    .where('user_id', '=', input.userId)
    .groupBy('status')
    .execute()
}

/** Every enabled server a user registered: what the periodic health check visits. */
export async function listEnabledUserServers(db: Db): Promise<McpServerRow[]> {
  return db
    .selectFrom('mcp_servers')
    .selectAll()
    .where('enabled', '=', true)
    .where('user_id', 'is not', null)
    .orderBy('last_checked_at', (ob) => ob.asc().nullsFirst())
    .execute()
}
