import type { ApiTokenRow, UserRow } from '../db/schema.ts'
import type { EventBus } from '../events/event-bus.ts'

/** Who an API token acts for, as last read from the database. */
export interface TokenPrincipal {
  token: ApiTokenRow
  user: UserRow
}

/**
 * Recently verified API tokens (by hash), so a program's burst of requests does not read the
 * same token and user rows every time. Revoking a token drops every entry here and on the other
 * instances (through the event bus); entries also expire after `ttlMs`, which bounds how long a
 * lost message could keep a revoked token working elsewhere.
 */
export interface TokenCache {
  get(hash: string): TokenPrincipal | undefined
  set(hash: string, principal: TokenPrincipal): void
  clear(): void
}

export function createTokenCache(
  options: { ttlMs?: number; max?: number; now?: () => number } = {},
): TokenCache {
  const ttlMs = options.ttlMs ?? 5_000
  const max = options.max ?? 10_000
  const now = options.now ?? Date.now
  const entries = new Map<string, { principal: TokenPrincipal; expires: number }>()
  return {
    get(hash) {
      const entry = entries.get(hash)
      if (!entry) return undefined
      if (entry.expires > now()) return entry.principal
      entries.delete(hash)
      return undefined
    },
    set(hash, principal) {
      if (entries.size >= max) entries.delete(entries.keys().next().value as string)
      entries.set(hash, { principal, expires: now() + ttlMs })
    },
    clear() {
      entries.clear()
    },
  }
}

/** Every instance forgets its cached tokens when one was revoked. Returns the unsubscribe. */
export function watchRevokedTokens(deps: { tokenCache: TokenCache; events: EventBus }): () => void {
  return deps.events.onInstanceSignal('tokens.revoked', () => deps.tokenCache.clear())
}

/** A token was revoked: forget every cached token here and on every other instance. */
export function forgetCachedTokens(deps: { tokenCache: TokenCache; events: EventBus }): void {
  deps.tokenCache.clear()
  deps.events.signalInstances({ type: 'tokens.revoked' })
}
