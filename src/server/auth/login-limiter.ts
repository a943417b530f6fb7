import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible'
import type { Config } from '../config/config.ts'
import { RateLimitedError } from '../errors.ts'

/**
 * Slows password guessing: failed sign-ins are counted per (account, ip) and per ip; past the
 * limit the caller waits out the window with 429 + Retry-After. A success clears the pair.
 */
export interface LoginLimiter {
  /** Throws RateLimitedError when this pair or ip is blocked. */
  check(input: { email: string; ip: string }): Promise<void>
  recordFailure(input: { email: string; ip: string }): Promise<void>
  recordSuccess(input: { email: string; ip: string }): Promise<void>
}

export function createLoginLimiter(config: Pick<Config, 'auth'>): LoginLimiter {
  const { perAccount, perIp, windowSeconds } = config.auth.loginAttempts
  const byAccount = new RateLimiterMemory({
    keyPrefix: 'login_account',
    points: perAccount,
    duration: windowSeconds,
  })
  const byIp = new RateLimiterMemory({
    keyPrefix: 'login_ip',
    points: perIp,
    duration: windowSeconds,
  })
  const accountKey = (input: { email: string; ip: string }) =>
    `${input.email.toLowerCase()}|${input.ip}`

  return {
    async check(input) {
      const [account, ip] = await Promise.all([
        byAccount.get(accountKey(input)),
        byIp.get(input.ip),
      ])
      const blocked = [
        account && account.consumedPoints >= perAccount ? account : null,
        ip && ip.consumedPoints >= perIp ? ip : null,
      ].filter((r): r is RateLimiterRes => r !== null)
      if (blocked.length === 0) return
      const waitMs = Math.max(...blocked.map((r) => r.msBeforeNext))
      throw new RateLimitedError(
        `too many failed sign-ins: try again in ${Math.ceil(waitMs / 1000)} s`,
        waitMs / 1000,
      )
    },
    async recordFailure(input) {
      await Promise.all([byAccount.penalty(accountKey(input), 1), byIp.penalty(input.ip, 1)])
    },
    async recordSuccess(input) {
      await byAccount.delete(accountKey(input))
    },
  }
}
