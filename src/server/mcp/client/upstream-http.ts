/**
 * The one HTTP stack every MCP server, and every authorization server it names, is reached
 * through. Users' servers connect through the SSRF guard's lookup (the address actually connected
 * to is vetted: DNS rebinding), the operator's (trusted) ones through the system resolver.
 *
 * Requests and event streams use separate undici agents. A pooled 2025 session keeps a GET
 * event stream open for the server's notifications, one socket each, for as long as it lives;
 * with many users on one hosted server, those idle streams would take every socket the request
 * limit allows and everyone's calls would wait out their timeouts. So requests share a bounded
 * set of sockets per origin, and streams get their own, bounded by the session pool instead
 * (`mcp.maxSessions`). On top of the agents, the same SDK middlewares:
 *
 *     fetchThrough(agent, message cap)   one exchange, the cap counted as the body is read
 *       ← ssrfGuard(policy)              checkUrl on every hop (users' servers only)
 *       ← followRedirects()              each hop goes down through the guard again
 *
 * Callers add theirs on top with `applyMiddlewares` (answer checks, an OAuth deadline). The
 * stack is built once by the composition root (`buildDeps`) and closed with it.
 *
 * @module
 */
import type { LookupFunction } from 'node:net'
import type { FetchLike } from '@modelcontextprotocol/client'
import { applyMiddlewares } from '@modelcontextprotocol/client'
import { Agent } from 'undici'
import { followRedirects } from './follow-redirects.ts'
import { fetchThrough } from './request-as-response.ts'
import { createGuardedLookup, type Resolver, type SsrfPolicy, ssrfGuard } from './ssrf-guard.ts'
import { DEFAULT_MAX_MESSAGE_BYTES } from './transports/limit-response-size.ts'

export interface UpstreamHttp {
  /** What users' URLs are vetted against, here and by `connectMcp` and the WebSocket lookup. */
  readonly ssrfPolicy: SsrfPolicy
  /** The guard's resolver (tests inject one); the system's when absent. */
  readonly resolver: Resolver | undefined
  /**
   * The fetch for a server, or the authorization server it names: SSRF-guarded unless the
   * operator's (`trusted`), no message over `maxMessageBytes` (default 10 MB: one body, or one
   * event of an SSE stream), redirects followed as `followRedirects` says. Cheap: make one per
   * transport.
   */
  fetch(target: { trusted: boolean; maxMessageBytes?: number }): FetchLike
  /** Closes both agents: their connections end and requests still in flight fail. */
  close(): Promise<void>
}

export interface UpstreamHttpOptions {
  resolver?: Resolver
  /** Redirects one fetch follows before giving up (default 5). */
  maxRedirects?: number
}

/** Sockets open at once for requests (not event streams) to one upstream origin. */
const MAX_REQUEST_CONNECTIONS_PER_ORIGIN = 64

export function createUpstreamHttp(
  policy: SsrfPolicy,
  options: UpstreamHttpOptions = {},
): UpstreamHttp {
  const guarded = createAgents(createGuardedLookup(policy, options.resolver))
  const direct = createAgents()
  const { maxRedirects } = options
  const redirects = followRedirects(maxRedirects === undefined ? {} : { maxRedirects })
  const guardedStack = applyMiddlewares(ssrfGuard(policy), redirects)
  const trustedStack = applyMiddlewares(redirects)
  return {
    ssrfPolicy: policy,
    resolver: options.resolver,
    fetch: ({ trusted, maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES }) =>
      trusted
        ? trustedStack(fetchFor(direct, maxMessageBytes))
        : guardedStack(fetchFor(guarded, maxMessageBytes)),
    close: async () => {
      await Promise.all(
        [guarded, direct].flatMap(({ requests, streams }) => [requests.close(), streams.close()]),
      )
    },
  }
}

interface Agents {
  requests: Agent
  streams: Agent
}

function createAgents(lookup?: LookupFunction): Agents {
  const connect = { ...(lookup ? { lookup } : {}), noDelay: true }
  return {
    // A burst of calls queues for a socket instead of opening hundreds against one server
    // (which overflows its listen backlog: connections reset before it answers).
    requests: new Agent({ connect, connections: MAX_REQUEST_CONNECTIONS_PER_ORIGIN }),
    streams: new Agent({ connect }),
  }
}

/** An event stream (a GET asking for `text/event-stream`) goes to the streams' agent. */
function fetchFor(agents: Agents, maxMessageBytes: number): FetchLike {
  const requests = fetchThrough(agents.requests, maxMessageBytes)
  const streams = fetchThrough(agents.streams, maxMessageBytes)
  return (input, init) => (opensEventStream(init) ? streams : requests)(input, init)
}

function opensEventStream(init: RequestInit | undefined): boolean {
  if (init?.method !== undefined && init.method.toUpperCase() !== 'GET') return false
  return new Headers(init?.headers).get('accept')?.includes('text/event-stream') === true
}
