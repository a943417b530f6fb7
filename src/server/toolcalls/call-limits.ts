import type { Redis } from 'ioredis'
import {
  type IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible'
import type { Config } from '../config/config.ts'
import { RateLimitedError } from '../errors.ts'

/**
 * How many tool calls a user may make: per user and per (user, server) over a window, and at
 * most so many running at once. In-process by default; shared by every instance through Redis
 * when one is configured (rate-limiter-flexible does the counting atomically in both).
 */
export interface CallLimits {
  /**
   * Takes one call from each budget, or throws RateLimitedError (429, Retry-After) naming the
   * limit. On success returns `release`, to call once when the call ends (frees the in-flight
   * slot; safe to call twice).
   */
  acquire(input: { userId: string; serverId: string }): Promise<() => void>
}

export function createCallLimits(
  config: Pick<Config, 'toolCalls'>,
  redis: Redis | null,
): CallLimits {
  const { perUser, perServer, perSeconds, maxInFlightPerUser } = config.toolCalls.rateLimit
  const limiter = (options: IRateLimiterOptions) =>
    redis
      ? new RateLimiterRedis({
          ...options,
          storeClient: redis,
          keyPrefix: `sb:${options.keyPrefix}`,
        })
      : new RateLimiterMemory(options)
  const byUser = limiter({ keyPrefix: 'calls_user', points: perUser, duration: perSeconds })
  const byServer = limiter({ keyPrefix: 'calls_server', points: perServer, duration: perSeconds })
  // A slot is held while the call runs; if an instance dies holding slots they expire with the
  // longest a call may run, so a crash cannot lock a user out for good.
  const inFlight = limiter({
    keyPrefix: 'calls_in_flight',
    points: maxInFlightPerUser,
    duration: Math.ceil(config.toolCalls.maxDurationMs / 1000) + 60,
  })

  return {
    async acquire({ userId, serverId }) {
      await consume(byUser, userId, `you made more than ${perUser} tool calls in ${perSeconds} s`)
      await consume(
        byServer,
        `${userId}|${serverId}`,
        `more than ${perServer} calls to this server in ${perSeconds} s`,
      )
      try {
        await consume(
          inFlight,
          userId,
          `you already have ${maxInFlightPerUser} tool calls running: wait for one to finish`,
          1,
        )
      } catch (error) {
        // A refused attempt still counted itself: give the slot back so only running calls count.
        await inFlight.reward(userId, 1).catch(() => undefined)
        throw error
      }
      let released = false
      return () => {
        if (released) return
        released = true
        inFlight.reward(userId, 1).catch(() => undefined)
      }
    },
  }
}

async function consume(
  limiter: RateLimiterMemory | RateLimiterRedis,
  key: string,
  message: string,
  retryAfterSeconds?: number,
): Promise<void> {
  try {
    await limiter.consume(key, 1)
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection
    const waitSeconds = retryAfterSeconds ?? rejection.msBeforeNext / 1000
    throw new RateLimitedError(`rate limited: ${message}`, waitSeconds)
  }
}
