/**
 * The SDK's `OAuthClientProvider` for one (user, server), kept in the database: tokens and the
 * client registration sealed in `mcp_servers.auth_data`, the PKCE verifier of a sign-in in
 * `mcp_oauth_states`, discovery results (public metadata) in `mcp_servers.config`. The protocol
 * itself (discovery, registration, PKCE, token requests) is the SDK's `auth()`.
 *
 * Two modes:
 * - background (no `state`): every connection to the server. `tokens()` refreshes an access token
 *   that is about to expire before the transport sends it, one refresh per (user, server) at a
 *   time; when the user must sign in again, `redirectToAuthorization` does nothing and the SDK
 *   ends with `UnauthorizedError` (server status `needs_auth`).
 * - sign-in (`state` given): `startOAuth` and `finishOAuth` in flow.ts.
 *
 * Every read goes to the database, so connections in flight and other instances see what
 * another one saved (a rotated refresh token is only good in its newest copy).
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import type {
  FetchLike,
  Middleware,
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client'
import {
  AuthorizationServerMismatchError,
  applyMiddlewares,
  auth,
  isStrictScopeSuperset,
  OAuthError,
} from '@modelcontextprotocol/client'
import type { ExpressionBuilder } from 'kysely'
import { z } from 'zod'
import type { Config } from '../../config/config.ts'
import type { SecretBox } from '../../crypto/secret-box.ts'
import type { Db } from '../../db/database.ts'
import { type ConfigPatch, updateServerRow } from '../../db/mcp-servers.ts'
import { findOAuthState, insertOAuthState } from '../../db/oauth-states.ts'
import type { Database } from '../../db/schema.ts'
import type { Logger } from '../../log.ts'
import type { UpstreamHttp } from '../client/upstream-http.ts'
import { type AuthData, openAuthData, sealAuthData } from '../servers/secrets.ts'
import { clientMetadataUrl, oauthRedirectUrl } from './client-metadata.ts'
import { type LockLease, oauthLockFor, oauthLockKey } from './lock.ts'

interface ProviderDeps {
  db: Db
  box: SecretBox
  config: Pick<Config, 'publicUrl'>
  log: Logger
  now: () => Date
  upstreamHttp: UpstreamHttp
}
type OAuthData = Extract<AuthData, { type: 'oauth' }>

export interface OAuthServerRef {
  id: string
  userId: string | null
  config: Record<string, unknown>
}

export interface OAuthProviderOptions {
  /** Sign-in mode: the browser is sent to the authorization URL given here. */
  onRedirect?: (url: URL) => void
  /** Sign-in mode: the `state` of this sign-in (RFC 6749 §10.12), stored hashed with its verifier. */
  state?: string
}

/** How long a sign-in may take from start to callback. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000
/** The longest one refresh may hold the (user, server) lock. */
const REFRESH_HOLD_MS = 15_000
/** Each request to the authorization server made here, at most. */
const AUTH_REQUEST_TIMEOUT_MS = 10_000
/** Refresh this long before expiry (capped at a tenth of the lifetime) so no request carries a token that expires in flight. */
const REFRESH_AHEAD_MS = 30_000
/** Rediscover the authorization server at least this often (its metadata may change). */
const DISCOVERY_TTL_MS = 60 * 60_000
/** Metadata from the outside is kept in `config`; a larger document is not cached. */
const MAX_DISCOVERY_CHARS = 64 * 1024
const MAX_SCOPE_CHARS = 1000

