import type { Transport } from '@modelcontextprotocol/client'
import { reasonOf } from '../../../../shared/error-reasons.ts'
import type { ConnectDeps, McpEndpoint } from '../endpoint.ts'
import { guardedWebSocketOptions } from '../ssrf-guard.ts'
import { EndpointError } from '../upstream-errors.ts'
import { DEFAULT_MAX_MESSAGE_BYTES } from './limit-response-size.ts'
import { createSseTransport } from './sse.ts'
import { createStdioTransport } from './stdio.ts'
import type { HttpTransportOptions } from './streamable-http.ts'
import { createStreamableHttpTransport } from './streamable-http.ts'
import { createWebSocketTransport } from './websocket.ts'

/**
 * The SDK `Transport` for `endpoint`, not yet started (`Client.connect` starts it). `url` is the
 * endpoint URL already vetted by the caller (`connectMcp`); HTTP goes through the app's one
 * upstream HTTP stack (`deps.upstreamHttp`, SSRF-guarded unless trusted), WebSocket through the
 * guarded lookup unless trusted. Endpoint headers go on every request, and no message from the
 * server may exceed `endpoint.maxMessageBytes` (default 10 MB).
 */
export function createTransport(
  endpoint: McpEndpoint,
  url: URL | undefined,
  deps: ConnectDeps,
): Transport {
  switch (endpoint.transport) {
    case 'streamable-http':
      return createStreamableHttpTransport(requireUrl(url, endpoint), httpOptions(endpoint, deps))
    case 'sse':
      return createSseTransport(requireUrl(url, endpoint), httpOptions(endpoint, deps))
    case 'websocket':
      return createWebSocketTransport(requireUrl(url, endpoint), {
        ...(endpoint.headers ? { headers: endpoint.headers } : {}),
        maxMessageBytes: maxMessageBytesOf(endpoint),
        ...(endpoint.trusted
          ? {}
          : {
              socketOptions: guardedWebSocketOptions(
                deps.upstreamHttp.ssrfPolicy,
                deps.upstreamHttp.resolver,
              ),
            }),
      })
    case 'stdio':
      if (!endpoint.command) {
        throw new EndpointError(
          'a stdio server needs a command',
          reasonOf('upstream.endpoint.needsCommand', {}),
        )
      }
      return createStdioTransport({
        command: endpoint.command,
        ...(endpoint.args ? { args: endpoint.args } : {}),
        ...(endpoint.env ? { env: endpoint.env } : {}),
        ...(endpoint.cwd ? { cwd: endpoint.cwd } : {}),
        log: deps.log,
        maxMessageBytes: maxMessageBytesOf(endpoint),
      })
  }
}

function maxMessageBytesOf(endpoint: McpEndpoint): number {
  return endpoint.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
}

function httpOptions(endpoint: McpEndpoint, deps: ConnectDeps): HttpTransportOptions {
  const maxMessageBytes = maxMessageBytesOf(endpoint)
  return {
    ...(endpoint.headers ? { headers: endpoint.headers } : {}),
    fetch: deps.upstreamHttp.fetch({ trusted: endpoint.trusted, maxMessageBytes }),
    ...(deps.authProvider ? { authProvider: deps.authProvider } : {}),
  }
}

function requireUrl(url: URL | undefined, endpoint: McpEndpoint): URL {
  if (!url) {
    throw new EndpointError(
      `a ${endpoint.transport} server needs a URL`,
      reasonOf('upstream.endpoint.needsUrl', { transport: endpoint.transport }),
    )
  }
  return url
}
