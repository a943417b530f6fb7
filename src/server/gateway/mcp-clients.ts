import type { ConnectedClient, ConsentRequest } from '../../shared/mcp-clients.ts'
import { type AuditDeps, type AuditSource, recordAudit, SYSTEM } from '../audit/audit-log.ts'
import type { Auth } from '../auth/auth.ts'
import { forgetCachedTokens, type TokenCache, type TokenCaches } from '../auth/token-cache.ts'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import {
  type ClientGrantRow,
  deleteClientGrant,
  findClientToken,
  findOAuthClient,
  listClientGrants,
  touchClientGrant,
  upsertClientGrant,
} from '../db/mcp-client-grants.ts'
import { findProfile } from '../db/mcp-profiles.ts'
import type { UserRow } from '../db/schema.ts'
import { AppError, NotFoundError } from '../errors.ts'
import type { EventBus } from '../events/event-bus.ts'
import { ACCESS_TOKEN_PREFIX, hashOAuthToken, MCP_SCOPE, mcpResource } from './oauth-provider.ts'

/**
 * MCP clients that signed in to the endpoint with OAuth (issue 15): who an access token acts for,
 * the consent step (where the user picks what the client gets), the list in Settings and
 * revocation. The OAuth protocol itself is better-auth's (oauth-provider.ts).
 */

/** Who an OAuth access token acts for, and what it may reach. */
export interface ClientPrincipal {
  user: UserRow
  clientId: string
  clientName: string | null
  /** The endpoint profile the user gave the client; null: all their tools. */
  profileId: string | null
  expiresAt: Date
}

// As for API tokens: writing last_used_at on every request would make each call a write.
const TOUCH_INTERVAL_MS = 60_000

export function looksLikeClientToken(value: string): boolean {
  return value.startsWith(ACCESS_TOKEN_PREFIX)
}

/**
 * The principal when the token is a live access token for this endpoint (issued for its resource
 * with the `mcp` scope, unexpired, unrevoked, its grant still there), else null.
 */
export async function authenticateClientToken(
  deps: {
    db: Db
    now: () => Date
    config: Pick<Config, 'publicUrl'>
    clientTokenCache: TokenCache<ClientPrincipal>
  },
  secret: string,
): Promise<ClientPrincipal | null> {
  if (!looksLikeClientToken(secret)) return null
  // The provider stores the token without its prefix (oauth-provider.ts `prefix`).
  const hash = hashOAuthToken(secret.slice(ACCESS_TOKEN_PREFIX.length))
  const now = deps.now()
  const cached = deps.clientTokenCache.get(hash)
  if (cached) return cached.expiresAt > now ? cached : null
  const row = await findClientToken(deps.db, { tokenHash: hash })
  // A disabled account's clients are refused; disabling drops every instance's cache.
  if (!row || row.expiresAt <= now || row.user.banned) return null
  if (!stringsOf(row.scopes).includes(MCP_SCOPE)) return null
  if (!stringsOf(row.resources).includes(mcpResource(deps.config))) return null
  const principal: ClientPrincipal = {
    user: row.user,
    clientId: row.clientId,
    clientName: row.clientName,
    profileId: row.profileId,
    expiresAt: row.expiresAt,
  }
  deps.clientTokenCache.set(hash, principal)
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await touchClientGrant(deps.db, { userId: row.user.id, clientId: row.clientId, at: now })
  }
  return principal
}

/**
 * Records a client's sign-in (an authorization code exchanged for tokens; refreshes are not
 * sign-ins) in the user's activity log, found through the access token just issued.
 */
export async function recordClientSignIn(
  deps: AuditDeps,
  input: { accessToken: string; ip?: string | undefined },
): Promise<void> {
  if (!looksLikeClientToken(input.accessToken)) return
  const hash = hashOAuthToken(input.accessToken.slice(ACCESS_TOKEN_PREFIX.length))
  const row = await findClientToken(deps.db, { tokenHash: hash })
  if (!row) return
  await recordAudit(deps, {
    userId: row.user.id,
    actor: row.user.email,
    action: 'mcp_client.signed_in',
    target: { type: 'mcp_client', id: row.clientId },
    ip: input.ip,
    details: { name: row.clientName, profileId: row.profileId },
  })
}

