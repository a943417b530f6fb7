import type { Db } from './database.ts'
import type { ApiTokenRow } from './schema.ts'

export async function insertApiToken(
  db: Db,
  input: {
    userId: string
    name: string
    prefix: string
    tokenHash: string
    profileId?: string | undefined
  },
): Promise<ApiTokenRow> {
  return db
    .insertInto('api_tokens')
    .values({
      user_id: input.userId,
      name: input.name,
      prefix: input.prefix,
      token_hash: input.tokenHash,
      profile_id: input.profileId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function listApiTokens(db: Db, input: { userId: string }): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', input.userId)
    .orderBy('created_at', 'desc')
    .execute()
}

export async function findApiTokenByHash(
  db: Db,
  input: { tokenHash: string },
): Promise<ApiTokenRow | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', input.tokenHash)
    .executeTakeFirst()
}

/** Deletes the caller's token and returns it; undefined when this user has no such token. */
export async function deleteApiToken(
  db: Db,
  input: { userId: string; id: string },
): Promise<ApiTokenRow | undefined> {
  return db
    .deleteFrom('api_tokens')
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .returningAll()
    .executeTakeFirst()
}

export async function touchApiToken(db: Db, input: { id: string; at: Date }): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: input.at })
    .where('id', '=', input.id)
    .execute()
}
