import type { Selectable } from 'kysely'
import type { Db } from './database.ts'
import type { UserInvitationsTable } from './schema.ts'

export type InvitationRow = Selectable<UserInvitationsTable> & { created_by_email: string | null }

export async function insertInvitation(
  db: Db,
  input: {
    email: string
    role: 'admin' | 'user'
    tokenHash: string
    createdBy: string
    expiresAt: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('user_invitations')
    .values({
      email: input.email,
      role: input.role,
      token_hash: input.tokenHash,
      created_by: input.createdBy,
      expires_at: input.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

function selectInvitations(db: Db) {
  return db
    .selectFrom('user_invitations as i')
    .leftJoin('users as u', 'u.id', 'i.created_by')
    .selectAll('i')
    .select('u.email as created_by_email')
}

/** Unexpired invitations, newest first. */
export async function listPendingInvitations(
  db: Db,
  input: { now: Date },
): Promise<InvitationRow[]> {
  return selectInvitations(db)
    .where('i.expires_at', '>', input.now)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id')
    .execute()
}

export async function findInvitationById(
  db: Db,
  input: { id: string },
): Promise<InvitationRow | undefined> {
  return selectInvitations(db).where('i.id', '=', input.id).executeTakeFirst()
}

/** The unexpired invitation with this token hash. */
export async function findLiveInvitation(
  db: Db,
  input: { tokenHash: string; now: Date },
): Promise<InvitationRow | undefined> {
  return selectInvitations(db)
    .where('i.token_hash', '=', input.tokenHash)
    .where('i.expires_at', '>', input.now)
    .executeTakeFirst()
}

/**
 * Takes the invitation for one use: deletes it and returns it, or undefined when it is gone or
 * expired. Of two sign-ups racing with one link, exactly one gets it.
 */
export async function claimInvitation(
  db: Db,
  input: { tokenHash: string; now: Date },
): Promise<Selectable<UserInvitationsTable> | undefined> {
  return db
    .deleteFrom('user_invitations')
    .where('token_hash', '=', input.tokenHash)
    .where('expires_at', '>', input.now)
    .returningAll()
    .executeTakeFirst()
}

/** Puts back an invitation whose sign-up then failed (the email was taken meanwhile). */
export async function restoreInvitation(
  db: Db,
  row: Selectable<UserInvitationsTable>,
): Promise<void> {
  await db
    .insertInto('user_invitations')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export async function deleteInvitation(db: Db, input: { id: string }): Promise<boolean> {
  const result = await db
    .deleteFrom('user_invitations')
    .where('id', '=', input.id)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
