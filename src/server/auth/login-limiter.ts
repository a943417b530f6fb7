import type { Redis } from 'ioredis'
import { type IRateLimiterOptions, RateLimiterRes } from 'rate-limiter-flexible'
import type { Config } from '../config/config.ts'
import { RateLimitedError } from '../errors.ts'
import type { RateLimitMetrics } from '../observability/metrics.ts'
import { createRateLimiter } from '../rate-limiter.ts'

/**
 * Slows password guessing. Every sign-in attempt is taken from two budgets before the password
 * is checked: one per (account, ip) pair and one per ip. Past either, the caller waits out the
 * window with 429 + Retry-After and the password is never checked. A success clears the pair and
 * gives the ip its point back, so only failures use the budgets up.
 *
 * Keyed by the pair rather than by the account alone: a budget per account would let anyone lock
 * any user out by typing wrong passwords for their email. Guessing from many addresses is bounded
 * by each address's own budget.
 *
 * In-process by default; shared by every instance through Redis when one is configured.
 */
export interface LoginLimiter {
  /**
   * Takes one attempt from both budgets, atomically in each, or throws RateLimitedError. Call
   * before checking the password: counting after the (slow, argon2id) check let parallel guesses
   * all through, as none had been counted yet. A refused attempt costs nothing from the other
   * budget.
   */
  take(input: LoginKey): Promise<void>
  /** The password was right: clears the pair's failures and gives back the ip's point. */
  succeeded(input: LoginKey): Promise<void>
}

export interface LoginKey {
  email: string
  ip: string
}

export function createLoginLimiter(
  config: Pick<Config, 'auth'>,
  redis: Redis | null = null,
  metrics: RateLimitMetrics | null = null,
): LoginLimiter {
  const { perAccount, perIp, windowSeconds } = config.auth.loginAttempts
  const limiter = (options: IRateLimiterOptions) => createRateLimiter(redis, options)
  const byPair = limiter({
    keyPrefix: 'login_account_ip',
    points: perAccount,
    duration: windowSeconds,
  })
  const byIp = limiter({ keyPrefix: 'login_ip', points: perIp, duration: windowSeconds })
  const pairKey = (input: LoginKey) => `${input.email.toLowerCase()}|${input.ip}`

  return {
    async take(input) {
      const budgets = [
        { limiter: byPair, key: pairKey(input), what: 'too many failed sign-ins to this account' },
        { limiter: byIp, key: input.ip, what: 'too many failed sign-ins from your address' },
      ]
      // consume() counts and answers in one step (a Lua script in Redis), so of N parallel
      // attempts exactly the first `points` get through.
      const outcomes = await Promise.all(
        budgets.map(async (budget) => {
          try {
            await budget.limiter.consume(budget.key, 1)
            return { budget, refusal: null }
          } catch (refusal) {
            return { budget, refusal }
          }
        }),
      )
      const refused = outcomes.filter((outcome) => outcome.refusal !== null)
      if (refused.length === 0) return
      // The point taken from the other budget was for an attempt that never reaches the password:
      // it goes back, so a blocked account does not use up its address.
      await Promise.all(
        outcomes
          .filter((outcome) => outcome.refusal === null)
          .map(({ budget }) => budget.limiter.reward(budget.key, 1).catch(() => undefined)),
      )
      const limits: { what: string; msBeforeNext: number }[] = []
      for (const { budget, refusal } of refused) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal // the store failed: not a limit
        limits.push({ what: budget.what, msBeforeNext: refusal.msBeforeNext })
      }
      const longest = limits.reduce((a, b) => (b.msBeforeNext > a.msBeforeNext ? b : a))
      metrics?.refused('login')
      throw new RateLimitedError(
        `${longest.what}: try again in ${Math.max(1, Math.ceil(longest.msBeforeNext / 1000))} s`,
        longest.msBeforeNext / 1000,
      )
    },
    async succeeded(input) {
      await Promise.all([byPair.delete(pairKey(input)), byIp.reward(input.ip, 1)])
    },
  }
}
