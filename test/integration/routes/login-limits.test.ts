import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { type BuiltDeps, buildDeps } from '../../../src/server/deps.ts'
import { registerUser, startApp, TEST_PASSWORD, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'
import { uniqueIp } from '../../helpers/unique-ip.ts'

// With TEST_REDIS_URL the limiter counts in that Redis, which every test file and every earlier
// run shares: each test signs in from its own address and for its own accounts.
const PER_ACCOUNT = 5
const PER_IP = 12
const WINDOW_SECONDS = 900

let t: TestApp
beforeAll(async () => {
  const auth = {
    ...testConfig().auth,
    loginAttempts: { perAccount: PER_ACCOUNT, perIp: PER_IP, windowSeconds: WINDOW_SECONDS },
  }
  // trustProxy: the client address comes from X-Forwarded-For, so each test picks its own.
  t = await startApp({ config: { auth, trustProxy: true } })
})
afterAll(() => t.close())

type App = Pick<TestApp['app'], 'request'>

async function login(
  app: App,
  input: { email: string; password: string; ip: string },
): Promise<Response> {
  return await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': input.ip },
    body: JSON.stringify({ email: input.email, password: input.password }),
  })
}

/** Statuses of `count` wrong-password sign-ins sent all at once, sorted. */
async function wrongInParallel(
  count: number,
  attempt: (i: number) => { app?: App; email: string; ip: string },
): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { app = t.app, ...input } = attempt(i)
      const res = await login(app, { ...input, password: `wrong password ${i}` })
      return res.status
    }),
  )
  return answers.sort()
}

function statuses(counts: Record<number, number>): number[] {
  return Object.entries(counts)
    .flatMap(([status, n]) => Array<number>(n).fill(Number(status)))
    .sort()
}

async function failedSignIns(userId: string): Promise<number> {
  const rows = await t.deps.db
    .selectFrom('audit_log')
    .select('id')
    .where('user_id', '=', userId)
    .where('action', '=', 'auth.sign_in_failed')
    .execute()
  return rows.length
}

describe('sign-in limits', () => {
  it('lets only perAccount of 20 parallel wrong passwords reach the check, then refuses the right one', async () => {
    const { email, userId } = await registerUser(t)
    const ip = uniqueIp()
    const answers = await wrongInParallel(20, () => ({ email, ip }))
    expect(answers).toEqual(statuses({ 401: PER_ACCOUNT, 429: 20 - PER_ACCOUNT }))
    // One audit row per password actually checked.
    expect(await failedSignIns(userId)).toBe(PER_ACCOUNT)

    const blocked = await login(t.app, { email, password: TEST_PASSWORD, ip })
    expect(blocked.status).toBe(429)
    const retryAfter = Number(blocked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS)
    expect((await blocked.json()).error.code).toBe('rate_limited')
    expect(await failedSignIns(userId)).toBe(PER_ACCOUNT)

    // The pair is blocked, not the account: its owner still signs in from elsewhere.
    const elsewhere = await login(t.app, { email, password: TEST_PASSWORD, ip: uniqueIp() })
    expect(elsewhere.status).toBe(200)
  })

  it('starts the count again after a correct sign-in', async () => {
    const { email, userId } = await registerUser(t)
    const ip = uniqueIp()
    for (let i = 0; i < PER_ACCOUNT - 1; i++) {
      expect((await login(t.app, { email, password: `wrong ${i}`, ip })).status).toBe(401)
    }
    expect((await login(t.app, { email, password: TEST_PASSWORD, ip })).status).toBe(200)

    // A full budget again, and still no more than that in parallel.
    const answers = await wrongInParallel(PER_ACCOUNT + 3, () => ({ email, ip }))
    expect(answers).toEqual(statuses({ 401: PER_ACCOUNT, 429: 3 }))
    expect(await failedSignIns(userId)).toBe(2 * PER_ACCOUNT - 1)
  })

  it('limits one address across different accounts, in parallel too', async () => {
    const ip = uniqueIp()
    // One after another: a sign-in in flight holds a point of its (here shared) address too.
    const accounts: { email: string }[] = []
    for (let i = 0; i < PER_IP + 4; i++) accounts.push(await registerUser(t))
    const answers = await wrongInParallel(accounts.length, (i) => ({
      email: accounts[i]?.email as string,
      ip,
    }))
    expect(answers).toEqual(statuses({ 401: PER_IP, 429: 4 }))

    // Any account from that address waits; the same account from another address does not.
    const fresh = await registerUser(t)
    const blocked = await login(t.app, { email: fresh.email, password: TEST_PASSWORD, ip })
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    const elsewhere = await login(t.app, {
      email: fresh.email,
      password: TEST_PASSWORD,
      ip: uniqueIp(),
    })
    expect(elsewhere.status).toBe(200)
  })

  it('does not count successful sign-ins against the address', async () => {
    const ip = uniqueIp()
    const { email } = await registerUser(t)
    for (let i = 0; i < PER_IP + 2; i++) {
      expect((await login(t.app, { email, password: TEST_PASSWORD, ip })).status).toBe(200)
    }
    expect((await login(t.app, { email, password: 'wrong', ip })).status).toBe(401)
  })
})

const redisUrl = process.env.TEST_REDIS_URL

// Two instances behind one load balancer count in the same Redis: spreading guesses over both
// gains nothing.
describe.skipIf(!redisUrl)('sign-in limits on two instances sharing Redis', () => {
  let b: BuiltDeps
  let appB: ReturnType<typeof createApp>
  beforeAll(async () => {
    b = await buildDeps({ ...t.deps.config }, { database: t.database })
    appB = createApp(b.deps)
  })
  afterAll(() => b?.close())

  it('lets only perAccount guesses through in all, then both refuse the right password', async () => {
    expect(t.deps.redis).not.toBeNull()
    const { email, userId } = await registerUser(t)
    const ip = uniqueIp()
    const answers = await wrongInParallel(20, (i) => ({
      app: i % 2 === 0 ? t.app : appB,
      email,
      ip,
    }))
    expect(answers).toEqual(statuses({ 401: PER_ACCOUNT, 429: 20 - PER_ACCOUNT }))
    expect(await failedSignIns(userId)).toBe(PER_ACCOUNT)
    for (const app of [t.app, appB]) {
      expect((await login(app, { email, password: TEST_PASSWORD, ip })).status).toBe(429)
    }
  })
})
