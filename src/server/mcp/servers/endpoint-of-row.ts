import type { Config } from '../../config/config.ts'
import type { SecretBox } from '../../crypto/secret-box.ts'
import type { McpServerRow } from '../../db/mcp-servers.ts'
import { NotFoundError } from '../../errors.ts'
import type { McpEndpoint } from '../client/endpoint.ts'
import { messageCapFor } from '../client/transports/limit-response-size.ts'
import { type AuthData, authHeaders, openAuthData } from './secrets.ts'

/** The non-secret settings in `mcp_servers.config`. */
export interface ServerConfig {
  timeouts?: { connectMs?: number; requestMs?: number }
  headerNames?: string[]
  oauth?: { scope?: string; clientId?: string }
  oauthConnected?: boolean
  /** Public OAuth metadata cached by the sign-in flow (mcp/oauth/provider.ts). */
  oauthDiscovery?: unknown
  /** Scope a server asked for in a step-up (403 insufficient_scope). */
  oauthRequestedScope?: string
  /** What the last discovery skipped or cut, shown with the server's status. */
  skippedTools?: { name: string; reason: string }[]
  toolsTruncated?: boolean
  /** The same for resources, and why they could not be listed (the tools still were). */
  skippedResources?: { uri: string; reason: string }[]
  resourcesTruncated?: boolean
  resourceError?: string
  /** The stored resources' listing (db/mcp-resources.ts): unchanged, nothing is rewritten. */
  resourcesHash?: string
  /** The same for prompts (db/mcp-prompts.ts). */
  skippedPrompts?: { name: string; reason: string }[]
  promptsTruncated?: boolean
  promptError?: string
  promptsHash?: string
}

/** How to reach a server, secrets decrypted: built right before connecting, never stored. */
export function endpointFor(
  config: Pick<Config, 'mcp' | 'toolCalls'>,
  input: {
    name: string
    transport: McpServerRow['transport']
    url: string | null
    authData: AuthData | null
    serverConfig: ServerConfig
    trusted: boolean
  },
): McpEndpoint {
  const { mcp } = config
  return {
    name: input.name,
    transport: input.transport,
    ...(input.url ? { url: input.url } : {}),
    headers: authHeaders(input.authData),
    trusted: input.trusted,
    timeouts: {
      connectMs: input.serverConfig.timeouts?.connectMs ?? mcp.connectTimeoutMs,
      requestMs: input.serverConfig.timeouts?.requestMs ?? mcp.requestTimeoutMs,
    },
    maxMessageBytes: messageCapFor(config.toolCalls.maxResultBytes),
  }
}

export function endpointOfRow(
  deps: { config: Pick<Config, 'mcp' | 'mcpServers' | 'toolCalls'>; box: SecretBox },
  row: McpServerRow,
): McpEndpoint {
  const knownEra = eraOfLastCheck(row)
  const endpoint =
    row.user_id === null
      ? sharedEndpoint(deps.config, row.name)
      : endpointFor(deps.config, {
          name: row.name,
          transport: row.transport,
          url: row.url,
          authData: openAuthData(deps.box, row.user_id, row.auth_data),
          serverConfig: row.config as ServerConfig,
          trusted: false,
        })
  return knownEra ? { ...endpoint, knownEra } : endpoint
}

/** A legacy verdict is trusted this long: an upgraded server still answers the old handshake. */
const KNOWN_ERA_MS = 24 * 60 * 60 * 1000

/** The era the last check found, while it is recent (see `McpEndpoint.knownEra`). */
function eraOfLastCheck(
  row: Pick<McpServerRow, 'server_info' | 'last_checked_at'>,
): 'modern' | 'legacy' | undefined {
  const era = (row.server_info as { era?: unknown } | null)?.era
  if (era !== 'modern' && era !== 'legacy') return undefined
  const checkedAt = row.last_checked_at?.getTime() ?? 0
  return Date.now() - checkedAt < KNOWN_ERA_MS ? era : undefined
}

/**
 * A shared server is reached as switchboard.yaml says, read at connect time: its secrets live in
 * the operator's config and environment, never in the database.
 */
export function sharedEndpoint(
  config: Pick<Config, 'mcp' | 'mcpServers' | 'toolCalls'>,
  name: string,
): McpEndpoint {
  const shared = config.mcpServers.find((s) => s.name === name)
  if (!shared) throw new NotFoundError(`shared server "${name}" (no longer in switchboard.yaml)`)
  return {
    name: shared.name,
    transport: shared.transport,
    ...(shared.url ? { url: shared.url } : {}),
    headers: shared.headers,
    ...(shared.command ? { command: shared.command, args: shared.args, env: shared.env } : {}),
    ...(shared.cwd ? { cwd: shared.cwd } : {}),
    trusted: true,
    timeouts: {
      connectMs: shared.timeouts.connectMs ?? config.mcp.connectTimeoutMs,
      requestMs: shared.timeouts.requestMs ?? config.mcp.requestTimeoutMs,
    },
    maxMessageBytes: messageCapFor(config.toolCalls.maxResultBytes),
  }
}

/** Discovery limits for one server, from the operator's config and the server's timeouts. */
export function discoveryLimits(config: Pick<Config, 'mcp'>, endpoint: McpEndpoint) {
  return {
    maxTools: config.mcp.maxToolsPerServer,
    maxDescriptionChars: config.mcp.maxDescriptionChars,
    maxSchemaBytes: 65_536,
    timeoutMs: endpoint.timeouts?.connectMs ?? config.mcp.connectTimeoutMs,
  }
}
