import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkIssuer, checkIssuerAtStart } from '../../../src/server/auth/sso.ts'
import { SSO_CALLBACK_PATH } from '../../../src/server/auth/sso-plugins.ts'
import { ConfigError } from '../../../src/server/config/config.ts'
import { createLogger } from '../../../src/server/log.ts'
import {
  startIdentityProvider,
  type TestIdentityProvider,
} from '../../fixtures/oidc/identity-provider.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'
import { oidcEnv } from '../../helpers/oidc-config.ts'
import { cliEnvironment, runCli } from '../../helpers/run-cli.ts'
import { startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'

// A provider reached at one address that calls itself by another (a wrong `issuer` in
// switchboard.yaml, or someone else answering it): its keys must not be trusted, and the operator
// must hear why. And one that cannot be reached at all.

let wrong: TestIdentityProvider
beforeAll(async () => {
  wrong = await startIdentityProvider({
    redirectUris: [`http://localhost:3000${SSO_CALLBACK_PATH}`],
    announceIssuer: (url) => url.replace('127.0.0.1', 'localhost'),
  })
  expect(wrong.issuer).not.toBe(wrong.url)
})
afterAll(() => wrong?.close())

/** The app's config for a provider configured at its real address, announcing another. */
const configuredAtItsAddress = () => oidcEnv(wrong, { issuer: wrong.url })

describe('the issuer check', () => {
  it('passes when the discovery document names the configured issuer', async () => {
    expect(await checkIssuer({ issuer: wrong.issuer.replace('localhost', '127.0.0.1') })).toEqual({
      ok: false,
      problem: 'mismatch',
      found: wrong.issuer,
    })
    const right = await startIdentityProvider({ redirectUris: ['http://localhost:3000/cb'] })
    try {
      expect(await checkIssuer({ issuer: right.issuer })).toEqual({ ok: true })
    } finally {
      await right.close()
    }
  })

  it('stops the start with a message naming both issuers', async () => {
    const config = testConfig(configuredAtItsAddress())
    const log = createLogger(config)
    const start = checkIssuerAtStart({ config, log })
    await expect(start).rejects.toBeInstanceOf(ConfigError)
    await expect(start).rejects.toThrow(
      `auth.oidc.issuer: ${wrong.url} serves the discovery document of issuer ${wrong.issuer}`,
    )
  })

  it('only warns at the start when the provider cannot be reached', async () => {
    const config = testConfig(
      oidcEnv(wrong, { issuer: (await closedPortUrl('')).replace(/\/$/, '') }),
    )
    await expect(checkIssuerAtStart({ config, log: createLogger(config) })).resolves.toBeUndefined()
  })

  it('makes `switchboard serve` refuse to start', async () => {
    const cli = await cliEnvironment(configuredAtItsAddress())
    try {
      const result = await runCli(['serve', '--port', '0'], cli.env)
      expect(result.code).not.toBe(0)
      expect(result.stderr).toContain('auth.oidc.issuer')
      expect(result.stderr).toContain(wrong.issuer)
      // The client secret is never printed, also not in a start-up failure.
      expect(result.stdout + result.stderr).not.toContain(wrong.clientSecret)
    } finally {
      await cli.close()
    }
  }, 60_000)
})

describe('POST /api/auth/sso/start with a provider that is not right', () => {
  let t: TestApp
  let down: TestApp
  beforeAll(async () => {
    t = await startApp({ env: configuredAtItsAddress() })
    down = await startApp({
      env: oidcEnv(wrong, { issuer: (await closedPortUrl('')).replace(/\/$/, '') }),
    })
  }, 60_000)
  afterAll(async () => {
    await t?.close()
    await down?.close()
  })

  it('answers 502 sso_issuer_mismatch for a provider that names another issuer', async () => {
    const res = await t.request('/api/auth/sso/start', { method: 'POST', json: {} })
    expect(res.status).toBe(502)
    const body = await res.json()
    expect(body.error.code).toBe('sso_issuer_mismatch')
    expect(JSON.stringify(body)).not.toContain(wrong.clientSecret)
  })

  it('answers 503 sso_unavailable when the provider cannot be reached', async () => {
    const res = await down.request('/api/auth/sso/start', { method: 'POST', json: {} })
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('sso_unavailable')
  })
})
