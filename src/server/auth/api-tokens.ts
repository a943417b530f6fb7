import { createHash, randomBytes } from 'node:crypto'
import { type AuditDeps, type AuditSource, recordAudit, SYSTEM } from '../audit/audit-log.ts'
import {
  deleteApiToken,
  findApiTokenByHash,
  insertApiToken,
  listApiTokens,
  touchApiToken,
} from '../db/api-tokens.ts'
import type { Db } from '../db/database.ts'
import { findProfile } from '../db/mcp-profiles.ts'
import type { ApiTokenRow } from '../db/schema.ts'
import { findUserById } from '../db/users.ts'
import { NotFoundError } from '../errors.ts'
import type { EventBus } from '../events/event-bus.ts'
import {
  forgetCachedTokens,
  type TokenCache,
  type TokenCaches,
  type TokenPrincipal,
} from './token-cache.ts'

const TOKEN_PREFIX = 'sb_'
const PREFIX_SHOWN = 10
// Writing last_used_at on every request would turn each API call into a write.
const TOUCH_INTERVAL_MS = 60_000

// 256 random bits: a fast hash is enough (nothing to brute-force), and lookups stay O(1).
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX)
}

/** Creates a personal API token. The secret is returned here once and never stored. */
export async function createApiToken(
  deps: AuditDeps,
  input: { userId: string; name: string; profileId?: string | undefined } & AuditSource,
): Promise<{ row: ApiTokenRow; secret: string }> {
  // A profile of someone else's is simply not found.
  if (
    input.profileId &&
    !(await findProfile(deps.db, { userId: input.userId, id: input.profileId }))
  ) {
    throw new NotFoundError('profile')
  }
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const row = await insertApiToken(deps.db, {
    userId: input.userId,
    name: input.name,
    prefix: secret.slice(0, PREFIX_SHOWN),
    tokenHash: hashToken(secret),
    profileId: input.profileId,
  })
  await recordAudit(deps, {
    userId: input.userId,
    actor: input.actor ?? SYSTEM,
    action: 'token.created',
    target: { type: 'api_token', id: row.id },
    ip: input.ip,
    details: { name: row.name, prefix: row.prefix, profileId: row.profile_id },
  })
  return { row, secret }
}

export function listTokens(deps: { db: Db }, input: { userId: string }): Promise<ApiTokenRow[]> {
  return listApiTokens(deps.db, input)
}

export async function revokeApiToken(
  deps: AuditDeps & TokenCaches & { events: EventBus },
  input: { userId: string; id: string } & AuditSource,
): Promise<void> {
  const row = await deleteApiToken(deps.db, input)
  if (!row) throw new NotFoundError('token')
  forgetCachedTokens(deps)
  await recordAudit(deps, {
    userId: input.userId,
    actor: input.actor ?? SYSTEM,
    action: 'token.revoked',
    target: { type: 'api_token', id: row.id },
    ip: input.ip,
    details: { name: row.name, prefix: row.prefix, profileId: row.profile_id },
  })
}

/**
 * The token and its user when the secret is valid and unexpired, else null; from the token
 * cache when it was verified moments ago.
 */
export async function authenticateApiToken(
  deps: { db: Db; now: () => Date; tokenCache: TokenCache },
  secret: string,
): Promise<TokenPrincipal | null> {
  if (!looksLikeApiToken(secret)) return null
  const hash = hashToken(secret)
  const cached = deps.tokenCache.get(hash)
  if (cached && !isExpired(cached.token, deps.now())) return cached
  const token = await verifyApiToken(deps, secret)
  const user = token && (await findUserById(deps.db, { id: token.user_id }))
  // A disabled account's tokens are refused (and never cached, so enabling it takes at once).
  if (!token || !user || user.banned) return null
  const principal = { token, user }
  deps.tokenCache.set(hash, principal)
  return principal
}

function isExpired(token: ApiTokenRow, now: Date): boolean {
  return token.expires_at !== null && token.expires_at <= now
}

/** The token's row when the secret is valid and unexpired, else null. */
export async function verifyApiToken(
  deps: { db: Db; now: () => Date },
  secret: string,
): Promise<ApiTokenRow | null> {
  if (!looksLikeApiToken(secret)) return null
  const row = await findApiTokenByHash(deps.db, { tokenHash: hashToken(secret) })
  if (!row) return null
  const now = deps.now()
  if (isExpired(row, now)) return null
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    await touchApiToken(deps.db, { id: row.id, at: now })
  }
  return row
}
