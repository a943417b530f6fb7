/**
 * Serializes OAuth token refreshes per (user, server).
 *
 * Authorization servers rotate refresh tokens (OAuth 2.1 §4.3.1): each refresh token works once,
 * and presenting a spent one may revoke the whole grant as a suspected replay. Two connections
 * that find the same expired access token must therefore not both refresh it: the second waits,
 * then uses what the first saved.
 *
 * `KeyedLock` is the seam: this module's in-process implementation is enough for one Switchboard
 * process; several instances need a shared one (Redis `SET key token NX PX ttl` to acquire, a
 * compare-and-delete script to release) behind the same interface.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks'

/** A held key. `release()` is idempotent; a lease also ends by itself when its TTL runs out. */
export interface LockLease {
  release(): void
}

export interface LockOptions {
  /**
   * The longest the key stays held (default 30 s). A holder that crashes or hangs must not block
   * every later refresh of that server: after the TTL the next waiter goes ahead.
   */
  ttlMs?: number
}

/**
 * Mutual exclusion per string key, first come first served.
 *
 * Contract for implementations: `run` is re-entrant within its own async context (a nested
 * `run` or `acquire` of the same key inside `fn` does not wait for itself), and `heldHere` says
 * whether the current async context is inside such a `run`. `acquire` is for holds that cannot
 * be one function call (they start in one callback and end in another); it is not re-entrant
 * except inside a `run` of the same key, where it returns a no-op lease.
 */
export interface KeyedLock {
  /** Waits for `key`, runs `fn` holding it, releases it however `fn` ends. */
  run<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>
  /** Waits for `key` and holds it until `release()` or the TTL. */
  acquire(key: string, options?: LockOptions): Promise<LockLease>
  /** True inside `run(key, …)` in the current async context. */
  heldHere(key: string): boolean
}

export const DEFAULT_LOCK_TTL_MS = 30_000

const NO_OP_LEASE: LockLease = { release: () => {} }

/** The in-process `KeyedLock`: a promise chain per key, dropped when its last holder leaves. */
export function createLocalKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>()
  const held = new AsyncLocalStorage<ReadonlySet<string>>()
  const heldHere = (key: string) => held.getStore()?.has(key) === true

  const acquire = async (key: string, options: LockOptions = {}): Promise<LockLease> => {
    if (heldHere(key)) return NO_OP_LEASE
    const previous = tails.get(key) ?? Promise.resolve()
    let free!: () => void
    const mine = new Promise<void>((resolve) => {
      free = resolve
    })
    const tail = previous.then(() => mine)
    tails.set(key, tail)
    await previous
    let released = false
    const release = () => {
      if (released) return
      released = true
      clearTimeout(timer)
      if (tails.get(key) === tail) tails.delete(key)
      free()
    }
    const timer = setTimeout(release, options.ttlMs ?? DEFAULT_LOCK_TTL_MS)
    timer.unref()
    return { release }
  }

  return {
    acquire,
    heldHere,
    async run(key, fn, options) {
      if (heldHere(key)) return fn()
      const lease = await acquire(key, options)
      try {
        return await held.run(new Set([...(held.getStore() ?? []), key]), fn)
      } finally {
        lease.release()
      }
    },
  }
}

// One lock per database: everything that refreshes tokens stored in that database shares it.
// Several instances behind a load balancer need the shared implementation, passed in with AppDeps.
const locks = new WeakMap<object, KeyedLock>()

/** The lock guarding the OAuth tokens stored in `db`, created on first use. */
export function oauthLockFor(db: object): KeyedLock {
  let lock = locks.get(db)
  if (!lock) {
    lock = createLocalKeyedLock()
    locks.set(db, lock)
  }
  return lock
}

/** The key of one user's tokens for one server. */
export function oauthLockKey(userId: string | null, serverId: string): string {
  return `oauth:${userId ?? 'operator'}:${serverId}`
}
