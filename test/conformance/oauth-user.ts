/**
 * A Switchboard user with one OAuth-protected server of their own, for the conformance adapter:
 * real deps (PGlite from the run's template, or a fresh test database; the secret box; the
 * SSRF-guarded fetch), the server saved through `createServer`, sign-in through `startOAuth`/`finishOAuth`,
 * and every connection through `connectMcp` with `createServerOAuthProvider`, as the app does.
 * Only the browser is simulated: it opens the authorization URL and reads the redirect.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { AppDeps } from '../../src/server/app-deps.ts'
import { findServerForUser } from '../../src/server/db/mcp-servers.ts'
import { buildDeps } from '../../src/server/deps.ts'
import type { Logger } from '../../src/server/log.ts'
import { connectMcp, type McpConnection } from '../../src/server/mcp/client/connect.ts'
import type { McpEndpoint } from '../../src/server/mcp/client/endpoint.ts'
import type { SsrfPolicy } from '../../src/server/mcp/client/ssrf-guard.ts'
import { finishOAuth, startOAuth } from '../../src/server/mcp/oauth/flow.ts'
import { createServerOAuthProvider } from '../../src/server/mcp/oauth/provider.ts'
import { endpointOfRow } from '../../src/server/mcp/servers/endpoint-of-row.ts'
import { createServer } from '../../src/server/mcp/servers/servers.ts'
import { McpServerCreateSchema } from '../../src/shared/mcp-servers.ts'
import { testConfig } from '../helpers/test-config.ts'
import { openScenarioDatabase } from './db-template.ts'

export interface OAuthUser extends AsyncDisposable {
  deps: AppDeps
  userId: string
  serverId: string
  close(): Promise<void>
}

export interface OAuthUserOptions {
  policy: SsrfPolicy
  log: Logger
  /** A client registered out of band (the suite's pre-registration context); else DCR. */
  clientId?: string
  clientSecret?: string
}

/**
 * Opens a fresh database, creates a user and saves `serverUrl` as their streamable HTTP server
 * with OAuth auth (`validate: false`: it cannot answer before sign-in).
 */
export async function openOAuthUser(
  serverUrl: string,
  options: OAuthUserOptions,
): Promise<OAuthUser> {
  const database = await openScenarioDatabase()
  const built = await buildDeps(testConfig({}, { ssrf: options.policy }), {
    database,
    migrate: true,
    log: options.log,
  }).catch(async (error: unknown) => {
    await database.close()
    throw error
  })
  const close = async () => {
    await built.close()
    await database.close()
  }
  try {
    const { deps } = built
    const userId = randomUUID()
    await deps.db
      .insertInto('users')
      .values({ id: userId, email: `${userId}@conformance.test`, name: 'Conformance' })
      .execute()
    const row = await createServer(deps, {
      userId,
      server: McpServerCreateSchema.parse({
        name: 'conformance',
        transport: 'streamable-http',
        url: serverUrl,
        auth: {
          type: 'oauth',
          ...(options.clientId ? { clientId: options.clientId } : {}),
          ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
        },
        validate: false,
      }),
    })
    return { deps, userId, serverId: row.id, close, [Symbol.asyncDispose]: close }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * What the servers page's "Sign in" does: `startOAuth`, the browser at the authorization server
 * (whose test server approves at once and redirects), then the callback's `finishOAuth`.
 */
export async function signIn(user: OAuthUser): Promise<void> {
  const { deps, userId, serverId } = user
  const { authorizationUrl } = await startOAuth(deps, { userId, serverId })
  const back = await followToCallback(authorizationUrl)
  const param = (name: string) => back.searchParams.get(name) ?? undefined
  const state = param('state')
  if (!state) throw new Error('the authorization server redirected back without a state')
  await finishOAuth(deps, {
    userId,
    state,
    code: param('code'),
    iss: param('iss'),
    error: param('error'),
    errorDescription: param('error_description'),
  })
}

/** A connection to the user's server as the app makes it: stored endpoint plus the provider. */
export async function connectAsUser(
  user: OAuthUser,
): Promise<{ connection: McpConnection; endpoint: McpEndpoint }> {
  const { deps, userId, serverId } = user
  const row = await findServerForUser(deps.db, { userId, id: serverId })
  if (!row) throw new Error('the conformance server row is gone')
  const endpoint = endpointOfRow(deps, row)
  const authProvider = createServerOAuthProvider(deps, {
    id: row.id,
    userId: row.user_id,
    config: row.config,
  })
  const connection = await connectMcp(endpoint, {
    upstreamHttp: deps.upstreamHttp,
    log: deps.log,
    authProvider,
  })
  return { connection, endpoint }
}

/** The browser's part: open the authorization URL and read where it sends the user back. */
async function followToCallback(authorizationUrl: string): Promise<URL> {
  const response = await fetch(authorizationUrl, { redirect: 'manual' })
  await response.body?.cancel()
  const location = response.headers.get('location')
  if (!location) {
    throw new Error(`the authorization server answered ${response.status} without a redirect`)
  }
  return new URL(location, authorizationUrl)
}
