import type { Db } from './database.ts'

/** Records that the user is active now; returns when they were active before (null: never). */
export async function touchUserActivity(
  db: Db,
  input: { userId: string; now: Date },
): Promise<Date | null> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('user_activity')
      .select('active_at')
      .where('user_id', '=', input.userId)
      .forUpdate()
      .executeTakeFirst()
    await trx
      .insertInto('user_activity')
      .values({ user_id: input.userId, active_at: input.now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ active_at: input.now }))
      .execute()
    return before?.active_at ?? null
  })
}
