import type { Insertable, Selectable } from 'kysely'
import { sql } from 'kysely'
import { likePattern } from './conversations.ts'
import type { Db } from './database.ts'
import type { McpPromptsTable } from './schema.ts'
import { replaceServerListing } from './server-listings.ts'

export type McpPromptRow = Selectable<McpPromptsTable>

/** A server's prompts, in the order the server listed them. */
export async function listPromptsOfServer(
  db: Db,
  input: { serverId: string },
): Promise<McpPromptRow[]> {
  return db
    .selectFrom('mcp_prompts')
    .selectAll()
    .where('server_id', '=', input.serverId)
    .orderBy('position')
    .execute()
}

/** The listed prompt of the server with this name, if discovery kept one. */
export async function findPrompt(
  db: Db,
  input: { serverId: string; name: string },
): Promise<McpPromptRow | undefined> {
  return db
    .selectFrom('mcp_prompts')
    .selectAll()
    .where('server_id', '=', input.serverId)
    .where('name', '=', input.name)
    .executeTakeFirst()
}

/**
 * Prompts of these servers whose name, title or description holds `query` (any case), by
 * server then the server's order: what the composer's `/` offers.
 */
export async function searchPrompts(
  db: Db,
  input: { serverIds: readonly string[]; query: string; limit: number },
): Promise<McpPromptRow[]> {
  if (input.serverIds.length === 0) return []
  let select = db.selectFrom('mcp_prompts').selectAll().where('server_id', 'in', input.serverIds)
  if (input.query !== '') {
    const pattern = likePattern(input.query)
    select = select.where((eb) =>
      eb.or([
        sql<boolean>`${eb.ref('name')} ilike ${pattern}`,
        sql<boolean>`${eb.ref('title')} ilike ${pattern}`,
        sql<boolean>`${eb.ref('description')} ilike ${pattern}`,
      ]),
    )
  }
  return select.orderBy('server_id').orderBy('position').limit(input.limit).execute()
}

/** Makes the server's stored rows those of a listing, unless unchanged (`replaceServerListing`). */
export async function replacePrompts(
  db: Db,
  input: {
    serverId: string
    hash: string
    rows: Omit<Insertable<McpPromptsTable>, 'server_id'>[]
  },
): Promise<boolean> {
  return replaceServerListing(db, { table: 'mcp_prompts', ...input })
}
