import type { Insertable, Selectable, Updateable } from 'kysely'
import { sql } from 'kysely'
import type { Db } from './database.ts'
import type { McpToolsTable } from './schema.ts'

export type McpToolRow = Selectable<McpToolsTable>

/**
 * Tools as one user sees them: of their own servers or shared ones (the join enforces it), with
 * their own switches for shared tools applied over the tool's.
 */
function toolsForUser(db: Db, userId: string) {
  return db
    .selectFrom('mcp_tools')
    .innerJoin('mcp_servers', 'mcp_servers.id', 'mcp_tools.server_id')
    .leftJoin('user_tool_settings as s', (join) =>
      join.onRef('s.tool_id', '=', 'mcp_tools.id').on('s.user_id', '=', userId),
    )
    .selectAll('mcp_tools')
    .select([
      sql<boolean>`coalesce(s.enabled, mcp_tools.enabled)`.as('enabled'),
      sql<McpToolRow['approval_policy']>`coalesce(s.approval_policy, mcp_tools.approval_policy)`.as(
        'approval_policy',
      ),
    ])
    .where((eb) =>
      eb.or([eb('mcp_servers.user_id', '=', userId), eb('mcp_servers.user_id', 'is', null)]),
    )
}

export async function listToolsForUser(
  db: Db,
  input: { userId: string; serverId: string },
): Promise<McpToolRow[]> {
  return toolsForUser(db, input.userId)
    .where('mcp_tools.server_id', '=', input.serverId)
    .orderBy('mcp_tools.name')
    .execute()
}

export async function findToolForUser(
  db: Db,
  input: { userId: string; serverId: string; toolId: string },
): Promise<McpToolRow | undefined> {
  return toolsForUser(db, input.userId)
    .where('mcp_tools.id', '=', input.toolId)
    .where('mcp_tools.server_id', '=', input.serverId)
    .executeTakeFirst()
}

/** Which of these tool ids the user can see (own or shared servers), with their servers. */
export async function findToolServersForUser(
  db: Db,
  input: { userId: string; ids: readonly string[] },
): Promise<{ id: string; server_id: string; name: string }[]> {
  if (input.ids.length === 0) return []
  return db
    .selectFrom('mcp_tools')
    .innerJoin('mcp_servers', 'mcp_servers.id', 'mcp_tools.server_id')
    .select(['mcp_tools.id', 'mcp_tools.server_id', 'mcp_tools.name'])
    .where('mcp_tools.id', 'in', [...input.ids])
    .where((eb) =>
      eb.or([eb('mcp_servers.user_id', '=', input.userId), eb('mcp_servers.user_id', 'is', null)]),
    )
    .execute()
}

/** A tool as the user sees it, with the server it belongs to. */
export type McpToolWithServer = McpToolRow & {
  server_name: string
  server_user_id: string | null
  server_enabled: boolean
}

function toolsWithServerForUser(db: Db, userId: string) {
  return toolsForUser(db, userId).select([
    'mcp_servers.name as server_name',
    'mcp_servers.user_id as server_user_id',
    'mcp_servers.enabled as server_enabled',
  ])
}

/** Every tool the user has switched on, on servers that are switched on, in name order. */
export async function listEnabledToolsForUser(
  db: Db,
  input: { userId: string },
): Promise<McpToolWithServer[]> {
  return toolsWithServerForUser(db, input.userId)
    .where('mcp_servers.enabled', '=', true)
    .where(sql<boolean>`coalesce(s.enabled, mcp_tools.enabled)`)
    .orderBy('mcp_servers.name')
    .orderBy('mcp_tools.name')
    .execute()
}

/** One tool the user can see, by id or by server + name; enabled or not. */
export async function findToolWithServerForUser(
  db: Db,
  input: { userId: string } & ({ toolId: string } | { serverId: string; toolName: string }),
): Promise<McpToolWithServer | undefined> {
  const query = toolsWithServerForUser(db, input.userId)
  return 'toolId' in input
    ? query.where('mcp_tools.id', '=', input.toolId).executeTakeFirst()
    : query
        .where('mcp_tools.server_id', '=', input.serverId)
        .where('mcp_tools.name', '=', input.toolName)
        .executeTakeFirst()
}

/** A user's own switch or approval policy for a tool of a shared server. */
export async function upsertUserToolSettings(
  db: Db,
  input: {
    userId: string
    toolId: string
    enabled?: boolean
    approvalPolicy?: McpToolRow['approval_policy']
  },
): Promise<void> {
  const values = {
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.approvalPolicy ? { approval_policy: input.approvalPolicy } : {}),
  }
  await db
    .insertInto('user_tool_settings')
    .values({ user_id: input.userId, tool_id: input.toolId, ...values })
    .onConflict((oc) =>
      oc.columns(['user_id', 'tool_id']).doUpdateSet({ ...values, updated_at: new Date() }),
    )
    .execute()
}

/**
 * Switches tools on or off for one user in one statement: the tools themselves on the user's own
 * server (`shared: false`), the user's own switches on a shared one.
 */
export async function setToolsEnabled(
  db: Db,
  input: { userId: string; serverId: string; toolIds: string[]; enabled: boolean; shared: boolean },
): Promise<void> {
  if (input.toolIds.length === 0) return
  const now = new Date()
  if (!input.shared) {
    await db
      .updateTable('mcp_tools')
      .set({ enabled: input.enabled, updated_at: now })
      .where('server_id', '=', input.serverId)
      .where('id', 'in', input.toolIds)
      .execute()
    return
  }
  await db
    .insertInto('user_tool_settings')
    .values(
      input.toolIds.map((toolId) => ({
        user_id: input.userId,
        tool_id: toolId,
        enabled: input.enabled,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['user_id', 'tool_id']).doUpdateSet({ enabled: input.enabled, updated_at: now }),
    )
    .execute()
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
