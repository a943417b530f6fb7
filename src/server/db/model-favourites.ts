import type { Db } from './database.ts'

/** The models a user starred, oldest first. */
export async function listFavouriteModels(db: Db, input: { userId: string }): Promise<string[]> {
  const rows = await db
    .selectFrom('model_favourites')
    .select('model_id')
    .where('user_id', '=', input.userId)
    .orderBy('created_at')
    .orderBy('model_id')
    .execute()
  return rows.map((row) => row.model_id)
}

/** Stars a model; starring it again changes nothing. */
export async function addFavouriteModel(
  db: Db,
  input: { userId: string; modelId: string; at: Date },
): Promise<void> {
  await db
    .insertInto('model_favourites')
    .values({ user_id: input.userId, model_id: input.modelId, created_at: input.at })
    .onConflict((oc) => oc.columns(['user_id', 'model_id']).doNothing())
    .execute()
}

export async function removeFavouriteModel(
  db: Db,
  input: { userId: string; modelId: string },
): Promise<void> {
  await db
    .deleteFrom('model_favourites')
    .where('user_id', '=', input.userId)
    .where('model_id', '=', input.modelId)
    .execute()
}
