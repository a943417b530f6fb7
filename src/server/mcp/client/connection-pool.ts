import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/client'
import { reasonOf } from '../../../shared/error-reasons.ts'
import { UpstreamError } from '../../errors.ts'
import type { Logger } from '../../log.ts'
import {
  type BreakerOptions,
  type CircuitBreaker,
  createCircuitBreaker,
} from './circuit-breaker.ts'
import type { ConnectOptions, McpConnection } from './connect.ts'
import type { McpFailure } from './endpoint.ts'
import { formatWait, isSessionExpired, toMcpFailure, waitSeconds } from './upstream-errors.ts'

/** One upstream session per (user, server): never shared between two users. */
export interface SessionKey {
  userId: string
  serverId: string
}

export interface PoolOptions {
  /** Close a session unused for this long. */
  idleMs: number
  /** At most this many open sessions; the least recently used idle ones close first. */
  maxSessions: number
  breaker: BreakerOptions
}

export const DEFAULT_POOL_OPTIONS: PoolOptions = {
  idleMs: 5 * 60_000,
  maxSessions: 500,
  breaker: { threshold: 3, cooldownMs: 15_000, maxCooldownMs: 10 * 60_000 },
}

export interface PoolHooks {
  /** The server said its tool list changed. */
  onToolsListChanged?(key: SessionKey): void
  /** The session's transport closed under us (server gone, network). */
  onSessionLost?(key: SessionKey, failure: McpFailure): void
  /** The server asks the session's user something (MCP elicitation). */
  onElicitation?(
    key: SessionKey,
    params: ElicitRequest['params'],
    signal: AbortSignal,
  ): Promise<ElicitResult>
}

/** Opens a connection for a key; the pool passes the hooks it needs installed. */
export type OpenConnection = (options: ConnectOptions) => Promise<McpConnection>

export interface UseOptions {
  /**
   * A check of the server (Sync, a health check), not a call: it is tried even while the
   * circuit is open, its success closes the circuit, and its failure neither opens nor lengthens
   * it (only calls, which a user waits on, do).
   */
  check?: boolean
}

export interface ConnectionPool {
  /**
   * Runs `fn` on the key's session, connecting on first use and reusing it afterwards. When the
   * server has forgotten the session (404, or a 400 that says so), it re-initializes once and
   * retries. Fails fast with 502 while the server's circuit is open, unless it is a check.
   */
  use<T>(
    key: SessionKey,
    open: OpenConnection,
    fn: (connection: McpConnection) => Promise<T>,
    options?: UseOptions,
  ): Promise<T>
  /** The server answered (a Test, a check, a call of any user): calls may go to it again now. */
  closeCircuit(serverId: string): void
  /** Closes the key's session (its server changed or was deleted). */
  drop(key: SessionKey): Promise<void>
  /** Closes every user's session of a server. */
  dropServer(serverId: string): Promise<void>
  size(): number
  closeAll(): Promise<void>
}

interface Entry {
  key: SessionKey
  connection: Promise<McpConnection>
  inUse: number
  lastUsed: number
}