const StoredTokensSchema = z.object({
  access_token: z.string(),
  token_type: z.string(),
  expires_in: z.number().optional(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
  id_token: z.string().optional(),
  issuer: z.string().optional(),
  /** Ours: when the tokens were saved (ms since the epoch), for `expires_in`. */
  obtained_at: z.number().optional(),
})
type StoredTokens = z.infer<typeof StoredTokensSchema>

const ClientInformationSchema = z.looseObject({
  client_id: z.string(),
  client_secret: z.string().optional(),
  issuer: z.string().optional(),
})

const CachedDiscoverySchema = z.object({
  url: z.string(),
  savedAt: z.number(),
  state: z.looseObject({ authorizationServerUrl: z.string() }),
})

/**
 * An `OAuthClientProvider` over the database for `server` and its owner. Pass it to the HTTP
 * transports (`ConnectDeps.authProvider`) for every connection to a server whose auth type is
 * `oauth`; with `options.state` (and `onRedirect`) it drives a browser sign-in instead.
 */
export function createServerOAuthProvider(
  deps: ProviderDeps,
  server: OAuthServerRef,
  options: OAuthProviderOptions = {},
): OAuthClientProvider {
  return new ServerOAuthProvider(deps, server, options)
}

class ServerOAuthProvider implements OAuthClientProvider {
  private readonly lock
  private readonly key: string
  /** Held from the SDK's read of the tokens (after a 401) until it saves or gives up. */
  private lease: LockLease | undefined
  /** The tokens the SDK last read to refresh: what a refusal (`invalid_grant`) is about. */
  private spent: StoredTokens | undefined
  private secretConfigured = false

  constructor(
    private readonly deps: ProviderDeps,
    private readonly server: OAuthServerRef,
    private readonly options: OAuthProviderOptions,
  ) {
    this.lock = oauthLockFor(deps.db)
    this.key = oauthLockKey(server.userId, server.id)
  }

  get redirectUrl(): string {
    return oauthRedirectUrl(this.deps.config.publicUrl)
  }

  /**
   * Our Client ID Metadata Document, for authorization servers that take one (the SDK uses it
   * only where the server says `client_id_metadata_document_supported`, and registers
   * dynamically elsewhere). Not with a client id the user configured for this server.
   */
  get clientMetadataUrl(): string | undefined {
    if (this.settings().clientId) return undefined
    return clientMetadataUrl(this.deps.config.publicUrl) ?? undefined
  }

  get clientMetadata(): OAuthClientMetadata {
    const scope = this.settings().scope
    return {
      client_name: 'Switchboard',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A client we register dynamically is public and proves itself with PKCE (OAuth 2.1 §2.1).
      token_endpoint_auth_method: this.secretConfigured ? 'client_secret_basic' : 'none',
      ...(scope ? { scope } : {}),
    }
  }

  state(): string {
    return this.options.state ?? randomBytes(32).toString('base64url')
  }

  async clientInformation(
    ctx?: OAuthClientInformationContext,
  ): Promise<StoredOAuthClientInformation | undefined> {
    const { data } = await this.read()
    const clientId = this.settings().clientId
    if (!clientId) {
      const parsed = ClientInformationSchema.safeParse(data.clientInformation)
      return parsed.success ? (parsed.data as StoredOAuthClientInformation) : undefined
    }
    // Pre-registered: the secret was configured for one authorization server. Refuse to send it
    // to another one the MCP server may name later (SEP-2352; RFC 6749 §2.2).
    const stored = data.clientInformation
    const issuer =
      stored?.client_id === clientId && typeof stored.issuer === 'string'
        ? stored.issuer
        : undefined
    if (issuer && ctx?.issuer && !sameIssuer(issuer, ctx.issuer)) {
      throw new AuthorizationServerMismatchError(issuer, ctx.issuer)
    }
    return {
      client_id: clientId,
      ...(data.clientSecret ? { client_secret: data.clientSecret } : {}),
      ...(issuer ? { issuer } : {}),
    }
  }

  async saveClientInformation(info: StoredOAuthClientInformation): Promise<void> {
    const clientId = this.settings().clientId
    // For a pre-registered client only the issuer stamp is new; its secret stays where it is.
    const kept =
      clientId && info.client_id === clientId
        ? { client_id: clientId, ...(info.issuer ? { issuer: info.issuer } : {}) }
        : { ...info }
    await this.change((data) => ({ ...data, clientInformation: kept }))
  }

  async tokens(ctx?: OAuthClientInformationContext): Promise<StoredOAuthTokens | undefined> {
    if (ctx) return this.tokensForAuth()
    // The transport's read before each request.
    const stored = await this.readTokens()
    if (!stored?.refresh_token || !this.expiring(stored)) return forSdk(stored)
    return this.refreshExpiring()
  }

  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    const now = this.deps.now().getTime()
    const fresh = tokens.access_token !== this.spent?.access_token
    await this.change(
      (data) => {
        const before = StoredTokensSchema.safeParse(data.tokens)
        // The SDK also saves unchanged tokens to stamp their issuer: keep their age then.
        const same = before.success && before.data.access_token === tokens.access_token
        const obtainedAt = same ? before.data.obtained_at : now
        return { ...data, tokens: { ...pickTokens(tokens), obtained_at: obtainedAt } }
      },
      { set: { oauthConnected: true }, remove: this.signingIn ? ['oauthRequestedScope'] : [] },
    )
    if (fresh) this.releaseLease()
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    if (this.options.onRedirect) {
      this.options.onRedirect(authorizationUrl)
      return
    }
    this.releaseLease()
    // No browser behind a background connection: the SDK now ends with UnauthorizedError. Keep
    // the scope it asked for so the user's next sign-in asks for it: the one a 401 named (that
    // 401 may answer a later request than the one startOAuth probes, as servers may leave
    // initialize open), or more than the tokens carry (a 403 insufficient_scope step-up).
    const scope = authorizationUrl.searchParams.get('scope') ?? undefined
    const current = await this.readTokens()
    if (scope && (!current || isStrictScopeSuperset(scope, current.scope))) {
      await this.mergeConfig({ set: { oauthRequestedScope: scope.slice(0, MAX_SCOPE_CHARS) } })
    }
    this.deps.log.info({ serverId: this.server.id }, 'oauth sign-in needed')
  }

  async saveCodeVerifier(codeVerifier: string): Promise<void> {
    const { state } = this.options
    if (!state) {
      // Nobody will finish a sign-in that a background connection started.
      this.releaseLease()
      return
    }
    const userId = this.requireUser()
    await insertOAuthState(this.deps.db, {
      state,
      userId,
      serverId: this.server.id,
      sealedCodeVerifier: this.deps.box.seal(userId, codeVerifier),
      expiresAt: new Date(this.deps.now().getTime() + OAUTH_STATE_TTL_MS),
    })
  }

  async codeVerifier(): Promise<string> {
    const { state } = this.options
    if (!state) throw new Error('no sign-in is in progress for this server')
    const userId = this.requireUser()
    const row = await findOAuthState(this.deps.db, { state, userId, serverId: this.server.id })
    if (!row) throw new Error('this sign-in is unknown or has ended')
    return this.deps.box.open(userId, row.code_verifier)
  }

  async invalidateCredentials(
    scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery',
  ): Promise<void> {
    try {
      if (scope === 'all' || scope === 'tokens') await this.dropTokens()
      if (scope === 'all' || scope === 'client') {
        await this.change(({ clientInformation: _, ...data }) => data)
      }
      if (scope === 'all' || scope === 'discovery') {
        await this.mergeConfig({ remove: ['oauthDiscovery'] })
      }
      // 'verifier': it lives with its sign-in state, which finishOAuth deletes.
    } finally {
      if (scope === 'all' || scope === 'tokens') this.releaseLease()
    }
  }

  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    const { url, config } = await this.read()
    const cached = CachedDiscoverySchema.safeParse(config.oauthDiscovery)
    if (!cached.success || cached.data.url !== url) return undefined
    if (this.deps.now().getTime() - cached.data.savedAt > DISCOVERY_TTL_MS) return undefined
    return cached.data.state as OAuthDiscoveryState
  }

  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    const { url } = await this.read()
    if (JSON.stringify(state).length > MAX_DISCOVERY_CHARS) {
      // A sign-in needs it at the callback (the SDK checks the issuer it started with).
      if (this.signingIn) throw new Error("the authorization server's metadata is too large")
      return
    }
    const savedAt = this.deps.now().getTime()
    await this.mergeConfig({ set: { oauthDiscovery: { url, savedAt, state } } })
  }

  /** `tokens(ctx)`: the SDK's own read, right before it refreshes or starts a new sign-in. */
  private async tokensForAuth(): Promise<StoredOAuthTokens | undefined> {
    if (!this.signingIn && !this.lock.heldHere(this.key)) {
      // A 401 brought the SDK here, outside refreshExpiring: hold the lock until it saves or gives
      // up (saveTokens, invalidateCredentials, saveCodeVerifier, redirectToAuthorization).
      this.lease = await this.lock.acquire(this.key, { ttlMs: REFRESH_HOLD_MS })
    }
    this.spent = await this.readTokens()
    return forSdk(this.spent)
  }

  /** Refreshes under the (user, server) lock, unless someone did while this one waited. */
  private refreshExpiring(): Promise<StoredOAuthTokens | undefined> {
    return this.lock.run(
      this.key,
      async () => {
        const current = await this.readTokens()
        if (!current?.refresh_token || !this.expiring(current)) return forSdk(current)
        const { url } = await this.read()
        if (url) {
          // The SDK's flow: discovery (cached), the refresh grant, saveTokens. A refused refresh
          // token ends in invalidateCredentials('tokens'); then the 401 path reports needs_auth.
          await auth(this, { serverUrl: url, fetchFn: this.authFetch() }).catch((error) => {
            // The code or class only: an error's text may quote the request it refused.
            const reason = error instanceof OAuthError ? error.code : (error as Error)?.name
            this.deps.log.warn({ serverId: this.server.id, reason }, 'oauth refresh failed')
          })
        }
        return forSdk(await this.readTokens())
      },
      { ttlMs: REFRESH_HOLD_MS },
    )
  }

  private async dropTokens(): Promise<void> {
    // A refused authorization code says nothing about the tokens the server already has.
    if (this.signingIn) return
    const spent = this.spent?.refresh_token
    await this.change(
      (data) => {
        const current = StoredTokensSchema.safeParse(data.tokens)
        // Only the refused refresh token is bad: one rotated by another instance meanwhile is not.
        if (spent && current.success && current.data.refresh_token !== spent) return data
        const { tokens: _, ...rest } = data
        return rest
      },
      { set: { oauthConnected: false } },
    )
  }

  private expiring(tokens: StoredTokens): boolean {
    if (tokens.expires_in === undefined || tokens.obtained_at === undefined) return false
    const lifetimeMs = tokens.expires_in * 1000
    const ahead = Math.min(REFRESH_AHEAD_MS, lifetimeMs / 10)
    return this.deps.now().getTime() >= tokens.obtained_at + lifetimeMs - ahead
  }

  private get signingIn(): boolean {
    return this.options.state !== undefined
  }

  private releaseLease(): void {
    const lease = this.lease
    this.lease = undefined
    lease?.release()
  }

  private requireUser(): string {
    if (this.server.userId === null) throw new Error('sign-in is for users’ own servers only')
    return this.server.userId
  }

  private settings(): { scope?: string; clientId?: string } {
    const oauth = this.server.config.oauth as { scope?: unknown; clientId?: unknown } | undefined
    return {
      ...(typeof oauth?.scope === 'string' && oauth.scope ? { scope: oauth.scope } : {}),
      ...(typeof oauth?.clientId === 'string' && oauth.clientId
        ? { clientId: oauth.clientId }
        : {}),
    }
  }

  private authFetch(): FetchLike {
    return createOAuthFetch(this.deps.upstreamHttp, { trusted: this.server.userId === null })
  }

  private async readTokens(): Promise<StoredTokens | undefined> {
    const parsed = StoredTokensSchema.safeParse((await this.read()).data.tokens)
    return parsed.success ? parsed.data : undefined
  }

  private async read(): Promise<{
    url: string | null
    config: Record<string, unknown>
    data: OAuthData
  }> {
    const row = await this.deps.db
      .selectFrom('mcp_servers')
      .select(['url', 'config', 'auth_type', 'auth_data'])
      .where(this.owned)
      .executeTakeFirst()
    const data = row?.auth_type === 'oauth' ? this.open(row.auth_data) : { type: 'oauth' as const }
    this.secretConfigured = data.clientSecret !== undefined && !!this.settings().clientId
    return { url: row?.url ?? null, config: row?.config ?? {}, data }
  }

  /**
   * Read-modify-write of the sealed auth data under a row lock (FOR UPDATE): a token refresh and
   * a client registration saved at once must not overwrite each other with stale copies.
   */
  private async change(
    update: (data: OAuthData) => OAuthData,
    config?: ConfigPatch,
  ): Promise<void> {
    const { db, box } = this.deps
    const { id, userId } = this.server
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('mcp_servers')
        .select(['auth_type', 'auth_data'])
        .where(this.owned)
        .forUpdate()
        .executeTakeFirst()
      // Deleted, or switched to another kind of auth meanwhile: nothing of ours to keep.
      if (row?.auth_type !== 'oauth') return
      const auth_data = sealAuthData(box, userId, update(this.open(row.auth_data)))
      await trx
        .updateTable('mcp_servers')
        .set({ auth_data, updated_at: new Date() })
        .where(this.owned)
        .execute()
      if (config) await updateServerRow(trx, { id, userId, config })
    })
  }

  private mergeConfig(config: ConfigPatch) {
    return updateServerRow(this.deps.db, {
      id: this.server.id,
      userId: this.server.userId,
      config,
    })
  }

  private open(envelope: string | null): OAuthData {
    const data = openAuthData(this.deps.box, this.server.userId, envelope)
    return data?.type === 'oauth' ? data : { type: 'oauth' }
  }

  /** This server's row, and only while it still belongs to the same owner. */
  private readonly owned = (eb: ExpressionBuilder<Database, 'mcp_servers'>) => {
    const { id, userId } = this.server
    return eb.and([
      eb('id', '=', id),
      userId === null ? eb('user_id', 'is', null) : eb('user_id', '=', userId),
    ])
  }
}

