import type { Redis } from 'ioredis'
import {
  type IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
} from 'rate-limiter-flexible'

export type RateLimiter = RateLimiterMemory | RateLimiterRedis

/**
 * A rate limiter counted in this process, or by every instance together through Redis (keys
 * `sb:<keyPrefix>…`) when one is configured. rate-limiter-flexible counts atomically in both.
 */
export function createRateLimiter(redis: Redis | null, options: IRateLimiterOptions): RateLimiter {
  return redis
    ? new RateLimiterRedis({ ...options, storeClient: redis, keyPrefix: `sb:${options.keyPrefix}` })
    : new RateLimiterMemory(options)
}
