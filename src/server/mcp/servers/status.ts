import type { AppEvent } from '../../../shared/events.ts'
import type { ServerInfo } from '../../../shared/mcp-servers.ts'
import type { EventBus } from '../../events/event-bus.ts'
import type { DiscoveryResult } from '../catalog/discovery.ts'
import type { ToolSyncOutcome } from '../catalog/tool-cache.ts'
import type { McpFailure } from '../client/endpoint.ts'
import type { ServerConfig } from './endpoint-of-row.ts'

/** What a check of a server found: it answered (and how fast), or the failure. */
export type CheckOutcome =
  | { ok: true; latencyMs: number; serverInfo?: ServerInfo; discovery?: DiscoveryResult }
  | { ok: false; failure: McpFailure }

/** The status columns of `mcp_servers` after a check. */
export function statusColumns(outcome: CheckOutcome, now: Date) {
  if (!outcome.ok) {
    return {
      status: outcome.failure.status,
      last_error: outcome.failure.message,
      last_error_reason: JSON.stringify(outcome.failure.reason),
      last_checked_at: now,
      last_latency_ms: null,
    } as const
  }
  return {
    status: 'online',
    last_error: null,
    last_error_reason: null,
    last_checked_at: now,
    last_latency_ms: outcome.latencyMs,
    ...(outcome.serverInfo ? { server_info: JSON.stringify(outcome.serverInfo) } : {}),
  } as const
}

/** Keeps what discovery skipped or cut with the server, so its status can say so. */
export function withDiscovery(config: ServerConfig, outcome: CheckOutcome): ServerConfig {
  if (!outcome.ok || !outcome.discovery) return config
  return {
    ...config,
    skippedTools: outcome.discovery.skipped,
    toolsTruncated: outcome.discovery.truncated,
  }
}

/** Tells the owner's open pages what just happened to the server (GET /api/events). */
export function announceStatus(
  deps: { events: EventBus },
  input: {
    /** The owner; null for a shared server, whose news goes to everyone. */
    userId: string | null
    serverId: string
    outcome: CheckOutcome
    now: Date
    tools?: ToolSyncOutcome | null
  },
): void {
  const columns = statusColumns(input.outcome, input.now)
  const send = (event: AppEvent) =>
    input.userId === null ? deps.events.broadcast(event) : deps.events.publish(input.userId, event)
  send({
    type: 'server.status',
    serverId: input.serverId,
    status: columns.status,
    lastError: columns.last_error,
    lastErrorReason: input.outcome.ok ? null : input.outcome.failure.reason,
    lastCheckedAt: input.now.toISOString(),
    lastLatencyMs: columns.last_latency_ms,
  })
  const { tools } = input
  if (tools && tools.added.length + tools.removed.length + tools.changed.length > 0) {
    send({ type: 'server.tools', serverId: input.serverId, ...tools })
  }
}
