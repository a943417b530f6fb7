import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { type BuiltDeps, buildDeps } from '../../../src/server/deps.ts'
import { adminApi } from '../../helpers/admin-users.ts'
import { MemoryOAuthProvider, signInClient } from '../../helpers/endpoint-oauth.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import { freePort } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Disabling an account behind a load balancer: two instances on one PostgreSQL and one Redis,
// each having just let the user's cookie, API token and MCP client token in (so both token
// caches hold them). Disabled through one, all three are refused by both at once.
const redisUrl = process.env.TEST_REDIS_URL
const postgres = Boolean(process.env.TEST_DATABASE_URL)

describe.skipIf(!redisUrl || !postgres)(
  'disabling a user on two instances (PostgreSQL + Redis)',
  () => {
    let a: TestApp
    let b: BuiltDeps
    let httpA: Listening
    let httpB: Listening

    beforeAll(async () => {
      const portA = await freePort()
      a = await startApp({
        config: { redisUrl: redisUrl as string },
        env: { SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${portA}` },
      })
      b = await buildDeps({ ...a.deps.config }, { database: a.database })
      httpA = await listen(a.app, portA)
      httpB = await listen(createApp(b.deps))
    }, 60_000)
    afterAll(async () => {
      await httpA?.close()
      await httpB?.close()
      await b?.close()
      await a?.close()
    })

    const me = (host: string, headers: Record<string, string>) =>
      fetch(`${host}/api/auth/me`, { headers })
    const listTools = (host: string, bearer: string) =>
      fetch(`${host}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${bearer}`,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      })

    /** Status of each credential on each instance, in a fixed order. */
    async function statuses(cookie: string, apiToken: string, clientToken: string) {
      const out: Record<string, number> = {}
      for (const [name, host] of [
        ['A', httpA.url],
        ['B', httpB.url],
      ] as const) {
        out[`${name} cookie`] = (await me(host, { cookie })).status
        out[`${name} api token`] = (await me(host, { authorization: `Bearer ${apiToken}` })).status
        out[`${name} api token at /mcp`] = (await listTools(host, apiToken)).status
        out[`${name} MCP client token`] = (await listTools(host, clientToken)).status
      }
      return out
    }
    const all = (status: number) =>
      Object.fromEntries(
        ['A', 'B'].flatMap((name) =>
          ['cookie', 'api token', 'api token at /mcp', 'MCP client token'].map((what) => [
            `${name} ${what}`,
            status,
          ]),
        ),
      )

    it('refuses the cookie, API token and MCP endpoint token at once on both, until enabled', async () => {
      const admin = await registerUser(a)
      const user = await registerUser(a)
      const created = await a.request('/api/user/tokens', {
        method: 'POST',
        cookie: user.cookie,
        json: { name: 'cli' },
      })
      const apiToken = ((await created.json()) as { secret: string }).secret
      const provider = new MemoryOAuthProvider('Disabled user client')
      await signInClient(a, provider, { serverUrl: `${httpA.url}/mcp`, cookie: user.cookie })
      const clientToken = provider.tokens()?.access_token as string
      // Every credential works on both instances, and is now in both caches.
      expect(await statuses(user.cookie, apiToken, clientToken)).toEqual(all(200))

      // Disabled through B; asked at once of A and B.
      const disabled = await createApp(b.deps).request(`/api/admin/users/${user.userId}/disable`, {
        method: 'POST',
        headers: { cookie: admin.cookie, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(disabled.status).toBe(200)
      expect(await statuses(user.cookie, apiToken, clientToken)).toEqual(all(401))

      await adminApi(a, admin.cookie).enable(user.userId)
      const back = await statuses(user.cookie, apiToken, clientToken)
      // The cookie's session is gone for good; the tokens are the user's data and work again.
      expect(back).toEqual({ ...all(200), 'A cookie': 401, 'B cookie': 401 })
    })
  },
)
