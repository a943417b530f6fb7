import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { AppError } from '../errors.ts'

/**
 * One answer at a time per conversation. A second request while the model is still answering
 * would weave two answers into one history (and run their tool calls side by side), so it is
 * refused with `busy` (409) until the first answer is stored. In-process by default; with Redis
 * a lease every instance sees, renewed while held, so a crashed instance frees it within
 * `LEASE_MS`.
 */
export interface TurnLocks {
  /** Takes the conversation's lock; the returned function gives it back (safe to call twice). */
  take(conversationId: string): Promise<() => Promise<void>>
}

const LEASE_MS = 30_000
const RENEW_MS = 10_000
const key = (conversationId: string) => `sb:chat-turn:${conversationId}`

// Only the holder (by token) may renew or free a lease.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`

export function busyError(): AppError {
  return new AppError(
    'busy',
    'this conversation is still answering: wait for the answer to finish, or stop it',
  )
}

export function createTurnLocks(redis: Redis | null): TurnLocks {
  const held = new Set<string>()
  return {
    async take(conversationId) {
      if (held.has(conversationId)) throw busyError()
      held.add(conversationId)
      if (!redis) return once(async () => void held.delete(conversationId))
      const token = randomUUID()
      try {
        const taken = await redis.set(key(conversationId), token, 'PX', LEASE_MS, 'NX')
        if (taken !== 'OK') throw busyError()
      } catch (error) {
        held.delete(conversationId)
        throw error
      }
      const renew = setInterval(() => {
        redis.eval(RENEW, 1, key(conversationId), token, LEASE_MS).catch(() => undefined)
      }, RENEW_MS)
      renew.unref()
      return once(async () => {
        clearInterval(renew)
        held.delete(conversationId)
        await redis.eval(RELEASE, 1, key(conversationId), token).catch(() => undefined)
      })
    },
  }
}

function once(release: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null
  return () => {
    done ??= release()
    return done
  }
}
