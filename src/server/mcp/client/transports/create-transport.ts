import type { FetchLike, Transport } from '@modelcontextprotocol/client'
import { reasonOf } from '../../../../shared/error-reasons.ts'
import type { ConnectDeps, McpEndpoint } from '../endpoint.ts'
import type { Resolver, SsrfPolicy } from '../ssrf-guard.ts'
import { createGuardedFetch, guardedWebSocketOptions } from '../ssrf-guard.ts'
import { EndpointError } from '../upstream-errors.ts'
import { DEFAULT_MAX_MESSAGE_BYTES, limitResponseSize } from './limit-response-size.ts'
import { createSseTransport } from './sse.ts'
import { createStdioTransport } from './stdio.ts'
import type { HttpTransportOptions } from './streamable-http.ts'
import { createStreamableHttpTransport } from './streamable-http.ts'
import { createWebSocketTransport } from './websocket.ts'

// One guarded fetch (one undici Agent, one connection pool) per policy object, resolver and
// message cap: policies and the cap come from config and live as long as the app, requests are
// many.
const guardedFetches = new WeakMap<SsrfPolicy, Map<number, Map<Resolver | undefined, FetchLike>>>()

/**
 * The SDK `Transport` for `endpoint`, not yet started (`Client.connect` starts it). `url` is the
 * endpoint URL already vetted by the caller (`connectMcp`); untrusted endpoints get the SSRF
 * guard at connect time as well (guarded fetch or guarded WebSocket lookup), trusted ones the
 * plain network. Endpoint headers go on every request, and no message from the server may
 * exceed `endpoint.maxMessageBytes` (default 10 MB).
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
          : { socketOptions: guardedWebSocketOptions(deps.ssrfPolicy, deps.resolver) }),
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

/**
 * The guarded fetch for `policy` and `resolver` whose messages may hold `maxMessageBytes`
 * (default 10 MB), created on first use and then reused.
 */
export function guardedFetchFor(
  policy: SsrfPolicy,
  resolver?: Resolver,
  maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
): FetchLike {
  let byCap = guardedFetches.get(policy)
  if (!byCap) {
    byCap = new Map()
    guardedFetches.set(policy, byCap)
  }
  let byResolver = byCap.get(maxMessageBytes)
  if (!byResolver) {
    byResolver = new Map()
    byCap.set(maxMessageBytes, byResolver)
  }
  let guarded = byResolver.get(resolver)
  if (!guarded) {
    guarded = createGuardedFetch(policy, { maxMessageBytes, ...(resolver ? { resolver } : {}) })
    byResolver.set(resolver, guarded)
  }
  return guarded
}

function maxMessageBytesOf(endpoint: McpEndpoint): number {
  return endpoint.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
}

function httpOptions(endpoint: McpEndpoint, deps: ConnectDeps): HttpTransportOptions {
  // The guarded fetch caps each message itself, as it reads.
  const maxMessageBytes = maxMessageBytesOf(endpoint)
  const network = endpoint.trusted
    ? limitResponseSize(globalThis.fetch, maxMessageBytes)
    : guardedFetchFor(deps.ssrfPolicy, deps.resolver, maxMessageBytes)
  return {
    ...(endpoint.headers ? { headers: endpoint.headers } : {}),
    fetch: network,
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
