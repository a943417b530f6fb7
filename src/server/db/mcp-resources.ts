import type { Insertable, Selectable } from 'kysely'
import { sql } from 'kysely'
import { likePattern } from './conversations.ts'
import type { Db } from './database.ts'
import type { McpResourcesTable } from './schema.ts'

export type McpResourceRow = Selectable<McpResourcesTable>

/** A server's resources, then its templates, in the order the server listed them. */
export async function listResourcesOfServer(
  db: Db,
  input: { serverId: string },
): Promise<McpResourceRow[]> {
  return db
    .selectFrom('mcp_resources')
    .selectAll()
    .where('server_id', '=', input.serverId)
    .orderBy('kind')
    .orderBy('position')
    .execute()
}

/**
 * Resources and templates of these servers whose name, title or URI holds `query` (any case),
 * by server then the server's order: what the composer's `@` offers.
 */
export async function searchResources(
  db: Db,
  input: { serverIds: readonly string[]; query: string; limit: number },
): Promise<McpResourceRow[]> {
  if (input.serverIds.length === 0) return []
  let select = db.selectFrom('mcp_resources').selectAll().where('server_id', 'in', input.serverIds)
  if (input.query !== '') {
    const pattern = likePattern(input.query)
    select = select.where((eb) =>
      eb.or([
        sql<boolean>`${eb.ref('name')} ilike ${pattern}`,
        sql<boolean>`${eb.ref('title')} ilike ${pattern}`,
        sql<boolean>`${eb.ref('uri')} ilike ${pattern}`,
      ]),
    )
  }
  return select
    .orderBy('server_id')
    .orderBy('kind')
    .orderBy('position')
    .limit(input.limit)
    .execute()
}

/** The listed resource (not template) of the server with this URI, if discovery kept one. */
export async function findListedResource(
  db: Db,
  input: { serverId: string; uri: string },
): Promise<McpResourceRow | undefined> {
  return db
    .selectFrom('mcp_resources')
    .selectAll()
    .where('server_id', '=', input.serverId)
    .where('kind', '=', 'resource')
    .where('uri', '=', input.uri)
    .executeTakeFirst()
}

/**
 * Makes the server's stored resources those of a listing, unless the listing is the one stored
 * already (`hash`, kept in the server's `config.resourcesHash`): a routine re-listing of an
 * unchanged server writes nothing. Run it in the caller's transaction.
 */
export async function replaceResources(
  db: Db,
  input: {
    serverId: string
    hash: string
    rows: Omit<Insertable<McpResourcesTable>, 'server_id'>[]
  },
): Promise<boolean> {
  const stored = await db
    .selectFrom('mcp_servers')
    .select(sql<string | null>`config->>'resourcesHash'`.as('hash'))
    .where('id', '=', input.serverId)
    .executeTakeFirst()
  if (!stored || stored.hash === input.hash) return false
  await db.deleteFrom('mcp_resources').where('server_id', '=', input.serverId).execute()
  // 12 columns a row: well under PostgreSQL's 65,535 parameters a statement.
  for (let i = 0; i < input.rows.length; i += 1000) {
    const rows = input.rows.slice(i, i + 1000).map((row) => ({ ...row, server_id: input.serverId }))
    await db.insertInto('mcp_resources').values(rows).execute()
  }
  await db
    .updateTable('mcp_servers')
    .set({ config: sql<string>`config || ${JSON.stringify({ resourcesHash: input.hash })}::jsonb` })
    .where('id', '=', input.serverId)
    .execute()
  return true
}
