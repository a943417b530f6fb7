import type {
  McpServerCreate,
  McpServerStats,
  McpServerStatus,
  McpServerTestResult,
  McpServerUpdate,
  McpToolUpdate,
} from '../../shared/mcp-servers.ts'
import { MCP_SERVER_STATUSES } from '../../shared/mcp-servers.ts'
import {
  countServersByStatus,
  deleteServerForUser,
  findServerForUser,
  insertServer,
  listServersForUser,
  type McpServerRow,
  type McpServerRowWithCounts,
  serverNameTaken,
  updateServerRow,
} from '../db/mcp-servers.ts'
import {
  countToolsForUser,
  findToolForUser,
  listToolsForUser,
  type McpToolRow,
  updateTool,
} from '../db/mcp-tools.ts'
import type { Deps } from '../deps.ts'
import { ConflictError, NotFoundError, UpstreamError } from '../errors.ts'
import type { McpEndpoint, McpFailure } from './endpoint.ts'
import { type ProbeResult, probeServer } from './probe.ts'
import {
  type AuthData,
  applyAuthInput,
  authHeaders,
  openAuthData,
  sealAuthData,
} from './server-secrets.ts'
import { storeDiscoveredTools, type ToolSyncOutcome } from './tool-cache.ts'

type ServerDeps = Pick<Deps, 'db' | 'box' | 'config' | 'log' | 'now' | 'events'>

interface ServerConfig {
  timeouts?: { connectMs?: number; requestMs?: number }
  headerNames?: string[]
  oauth?: { scope?: string; clientId?: string }
  skippedTools?: { name: string; reason: string }[]
  toolsTruncated?: boolean
}

export function listServers(deps: ServerDeps, input: { userId: string }) {
  return listServersForUser(deps.db, input)
}

/** One of the caller's servers, or 404: someone else's server is simply not found. */
export async function getServer(
  deps: ServerDeps,
  input: { userId: string; id: string },
): Promise<McpServerRowWithCounts> {
  const row = await findServerForUser(deps.db, input)
  if (!row) throw new NotFoundError('server')
  return row
}

/**
 * Registers a server. By default it must answer first (connect, initialize, list tools) and a
 * failure saves nothing; with `validate: false` it is saved with its error as its status.
 */
export async function createServer(
  deps: ServerDeps,
  input: { userId: string; server: McpServerCreate },
): Promise<McpServerRowWithCounts> {
  const { userId, server } = input
  await assertNameFree(deps, { userId, name: server.name })
  const auth = applyAuthInput(null, server.auth)
  const config: ServerConfig = configFor(server, auth.data)
  const endpoint = endpointFor(deps, {
    name: server.name,
    transport: server.transport,
    url: server.url,
    authData: auth.data,
    config,
    trusted: false,
  })
  const probe = await probeServer(deps, endpoint)
  if (!probe.ok && server.validate) throw rejectedBy(probe.failure, probe.cause)

  const now = deps.now()
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await insertServer(trx, {
      user_id: userId,
      name: server.name,
      description: server.description ?? null,
      transport: server.transport,
      url: server.url,
      config: JSON.stringify(withDiscovery(config, probe)),
      auth_type: auth.type,
      auth_data: sealAuthData(deps.box, userId, auth.data),
      enabled: server.enabled,
      ...statusColumns(probe, now),
    }).catch(translateUniqueViolation)
    if (probe.ok) {
      await storeDiscoveredTools(trx, { serverId: row.id, tools: probe.discovery.tools, now })
    }
    return row.id
  })
  announceStatus(deps, { userId, serverId: id, probe, now })
  return getServer(deps, { userId, id })
}

/**
 * Changes a server. A change to how it is reached (transport, URL, auth, timeouts) is validated
 * like a new server, and a successful check re-syncs its tools.
 */
