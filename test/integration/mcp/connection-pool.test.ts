import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import {
  type ConnectionPool,
  createConnectionPool,
  DEFAULT_POOL_OPTIONS,
  type PoolOptions,
} from '../../../src/server/mcp/client/connection-pool.ts'
import type { McpEndpoint } from '../../../src/server/mcp/client/endpoint.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'
import { testDeps } from '../../helpers/mcp-servers.ts'

let upstream: SdkHttpServer
beforeAll(async () => {
  upstream = await startSdkHttpServer()
})
afterAll(() => upstream?.close())

const deps = testDeps()

function endpoint(url = upstream.url): McpEndpoint {
  return {
    name: 'fixture',
    transport: 'streamable-http',
    url,
    trusted: false,
    timeouts: { connectMs: 2_000 },
  }
}

function makePool(options: Partial<PoolOptions> = {}, hooks = {}) {
  const pool = createConnectionPool(
    { log: deps.log },
    { ...DEFAULT_POOL_OPTIONS, ...options },
    hooks,
  )
  onTestFinished(() => pool.closeAll())
  return pool
}

/** Counts connects, so tests can tell reuse from reconnect. */
function opener(target: McpEndpoint = endpoint()) {
  const counter = { opens: 0 }
  const open = (options: Parameters<typeof connectMcp>[2]) => {
    counter.opens += 1
    return connectMcp(target, deps, options)
  }
  return { open, counter }
}

async function echo(
  pool: ConnectionPool,
  key: { userId: string; serverId: string },
  open: ReturnType<typeof opener>['open'],
) {
  return pool.use(key, open, async (c) => {
    const result = await c.client.callTool({ name: 'echo', arguments: { message: 'hi' } })
    return (result.content as { text: string }[])[0]?.text
  })
}

describe('connection pool', () => {
  it('reuses one session per (user, server) and never shares it between users', async () => {
    const pool = makePool()
    const { open, counter } = opener()
    const alice = { userId: 'alice', serverId: 's1' }
    const bob = { userId: 'bob', serverId: 's1' }
    await Promise.all([echo(pool, alice, open), echo(pool, alice, open), echo(pool, alice, open)])
    expect(counter.opens).toBe(1)
    expect(await echo(pool, bob, open)).toBe('hi')
    expect(counter.opens).toBe(2)
    expect(pool.size()).toBe(2)
  })

  it('re-initializes once, transparently, when the server forgot the session', async () => {
    const pool = makePool()
    const { open, counter } = opener()
    const key = { userId: 'carol', serverId: 's1' }
    expect(await echo(pool, key, open)).toBe('hi')
    await upstream.forgetSessions()
    expect(await echo(pool, key, open)).toBe('hi')
    expect(counter.opens).toBe(2)
  })

  it('closes idle sessions and keeps to the cap, least recently used first', async () => {
    const pool = makePool({ idleMs: 150, maxSessions: 2 })
    const { open } = opener()
    await echo(pool, { userId: 'u1', serverId: 's' }, open)
    await echo(pool, { userId: 'u2', serverId: 's' }, open)
    await echo(pool, { userId: 'u3', serverId: 's' }, open)
    await expect.poll(() => pool.size()).toBe(2)
    await expect.poll(() => pool.size(), { timeout: 2_000 }).toBe(0)
  })

  it('checks a server on a session of its own when the pool is full, evicting nobody', async () => {
    const pool = makePool({ maxSessions: 2 })
    const { open, counter } = opener()
    const held = [
      { userId: 'h1', serverId: 's' },
      { userId: 'h2', serverId: 's' },
    ]
    for (const key of held) await echo(pool, key, open)
    const before = upstream.requests.filter((r) => r.method === 'DELETE').length
    const pinged = await pool.use(
      { userId: 'h3', serverId: 's' },
      open,
      async (c) => {
        await c.client.ping()
        return true
      },
      { check: true },
    )
    expect(pinged).toBe(true)
    expect(counter.opens).toBe(3)
    expect(pool.size()).toBe(2)
    // The checked session was ended (DELETE), the pooled ones were kept and are reused.
    await expect
      .poll(() => upstream.requests.filter((r) => r.method === 'DELETE').length)
      .toBe(before + 1)
    for (const key of held) await echo(pool, key, open)
    expect(counter.opens).toBe(3)
  })

  it('opens the circuit after repeated failures and fails fast until the cooldown passes', async () => {
    let clock = 0
    const pool = createConnectionPool(
      { log: deps.log, now: () => clock },
      {
        ...DEFAULT_POOL_OPTIONS,
        breaker: { threshold: 2, cooldownMs: 10_000, maxCooldownMs: 60_000 },
      },
    )
    onTestFinished(() => pool.closeAll())
    const { open, counter } = opener(endpoint(await closedPortUrl()))
    const key = { userId: 'dave', serverId: 'dead' }
    await expect(echo(pool, key, open)).rejects.toThrow(/connection refused/)
    await expect(echo(pool, key, open)).rejects.toThrow(/connection refused/)
    await expect(echo(pool, key, open)).rejects.toThrow(
      /failed 2 times in a row: not trying again for 10 s/,
    )
    expect(counter.opens).toBe(2)
    clock += 10_001
    await expect(echo(pool, key, open)).rejects.toThrow(/connection refused/)
    expect(counter.opens).toBe(3)
    // the failed half-open try doubles the wait
    await expect(echo(pool, key, open)).rejects.toThrow(/not trying again for 20 s/)
  })

  it('does not count an answer from a working server as an outage', async () => {
    const pool = makePool({ breaker: { threshold: 1, cooldownMs: 60_000, maxCooldownMs: 60_000 } })
    const { open } = opener()
    const key = { userId: 'erin', serverId: 's1' }
    const failing = pool.use(key, open, (c) =>
      c.client.callTool({ name: 'no-such-tool', arguments: {} }),
    )
    await failing.catch(() => {})
    expect(await echo(pool, key, open)).toBe('hi')
  })

  it('reports a session lost when the server goes away', async () => {
    const lost: string[] = []
    const own = await startSdkHttpServer()
    const pool = makePool(
      {},
      { onSessionLost: (key: { serverId: string }) => lost.push(key.serverId) },
    )
    const { open } = opener(endpoint(own.url))
    await echo(pool, { userId: 'frank', serverId: 'gone' }, open)
    expect(pool.size()).toBe(1)
    await pool.drop({ userId: 'frank', serverId: 'gone' })
    expect(pool.size()).toBe(0)
    await own.close()
    expect(lost).toEqual([]) // closed by us: not a loss
  })
})
