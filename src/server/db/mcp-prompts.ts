import type { Insertable, Selectable } from 'kysely'
import { sql } from 'kysely'
import { likePattern } from './conversations.ts'
import type { Db } from './database.ts'
import type { McpPromptsTable } from './schema.ts'

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

/**
 * Makes the server's stored prompts those of a listing, unless the listing is the one stored
 * already (`hash`, kept in the server's `config.promptsHash`). Run it in the caller's transaction.
 */
export async function replacePrompts(
  db: Db,
  input: {
    serverId: string
    hash: string
    rows: Omit<Insertable<McpPromptsTable>, 'server_id'>[]
  },
): Promise<boolean> {
  const stored = await db
    .selectFrom('mcp_servers')
    .select(sql<string | null>`config->>'promptsHash'`.as('hash'))
    .where('id', '=', input.serverId)
    .executeTakeFirst()
  if (!stored || stored.hash === input.hash) return false
  await db.deleteFrom('mcp_prompts').where('server_id', '=', input.serverId).execute()
  // 7 columns a row: well under PostgreSQL's 65,535 parameters a statement.
  for (let i = 0; i < input.rows.length; i += 1000) {
    const rows = input.rows.slice(i, i + 1000).map((row) => ({ ...row, server_id: input.serverId }))
    await db.insertInto('mcp_prompts').values(rows).execute()
  }
  await db
    .updateTable('mcp_servers')
    .set({ config: sql<string>`config || ${JSON.stringify({ promptsHash: input.hash })}::jsonb` })
    .where('id', '=', input.serverId)
    .execute()
  return true
}
