import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createLoginLimiter } from '../../../../src/server/auth/login-limiter.ts'
import { RateLimitedError } from '../../../../src/server/errors.ts'
import { uniqueIp } from '../../../helpers/unique-ip.ts'

// The limiter on its own, in memory and (with TEST_REDIS_URL) in Redis: no password hashing in
// between, so a two-second window can be watched passing.
const redisUrl = process.env.TEST_REDIS_URL
const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2 }) : null
afterAll(async () => {
  await redis?.quit()
})

const stores = [{ name: 'memory', redis: null }, ...(redis ? [{ name: 'redis', redis }] : [])]

const uniqueEmail = () => `${randomBytes(6).toString('hex')}@example.test`

function limiter(store: Redis | null, perAccount: number, perIp: number, windowSeconds = 60) {
  return createLoginLimiter(
    {
      auth: {
        sessionDays: 1,
        loginAttempts: { perAccount, perIp, windowSeconds },
        passwordLogin: true,
        oidc: null,
      },
    },
    store,
  )
}

async function refusal(attempt: Promise<void>): Promise<RateLimitedError> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(RateLimitedError)
  return error as RateLimitedError
}

describe.each(stores)('login limiter ($name)', ({ redis: store }) => {
  it('refuses the pair past perAccount until the window has passed', async () => {
    const login = limiter(store, 2, 100, 2)
    const key = { email: uniqueEmail(), ip: uniqueIp() }
    await login.take(key)
    await login.take(key)
    const refused = await refusal(login.take(key))
    expect(refused.retryAfterSeconds).toBeGreaterThan(0)
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(2)
    expect(refused.message).toMatch(/this account: try again in [12] s/)

    const deadline = Date.now() + 15_000
    for (;;) {
      const passed = await login.take(key).then(
        () => true,
        () => false,
      )
      if (passed) break
      if (Date.now() > deadline) throw new Error('the window never passed')
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  })

  it('refuses every account from an address past perIp', async () => {
    const login = limiter(store, 5, 2)
    const ip = uniqueIp()
    await login.take({ email: uniqueEmail(), ip })
    await login.take({ email: uniqueEmail(), ip })
    const refused = await refusal(login.take({ email: uniqueEmail(), ip }))
    expect(refused.message).toMatch(/from your address/)
    await login.take({ email: uniqueEmail(), ip: uniqueIp() })
  })

  it('gives the address its point back when the pair refuses', async () => {
    const login = limiter(store, 1, 2)
    const ip = uniqueIp()
    const email = uniqueEmail()
    await login.take({ email, ip })
    await refusal(login.take({ email, ip }))
    await refusal(login.take({ email, ip }))
    // Without the refunds the address would be at 3 of 2 by now.
    await login.take({ email: uniqueEmail(), ip })
  })

  it('clears the pair and gives the address its point back on success', async () => {
    const login = limiter(store, 1, 1)
    const key = { email: uniqueEmail(), ip: uniqueIp() }
    await login.take(key)
    await login.succeeded(key)
    await login.take(key)
    await login.succeeded(key)
    await login.take({ ...key, email: key.email.toUpperCase() })
  })
})
