import type { FetchLike, Transport } from '@modelcontextprotocol/client'
import type { ConnectDeps, McpEndpoint } from '../endpoint.ts'
import type { Resolver, SsrfPolicy } from '../ssrf-guard.ts'
import { createGuardedFetch, guardedWebSocketOptions } from '../ssrf-guard.ts'
import { EndpointError } from '../upstream-errors.ts'
import { limitResponseSize } from './limit-response-size.ts'
import { createSseTransport } from './sse.ts'
import { createStdioTransport } from './stdio.ts'
import type { HttpTransportOptions } from './streamable-http.ts'
import { createStreamableHttpTransport } from './streamable-http.ts'
import { createWebSocketTransport } from './websocket.ts'

// One guarded fetch (one undici Agent, one connection pool) per policy object and resolver:
// policies come from config and live as long as the app, requests are many.
const guardedFetches = new WeakMap<SsrfPolicy, Map<Resolver | undefined, FetchLike>>()

/**
 * The SDK `Transport` for `endpoint`, not yet started (`Client.connect` starts it). `url` is the
 * endpoint URL already vetted by the caller (`connectMcp`); untrusted endpoints get the SSRF
 * guard at connect time as well (guarded fetch or guarded WebSocket lookup), trusted ones the
 * plain network. Endpoint headers go on every request.
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
        ...(endpoint.trusted
          ? {}
          : { socketOptions: guardedWebSocketOptions(deps.ssrfPolicy, deps.resolver) }),
      })
    case 'stdio':
      if (!endpoint.command) throw new EndpointError('a stdio server needs a command')
      return createStdioTransport({
        command: endpoint.command,
        ...(endpoint.args ? { args: endpoint.args } : {}),
        ...(endpoint.env ? { env: endpoint.env } : {}),
        ...(endpoint.cwd ? { cwd: endpoint.cwd } : {}),
        log: deps.log,
      })
  }
}

/** The guarded fetch for `policy` and `resolver`, created on first use and then reused. */
export function guardedFetchFor(policy: SsrfPolicy, resolver?: Resolver): FetchLike {
  let byResolver = guardedFetches.get(policy)
  if (!byResolver) {
    byResolver = new Map()
    guardedFetches.set(policy, byResolver)
  }
  let guarded = byResolver.get(resolver)
  if (!guarded) {
    guarded = createGuardedFetch(policy, resolver ? { resolver } : {})
    byResolver.set(resolver, guarded)
  }
  return guarded
}

function httpOptions(endpoint: McpEndpoint, deps: ConnectDeps): HttpTransportOptions {
  // The guarded fetch caps each message itself, as it reads.
  const network = endpoint.trusted
    ? limitResponseSize(globalThis.fetch)
    : guardedFetchFor(deps.ssrfPolicy, deps.resolver)
  return {
    ...(endpoint.headers ? { headers: endpoint.headers } : {}),
    fetch: network,
    ...(deps.authProvider ? { authProvider: deps.authProvider } : {}),
  }
}

function requireUrl(url: URL | undefined, endpoint: McpEndpoint): URL {
  if (!url) throw new EndpointError(`a ${endpoint.transport} server needs a URL`)
  return url
}
