import type { Selectable } from 'kysely'
import type { UiResource } from '../mcp/apps/ui-resources.ts'
import type { Db } from './database.ts'
import type { McpUiResourcesTable } from './schema.ts'

export type McpUiResourceRow = Selectable<McpUiResourcesTable>

/**
 * Stores the apps a listing read, writing only those whose hash changed (a routine check reads
 * the same HTML again and again), and drops those no tool names any more (`keep`).
 */
export async function storeUiResources(
  db: Db,
  input: { serverId: string; resources: UiResource[]; keep: string[]; now: Date },
): Promise<void> {
  const stored = await db
    .selectFrom('mcp_ui_resources')
    .select(['uri', 'hash'])
    .where('server_id', '=', input.serverId)
    .execute()
  const known = new Map(stored.map((row) => [row.uri, row.hash]))
  const gone = stored.map((row) => row.uri).filter((uri) => !input.keep.includes(uri))
  if (gone.length > 0) {
    await db
      .deleteFrom('mcp_ui_resources')
      .where('server_id', '=', input.serverId)
      .where('uri', 'in', gone)
      .execute()
  }
  for (const resource of input.resources) {
    if (known.get(resource.uri) === resource.hash) continue
    const values = {
      html: resource.html,
      meta: resource.meta ? JSON.stringify(resource.meta) : null,
      hash: resource.hash,
      updated_at: input.now,
    }
    await db
      .insertInto('mcp_ui_resources')
      .values({ server_id: input.serverId, uri: resource.uri, ...values })
      .onConflict((oc) =>
        oc
          .columns(['server_id', 'uri'])
          .doUpdateSet(values)
          .where('mcp_ui_resources.hash', '!=', resource.hash),
      )
      .execute()
  }
}

export async function findUiResource(
  db: Db,
  input: { serverId: string; uri: string },
): Promise<McpUiResourceRow | undefined> {
  return db
    .selectFrom('mcp_ui_resources')
    .selectAll()
    .where('server_id', '=', input.serverId)
    .where('uri', '=', input.uri)
    .executeTakeFirst()
}
