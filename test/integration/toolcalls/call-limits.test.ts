import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/server/config/config.ts'
import { RateLimitedError } from '../../../src/server/errors.ts'
import { type CallLimits, createCallLimits } from '../../../src/server/toolcalls/call-limits.ts'
import { testConfig } from '../../helpers/test-config.ts'

// In-flight slots live as long as their instance renews them: a slot taken by an instance that
// stops (killed, no release, no renewal) frees itself after the slot TTL (two heartbeats).
const redisUrl = process.env.TEST_REDIS_URL

/** Limits with room for many calls, at most 2 running per user, and slots that live 2 s. */
function limitsConfig(): Pick<Config, 'toolCalls'> {
  const toolCalls = testConfig().toolCalls
  return {
    toolCalls: {
      ...toolCalls,
      heartbeatMs: 1_000,
      rateLimit: { perUser: 10_000, perServer: 10_000, perSeconds: 60, maxInFlightPerUser: 2 },
    },
  }
}

/** Whether one more call may start for the user now (taking, and giving back, a slot). */
async function admits(limits: CallLimits, userId: string): Promise<boolean> {
  try {
    const release = await limits.acquire({ userId, serverId: 's', callId: crypto.randomUUID() })
    release()
    return true
  } catch (error) {
    if (error instanceof RateLimitedError) return false
    throw error
  }
}

/** Whether two more calls may run at once for the user now. */
async function admitsTwo(limits: CallLimits, userId: string): Promise<boolean> {
  const taken = await Promise.allSettled([take(limits, userId), take(limits, userId)])
  for (const slot of taken) if (slot.status === 'fulfilled') slot.value.release()
  return taken.every((slot) => slot.status === 'fulfilled')
}

function take(limits: CallLimits, userId: string) {
  const callId = crypto.randomUUID()
  return limits
    .acquire({ userId, serverId: 's', callId })
    .then((release) => ({ userId, callId, release }))
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Renews `slots` every 200 ms (a live instance's heartbeat) until stopped. */
function keepAlive(limits: CallLimits, slots: { userId: string; callId: string }[]) {
  const timer = setInterval(() => void limits.renew(slots).catch(() => undefined), 200)
  return () => clearInterval(timer)
}

describe('in-flight slots, in one process', () => {
  it('frees a slot on release, keeps renewed ones, and frees unrenewed ones after the TTL', async () => {
    const limits = createCallLimits(limitsConfig(), null)
    expect(limits.slotTtlMs).toBe(2_000)
    const userId = crypto.randomUUID()
    const first = await take(limits, userId)
    const second = await take(limits, userId)
    expect(await admits(limits, userId)).toBe(false)
    first.release()
    first.release()
    expect(await admits(limits, userId)).toBe(true)
    const third = await take(limits, userId)
    // Only one came back: the second release gave nothing more.
    expect(await admits(limits, userId)).toBe(false)
    const stop = keepAlive(limits, [second, third])
    await sleep(4_500)
    expect(await admits(limits, userId)).toBe(false)
    stop()
    await expect.poll(() => admits(limits, userId), { timeout: 15_000, interval: 200 }).toBe(true)
  })
})

describe.skipIf(!redisUrl)('in-flight slots shared through Redis', () => {
  const clients: Redis[] = []
  const instance = () => {
    const redis = new Redis(redisUrl as string, { maxRetriesPerRequest: 2 })
    clients.push(redis)
    return createCallLimits(limitsConfig(), redis)
  }
  afterAll(async () => {
    await Promise.all(clients.map((redis) => redis.quit()))
  })

  it('frees the slots of an instance that stopped, so another instance can start calls', async () => {
    const [a, b] = [instance(), instance()]
    const userId = crypto.randomUUID()
    // A takes both slots, then "dies": no release, no renewal.
    await take(a, userId)
    await take(a, userId)
    expect(await admits(b, userId)).toBe(false)
    await expect.poll(() => admits(b, userId), { timeout: 15_000, interval: 200 }).toBe(true)
  })

  it('keeps the slots of a live instance past their TTL, frees one on release, the rest when it stops', async () => {
    const [a, b] = [instance(), instance()]
    const userId = crypto.randomUUID()
    const slots = [await take(a, userId), await take(a, userId)]
    const stop = keepAlive(a, slots)
    try {
      await sleep(4_500)
      expect(await admits(b, userId)).toBe(false)
      // Still renewed, so only the release can free it.
      slots[0]?.release()
      await expect.poll(() => admits(b, userId), { timeout: 15_000, interval: 100 }).toBe(true)
    } finally {
      stop()
    }
    await expect.poll(() => admitsTwo(b, userId), { timeout: 15_000, interval: 200 }).toBe(true)
  })
})
