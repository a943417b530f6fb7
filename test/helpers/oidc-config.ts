import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { OidcConfigFile } from '../../src/shared/config.ts'
import type { TestIdentityProvider } from '../fixtures/oidc/identity-provider.ts'

/**
 * The environment of an app that signs in with the test provider: a real `switchboard.yaml`
 * (`auth.oidc`, read by the real loader) and the client secret in `OIDC_CLIENT_SECRET`.
 */
export function oidcEnv(
  idp: TestIdentityProvider,
  oidc: Partial<OidcConfigFile> = {},
): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-oidc-'))
  const path = join(dir, 'switchboard.yaml')
  const section: OidcConfigFile = {
    issuer: idp.issuer,
    clientId: idp.clientId,
    scopes: ['openid', 'email', 'profile', 'groups'],
    displayName: 'Test IdP',
    ...oidc,
  }
  writeFileSync(path, stringify({ auth: { oidc: section } }))
  return { SWITCHBOARD_CONFIG: path, OIDC_CLIENT_SECRET: idp.clientSecret }
}
