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
export interface TokenCache<P = TokenPrincipal> {
  get(hash: string): P | undefined
  set(hash: string, principal: P): void
  clear(): void
}

/** The caches of every kind of token: personal API tokens and OAuth clients' access tokens. */
export interface TokenCaches {
  tokenCache: TokenCache
  clientTokenCache: TokenCache<unknown>
}

export function createTokenCache<P = TokenPrincipal>(
  options: { ttlMs?: number; max?: number; now?: () => number } = {},
): TokenCache<P> {
  const ttlMs = options.ttlMs ?? 5_000
  const max = options.max ?? 10_000
  const now = options.now ?? Date.now
  const entries = new Map<string, { principal: P; expires: number }>()
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
export function watchRevokedTokens(deps: TokenCaches & { events: EventBus }): () => void {
  return deps.events.onInstanceSignal('tokens.revoked', () => clearAll(deps))
}

/** A token was revoked: forget every cached token here and on every other instance. */
export function forgetCachedTokens(deps: TokenCaches & { events: EventBus }): void {
  clearAll(deps)
  deps.events.signalInstances({ type: 'tokens.revoked' })
}

function clearAll(caches: TokenCaches): void {
  caches.tokenCache.clear()
  caches.clientTokenCache.clear()
}
