import type { Selectable } from 'kysely'
import type { UiResource } from '../mcp/apps/ui-resources.ts'
import type { Db } from './database.ts'
import type { McpUiResourcesTable } from './schema.ts'

export type McpUiResourceRow = Selectable<McpUiResourcesTable>

/** Stores the apps a listing read, rewriting only those whose hash changed. */
export async function upsertUiResources(
  db: Db,
  input: { serverId: string; resources: UiResource[]; now: Date },
): Promise<void> {
  for (const resource of input.resources) {
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