/** jsonb arrays come back parsed from pg and PGlite; tolerate a string too. */
function stringsOf(value: unknown): string[] {
  const parsed = typeof value === 'string' ? safeParse(value) : value
  return Array.isArray(parsed) ? parsed.filter((item) => typeof item === 'string') : []
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** What the consent page shows: the client, where it sends the user back, what it asks for. */
export async function describeConsent(
  deps: { db: Db },
  input: { userId: string; oauthQuery: string },
): Promise<ConsentRequest> {
  const query = new URLSearchParams(input.oauthQuery)
  const clientId = query.get('client_id')
  const client = clientId ? await findOAuthClient(deps.db, { clientId }) : undefined
  if (!client || client.disabled) throw new NotFoundError('client')
  const redirectUri = query.get('redirect_uri') ?? stringsOf(client.redirect_uris)[0] ?? ''
  const [current] = await listClientGrants(deps.db, {
    userId: input.userId,
    clientId: client.client_id,
  })
  return {
    clientId: client.client_id,
    name: client.name ?? null,
    uri: client.uri ?? null,
    redirectHost: hostOf(redirectUri),
    verifiedBy: verifiedHost(client.client_discovery_id, client.client_id),
    scopes: (query.get('scope') ?? '').split(' ').filter(Boolean),
    profileId: current?.profileId ?? null,
  }
}

/**
 * The user's answer on the consent page. On yes, the client gets the chosen profile (or all
 * tools) and the provider issues its authorization code; either way the client's redirect comes
 * back for the browser to follow.
 */
export async function answerConsent(
  deps: AuditDeps & { auth: Auth },
  input: {
    user: { id: string; email: string }
    accept: boolean
    profileId: string | null
    oauthQuery: string
    headers: Headers
  } & AuditSource,
): Promise<{ url: string }> {
  const clientId = new URLSearchParams(input.oauthQuery).get('client_id')
  const client = clientId ? await findOAuthClient(deps.db, { clientId }) : undefined
  if (!client) throw new NotFoundError('client')
  if (
    input.profileId !== null &&
    !(await findProfile(deps.db, { userId: input.user.id, id: input.profileId }))
  ) {
    throw new NotFoundError('profile')
  }
  const answer = await deps.auth.api
    .oauth2Consent({
      body: { accept: input.accept, oauth_query: input.oauthQuery },
      headers: input.headers,
    })
    .catch((error: unknown) => {
      throw new AppError(
        'bad_request',
        `the sign-in request is no longer valid: ${messageOf(error)}`,
      )
    })
  if (input.accept) {
    await upsertClientGrant(deps.db, {
      userId: input.user.id,
      clientId: client.client_id,
      profileId: input.profileId,
    })
    await recordAudit(deps, {
      userId: input.user.id,
      actor: input.actor ?? input.user.email,
      action: 'mcp_client.authorized',
      target: { type: 'mcp_client', id: client.client_id },
      ip: input.ip,
      details: { name: client.name, profileId: input.profileId },
    })
  }
  return { url: answer.url }
}

function messageOf(error: unknown): string {
  const body = (error as { body?: { error_description?: unknown; message?: unknown } }).body
  const text = body?.error_description ?? body?.message ?? (error as Error).message
  return typeof text === 'string' ? text.slice(0, 200) : 'refused'
}

export async function listConnectedClients(
  deps: { db: Db },
  userId: string,
): Promise<ConnectedClient[]> {
  return (await listClientGrants(deps.db, { userId })).map(toConnectedClient)
}

function toConnectedClient(row: ClientGrantRow): ConnectedClient {
  return {
    clientId: row.clientId,
    name: row.clientName,
    uri: row.clientUri,
    redirectHost: hostOf(stringsOf(row.redirectUris)[0] ?? ''),
    verifiedBy: verifiedHost(row.discovery, row.clientId),
    profile: row.profileId && row.profileName ? { id: row.profileId, name: row.profileName } : null,
    connectedAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  }
}

/** Revokes the client at once, on every instance: its tokens stop working with the next request. */
export async function revokeConnectedClient(
  deps: AuditDeps & TokenCaches & { events: EventBus },
  input: { userId: string; clientId: string } & AuditSource,
): Promise<void> {
  const [grant] = await listClientGrants(deps.db, input)
  if (!grant) throw new NotFoundError('client')
  await deleteClientGrant(deps.db, { ...input, at: deps.now() })
  forgetCachedTokens(deps)
  await recordAudit(deps, {
    userId: input.userId,
    actor: input.actor ?? SYSTEM,
    action: 'mcp_client.revoked',
    target: { type: 'mcp_client', id: input.clientId },
    ip: input.ip,
    details: { name: grant.clientName },
  })
}

/** A CIMD client is vouched for by the host serving its metadata document; a DCR one by nobody. */
function verifiedHost(discovery: string | null, clientId: string): string | null {
  return discovery === 'cimd' ? hostOf(clientId) : null
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url.slice(0, 200)
  } catch {
    return url.slice(0, 200)
  }
}
