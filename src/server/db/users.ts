import { sql } from 'kysely'
import type { Db } from './database.ts'
import type { UserRow } from './schema.ts'

export async function findUserById(db: Db, input: { id: string }): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', input.id).executeTakeFirst()
}

export async function findUserByEmail(
  db: Db,
  input: { email: string },
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', input.email.toLowerCase())
    .executeTakeFirst()
}

export async function hasAnyUser(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  return row !== undefined
}

export async function setUserRole(
  db: Db,
  input: { id: string; role: 'admin' | 'user' },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ role: input.role, updated_at: new Date() })
    .where('id', '=', input.id)
    .execute()
}

/** Makes the user admin when no admin exists yet: the first account to register runs the place. */
export async function promoteIfNoAdmin(db: Db, input: { id: string }): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ role: 'admin', updated_at: new Date() })
    .where('id', '=', input.id)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('users as admins').select(sql`1`.as('one')).where('admins.role', '=', 'admin'),
        ),
      ),
    )
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