/**
 * The fetch for requests to authorization servers: the upstream HTTP stack (SSRF-guarded unless
 * the server is the operator's), with a deadline on every request.
 */
export function createOAuthFetch(http: UpstreamHttp, options: { trusted: boolean }): FetchLike {
  return applyMiddlewares(withDeadline(AUTH_REQUEST_TIMEOUT_MS))(http.fetch(options))
}

/** Aborts each request still unanswered after `ms`, as well as when its own signal does. */
function withDeadline(ms: number): Middleware {
  return (next) => (input, init) => {
    const deadline = AbortSignal.timeout(ms)
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline
    return next(input, { ...init, signal })
  }
}

/** What the SDK sees: the token fields, without our bookkeeping. */
function forSdk(tokens: StoredTokens | undefined): StoredOAuthTokens | undefined {
  if (!tokens) return undefined
  const { obtained_at: _, ...rest } = tokens
  return rest
}

const TOKEN_FIELDS = new Set([
  'access_token',
  'token_type',
  'expires_in',
  'refresh_token',
  'scope',
  'id_token',
  'issuer',
])

/** The fields of a token response we keep (RFC 6749 §5.1, plus the SDK's issuer stamp). */
function pickTokens(tokens: StoredOAuthTokens): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tokens).filter(([key]) => TOKEN_FIELDS.has(key)))
}

/** RFC 8414 §3.3 compares issuers exactly; one trailing slash is a common difference. */
function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '')
}
