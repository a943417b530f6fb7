import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { type IRateLimiterOptions, RateLimiterRes } from 'rate-limiter-flexible'
import { type ErrorReason, reasonOf } from '../../shared/error-reasons.ts'
import type { Config } from '../config/config.ts'
import { RateLimitedError } from '../errors.ts'
import type { RateLimit, RateLimitMetrics } from '../observability/metrics.ts'
import { createRateLimiter, type RateLimiter } from '../rate-limiter.ts'

/**
 * How many tool calls a user may make: per user and per (user, server) over a window, and at
 * most so many running at once. In-process by default; shared by every instance through Redis
 * when one is configured.
 *
 * A running call holds an in-flight slot that lives only as long as its instance keeps renewing
 * it (`renew`, from the instance's heartbeat): the slot of a call whose instance died expires
 * within `slotTtlMs`, with nobody cleaning up.
 */
export interface CallLimits {
  /**
   * Takes one call from each budget and an in-flight slot for `callId`, or throws
   * RateLimitedError (429, Retry-After) naming the limit. On success returns `release`, to call
   * once when the call ends (frees the slot; safe to call twice).
   */
  acquire(input: { userId: string; serverId: string; callId: string }): Promise<() => void>
  /** Keeps the slots of these calls (running here) for another `slotTtlMs`. */
  renew(calls: { userId: string; callId: string }[]): Promise<void>
  /** How long a slot lives without renewal. */
  readonly slotTtlMs: number
}

/** Slots held by running calls, per user; each expires unless renewed. */
interface SlotStore {
  /** Takes a slot for `member` unless `max` unexpired ones are held. */
  take(key: string, member: string, max: number): Promise<boolean>
  renew(key: string, members: string[]): Promise<void>
  free(key: string, member: string): Promise<void>
}

export function createCallLimits(
  config: Pick<Config, 'toolCalls'>,
  redis: Redis | null,
  metrics: RateLimitMetrics | null = null,
): CallLimits {
  const { perUser, perServer, perSeconds, maxInFlightPerUser } = config.toolCalls.rateLimit
  // Renewed every heartbeat: one late heartbeat does not free a running call's slot.
  const slotTtlMs = 2 * config.toolCalls.heartbeatMs
  const limiter = (options: IRateLimiterOptions) => createRateLimiter(redis, options)
  const byUser = limiter({ keyPrefix: 'calls_user', points: perUser, duration: perSeconds })
  const byServer = limiter({ keyPrefix: 'calls_server', points: perServer, duration: perSeconds })
  const slots = redis ? redisSlots(redis, slotTtlMs) : memorySlots(slotTtlMs)
  const slotKey = (userId: string) => `sb:calls_in_flight_slots:${userId}`
  const counted =
    (limit: RateLimit) =>
    (error: unknown): never => {
      if (error instanceof RateLimitedError) metrics?.refused(limit)
      throw error
    }

  return {
    slotTtlMs,
    async acquire({ userId, serverId, callId }) {
      await consume(
        byUser,
        userId,
        `you made more than ${perUser} tool calls in ${perSeconds} s`,
        reasonOf('toolCall.rateLimitUser', { count: perUser, seconds: perSeconds }),
      ).catch(counted('tool_calls_per_user'))
      await consume(
        byServer,
        `${userId}|${serverId}`,
        `more than ${perServer} calls to this server in ${perSeconds} s`,
        reasonOf('toolCall.rateLimitServer', { count: perServer, seconds: perSeconds }),
      ).catch(counted('tool_calls_per_server'))
      if (!(await slots.take(slotKey(userId), callId, maxInFlightPerUser))) {
        metrics?.refused('tool_calls_running')
        throw new RateLimitedError(
          `rate limited: you already have ${maxInFlightPerUser} tool calls running: wait for one to finish`,
          1,
          reasonOf('toolCall.tooManyRunning', { count: maxInFlightPerUser }),
        )
      }
      let released = false
      return () => {
        if (released) return
        released = true
        slots.free(slotKey(userId), callId).catch(() => undefined)
      }
    },
    async renew(calls) {
      const byKey = new Map<string, string[]>()
      for (const { userId, callId } of calls) {
        const key = slotKey(userId)
        byKey.set(key, [...(byKey.get(key) ?? []), callId])
      }
      await Promise.all([...byKey].map(([key, members]) => slots.renew(key, members)))
    },
  }
}

/** One process: the same expiring slots, in a Map (a leaked slot still frees itself). */
function memorySlots(ttlMs: number): SlotStore {
  const held = new Map<string, Map<string, number>>()
  return {
    async take(key, member, max) {
      const now = Date.now()
      const slots = held.get(key) ?? new Map<string, number>()
      for (const [id, expires] of slots) if (expires <= now) slots.delete(id)
      if (slots.size >= max && !slots.has(member)) return false
      slots.set(member, now + ttlMs)
      held.set(key, slots)
      return true
    },
    async renew(key, members) {
      const slots = held.get(key)
      const expires = Date.now() + ttlMs
      for (const member of members) if (slots?.has(member)) slots.set(member, expires)
    },
    async free(key, member) {
      const slots = held.get(key)
      slots?.delete(member)
      if (slots?.size === 0) held.delete(key)
    },
  }
}

// Redis's own clock, so instances whose clocks disagree still agree on what has expired.
const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])`

/** KEYS[1] the user's slots (member: call id, score: expiry); ARGV: ttl, max, call id. */
const TAKE_SLOT = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[3]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1`

/** KEYS[1] the user's slots; ARGV: ttl, call ids. Only slots still held (XX) are renewed. */
const RENEW_SLOTS = `${NOW_MS}
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + ttl, ARGV[i])
end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`

/** Every instance: one sorted set per user, changed only by these atomic scripts. */
function redisSlots(redis: Redis, ttlMs: number): SlotStore {
  const take = script(redis, TAKE_SLOT)
  const renew = script(redis, RENEW_SLOTS)
  return {
    async take(key, member, max) {
      return (await take(key, ttlMs, max, member)) === 1
    },
    async renew(key, members) {
      await renew(key, ttlMs, ...members)
    },
    async free(key, member) {
      await redis.zrem(key, member)
    },
  }
}

/** A one-key Lua script, sent by its hash (and in full once per Redis that does not know it). */
function script(redis: Redis, source: string) {
  const sha = createHash('sha1').update(source).digest('hex')
  return async (key: string, ...args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, 1, key, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return redis.eval(source, 1, key, ...args)
    }
  }
}

async function consume(
  limiter: RateLimiter,
  key: string,
  message: string,
  reason: ErrorReason,
): Promise<void> {
  try {
    await limiter.consume(key, 1)
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection
    throw new RateLimitedError(`rate limited: ${message}`, rejection.msBeforeNext / 1000, reason)
  }
}
