import type { Insertable, Selectable, Updateable } from 'kysely'
import { sql } from 'kysely'
import type { Db } from './database.ts'
import type { McpServersTable } from './schema.ts'

export type McpServerRow = Selectable<McpServersTable>
export type McpServerRowWithCounts = McpServerRow & {
  tool_count: number
  enabled_tool_count: number
  /** `render_apps` as this user has it: their own setting for a shared server wins. */
  apps_shown: boolean
}

const toolCounts = sql<number>`(select count(*) from mcp_tools t where t.server_id = mcp_servers.id)::int`
// A user may switch off tools of shared servers for themselves (user_tool_settings).
const enabledToolCounts = (userId: string) =>
  sql<number>`(select count(*) from mcp_tools t
    left join user_tool_settings s on s.tool_id = t.id and s.user_id = ${userId}
    where t.server_id = mcp_servers.id and coalesce(s.enabled, t.enabled))::int`

const appsShown = (userId: string) =>
  sql<boolean>`coalesce((select s.render_apps from user_server_settings s
    where s.server_id = mcp_servers.id and s.user_id = ${userId}), mcp_servers.render_apps)`

/**
 * The user's own servers and the shared ones from switchboard.yaml (no user). Which of two
 * same-named servers the user sees is decided in mcp/ (the override rule).
 */
export async function listServersForUser(
  db: Db,
  input: { userId: string },
): Promise<McpServerRowWithCounts[]> {
  return (
    db
      .selectFrom('mcp_servers')
      .selectAll()
      .select([
        toolCounts.as('tool_count'),
        enabledToolCounts(input.userId).as('enabled_tool_count'),
        appsShown(input.userId).as('apps_shown'),
      ])
      .where((eb) => eb.or([eb('user_id', '=', input.userId), eb('user_id', 'is', null)]))
      // Collations differ between PGlite and PostgreSQL installs: sort the way people read.
      .orderBy(sql`lower(name)`)
      .orderBy('name')
      .execute()
  )
}

/** One of the user's servers or a shared one; someone else's is simply not found. */
export async function findServerForUser(
  db: Db,
  input: { userId: string; id: string },
): Promise<McpServerRowWithCounts | undefined> {
  return db
    .selectFrom('mcp_servers')
    .selectAll()
    .select([
      toolCounts.as('tool_count'),
      enabledToolCounts(input.userId).as('enabled_tool_count'),
      appsShown(input.userId).as('apps_shown'),
    ])
    .where('id', '=', input.id)
    .where((eb) => eb.or([eb('user_id', '=', input.userId), eb('user_id', 'is', null)]))
    .executeTakeFirst()
}

/** A user's own "show apps" for a shared server. */
export async function setUserRenderApps(
  db: Db,
  input: { userId: string; serverId: string; renderApps: boolean },
): Promise<void> {
  await db
    .insertInto('user_server_settings')
    .values({ user_id: input.userId, server_id: input.serverId, render_apps: input.renderApps })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'server_id'])
        .doUpdateSet({ render_apps: input.renderApps, updated_at: new Date() }),
    )
    .execute()
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

/** Keys of `config` to set and to remove, leaving every other key as the row has it. */
export interface ConfigPatch {
  set?: Record<string, unknown>
  remove?: readonly string[]
}

/**
 * Updates a server of `userId`, or a shared server when `userId` is null. `config` is never
 * written whole: the patch is merged in the statement (`config || set`, then `- key`), because
 * other writers (status checks, the OAuth flow, the user's edits) change other keys at once.
 */
export async function updateServerRow(
  db: Db,
  input: {
    userId: string | null
    id: string
    values?: Omit<Updateable<McpServersTable>, 'config'>
    config?: ConfigPatch
  },
): Promise<void> {
  const config = input.config ? { config: mergedConfig(input.config) } : {}
  await db
    .updateTable('mcp_servers')
    .set({ ...input.values, ...config, updated_at: new Date() })
    .where('id', '=', input.id)
    .where('user_id', input.userId === null ? 'is' : '=', input.userId)
    .execute()
}

function mergedConfig(patch: ConfigPatch) {
  let config = sql<string>`config || ${JSON.stringify(patch.set ?? {})}::jsonb`
  for (const key of patch.remove ?? []) config = sql<string>`(${config}) - ${key}::text`
  return config
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

/** Every enabled server, users' and shared: what the periodic health check visits. */
export async function listEnabledServers(db: Db): Promise<McpServerRow[]> {
  return db
    .selectFrom('mcp_servers')
    .selectAll()
    .where('enabled', '=', true)
    .orderBy('last_checked_at', (ob) => ob.asc().nullsFirst())
    .execute()
}

export async function listSharedServers(db: Db): Promise<McpServerRow[]> {
  return db.selectFrom('mcp_servers').selectAll().where('user_id', 'is', null).execute()
}

export async function deleteSharedServers(db: Db, input: { ids: string[] }): Promise<void> {
  if (input.ids.length === 0) return
  await db
    .deleteFrom('mcp_servers')
    .where('id', 'in', input.ids)
    .where('user_id', 'is', null)
    .execute()
}
