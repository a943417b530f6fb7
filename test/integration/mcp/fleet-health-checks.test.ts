import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type HealthChecker,
  type HealthCheckOptions,
  startHealthChecks,
} from '../../../src/server/mcp/servers/health-checker.ts'
import { type ManyServers, startManyServers } from '../../fixtures/mcp/many-servers.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Health checks shared by the instances on one database (issue 13): each server about once per
// interval by the fleet, kept by the instance that checked it, taken over when that instance
// stops, and less often for users away. Two checkers with their own names stand for two
// instances; the clock is moved by hand, and each checker ticks when told.

const INTERVAL = 60_000
let t: TestApp
let fleet: ManyServers
let clock = Date.now()
const checkers: HealthChecker[] = []

beforeAll(async () => {
  t = await startApp({ config: { ssrf: LOOPBACK_POLICY } })
  fleet = await startManyServers()
}, 60_000)
afterAll(async () => {
  for (const checker of checkers) await checker.stop()
  await t?.close()
  await fleet?.close()
})

function checker(owner: string, options: Partial<HealthCheckOptions> = {}) {
  const deps = { ...t.deps, now: () => new Date(clock) }
  const started = startHealthChecks(deps, { intervalMs: INTERVAL, owner, timer: false, ...options })
  checkers.push(started)
  return started
}

/** Moves the clock on tick by tick (3 s at this interval), each checker ticking in turn. */
async function advance(ms: number, ...ticking: HealthChecker[]) {
  for (let moved = 0; moved < ms; moved += TICK) {
    clock += TICK
    for (const one of ticking) await one.tick()
  }
}
const TICK = INTERVAL / 20

let next = 0
async function addServers(cookie: string, count: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const res = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie,
      json: { name: `sim ${next}`, transport: 'streamable-http', url: fleet.urlOf(next++, 'one') },
    })
    expect(res.status).toBe(201)
    ids.push(((await res.json()) as { id: string }).id)
  }
  return ids
}

const pingsOf = () => [...fleet.counts().values()].map((c) => c.ping)
const owners = async (ids: string[]) =>
  (
    await t.deps.db
      .selectFrom('mcp_servers')
      .select(['id', 'check_owner', 'next_check_at'])
      .where('id', 'in', ids)
      .execute()
  ).sort((a, b) => a.id.localeCompare(b.id))

describe('health checks shared by the fleet', () => {
  let ids: string[]
  let a: HealthChecker
  let b: HealthChecker

  it('check each server once per interval between two instances, each keeping its own', async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    ids = [...(await addServers(alice.cookie, 5)), ...(await addServers(bob.cookie, 5))]
    // Their requests marked them active (written in the background).
    await expect
      .poll(async () => (await t.deps.db.selectFrom('user_activity').selectAll().execute()).length)
      .toBe(2)
    a = checker('a', { maxConcurrency: 3 })
    b = checker('b', { maxConcurrency: 3 })
    fleet.reset()
    // The first tick places each at random within the interval; over the next interval each is
    // claimed once, 3 at a time at most per instance, by the instance whose share it is.
    await a.tick()
    await b.tick()
    expect(pingsOf()).toEqual([])
    await advance(INTERVAL, a, b)
    expect(pingsOf()).toEqual(Array(10).fill(1))
    const first = await owners(ids)
    expect(new Set(first.map((row) => row.check_owner))).toEqual(new Set(['a', 'b']))
    for (const row of first) expect(row.next_check_at?.getTime()).toBeGreaterThan(clock)

    // The next interval: each instance checks its own servers again, on the sessions it opened.
    const initialized = [...fleet.counts().values()].map((c) => c.initialize)
    expect(initialized).toEqual(Array(10).fill(1))
    const listed = [...fleet.counts().values()].map((c) => c.toolsList)
    await advance(INTERVAL, a, b)
    expect(pingsOf()).toEqual(Array(10).fill(2))
    expect((await owners(ids)).map((row) => row.check_owner)).toEqual(
      first.map((row) => row.check_owner),
    )
    expect([...fleet.counts().values()].map((c) => c.initialize)).toEqual(initialized)
    // The servers say they announce tool changes, and each session's event stream is open: a
    // routine check pings and does not list the tools again.
    expect([...fleet.counts().values()].map((c) => c.toolsList)).toEqual(listed)
  })

  it('share the servers of an instance that died among the others, and at once of one that stops', async () => {
    // `a` dies: it stops ticking, without a word. Once it has missed three ticks, `b` has its
    // servers too, all checked within the interval.
    const ofA = (await owners(ids)).filter((row) => row.check_owner === 'a').map((r) => r.id)
    expect(ofA.length).toBeGreaterThan(0)
    await advance(INTERVAL, b)
    expect((await owners(ids)).every((row) => row.check_owner === 'b')).toBe(true)
    expect(pingsOf()).toEqual(Array(10).fill(3))

    // `c` joins and takes its share; when it stops, `b` has them back at its next tick.
    const c = checker('c', { maxConcurrency: 3 })
    await c.tick()
    await advance(INTERVAL, b, c)
    expect(new Set((await owners(ids)).map((row) => row.check_owner))).toEqual(new Set(['b', 'c']))
    expect(pingsOf()).toEqual(Array(10).fill(4))
    await c.stop()
    await advance(INTERVAL, b)
    expect((await owners(ids)).every((row) => row.check_owner === 'b')).toBe(true)
    expect(pingsOf()).toEqual(Array(10).fill(5))
  })

  it('check the servers of a user who is away less often, and at once when they return', async () => {
    const carol = await registerUser(t)
    // Her server is written directly: adding it through the API would count as activity.
    const [row] = await t.deps.db
      .insertInto('mcp_servers')
      .values({
        user_id: carol.userId,
        name: 'away',
        transport: 'streamable-http',
        url: fleet.urlOf(next++, 'one'),
        config: '{}',
      })
      .returning('id')
      .execute()
    const id = row?.id as string
    const carolPings = () => {
      const url = new URL(fleet.urlOf(next - 1, 'one'))
      return fleet.counts().get(`${url.hostname}${url.pathname}`)?.ping ?? 0
    }
    await b.tick()
    clock += INTERVAL
    for (let round = 0; round < 6; round++) await b.tick()
    expect(carolPings()).toBe(1)
    const [claimed] = await owners([id])
    // Away: next in ten intervals, not one.
    expect(claimed?.next_check_at?.getTime()).toBe(clock + 10 * INTERVAL)
    clock += INTERVAL
    for (let round = 0; round < 4; round++) await b.tick()
    expect(carolPings()).toBe(1)

    // She signs in and opens her servers: due at once.
    const res = await t.request('/api/user/mcp-servers', { cookie: carol.cookie })
    expect(res.status).toBe(200)
    await expect
      .poll(async () => (await owners([id]))[0]?.next_check_at?.getTime() ?? 0)
      .toBeLessThanOrEqual(clock)
    await b.tick()
    expect(carolPings()).toBe(2)
    expect((await owners([id]))[0]?.next_check_at?.getTime()).toBe(clock + INTERVAL)
  })
})
