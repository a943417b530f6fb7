import { reasonOf } from '../../../shared/error-reasons.ts'
import type {
  McpServerCreate,
  McpServerStats,
  McpServerStatus,
  McpServerTestResult,
  McpServerUpdate,
  McpToolUpdate,
} from '../../../shared/mcp-servers.ts'
import { MCP_SERVER_STATUSES } from '../../../shared/mcp-servers.ts'
import { type AuditSource, recordAudit, SYSTEM } from '../../audit/audit-log.ts'
import {
  deleteServerForUser,
  findServerForUser,
  insertServer,
  listServersForUser,
  type McpServerRowWithCounts,
  serverNameTaken,
  setUserRenderApps,
  updateServerRow,
} from '../../db/mcp-servers.ts'
import {
  findToolForUser,
  listToolsForUser,
  type McpToolRow,
  updateTool,
  upsertUserToolSettings,
} from '../../db/mcp-tools.ts'
import { AppError, ConflictError, NotFoundError, UpstreamError } from '../../errors.ts'
import { storeCatalog, type ToolSyncOutcome } from '../catalog/tool-cache.ts'
import type { McpFailure } from '../client/endpoint.ts'
import { forOAuthServer } from '../oauth/flow.ts'
import { endpointFor, endpointOfRow, type ServerConfig } from './endpoint-of-row.ts'
import { type ProbeResult, probeServer } from './probe.ts'
import { type AuthData, applyAuthInput, openAuthData, sealAuthData } from './secrets.ts'
import { oauthFor, refreshServer, type SessionDeps } from './sessions.ts'
import { assertOwnServer, isReservedName, visibleServers } from './shared.ts'
import { discoveryNotes, recordCheck, serverChanged } from './state.ts'
import { statusColumns } from './status.ts'

/** Adding, changing and checking a server connects to it: what a session with it needs. */
export type ServerDeps = SessionDeps

/** The user's servers and the shared ones they can use (see `visibleServers`). */
export async function listServers(
  deps: Pick<ServerDeps, 'db' | 'config'>,
  input: { userId: string },
) {
  return visibleServers(deps.config, await listServersForUser(deps.db, input))
}

/** One of the caller's servers, or 404: someone else's server is simply not found. */
export async function getServer(
  deps: Pick<ServerDeps, 'db'>,
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
  input: { userId: string; server: McpServerCreate } & AuditSource,
): Promise<McpServerRowWithCounts> {
  const { userId, server } = input
  await assertNameFree(deps, { userId, name: server.name })
  const auth = applyAuthInput(null, server.auth)
  const config: ServerConfig = configFor(server, auth.data)
  const endpoint = endpointFor(deps.config, {
    name: server.name,
    transport: server.transport,
    url: server.url,
    authData: auth.data,
    serverConfig: config,
    trusted: false,
  })
  const probe = await probeServer(deps, endpoint)
  if (!probe.ok && server.validate && !awaitsSignIn(auth.type, probe)) {
    throw rejectedBy(probe.failure, probe.cause)
  }

  const now = deps.now()
  const notes = probe.ok ? discoveryNotes(probe.discovery).set : {}
  const { id, tools } = await deps.db.transaction().execute(async (trx) => {
    const row = await insertServer(trx, {
      user_id: userId,
      name: server.name,
      description: server.description ?? null,
      transport: server.transport,
      url: server.url,
      config: JSON.stringify({ ...config, ...notes }),
      auth_type: auth.type,
      auth_data: sealAuthData(deps.box, userId, auth.data),
      enabled: server.enabled,
      render_apps: server.renderApps,
      ...statusColumns(probe, now),
    }).catch(translateUniqueViolation)
    const stored = probe.ok
      ? await storeCatalog(trx, { serverId: row.id, discovery: probe.discovery, now })
      : null
    return { id: row.id, tools: stored }
  })
  await serverChanged(deps, { userId, serverId: id, checked: { outcome: probe, tools } })
  await recordAudit(deps, {
    ...auditOf(input, 'server.created', id),
    details: { name: server.name, transport: server.transport, authType: auth.type },
  })
  return getServer(deps, { userId, id })
}

