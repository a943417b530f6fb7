import { type Selectable, sql } from 'kysely'
import { likePattern } from './conversations.ts'
import type { Db } from './database.ts'
import type { Database } from './schema.ts'

/** What a server lists besides its tools, each kept in a table of its own. */
const LISTINGS = {
  mcp_resources: 'resourcesHash',
  mcp_prompts: 'promptsHash',
} as const

/**
 * Rows of `table` of these servers whose `columns` hold `query` (any case; `%` and `_` as typed),
 * by server, then `order` (the server's listing order).
 */
export async function searchServerListing<T extends keyof typeof LISTINGS>(
  db: Db,
  input: {
    table: T
    columns: readonly string[]
    order: readonly string[]
    serverIds: readonly string[]
    query: string
    limit: number
  },
): Promise<Selectable<Database[T]>[]> {
  if (input.serverIds.length === 0) return []
  // One query for both tables: their shared columns are named alike.
  let select = db
    .selectFrom(input.table as 'mcp_prompts')
    .selectAll()
    .where('server_id', 'in', input.serverIds)
  if (input.query !== '') {
    const pattern = likePattern(input.query)
    select = select.where((eb) =>
      eb.or(input.columns.map((column) => sql<boolean>`${sql.ref(column)} ilike ${pattern}`)),
    )
  }
  let ordered = select.orderBy('server_id')
  for (const column of input.order) ordered = ordered.orderBy(column as 'position')
  return (await ordered.limit(input.limit).execute()) as Selectable<Database[T]>[]
}

/**
 * Makes the server's stored rows of `table` those of a listing, unless the listing is the one
 * stored already (`hash`, kept in the server's config): a routine re-listing of an unchanged
 * server writes nothing. Run it in the caller's transaction. True when it wrote.
 */
export async function replaceServerListing(
  db: Db,
  input: {
    table: keyof typeof LISTINGS
    serverId: string
    hash: string
    rows: Record<string, unknown>[]
  },
): Promise<boolean> {
  const hashKey = LISTINGS[input.table]
  const stored = await db
    .selectFrom('mcp_servers')
    .select(sql<string | null>`config->>${hashKey}`.as('hash'))
    .where('id', '=', input.serverId)
    .executeTakeFirst()
  if (!stored || stored.hash === input.hash) return false
  await db.deleteFrom(input.table).where('server_id', '=', input.serverId).execute()
  // At most a dozen columns a row: well under PostgreSQL's 65,535 parameters a statement.
  for (let i = 0; i < input.rows.length; i += 1000) {
    const rows = input.rows.slice(i, i + 1000).map((row) => ({ ...row, server_id: input.serverId }))
    await db
      .insertInto(input.table)
      .values(rows as never)
      .execute()
  }
  await db
    .updateTable('mcp_servers')
    .set({ config: sql<string>`config || ${JSON.stringify({ [hashKey]: input.hash })}::jsonb` })
    .where('id', '=', input.serverId)
    .execute()
  return true
}