export async function updateServer(
  deps: ServerDeps,
  input: { userId: string; id: string; changes: McpServerUpdate },
): Promise<McpServerRowWithCounts> {
  const { userId, id, changes } = input
  const current = await getServer(deps, { userId, id })
  if (changes.name && changes.name !== current.name) {
    await assertNameFree(deps, { userId, name: changes.name, exceptId: id })
  }
  const existingAuth = openAuthData(deps.box, userId, current.auth_data)
  const auth = changes.auth
    ? applyAuthInput(existingAuth, changes.auth)
    : { type: current.auth_type, data: existingAuth }
  const currentConfig = current.config as ServerConfig
  const config: ServerConfig = {
    ...currentConfig,
    ...configFor(
      { timeouts: changes.timeouts ?? currentConfig.timeouts, auth: changes.auth },
      auth.data,
    ),
  }
  const transport = changes.transport ?? current.transport
  const url = changes.url ?? current.url
  const reachChanged =
    changes.transport !== undefined ||
    changes.url !== undefined ||
    changes.auth !== undefined ||
    changes.timeouts !== undefined

  let probe: ProbeResult | null = null
  if (reachChanged) {
    probe = await probeServer(
      deps,
      endpointFor(deps, {
        name: changes.name ?? current.name,
        transport,
        url,
        authData: auth.data,
        config,
        trusted: false,
      }),
    )
    if (!probe.ok && changes.validate) throw rejectedBy(probe.failure, probe.cause)
  }
  const now = deps.now()
  const tools = await deps.db.transaction().execute(async (trx) => {
    await updateServerRow(trx, {
      userId,
      id,
      values: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
        transport,
        url,
        config: JSON.stringify(probe ? withDiscovery(config, probe) : config),
        auth_type: auth.type,
        auth_data: sealAuthData(deps.box, userId, auth.data),
        ...(probe ? statusColumns(probe, now) : {}),
      },
    }).catch(translateUniqueViolation)
    if (!probe?.ok) return null
    return storeDiscoveredTools(trx, { serverId: id, tools: probe.discovery.tools, now })
  })
  if (probe) announceStatus(deps, { userId, serverId: id, probe, now, tools })
  return getServer(deps, { userId, id })
}

export async function deleteServer(deps: ServerDeps, input: { userId: string; id: string }) {
  if (!(await deleteServerForUser(deps.db, input))) throw new NotFoundError('server')
}

/** Connects and lists tools without changing the cache; records the outcome as the status. */
export async function testServer(
  deps: ServerDeps,
  input: { userId: string; id: string },
): Promise<McpServerTestResult> {
  const row = await getServer(deps, input)
  const probe = await probeServer(deps, endpointOfRow(deps, row))
  const now = deps.now()
  await updateServerRow(deps.db, { ...input, values: statusColumns(probe, now) })
  announceStatus(deps, { userId: input.userId, serverId: row.id, probe, now })
  if (!probe.ok) {
    return {
      ok: false,
      status: probe.failure.status,
      latencyMs: null,
      serverInfo: null,
      toolCount: null,
      skippedTools: [],
      error: { code: probe.failure.code, message: probe.failure.message },
    }
  }
  return {
    ok: true,
    status: 'online',
    latencyMs: probe.latencyMs,
    serverInfo: probe.serverInfo,
    toolCount: probe.discovery.tools.length,
    skippedTools: probe.discovery.skipped,
    error: null,
  }
}

export interface SyncResult extends ToolSyncOutcome {
  server: McpServerRowWithCounts
  skipped: { name: string; reason: string }[]
  truncated: boolean
}

/** Re-lists the server's tools and makes the cache match; an unreachable server is an error. */
export async function syncServer(
  deps: ServerDeps,
  input: { userId: string; id: string },
): Promise<SyncResult> {
  const row = await getServer(deps, input)
  const probe = await probeServer(deps, endpointOfRow(deps, row))
  const now = deps.now()
  if (!probe.ok) {
    await updateServerRow(deps.db, { ...input, values: statusColumns(probe, now) })
    announceStatus(deps, { userId: input.userId, serverId: row.id, probe, now })
    throw rejectedBy(probe.failure, probe.cause)
  }
  const outcome = await deps.db.transaction().execute(async (trx) => {
    await updateServerRow(trx, {
      ...input,
      values: {
        ...statusColumns(probe, now),
        config: JSON.stringify(withDiscovery(row.config as ServerConfig, probe)),
      },
    })
    return storeDiscoveredTools(trx, { serverId: row.id, tools: probe.discovery.tools, now })
  })
  announceStatus(deps, { userId: input.userId, serverId: row.id, probe, now, tools: outcome })
  return {
    ...outcome,
    server: await getServer(deps, input),
    skipped: probe.discovery.skipped,
    truncated: probe.discovery.truncated,
  }
}

export async function listServerTools(
  deps: ServerDeps,
  input: { userId: string; serverId: string },
): Promise<McpToolRow[]> {
  await getServer(deps, { userId: input.userId, id: input.serverId })
  return listToolsForUser(deps.db, input)
}

export async function updateServerTool(
  deps: ServerDeps,
  input: { userId: string; serverId: string; toolId: string; changes: McpToolUpdate },
): Promise<McpToolRow> {
  const tool = await findToolForUser(deps.db, input)
  if (!tool) throw new NotFoundError('tool')
  const { changes } = input
  await updateTool(deps.db, {
    id: tool.id,
    values: {
      ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
      ...(changes.approvalPolicy ? { approval_policy: changes.approvalPolicy } : {}),
      ...(changes.acceptChange ? { changed_at: null, previous_definition: null } : {}),
    },
  })
  const updated = await findToolForUser(deps.db, input)
  if (!updated) throw new NotFoundError('tool')
  return updated
}

