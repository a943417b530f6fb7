/**
 * The one HTTP stack every MCP server, and every authorization server it names, is reached
 * through. Two undici agents with the same limits: users' servers connect through the SSRF
 * guard's lookup (the address actually connected to is vetted: DNS rebinding), the operator's
 * (trusted) ones through the system resolver. On top of the agent, the same SDK middlewares:
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

/** Sockets open at once to one upstream origin, per agent. */
const MAX_CONNECTIONS_PER_ORIGIN = 64

export function createUpstreamHttp(
  policy: SsrfPolicy,
  options: UpstreamHttpOptions = {},
): UpstreamHttp {
  const guarded = createAgent(createGuardedLookup(policy, options.resolver))
  const direct = createAgent()
  const { maxRedirects } = options
  const redirects = followRedirects(maxRedirects === undefined ? {} : { maxRedirects })
  const guardedStack = applyMiddlewares(ssrfGuard(policy), redirects)
  const trustedStack = applyMiddlewares(redirects)
  return {
    ssrfPolicy: policy,
    resolver: options.resolver,
    fetch: ({ trusted, maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES }) =>
      trusted
        ? trustedStack(fetchThrough(direct, maxMessageBytes))
        : guardedStack(fetchThrough(guarded, maxMessageBytes)),
    close: async () => {
      await Promise.all([guarded.close(), direct.close()])
    },
  }
}

function createAgent(lookup?: LookupFunction): Agent {
  return new Agent({
    connect: { ...(lookup ? { lookup } : {}), noDelay: true },
    // A burst of calls queues for a socket instead of opening hundreds against one server
    // (which overflows its listen backlog: connections reset before it answers).
    connections: MAX_CONNECTIONS_PER_ORIGIN,
  })
}