export function createConnectionPool(
  deps: { log: Logger; now?: () => number },
  options: PoolOptions = DEFAULT_POOL_OPTIONS,
  hooks: PoolHooks = {},
): ConnectionPool {
  const now = deps.now ?? Date.now
  const entries = new Map<string, Entry>()
  // Per server, per user; only while failing: a success forgets the breaker.
  const breakers = new Map<string, Map<string, CircuitBreaker>>()
  const id = (key: SessionKey) => `${key.userId}\u0000${key.serverId}`

  const closeEntry = async (name: string, entry: Entry) => {
    if (entries.get(name) === entry) entries.delete(name)
    const connection = await entry.connection.catch(() => null)
    await connection?.close().catch(() => {})
  }

  const sweep = setInterval(
    () => {
      const cutoff = now() - options.idleMs
      for (const [name, entry] of entries) {
        if (entry.inUse === 0 && entry.lastUsed < cutoff) void closeEntry(name, entry)
      }
    },
    Math.min(options.idleMs, 30_000),
  )
  sweep.unref()

  const evictOverflow = () => {
    if (entries.size <= options.maxSessions) return
    const idle = [...entries]
      .filter(([, e]) => e.inUse === 0)
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed)
    for (const [name, entry] of idle.slice(0, entries.size - options.maxSessions)) {
      void closeEntry(name, entry)
    }
  }

  const failingBreakerOf = (key: SessionKey) => {
    let perServer = breakers.get(key.serverId)
    if (!perServer) {
      perServer = new Map()
      breakers.set(key.serverId, perServer)
    }
    let breaker = perServer.get(key.userId)
    if (!breaker) {
      breaker = createCircuitBreaker(options.breaker)
      perServer.set(key.userId, breaker)
    }
    return breaker
  }
  const forgetBreaker = (key: SessionKey) => {
    const perServer = breakers.get(key.serverId)
    perServer?.delete(key.userId)
    if (perServer?.size === 0) breakers.delete(key.serverId)
  }

  const acquire = (name: string, key: SessionKey, open: OpenConnection): Entry => {
    const existing = entries.get(name)
    if (existing) return existing
    const entry: Entry = {
      key,
      inUse: 0,
      lastUsed: now(),
      connection: Promise.resolve(null as never),
    }
    entry.connection = open({
      onToolsListChanged: () => hooks.onToolsListChanged?.(key),
      ...(hooks.onElicitation
        ? {
            onElicitation: (params: ElicitRequest['params'], signal: AbortSignal) =>
              hooks.onElicitation?.(key, params, signal) ?? Promise.resolve({ action: 'decline' }),
          }
        : {}),
      onClose: (failure) => {
        if (entries.get(name) === entry) entries.delete(name)
        if (failure) hooks.onSessionLost?.(key, failure)
      },
    })
    // A failed connect must not stay cached: the next call tries again (if the breaker allows).
    entry.connection.catch(() => {
      if (entries.get(name) === entry) entries.delete(name)
    })
    entries.set(name, entry)
    evictOverflow()
    return entry
  }

  const run = async <T>(
    name: string,
    key: SessionKey,
    open: OpenConnection,
    fn: (c: McpConnection) => Promise<T>,
    check: boolean,
  ): Promise<T> => {
    // A check of a server with no session in a full pool must not close another user's idle
    // session to make room: that one is checked next, and the pool would churn for ever.
    if (check && !entries.has(name) && entries.size >= options.maxSessions) {
      const connection = await open({})
      try {
        return await fn(connection)
      } finally {
        await connection.close().catch(() => {})
      }
    }
    const entry = acquire(name, key, open)
    entry.inUse += 1
    try {
      return await fn(await entry.connection)
    } finally {
      entry.inUse -= 1
      entry.lastUsed = now()
    }
  }

  return {
    async use(key, open, fn, useOptions = {}) {
      const name = id(key)
      const check = useOptions.check ?? false
      const breaker = breakers.get(key.serverId)?.get(key.userId)
      const waitMs = check || !breaker ? 0 : breaker.waitMs(now())
      if (breaker && waitMs > 0) {
        const failures = breaker.failures()
        throw new UpstreamError(
          'upstream_failed',
          `the server failed ${failures} times in a row: not trying again for ${formatWait(waitMs)}`,
          {
            details: { status: 'offline', circuit: 'open', retryInMs: waitMs },
            reason:
              waitMs < 1000
                ? reasonOf('upstream.circuitOpenBriefly', { failures })
                : reasonOf('upstream.circuitOpen', { failures, seconds: waitSeconds(waitMs) }),
          },
        )
      }
      try {
        let result: Awaited<ReturnType<typeof fn>>
        try {
          result = await run(name, key, open, fn, check)
        } catch (error) {
          if (!isSessionExpired(error)) throw error
          // The server restarted and forgot us: one fresh initialize, then the same call again.
          deps.log.info({ serverId: key.serverId }, 'mcp session expired; re-initializing')
          const stale = entries.get(name)
          if (stale) await closeEntry(name, stale)
          result = await run(name, key, open, fn, check)
        }
        forgetBreaker(key)
        return result
      } catch (error) {
        if (!check && countsAsOutage(error)) failingBreakerOf(key).recordFailure(now())
        throw error
      }
    },
    closeCircuit(serverId) {
      breakers.delete(serverId)
    },
    async drop(key) {
      const name = id(key)
      forgetBreaker(key)
      const entry = entries.get(name)
      if (entry) await closeEntry(name, entry)
    },
    async dropServer(serverId) {
      breakers.delete(serverId)
      const doomed = [...entries].filter(([, e]) => e.key.serverId === serverId)
      await Promise.all(doomed.map(([name, entry]) => closeEntry(name, entry)))
    },
    size: () => entries.size,
    async closeAll() {
      clearInterval(sweep)
      await Promise.all([...entries].map(([name, entry]) => closeEntry(name, entry)))
    },
  }
}

/**
 * Only an unreachable or timing-out server trips the breaker; a server that answers with an
 * error (bad arguments, 401) is up and its answer is the user's to see.
 */
function countsAsOutage(error: unknown): boolean {
  const status = (error as { details?: { status?: unknown } }).details?.status
  if (status === 'offline') return true
  if (error instanceof UpstreamError) return error.code === 'upstream_timeout'
  const failure = toMcpFailure(error, { name: 'server', transport: 'streamable-http' })
  return failure.status === 'offline' || failure.code === 'upstream_timeout'
}
