import type { Selectable, Updateable } from 'kysely'
import type { Db } from './database.ts'
import type { ConversationsTable } from './schema.ts'

export type ConversationRow = Selectable<ConversationsTable>

export async function insertConversation(
  db: Db,
  input: { userId: string; title: string; model: string | null; at: Date },
): Promise<ConversationRow> {
  return db
    .insertInto('conversations')
    .values({
      user_id: input.userId,
      title: input.title,
      model: input.model,
      created_at: input.at,
      updated_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The user's conversation; someone else's is simply not found. */
export async function findConversationForUser(
  db: Db,
  input: { userId: string; id: string },
): Promise<ConversationRow | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
}

/** Most recently active first; `after` is the (updated_at, id) of the last row of the previous page. */
export async function listConversationsForUser(
  db: Db,
  input: { userId: string; limit: number; after?: { updatedAt: Date; id: string } | undefined },
): Promise<ConversationRow[]> {
  let query = db.selectFrom('conversations').selectAll().where('user_id', '=', input.userId)
  const { after } = input
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('updated_at', '<', after.updatedAt),
        eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '<', after.id)]),
      ]),
    )
  }
  return query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(input.limit).execute()
}

export async function updateConversation(
  db: Db,
  input: { userId: string; id: string; values: Updateable<ConversationsTable> },
): Promise<ConversationRow | undefined> {
  return db
    .updateTable('conversations')
    .set(input.values)
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .returningAll()
    .executeTakeFirst()
}

/** Bumps the conversation so it sorts first (a new message), and sets its title or model. */
export async function touchConversation(
  db: Db,
  input: { conversationId: string; at: Date; title?: string; model?: string | null },
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({
      updated_at: input.at,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.model !== undefined ? { model: input.model } : {}),
    })
    .where('id', '=', input.conversationId)
    .execute()
}

/** Deletes the conversation and its messages (cascade); its tool calls stay in the log. */
export async function deleteConversation(
  db: Db,
  input: { userId: string; id: string },
): Promise<boolean> {
  const result = await db
    .deleteFrom('conversations')
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}
