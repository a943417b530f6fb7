/**
 * What the connection layer needs to reach one MCP server, and what every failure becomes.
 * The rows in `mcp_servers` and the entries in `switchboard.yaml` are turned into an
 * `McpEndpoint` (secrets decrypted) before `connectMcp` is called.
 *
 * @module
 */
import type { OAuthClientProvider } from '@modelcontextprotocol/client'
import type { ErrorReason } from '../../../shared/error-reasons.ts'
import type { Logger } from '../../log.ts'
import type { UpstreamHttp } from './upstream-http.ts'

export type McpTransportKind = 'streamable-http' | 'sse' | 'websocket' | 'stdio'

export interface McpEndpoint {
  /** For messages: the server's display name. */
  name: string
  transport: McpTransportKind
  /** http(s) for streamable-http/sse, ws(s) for websocket. Never expanded: `${VAR}` is text. */
  url?: string
  /** Decrypted; includes Authorization for bearer auth. Sent on every request, never logged. */
  headers?: Record<string, string>
  /** stdio only. */
  command?: string
  args?: string[]
  env?: Record<string, string>
  cwd?: string
  /** true for operator-defined (switchboard.yaml) servers: no SSRF guard; stdio allowed only then */
  trusted: boolean
  /**
   * `connectMs` bounds the connect (default `DEFAULT_CONNECT_TIMEOUT_MS`); `requestMs` is the
   * deadline of every request that sets none (default `DEFAULT_REQUEST_TIMEOUT_MS`).
   */
  timeouts?: { connectMs?: number; requestMs?: number }
  /**
   * The most one message from the server may hold (default 10 MB, `DEFAULT_MAX_MESSAGE_BYTES`):
   * a larger one is refused and fails the request it answers. Follows the result cap
   * (`messageCapFor(toolCalls.maxResultBytes)`), so results over that cap arrive to be truncated.
   */
  maxMessageBytes?: number
  /**
   * The era the server spoke at its last check, recent enough to trust: `legacy` skips the
   * `server/discover` probe (one round trip per connect). A server that upgraded is found at the
   * next check without it. Absent: probe.
   */
  knownEra?: 'modern' | 'legacy'
}

export interface ConnectDeps {
  /** The app's HTTP stack to upstream servers, with the SSRF policy it enforces. */
  upstreamHttp: UpstreamHttp
  log: Logger
  /** Passed to the HTTP transports (streamable HTTP, SSE) as their `authProvider`. */
  authProvider?: OAuthClientProvider
}

/** What every failure becomes; `toUpstreamError` turns it into the error the API returns. */
export interface McpFailure {
  code: 'upstream_rejected' | 'upstream_failed' | 'upstream_timeout'
  /** the server status this failure implies */
  status: 'offline' | 'error' | 'needs_auth'
  /** actionable, no secrets; in English (programs, logs, the model) */
  message: string
  /** the same as a message id and parameters, for the UI to say in the reader's language */
  reason: ErrorReason
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000
