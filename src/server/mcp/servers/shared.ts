import { reasonOf } from '../../../shared/error-reasons.ts'
import type { Config } from '../../config/config.ts'
import type { Db } from '../../db/database.ts'
import {
  deleteSharedServers,
  insertServer,
  listSharedServers,
  type McpServerRow,
  updateServerRow,
} from '../../db/mcp-servers.ts'
import { AppError } from '../../errors.ts'
import type { Logger } from '../../log.ts'

export interface SharedServerSyncDeps {
  db: Db
  config: Pick<Config, 'mcpServers'>
  log: Logger
}

/**
 * Makes the shared servers in the database match switchboard.yaml: one row per `mcpServers`
 * entry (user_id null) for its status and tool cache; rows of removed entries go (their tool
 * calls stay in the log). Connection details and secrets stay in the config, not the rows.
 */
export async function syncSharedServers(deps: SharedServerSyncDeps): Promise<void> {
  const wanted = new Map(deps.config.mcpServers.map((s) => [s.name, s]))
  await deps.db.transaction().execute(async (trx) => {
    const existing = await listSharedServers(trx)
    for (const row of existing) {
      const shared = wanted.get(row.name)
      if (!shared) continue
      wanted.delete(row.name)
      await updateServerRow(trx, {
        userId: null,
        id: row.id,
        values: {
          description: shared.description,
          transport: shared.transport,
          url: shared.displayUrl,
          enabled: shared.enabled,
        },
        config: { set: { timeouts: shared.timeouts, override: shared.override } },
      })
    }
    for (const shared of wanted.values()) {
      await insertServer(trx, {
        user_id: null,
        name: shared.name,
        description: shared.description,
        transport: shared.transport,
        url: shared.displayUrl,
        enabled: shared.enabled,
        config: JSON.stringify({ timeouts: shared.timeouts, override: shared.override }),
      })
    }
    const names = new Set(deps.config.mcpServers.map((s) => s.name))
    await deleteSharedServers(trx, {
      ids: existing.filter((r) => !names.has(r.name)).map((r) => r.id),
    })
  })
  if (deps.config.mcpServers.length) {
    deps.log.info({ servers: deps.config.mcpServers.map((s) => s.name) }, 'shared servers loaded')
  }
}

/**
 * Which servers a user sees when theirs and a shared one share a name: their own, unless the
 * shared entry says `override: true`.
 */
export function visibleServers<T extends Pick<McpServerRow, 'name' | 'user_id'>>(
  config: Pick<Config, 'mcpServers'>,
  rows: T[],
): T[] {
  const key = (name: string) => name.toLowerCase()
  const overriding = new Set(config.mcpServers.filter((s) => s.override).map((s) => key(s.name)))
  const own = new Set(rows.filter((r) => r.user_id !== null).map((r) => key(r.name)))
  return rows.filter((row) =>
    row.user_id === null
      ? overriding.has(key(row.name)) || !own.has(key(row.name))
      : !overriding.has(key(row.name)),
  )
}

/** Names no user may take: shared servers that override. */
export function isReservedName(config: Pick<Config, 'mcpServers'>, name: string): boolean {
  return config.mcpServers.some((s) => s.override && s.name.toLowerCase() === name.toLowerCase())
}

/** Shared servers are the operator's: users may use them, not change them. */
export function assertOwnServer(row: Pick<McpServerRow, 'user_id' | 'name'>): void {
  if (row.user_id === null) {
    throw new AppError(
      'forbidden',
      `"${row.name}" is a shared server from switchboard.yaml: only the operator can change it`,
      { reason: reasonOf('server.shared', { name: row.name }) },
    )
  }
}
