import type { OAuthClientProvider } from '@modelcontextprotocol/client'
import { reasonOf } from '../../../shared/error-reasons.ts'
import type { ServerInfo } from '../../../shared/mcp-servers.ts'
import type { Config } from '../../config/config.ts'
import { AppError } from '../../errors.ts'
import type { Logger } from '../../log.ts'
import { type DiscoveryResult, discoverCatalog } from '../catalog/discovery.ts'
import { connectMcp } from '../client/connect.ts'
import type { McpEndpoint, McpFailure } from '../client/endpoint.ts'
import { toMcpFailure } from '../client/upstream-errors.ts'
import type { UpstreamHttp } from '../client/upstream-http.ts'

export type ProbeResult =
  | { ok: true; serverInfo: ServerInfo; latencyMs: number; discovery: DiscoveryResult }
  | { ok: false; failure: McpFailure; cause: unknown }

/**
 * Connects, initializes and lists every tool, then disconnects: what adding, testing and syncing a
 * server do. Never throws for an upstream problem; the failure comes back as data.
 */
export async function probeServer(
  deps: { config: Config; log: Logger; upstreamHttp: UpstreamHttp },
  endpoint: McpEndpoint,
  options: { authProvider?: OAuthClientProvider } = {},
): Promise<ProbeResult> {
  const { mcp } = deps.config
  let connection: Awaited<ReturnType<typeof connectMcp>> | null = null
  // A probe finds the era afresh (a server may have moved to 2026-07-28 since the last one).
  const { knownEra: _lastVerdict, ...fresh } = endpoint
  try {
    connection = await connectMcp(
      fresh,
      {
        upstreamHttp: deps.upstreamHttp,
        log: deps.log,
        ...(options.authProvider ? { authProvider: options.authProvider } : {}),
      },
      {
        // Declared like the pooled sessions, so the server lists the same tools; nobody is
        // there to answer during a probe.
        onElicitation: async () => ({ action: 'decline' }),
      },
    )
    const discovery = await discoverCatalog(connection, {
      maxTools: mcp.maxToolsPerServer,
      maxDescriptionChars: mcp.maxDescriptionChars,
      maxSchemaBytes: 65_536,
      timeoutMs: endpoint.timeouts?.connectMs ?? mcp.connectTimeoutMs,
    })
    const { name, version, title, protocolVersion, era } = connection.serverInfo
    return {
      ok: true,
      serverInfo: { name, version, protocolVersion, era, ...(title ? { title } : {}) },
      latencyMs: Math.round(connection.latencyMs),
      discovery,
    }
  } catch (error) {
    return { ok: false, failure: asMcpFailure(error, endpoint), cause: error }
  } finally {
    await connection?.close().catch(() => {})
  }
}

/** Any failure as an McpFailure; errors already translated by connectMcp keep their wording. */
export function asMcpFailure(error: unknown, endpoint: McpEndpoint): McpFailure {
  if (error instanceof AppError && typeof error.details?.status === 'string') {
    return {
      code: error.code as McpFailure['code'],
      status: error.details.status as McpFailure['status'],
      message: error.message,
      reason: error.reason ?? reasonOf('upstream.failedWith', { detail: error.message }),
    }
  }
  return toMcpFailure(error, endpoint)
}
