import type { Insertable, Selectable } from 'kysely'
import type { Db } from './database.ts'
import type { McpResourcesTable } from './schema.ts'
import { replaceServerListing, searchServerListing } from './server-listings.ts'

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
  return searchServerListing(db, {
    table: 'mcp_resources',
    columns: ['name', 'title', 'uri'],
    order: ['kind', 'position'],
    ...input,
  })
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

/** Makes the server's stored rows those of a listing, unless unchanged (`replaceServerListing`). */
export async function replaceResources(
  db: Db,
  input: {
    serverId: string
    hash: string
    rows: Omit<Insertable<McpResourcesTable>, 'server_id'>[]
  },
): Promise<boolean> {
  return replaceServerListing(db, { table: 'mcp_resources', ...input })
}
