import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../../src/server/config/config.ts'
import { readOidcConfig } from '../../../../src/server/config/oidc.ts'
import { ConfigFileSchema } from '../../../../src/shared/config.ts'

const base = { issuer: 'https://idp.example.com/realms/main/', clientId: 'switchboard' }

describe('auth.oidc', () => {
  it('is off when absent', () => {
    expect(readOidcConfig(undefined, {})).toBeNull()
  })

  it('reads the secret from OIDC_CLIENT_SECRET, with defaults for the rest', () => {
    expect(readOidcConfig(base, { OIDC_CLIENT_SECRET: 's3cret' })).toEqual({
      issuer: 'https://idp.example.com/realms/main',
      clientId: 'switchboard',
      clientSecret: 's3cret',
      scopes: ['openid', 'email', 'profile'],
      displayName: 'idp.example.com',
      adminGroups: [],
      groupsClaim: 'groups',
      createAccounts: true,
      requireVerifiedEmail: true,
    })
  })

  it('reads the secret from the variable clientSecretEnv names, and always asks for openid', () => {
    const oidc = readOidcConfig(
      { ...base, clientSecretEnv: 'KEYCLOAK_SECRET', scopes: ['email', 'groups'] },
      { KEYCLOAK_SECRET: 'k', OIDC_CLIENT_SECRET: 'not this one' },
    )
    expect(oidc).toMatchObject({ clientSecret: 'k', scopes: ['openid', 'email', 'groups'] })
  })

  it('names the variable when the secret is missing', () => {
    expect(() => readOidcConfig({ ...base, clientSecretEnv: 'IDP_SECRET' }, {})).toThrow(
      new ConfigError(
        'auth.oidc: the client secret is read from the environment variable IDP_SECRET, which is not set',
      ),
    )
  })

  it('refuses an issuer over plain http, except on this machine', () => {
    const env = { OIDC_CLIENT_SECRET: 's' }
    expect(() => readOidcConfig({ ...base, issuer: 'http://idp.example.com' }, env)).toThrow(
      /auth.oidc.issuer: must be an https URL/,
    )
    expect(readOidcConfig({ ...base, issuer: 'http://127.0.0.1:8080' }, env)?.issuer).toBe(
      'http://127.0.0.1:8080',
    )
    expect(() => readOidcConfig({ ...base, issuer: 'https://idp.example.com/?x=1' }, env)).toThrow(
      /no query or fragment/,
    )
  })

  it('is checked by the file schema: unknown keys, no secret in the file', () => {
    const parsed = ConfigFileSchema.safeParse({ auth: { oidc: { ...base, clientSecret: 'x' } } })
    expect(parsed.success).toBe(false)
    expect(ConfigFileSchema.safeParse({ auth: { oidc: { clientId: 'x' } } }).success).toBe(false)
  })
})
