import { LRUCache } from 'lru-cache'
import type { McpServerRowWithCounts } from '../../db/mcp-servers.ts'
import type { McpToolWithServer } from '../../db/mcp-tools.ts'
import type { EventBus } from '../../events/event-bus.ts'

/** A tool the user may call, with the server row to call it on. */
export interface ToolAccess {
  tool: McpToolWithServer
  /** As the user sees it (`apps_shown` is theirs). */
  server: McpServerRowWithCounts
}

/**
 * What the database says about a user's tools, remembered per user so a burst of calls or chat
 * turns does not read the same rows every time: the tool a call targets (tool-call service) and
 * the tools a model is offered (chat). Every change to a user's servers or tools drops that
 * user's entries (a shared server's change drops everyone's) on this instance at once and on
 * the others through the event bus; entries also expire after `ttlMs`, which bounds how long a
 * lost message could leave one stale. Callers name their entries with distinct key prefixes.
 */
export interface ToolAccessCache {
  /**
   * The value remembered under `key` for this user, else `load()`'s (shared by concurrent
   * callers). `undefined` and failures are not remembered; `size` weighs a value against the
   * cache's budget (default 1: a list of tools weighs its length).
   */
  remember<T extends object>(
    userId: string,
    key: string,
    load: () => Promise<T | undefined>,
    size?: (value: T) => number,
  ): Promise<T | undefined>
  /** A user's servers or tools changed; null: a shared server changed (everyone). */
  invalidate(userId: string | null): void
  /**
   * Calls `listener` on every invalidation, here or signalled by another instance (the MCP
   * endpoint tells connected clients their tools changed). Returns the unsubscribe.
   */
  onInvalidate(listener: (userId: string | null) => void): () => void
}

export function createToolAccessCache(
  options: { ttlMs?: number; maxSize?: number } = {},
): ToolAccessCache {
  // Keys carry the user's version: a change makes the old entries unreachable at once, and the
  // LRU ages them out, so invalidating never walks the cache.
  const values = new LRUCache<string, object>({
    ttl: options.ttlMs ?? 5_000,
    maxSize: options.maxSize ?? 100_000,
    sizeCalculation: () => 1,
  })
  const loading = new Map<string, Promise<object | undefined>>()
  const versions = new Map<string, number>()
  const listeners = new Set<(userId: string | null) => void>()
  let epoch = 0
  const keyOf = (userId: string, key: string) =>
    `${epoch}/${versions.get(userId) ?? 0}/${userId}/${key}`

  return {
    remember<T extends object>(
      userId: string,
      key: string,
      load: () => Promise<T | undefined>,
      size?: (value: T) => number,
    ): Promise<T | undefined> {
      const cacheKey = keyOf(userId, key)
      const cached = values.get(cacheKey) ?? loading.get(cacheKey)
      if (cached) return Promise.resolve(cached as T | Promise<T | undefined>)
      const pending = load().then(
        (value) => {
          loading.delete(cacheKey)
          // Stored under the key it began with: if the user changed meanwhile, nobody reads it.
          if (value !== undefined) {
            values.set(cacheKey, value, { size: Math.max(1, size?.(value) ?? 1) })
          }
          return value
        },
        (error: unknown) => {
          loading.delete(cacheKey)
          throw error
        },
      )
      loading.set(cacheKey, pending)
      return pending
    },
    invalidate(userId) {
      if (userId === null) epoch += 1
      else versions.set(userId, (versions.get(userId) ?? 0) + 1)
      for (const listener of listeners) listener(userId)
    },
    onInvalidate(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** Every instance drops what another one said changed. Returns the unsubscribe. */
export function watchToolAccessSignals(deps: {
  toolAccess: ToolAccessCache
  events: EventBus
}): () => void {
  return deps.events.onInstanceSignal('tool-access.invalidate', (signal) =>
    deps.toolAccess.invalidate(signal.userId),
  )
}

/** Drops cached tool access here and on every other instance (after the change committed). */
export function invalidateToolAccess(
  deps: { toolAccess: ToolAccessCache; events: EventBus },
  userId: string | null,
): void {
  deps.toolAccess.invalidate(userId)
  deps.events.signalInstances({ type: 'tool-access.invalidate', userId })
}
