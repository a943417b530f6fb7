import type { Db } from './database.ts'
import type { UserRow } from './schema.ts'

/** What an admin action found: done, no such user, or it would leave no working admin. */
export type GuardedOutcome<T = UserRow> =
  | { ok: true; user: T }
  | { ok: false; reason: 'not_found' | 'last_admin' }

/**
 * Runs `change` on the user in a transaction that first locks every enabled admin's row, so two
 * admins demoting, disabling or deleting each other at once cannot both succeed and leave none.
 * `change` runs only when the user exists and, if `removesAdmin` says the change takes an enabled
 * admin away, another enabled admin remains.
 */
export async function changeUserGuarded<T>(
  db: Db,
  input: {
    id: string
    removesAdmin: (user: UserRow) => boolean
    change: (trx: Db, user: UserRow) => Promise<T>
  },
): Promise<GuardedOutcome<T>> {
  return db.transaction().execute(async (trx) => {
    const admins = await trx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('banned', '=', false)
      .forUpdate()
      .execute()
    const user = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', input.id)
      .forUpdate()
      .executeTakeFirst()
    if (!user) return { ok: false, reason: 'not_found' }
    if (input.removesAdmin(user) && !admins.some((admin) => admin.id !== user.id)) {
      return { ok: false, reason: 'last_admin' }
    }
    return { ok: true, user: await input.change(trx, user) }
  })
}

export function isEnabledAdmin(user: UserRow): boolean {
  return user.role === 'admin' && !user.banned
}

export async function updateUserAdminFields(
  db: Db,
  input: {
    id: string
    at: Date
    set: Partial<Pick<UserRow, 'role' | 'banned' | 'ban_reason' | 'ban_expires'>>
  },
): Promise<UserRow> {
  return db
    .updateTable('users')
    .set({ ...input.set, updated_at: input.at })
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Signs the user out everywhere: every cookie session is gone (better-auth reads them per request). */
export async function deleteUserSessions(db: Db, input: { userId: string }): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', input.userId).execute()
}

/**
 * Deletes the account and everything of it. Most rows go by ON DELETE CASCADE from `users`
 * (sessions, accounts, tokens, servers and their tools, secrets, conversations, messages,
 * attachments, calls, profiles, OAuth clients, tokens, consents and grants); what points at the
 * user without a foreign key is deleted here first: their audit entries, their password-reset
 * tokens (better-auth keeps the user id as the verification's value), and invitations to their
 * address.
 */
export async function deleteUserEverywhere(db: Db, user: UserRow): Promise<void> {
  await db.deleteFrom('audit_log').where('user_id', '=', user.id).execute()
  await db
    .deleteFrom('verifications')
    .where('identifier', 'like', 'reset-password:%')
    .where('value', '=', user.id)
    .execute()
  await db.deleteFrom('user_invitations').where('email', '=', user.email).execute()
  await db.deleteFrom('users').where('id', '=', user.id).execute()
}

/** The ids of the user's own servers (for dropping their sessions and caches after a delete). */
export async function listOwnServerIds(db: Db, input: { userId: string }): Promise<string[]> {
  const rows = await db
    .selectFrom('mcp_servers')
    .select('id')
    .where('user_id', '=', input.userId)
    .execute()
  return rows.map((row) => row.id)
}

/** Whose password-reset token this is (better-auth keeps the user id as its value), if live. */
export async function findResetTokenUserId(
  db: Db,
  input: { token: string },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('verifications')
    .select('value')
    .where('identifier', '=', `reset-password:${input.token}`)
    .executeTakeFirst()
  return row?.value
}