export async function serverStats(
  deps: ServerDeps,
  input: { userId: string },
): Promise<McpServerStats> {
  const [byStatusRows, tools] = await Promise.all([
    countServersByStatus(deps.db, input),
    countToolsForUser(deps.db, input),
  ])
  const byStatus = Object.fromEntries(MCP_SERVER_STATUSES.map((s) => [s, 0])) as Record<
    McpServerStatus,
    number
  >
  for (const row of byStatusRows) byStatus[row.status] = row.count
  const total = byStatusRows.reduce((sum, row) => sum + row.count, 0)
  return { servers: { total, byStatus }, tools }
}

async function assertNameFree(
  deps: ServerDeps,
  input: { userId: string; name: string; exceptId?: string },
): Promise<void> {
  if (await serverNameTaken(deps.db, input)) throw nameTaken(input.name)
}

function nameTaken(name: string): ConflictError {
  return new ConflictError('name_taken', `you already have a server named "${name}"`, {
    details: { fields: [{ field: 'name', message: 'already in use' }] },
  })
}

/** Two concurrent creates with one name: the unique index decides, the loser gets 409. */
function translateUniqueViolation(error: unknown): never {
  if ((error as { code?: string }).code === '23505') throw nameTaken('that name')
  throw error
}

function configFor(
  server: { timeouts?: ServerConfig['timeouts']; auth?: McpServerCreate['auth'] },
  authData: AuthData | null,
): ServerConfig {
  const config: ServerConfig = {}
  if (server.timeouts) config.timeouts = server.timeouts
  if (authData?.type === 'headers') config.headerNames = authData.headers.map((h) => h.name)
  if (server.auth?.type === 'oauth') {
    config.oauth = {
      ...(server.auth.scope ? { scope: server.auth.scope } : {}),
      ...(server.auth.clientId ? { clientId: server.auth.clientId } : {}),
    }
  }
  return config
}

function withDiscovery(config: ServerConfig, probe: ProbeResult): ServerConfig {
  if (!probe.ok) return config
  return {
    ...config,
    skippedTools: probe.discovery.skipped,
    toolsTruncated: probe.discovery.truncated,
  }
}

function statusColumns(probe: ProbeResult, now: Date) {
  if (!probe.ok) {
    return {
      status: probe.failure.status,
      last_error: probe.failure.message,
      last_checked_at: now,
      last_latency_ms: null,
    } as const
  }
  return {
    status: 'online',
    last_error: null,
    last_checked_at: now,
    last_latency_ms: probe.latencyMs,
    server_info: JSON.stringify(probe.serverInfo),
  } as const
}

function endpointFor(
  deps: ServerDeps,
  input: {
    name: string
    transport: McpServerRow['transport']
    url: string | null
    authData: AuthData | null
    config: ServerConfig
    trusted: boolean
  },
): McpEndpoint {
  const { mcp } = deps.config
  return {
    name: input.name,
    transport: input.transport,
    ...(input.url ? { url: input.url } : {}),
    headers: authHeaders(input.authData),
    trusted: input.trusted,
    timeouts: {
      connectMs: input.config.timeouts?.connectMs ?? mcp.connectTimeoutMs,
      requestMs: input.config.timeouts?.requestMs ?? mcp.requestTimeoutMs,
    },
  }
}

function endpointOfRow(deps: ServerDeps, row: McpServerRow): McpEndpoint {
  return endpointFor(deps, {
    name: row.name,
    transport: row.transport,
    url: row.url,
    authData: openAuthData(deps.box, row.user_id, row.auth_data),
    config: row.config as ServerConfig,
    trusted: row.user_id === null,
  })
}

/** The check failed: say why, and name the field the user should look at. */
function rejectedBy(failure: McpFailure, cause: unknown): UpstreamError {
  const field = failure.status === 'needs_auth' ? 'auth' : 'url'
  return new UpstreamError(failure.code, failure.message, {
    cause,
    details: { status: failure.status, fields: [{ field, message: failure.message }] },
  })
}

/** Tells the owner's open pages what just happened to the server (GET /api/events). */
function announceStatus(
  deps: ServerDeps,
  input: {
    userId: string
    serverId: string
    probe: ProbeResult
    now: Date
    tools?: ToolSyncOutcome | null
  },
): void {
  const columns = statusColumns(input.probe, input.now)
  deps.events.publish(input.userId, {
    type: 'server.status',
    serverId: input.serverId,
    status: columns.status,
    lastError: columns.last_error,
    lastCheckedAt: input.now.toISOString(),
    lastLatencyMs: columns.last_latency_ms,
  })
  const { tools } = input
  if (tools && tools.added.length + tools.removed.length + tools.changed.length > 0) {
    deps.events.publish(input.userId, { type: 'server.tools', serverId: input.serverId, ...tools })
  }
}
