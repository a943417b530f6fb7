import type { OAuthClientProvider } from '@modelcontextprotocol/client'
import { reasonOf } from '../../../shared/error-reasons.ts'
import type { Config } from '../../config/config.ts'
import type { SecretBox } from '../../crypto/secret-box.ts'
import { findServerForUser, type McpServerRow } from '../../db/mcp-servers.ts'
import type { Logger } from '../../log.ts'
import { type DiscoveryResult, discoverCatalog } from '../catalog/discovery.ts'
import type { ToolSyncOutcome } from '../catalog/tool-cache.ts'
import { connectMcp } from '../client/connect.ts'
import type { SessionKey } from '../client/connection-pool.ts'
import type { McpFailure } from '../client/endpoint.ts'
import type { UpstreamHttp } from '../client/upstream-http.ts'
import { createServerOAuthProvider } from '../oauth/provider.ts'
import { discoveryLimits, endpointOfRow } from './endpoint-of-row.ts'
import { asMcpFailure } from './probe.ts'
import { recordCheck, type ServerStateDeps } from './state.ts'
import type { CheckOutcome } from './status.ts'

/** A session opens with the server's secrets (OAuth included); what it finds is recorded. */
export interface SessionDeps extends ServerStateDeps {
  box: SecretBox
  config: Config
  log: Logger
  upstreamHttp: UpstreamHttp
}

/** Health checks of shared servers run on a session of their own, not on any user's. */
export const OPERATOR_SESSION = ''

/** The pool key of a server for a user: shared config servers still get one session per user. */
export function sessionKey(userId: string, row: Pick<McpServerRow, 'id'>): SessionKey {
  return { userId, serverId: row.id }
}

/** Runs fn on the user's pooled session with the server (connecting if needed). */
export function withSession<T>(
  deps: SessionDeps,
  input: { userId: string; row: McpServerRow; check?: boolean },
  fn: (connection: Awaited<ReturnType<typeof connectMcp>>) => Promise<T>,
): Promise<T> {
  const endpoint = endpointOfRow(deps, input.row)
  return deps.pool.use(
    sessionKey(input.userId, input.row),
    (options) =>
      connectMcp(
        endpoint,
        { upstreamHttp: deps.upstreamHttp, log: deps.log, ...oauthFor(deps, input.row) },
        options,
      ),
    fn,
    { check: input.check ?? false },
  )
}

export type RefreshResult =
  | { ok: true; discovery: DiscoveryResult; tools: ToolSyncOutcome }
  | { ok: false; failure: McpFailure; cause: unknown }

/**
 * Checks a server on its pooled session (a ping, then the tool list: no re-initialize of a
 * healthy session) and makes status and tool cache match what it found. Used by sync, the
 * periodic health check and `notifications/tools/list_changed`. It is a check: tried even while
 * calls back off, and bounded by the connect timeout like Test, not by the request timeout a
 * tool may need. Never throws for an upstream problem; the failure is recorded as the server's
 * status and returned.
 */
export async function refreshServer(
  deps: SessionDeps,
  input: {
    userId: string
    row: McpServerRow
    /** A periodic health check: the tool list is re-used while the server says it is fresh. */
    routine?: boolean
  },
): Promise<RefreshResult> {
  const { row } = input
  const endpoint = endpointOfRow(deps, row)
  const limits = discoveryLimits(deps.config, endpoint)
  let outcome: CheckOutcome
  let cause: unknown = null
  try {
    const started = performance.now()
    const session = { userId: input.userId, row, check: true }
    const discovery = await withSession(deps, session, async (connection) => {
      await connection.client.ping({ timeout: limits.timeoutMs })
      return discoverCatalog(connection, limits, { reuseFresh: input.routine ?? false })
    })
    outcome = { ok: true, latencyMs: Math.round(performance.now() - started), discovery }
  } catch (error) {
    cause = error
    outcome = { ok: false, failure: asMcpFailure(error, endpoint) }
  }
  const tools = await recordCheck(deps, { server: row, outcome })
  if (outcome.ok && outcome.discovery && tools) {
    return { ok: true, discovery: outcome.discovery, tools }
  }
  return { ok: false, failure: outcome.ok ? unexpected() : outcome.failure, cause }
}

/** The server said its tools changed: fetch them now so the next turn sees the latest. */
export async function onToolsListChanged(deps: SessionDeps, key: SessionKey): Promise<void> {
  const row = await findServerForUser(deps.db, { userId: key.userId, id: key.serverId })
  if (!row) return
  const result = await refreshServer(deps, { userId: key.userId, row })
  deps.log.info({ serverId: row.id, ok: result.ok }, 'tools re-synced after list_changed')
}

/** The session dropped under us: record it so the user sees the server go offline at once. */
export async function onSessionLost(
  deps: SessionDeps,
  key: SessionKey,
  failure: McpFailure,
): Promise<void> {
  const row = await findServerForUser(deps.db, { userId: key.userId, id: key.serverId })
  if (!row) return
  await recordCheck(deps, { server: row, outcome: { ok: false, failure } })
}

/**
 * A call went through: the server is up. Only a server not shown online is written to (most
 * calls change nothing), so a call after an outage brings it back online at once.
 */
export async function onCallAnswered(
  deps: SessionDeps,
  input: { row: McpServerRow; latencyMs: number },
): Promise<void> {
  if (input.row.status === 'online') return
  await recordCheck(deps, { server: input.row, outcome: { ok: true, latencyMs: input.latencyMs } })
}

function unexpected(): McpFailure {
  return {
    code: 'upstream_failed',
    status: 'error',
    message: 'the check ended without a result',
    reason: reasonOf('upstream.failed', {}),
  }
}

/** For a server whose auth type is oauth: the provider its HTTP transport signs requests with. */
export function oauthFor(
  deps: Pick<SessionDeps, 'db' | 'box' | 'config' | 'log' | 'now' | 'upstreamHttp'>,
  row: Pick<McpServerRow, 'id' | 'user_id' | 'auth_type' | 'config'>,
): { authProvider?: OAuthClientProvider } {
  if (row.auth_type !== 'oauth') return {}
  const server = { id: row.id, userId: row.user_id, config: row.config }
  return { authProvider: createServerOAuthProvider(deps, server) }
}
