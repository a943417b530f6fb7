import { createHash, randomBytes } from 'node:crypto'
import {
  deleteApiToken,
  findApiTokenByHash,
  insertApiToken,
  listApiTokens,
  touchApiToken,
} from '../db/api-tokens.ts'
import type { Db } from '../db/database.ts'
import type { ApiTokenRow } from '../db/schema.ts'
import { NotFoundError } from '../errors.ts'

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
  deps: { db: Db },
  input: { userId: string; name: string },
): Promise<{ row: ApiTokenRow; secret: string }> {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const row = await insertApiToken(deps.db, {
    userId: input.userId,
    name: input.name,
    prefix: secret.slice(0, PREFIX_SHOWN),
    tokenHash: hashToken(secret),
  })
  return { row, secret }
}

export function listTokens(deps: { db: Db }, input: { userId: string }): Promise<ApiTokenRow[]> {
  return listApiTokens(deps.db, input)
}

export async function revokeApiToken(
  deps: { db: Db },
  input: { userId: string; id: string },
): Promise<void> {
  if (!(await deleteApiToken(deps.db, input))) throw new NotFoundError('token')
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
  if (row.expires_at && row.expires_at <= now) return null
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    await touchApiToken(deps.db, { id: row.id, at: now })
  }
  return row
}