/**
 * Changes a server. A change to how it is reached (transport, URL, auth, timeouts) is validated
 * like a new server, and a successful check re-syncs its tools.
 */
export async function updateServer(
  deps: ServerDeps,
  input: { userId: string; id: string; changes: McpServerUpdate } & AuditSource,
): Promise<McpServerRowWithCounts> {
  const { userId, id, changes } = input
  const current = await getServer(deps, { userId, id })
  if (current.user_id === null && onlyRenderApps(changes)) {
    // Whether apps show is each user's own choice, on a shared server too.
    await setUserRenderApps(deps.db, { userId, serverId: id, renderApps: changes.renderApps })
    await serverChanged(deps, { userId, serverId: id })
    return getServer(deps, { userId, id })
  }
  assertOwnServer(current)
  if (changes.name && changes.name !== current.name) {
    await assertNameFree(deps, { userId, name: changes.name, exceptId: id })
  }
  const existingAuth = openAuthData(deps.box, userId, current.auth_data)
  const urlChanged = changes.url !== undefined && changes.url !== current.url
  const moved =
    urlChanged || (changes.transport !== undefined && changes.transport !== current.transport)
  const keptAuth = authThatMayMove(existingAuth, { moved, urlChanged })
  const auth = changes.auth
    ? applyAuthInput(keptAuth, changes.auth)
    : { type: current.auth_type, data: keptAuth }
  const configPatch = configChange({ changes, authData: auth.data, moved })
  const config = patched(current.config as ServerConfig, configPatch)
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
      endpointFor(deps.config, {
        name: changes.name ?? current.name,
        transport,
        url,
        authData: auth.data,
        serverConfig: config,
        trusted: false,
      }),
      oauthFor(deps, { id, user_id: userId, auth_type: auth.type, config: { ...config } }),
    )
    if (!probe.ok && changes.validate && !awaitsSignIn(auth.type, probe)) {
      throw rejectedBy(probe.failure, probe.cause)
    }
  }
  const now = deps.now()
  // Credentials are written only when this change set them: an OAuth refresh made meanwhile
  // (the probe may have made one) must not be overwritten with the copy read before it.
  const authWritten = changes.auth !== undefined || keptAuth !== existingAuth
  const notes = probe?.ok ? discoveryNotes(probe.discovery) : { set: {}, remove: [] }
  const tools = await deps.db.transaction().execute(async (trx) => {
    await updateServerRow(trx, {
      userId,
      id,
      values: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
        ...(changes.renderApps !== undefined ? { render_apps: changes.renderApps } : {}),
        transport,
        url,
        ...(authWritten
          ? { auth_type: auth.type, auth_data: sealAuthData(deps.box, userId, auth.data) }
          : {}),
        ...(probe ? statusColumns(probe, now) : {}),
      },
      config: {
        set: { ...configPatch.set, ...notes.set },
        remove: [...(configPatch.remove ?? []), ...notes.remove],
      },
    }).catch(translateUniqueViolation)
    if (!probe?.ok) return null
    return storeCatalog(trx, { serverId: id, discovery: probe.discovery, now })
  })
  await serverChanged(deps, {
    userId,
    serverId: id,
    // The old sessions were opened with the old URL or credentials.
    dropSessions: reachChanged || changes.enabled === false,
    ...(probe ? { checked: { outcome: probe, tools } } : {}),
  })
  await recordServerUpdate(deps, input, {
    name: changes.name ?? current.name,
    transport,
    dropped: droppedSecrets(existingAuth, keptAuth, changes.auth),
  })
  return getServer(deps, { userId, id })
}

