import type { Insertable, Selectable } from 'kysely'
import type { Db } from './database.ts'
import type { McpPromptsTable } from './schema.ts'
import { replaceServerListing, searchServerListing } from './server-listings.ts'

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
  return searchServerListing(db, {
    table: 'mcp_prompts',
    columns: ['name', 'title', 'description'],
    order: ['position'],
    ...input,
  })
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
