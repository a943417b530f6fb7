/**
 * The one owner of what Switchboard knows about a server once it exists: its status, the notes
 * its discovery left in `config`, its tool cache. Whoever learns something about a server (Test,
 * Sync, a health check, `list_changed`, a call, a lost session, an OAuth sign-in, an edit) hands
 * it here, and here alone it is written (merged into the row, never a stale copy of it), the
 * caches it affects are dropped, the back-off of a server that answered is reset, and the
 * owner's pages are told.
 *
 * @module
 */
import type { McpServerStatus } from '../../../shared/mcp-servers.ts'
import { type Db, inTransaction } from '../../db/database.ts'
import { type ConfigPatch, type McpServerRow, updateServerRow } from '../../db/mcp-servers.ts'
import type { EventBus } from '../../events/event-bus.ts'
import type { Logger } from '../../log.ts'
import { invalidateToolAccess, type ToolAccessCache } from '../catalog/access-cache.ts'
import type { DiscoveryResult } from '../catalog/discovery.ts'
import { storeCatalog, type ToolSyncOutcome } from '../catalog/tool-cache.ts'
import type { ConnectionPool } from '../client/connection-pool.ts'
import { announceStatus, type CheckOutcome, statusColumns } from './status.ts'

/** What a server's state reaches: its row, the caches and sessions of it, its owner's pages. */
export interface ServerStateDeps {
  db: Db
  events: EventBus
  toolAccess: ToolAccessCache
  pool: ConnectionPool
  now: () => Date
  log: Logger
}

type ServerRef = Pick<McpServerRow, 'id' | 'user_id' | 'status'>

/**
 * Records what a check of the server found: its status columns, and when it listed the tools,
 * its tool cache and what discovery skipped. Returns how the tools changed (null without a
 * listing).
 */
export async function recordCheck(
  deps: ServerStateDeps,
  input: {
    /** The server as read before the check: only its id, owner and previous status are used. */
    server: ServerRef
    outcome: CheckOutcome
  },
): Promise<ToolSyncOutcome | null> {
  const { server, outcome } = input
  const discovery = outcome.ok ? (outcome.discovery ?? null) : null
  const now = deps.now()
  // A listing reused from this session is what the cache holds already: only the status moves.
  const listed = discovery?.reused ? null : discovery
  const tools = await inTransaction(deps.db, async (trx) => {
    await updateServerRow(trx, {
      userId: server.user_id,
      id: server.id,
      values: statusColumns(outcome, now),
      ...(listed ? { config: discoveryNotes(listed) } : {}),
    })
    if (!discovery) return null
    if (!listed) return { added: [], removed: [], changed: [] }
    return storeCatalog(trx, { serverId: server.id, discovery: listed, now })
  })
  const status = statusColumns(outcome, now).status
  if (status !== server.status) logStatusChange(deps, { server, status, outcome })
  // Cached access carries the server row (its status) and the tools: drop it when either moved.
  if (status !== server.status || (tools && hasChanges(tools))) {
    invalidateToolAccess(deps, server.user_id)
  }
  // It answered: whatever back-off an earlier outage started is over, for every user of it.
  if (outcome.ok) deps.pool.closeCircuit(server.id)
  announceStatus(deps, { userId: server.user_id, serverId: server.id, outcome, now, tools })
  return tools
}

/**
 * A server's settings changed (created, edited, deleted, a tool switched, an OAuth grant): the
 * change is committed; drop what was cached about the user's tools (everyone's for a shared
 * server), close sessions opened the old way, and tell the owner's pages what a check found.
 */
export async function serverChanged(
  deps: ServerStateDeps,
  input: {
    /** The owner; null: a shared server. */
    userId: string | null
    serverId: string
    /** The way to reach it changed, or it was switched off or deleted. */
    dropSessions?: boolean
    /** What the check made with the change found (and what it did to the tools). */
    checked?: { outcome: CheckOutcome; tools: ToolSyncOutcome | null }
  },
): Promise<void> {
  invalidateToolAccess(deps, input.userId)
  if (input.dropSessions) await deps.pool.dropServer(input.serverId)
  if (input.checked?.outcome.ok) deps.pool.closeCircuit(input.serverId)
  if (input.checked) {
    announceStatus(deps, {
      userId: input.userId,
      serverId: input.serverId,
      outcome: input.checked.outcome,
      now: deps.now(),
      tools: input.checked.tools,
    })
  }
}

/** What discovery skipped or cut, kept with the server so its status can say so. */
export function discoveryNotes(discovery: DiscoveryResult): Required<ConfigPatch> {
  const { resources, resourceError, prompts, promptError } = discovery
  return {
    set: {
      skippedTools: discovery.skipped,
      toolsTruncated: discovery.truncated,
      ...(resources
        ? {
            skippedResources: resources.skipped.slice(0, MAX_NOTED_SKIPS),
            resourcesTruncated: resources.truncated,
          }
        : {}),
      ...(resourceError ? { resourceError } : {}),
      ...(prompts
        ? {
            skippedPrompts: prompts.skipped.slice(0, MAX_NOTED_SKIPS),
            promptsTruncated: prompts.truncated,
          }
        : {}),
      ...(promptError ? { promptError } : {}),
    },
    remove: [...(resourceError ? [] : ['resourceError']), ...(promptError ? [] : ['promptError'])],
  }
}

/** Skipped resources noted at most: a server may list thousands of bad ones. */
const MAX_NOTED_SKIPS = 100

/**
 * At info, once per change: an operator sees a server go down and come back without debug logs,
 * and a server that stays down (checked every pass) does not repeat itself.
 */
function logStatusChange(
  deps: Pick<ServerStateDeps, 'log'>,
  change: { server: ServerRef; status: McpServerStatus; outcome: CheckOutcome },
): void {
  const { server, status, outcome } = change
  const failure = outcome.ok ? {} : { error: outcome.failure.message }
  deps.log.info(
    { serverId: server.id, from: server.status, to: status, ...failure },
    `server status ${server.status} -> ${status}`,
  )
}

function hasChanges(tools: ToolSyncOutcome): boolean {
  return tools.added.length + tools.removed.length + tools.changed.length > 0
}
