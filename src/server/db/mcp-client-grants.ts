import type { Db } from './database.ts'
import type { UserRow } from './schema.ts'

/** An OAuth access token of an MCP client, as the endpoint needs it to let the call in. */
export interface ClientTokenRow {
  user: UserRow
  clientId: string
  clientName: string | null
  profileId: string | null
  resources: unknown
  scopes: unknown
  expiresAt: Date
  lastUsedAt: Date | null
}

/**
 * The live access token with this hash: not revoked, its client not disabled, and the user's
 * grant to the client still there (revoking or deleting the profile removes it). Expiry and
 * audience are for the caller to check.
 */
export async function findClientToken(
  db: Db,
  input: { tokenHash: string },
): Promise<ClientTokenRow | undefined> {
  const row = await db
    .selectFrom('oauth_access_tokens as t')
    .innerJoin('oauth_clients as c', 'c.client_id', 't.client_id')
    .innerJoin('mcp_client_grants as g', (join) =>
      join.onRef('g.client_id', '=', 't.client_id').onRef('g.user_id', '=', 't.user_id'),
    )
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .selectAll('u')
    .select([
      't.client_id as grant_client_id',
      'c.name as client_name',
      'g.profile_id as grant_profile_id',
      'g.last_used_at as grant_last_used_at',
      't.resources as token_resources',
      't.scopes as token_scopes',
      't.expires_at as token_expires_at',
    ])
    .where('t.token', '=', input.tokenHash)
    .where('t.revoked', 'is', null)
    .where((eb) => eb.or([eb('c.disabled', 'is', null), eb('c.disabled', '=', false)]))
    .executeTakeFirst()
  if (!row) return undefined
  const {
    grant_client_id,
    client_name,
    grant_profile_id,
    grant_last_used_at,
    token_resources,
    token_scopes,
    token_expires_at,
    ...user
  } = row
  return {
    user,
    clientId: grant_client_id,
    clientName: client_name,
    profileId: grant_profile_id,
    resources: token_resources,
    scopes: token_scopes,
    expiresAt: token_expires_at,
    lastUsedAt: grant_last_used_at,
  }
}

/** Gives the client the user's endpoint (or one profile of it), replacing an earlier grant. */
export async function upsertClientGrant(
  db: Db,
  input: { userId: string; clientId: string; profileId: string | null },
): Promise<void> {
  await db
    .insertInto('mcp_client_grants')
    .values({ user_id: input.userId, client_id: input.clientId, profile_id: input.profileId })
    .onConflict((oc) =>
      oc.columns(['user_id', 'client_id']).doUpdateSet({ profile_id: input.profileId }),
    )
    .execute()
}

export async function touchClientGrant(
  db: Db,
  input: { userId: string; clientId: string; at: Date },
): Promise<void> {
  await db
    .updateTable('mcp_client_grants')
    .set({ last_used_at: input.at })
    .where('user_id', '=', input.userId)
    .where('client_id', '=', input.clientId)
    .execute()
}

export interface ClientGrantRow {
  clientId: string
  clientName: string | null
  clientUri: string | null
  clientIcon: string | null
  redirectUris: unknown
  discovery: string | null
  profileId: string | null
  profileName: string | null
  createdAt: Date
  lastUsedAt: Date | null
}

/** The clients the user has let in, newest first. */
export async function listClientGrants(
  db: Db,
  input: { userId: string; clientId?: string },
): Promise<ClientGrantRow[]> {
  let select = db
    .selectFrom('mcp_client_grants as g')
    .innerJoin('oauth_clients as c', 'c.client_id', 'g.client_id')
    .leftJoin('mcp_profiles as p', 'p.id', 'g.profile_id')
    .select([
      'g.client_id as clientId',
      'c.name as clientName',
      'c.uri as clientUri',
      'c.icon as clientIcon',
      'c.redirect_uris as redirectUris',
      'c.client_discovery_id as discovery',
      'g.profile_id as profileId',
      'p.name as profileName',
      'g.created_at as createdAt',
      'g.last_used_at as lastUsedAt',
    ])
    .where('g.user_id', '=', input.userId)
  if (input.clientId !== undefined) select = select.where('g.client_id', '=', input.clientId)
  return select.orderBy('g.created_at', 'desc').execute()
}

/**
 * Takes the client's access to the user away: the grant, the consent (so the next sign-in asks
 * again) and every token it holds for them. False when there was no grant.
 */
export async function deleteClientGrant(
  db: Db,
  input: { userId: string; clientId: string; at: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('mcp_client_grants')
      .where('user_id', '=', input.userId)
      .where('client_id', '=', input.clientId)
      .executeTakeFirst()
    await trx
      .updateTable('oauth_access_tokens')
      .set({ revoked: input.at })
      .where('user_id', '=', input.userId)
      .where('client_id', '=', input.clientId)
      .where('revoked', 'is', null)
      .execute()
    // Also forget the answer kept for a retried refresh, so none is handed out again.
    await trx
      .updateTable('oauth_refresh_tokens')
      .set({ revoked: input.at, rotation_replay_response: null, rotation_replay_expires_at: null })
      .where('user_id', '=', input.userId)
      .where('client_id', '=', input.clientId)
      .execute()
    await trx
      .deleteFrom('oauth_consents')
      .where('user_id', '=', input.userId)
      .where('client_id', '=', input.clientId)
      .execute()
    return Number(deleted.numDeletedRows) > 0
  })
}

/** A client's public face, for the consent page. */
export async function findOAuthClient(db: Db, input: { clientId: string }) {
  return db
    .selectFrom('oauth_clients')
    .select([
      'client_id',
      'name',
      'uri',
      'icon',
      'redirect_uris',
      'client_discovery_id',
      'disabled',
    ])
    .where('client_id', '=', input.clientId)
    .executeTakeFirst()
}