export async function deleteServer(
  deps: ServerDeps,
  input: { userId: string; id: string } & AuditSource,
) {
  const row = await getServer(deps, input)
  assertOwnServer(row)
  if (!(await deleteServerForUser(deps.db, input))) throw new NotFoundError('server')
  await serverChanged(deps, { userId: input.userId, serverId: input.id, dropSessions: true })
  await recordAudit(deps, {
    ...auditOf(input, 'server.deleted', input.id),
    details: { name: row.name, transport: row.transport },
  })
}

/** Connects and lists tools without changing the cache; records the outcome as the status. */
export async function testServer(
  deps: ServerDeps,
  input: { userId: string; id: string },
): Promise<McpServerTestResult> {
  const row = await getServer(deps, input)
  const probe = await probeServer(deps, endpointOfRow(deps, row), oauthFor(deps, row))
  if (!probe.ok && row.auth_type === 'oauth') probe.failure = forOAuthServer(probe.failure)
  // Only the status: Test does not change the tool cache (Sync does).
  const { latencyMs, serverInfo } = probe.ok ? probe : { latencyMs: 0, serverInfo: undefined }
  await recordCheck(deps, {
    server: row,
    outcome: probe.ok ? { ok: true, latencyMs, serverInfo } : probe,
  })
  if (!probe.ok) {
    return {
      ok: false,
      status: probe.failure.status,
      latencyMs: null,
      serverInfo: null,
      toolCount: null,
      skippedTools: [],
      error: {
        code: probe.failure.code,
        message: probe.failure.message,
        reason: probe.failure.reason,
      },
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
  const result = await refreshServer(deps, { userId: input.userId, row })
  if (!result.ok) throw rejectedBy(result.failure, result.cause)
  return {
    ...result.tools,
    server: await getServer(deps, input),
    skipped: result.discovery.skipped,
    truncated: result.discovery.truncated,
  }
}

export async function listServerTools(
  deps: Pick<ServerDeps, 'db'>,
  input: { userId: string; serverId: string },
): Promise<McpToolRow[]> {
  await getServer(deps, { userId: input.userId, id: input.serverId })
  return listToolsForUser(deps.db, input)
}

/**
 * Changes a tool. On the user's own server this changes the tool; on a shared server it records
 * the user's own switch and policy, and only an admin may accept a changed definition for all.
 */
export async function updateServerTool(
  deps: ServerDeps,
  input: {
    userId: string
    isAdmin: boolean
    serverId: string
    toolId: string
    changes: McpToolUpdate
  } & AuditSource,
): Promise<McpToolRow> {
  const server = await getServer(deps, { userId: input.userId, id: input.serverId })
  const tool = await findToolForUser(deps.db, input)
  if (!tool) throw new NotFoundError('tool')
  const { changes } = input
  const accept = changes.acceptChange ? { changed_at: null, previous_definition: null } : {}
  if (server.user_id === null) {
    if (changes.acceptChange && !input.isAdmin) {
      throw new AppError('forbidden', 'only an admin can accept a change to a shared tool', {
        reason: reasonOf('server.adminOnlyAccept', {}),
      })
    }
    await upsertUserToolSettings(deps.db, {
      userId: input.userId,
      toolId: tool.id,
      ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
      ...(changes.approvalPolicy ? { approvalPolicy: changes.approvalPolicy } : {}),
    })
    if (changes.acceptChange) await updateTool(deps.db, { id: tool.id, values: accept })
  } else {
    await updateTool(deps.db, {
      id: tool.id,
      values: {
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
        ...(changes.approvalPolicy ? { approval_policy: changes.approvalPolicy } : {}),
        ...accept,
      },
    })
  }
  // Accepting a shared tool's change changes what everyone is offered.
  const shared = server.user_id === null && changes.acceptChange
  await serverChanged(deps, { userId: shared ? null : input.userId, serverId: server.id })
  const updated = await findToolForUser(deps.db, input)
  if (!updated) throw new NotFoundError('tool')
  await recordToolChange(deps, input, { server, before: tool, after: updated })
  return updated
}

function onlyRenderApps(changes: McpServerUpdate): changes is McpServerUpdate & {
  renderApps: boolean
} {
  const { renderApps, validate: _validate, ...rest } = changes
  return renderApps !== undefined && Object.values(rest).every((value) => value === undefined)
}

/** Counts over the servers the user sees (their own and the shared ones). */
export async function serverStats(
  deps: Pick<ServerDeps, 'db' | 'config'>,
  input: { userId: string },
): Promise<McpServerStats> {
  const rows = await listServers(deps, input)
  const byStatus = Object.fromEntries(MCP_SERVER_STATUSES.map((s) => [s, 0])) as Record<
    McpServerStatus,
    number
  >
  for (const row of rows) byStatus[row.status] += 1
  return {
    servers: { total: rows.length, byStatus },
    tools: {
      total: rows.reduce((sum, row) => sum + row.tool_count, 0),
      enabled: rows.reduce((sum, row) => sum + row.enabled_tool_count, 0),
    },
  }
}

async function assertNameFree(
  deps: ServerDeps,
  input: { userId: string; name: string; exceptId?: string },
): Promise<void> {
  if (isReservedName(deps.config, input.name) || (await serverNameTaken(deps.db, input))) {
    throw nameTaken(input.name)
  }
}

function nameTaken(name: string): ConflictError {
  return new ConflictError('name_taken', `you already have a server named "${name}"`, {
    details: {
      fields: [
        { field: 'name', message: 'already in use', reason: reasonOf('server.nameInUse', {}) },
      ],
    },
    reason: reasonOf('server.nameTaken', { name }),
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

/** The check failed: say why, and name the field the user should look at. */
function rejectedBy(failure: McpFailure, cause: unknown): UpstreamError {
  const field = failure.status === 'needs_auth' ? 'auth' : 'url'
  return new UpstreamError(failure.code, failure.message, {
    cause,
    details: {
      status: failure.status,
      fields: [{ field, message: failure.message, reason: failure.reason }],
    },
    reason: failure.reason,
  })
}

/** An OAuth server that answers "sign in first" is saved as needs_auth: Connect comes next. */
function awaitsSignIn(authType: string, probe: ProbeResult): boolean {
  return authType === 'oauth' && !probe.ok && probe.failure.status === 'needs_auth'
}

/** The common part of a server's audit entries: who, from where, which server. */
function auditOf(
  input: { userId: string } & AuditSource,
  action: 'server.created' | 'server.updated' | 'server.deleted' | 'server.secret_changed',
  serverId: string,
) {
  return {
    userId: input.userId,
    actor: input.actor ?? SYSTEM,
    action,
    target: { type: 'mcp_server', id: serverId },
    ip: input.ip,
  }
}

/**
 * `server.updated` names the fields the request set; `server.secret_changed` is added when it
 * set a new credential. Both name fields only: the values are secrets or not worth keeping.
 */
async function recordServerUpdate(
  deps: ServerDeps,
  input: { userId: string; id: string; changes: McpServerUpdate } & AuditSource,
  update: { name: string; transport: string; dropped: string[] },
): Promise<void> {
  const { dropped, ...server } = update
  const { changes } = input
  const fields = Object.entries(changes)
    .filter(([key, value]) => key !== 'validate' && value !== undefined)
    .map(([key]) => key)
  await recordAudit(deps, {
    ...auditOf(input, 'server.updated', input.id),
    details: { ...server, fields },
  })
  const credentials = newCredentialFields(changes.auth)
  if (credentials.length || dropped.length) {
    await recordAudit(deps, {
      ...auditOf(input, 'server.secret_changed', input.id),
      details: {
        ...server,
        ...(changes.auth ? { authType: changes.auth.type } : {}),
        fields: credentials,
        ...(dropped.length ? { dropped } : {}),
      },
    })
  }
}

/** Which credentials an auth change sets anew (an omitted secret keeps the stored one). */
function newCredentialFields(auth: McpServerUpdate['auth']): string[] {
  if (auth?.type === 'bearer') return auth.token ? ['auth.token'] : []
  if (auth?.type === 'headers') {
    return auth.headers
      .filter((header) => header.value !== undefined)
      .map((header) => `auth.headers.${header.name}`)
  }
  if (auth?.type === 'oauth') return auth.clientSecret ? ['auth.clientSecret'] : []
  return []
}

/** Records what a tool change actually changed, as the user sees the tool. */
async function recordToolChange(
  deps: ServerDeps,
  input: { userId: string; toolId: string } & AuditSource,
  change: { server: McpServerRowWithCounts; before: McpToolRow; after: McpToolRow },
): Promise<void> {
  const { server, before, after } = change
  const base = {
    userId: input.userId,
    actor: input.actor ?? SYSTEM,
    target: { type: 'mcp_tool', id: input.toolId },
    ip: input.ip,
  }
  const details = { serverId: server.id, server: server.name, tool: after.name }
  if (before.enabled !== after.enabled) {
    const action = after.enabled ? 'tool.enabled' : 'tool.disabled'
    await recordAudit(deps, { ...base, action, details })
  }
  if (before.approval_policy !== after.approval_policy) {
    await recordAudit(deps, {
      ...base,
      action: 'tool.policy_changed',
      details: { ...details, from: before.approval_policy, to: after.approval_policy },
    })
  }
}

/**
 * What of the stored credentials may stay with a server that is changing. Credentials belong
 * to the address they were entered for: a token or header values are never sent to a changed
 * URL (a stolen session could otherwise point the server at a host that collects them) unless
 * the request sets them again; OAuth grants were issued for the old server and go with any move.
 */
function authThatMayMove(
  existing: AuthData | null,
  change: { moved: boolean; urlChanged: boolean },
): AuthData | null {
  if (existing?.type === 'oauth') return change.moved ? withoutOAuthGrant(existing) : existing
  return change.urlChanged ? null : existing
}

/** Keys of `config` that hold what an OAuth server granted (or said about itself). */
const OAUTH_GRANT_KEYS = ['oauthConnected', 'oauthDiscovery', 'oauthRequestedScope'] as const

/** The keys of `config` an update sets or removes; every other key stays as the row has it. */
function configChange(input: {
  changes: McpServerUpdate
  authData: AuthData | null
  moved: boolean
}): { set: Record<string, unknown>; remove: string[] } {
  const { changes } = input
  const set: Record<string, unknown> = {}
  const remove: string[] = []
  if (changes.timeouts !== undefined) set.timeouts = changes.timeouts
  if (changes.auth) {
    const fresh = configFor({ auth: changes.auth }, input.authData)
    for (const key of ['headerNames', 'oauth'] as const) {
      if (fresh[key] === undefined) remove.push(key)
      else set[key] = fresh[key]
    }
  }
  if (input.moved) remove.push(...OAUTH_GRANT_KEYS)
  return { set, remove }
}

/** `config` as it will be once `patch` is merged in (to check the server with it first). */
function patched(
  config: ServerConfig,
  patch: { set: Record<string, unknown>; remove: string[] },
): ServerConfig {
  const next: Record<string, unknown> = { ...config, ...patch.set }
  for (const key of patch.remove) delete next[key]
  return next as ServerConfig
}

/** The OAuth settings without what was granted by (or registered at) the old server. */
function withoutOAuthGrant(data: AuthData & { type: 'oauth' }): AuthData {
  return { type: 'oauth', ...(data.clientSecret ? { clientSecret: data.clientSecret } : {}) }
}

/** Stored credentials a change dropped (the audit names them; a re-entered one is not lost). */
function droppedSecrets(
  before: AuthData | null,
  after: AuthData | null,
  input: McpServerUpdate['auth'],
): string[] {
  if (before?.type === 'bearer' && after === null && !input) return ['auth.token']
  if (before?.type === 'headers' && after === null && !input) {
    return before.headers.map((header) => `auth.headers.${header.name}`)
  }
  if (before?.type === 'oauth' && before.tokens && after?.type === 'oauth' && !after.tokens) {
    return ['auth.oauth']
  }
  return []
}
