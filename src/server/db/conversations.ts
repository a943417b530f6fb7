import { type Selectable, sql, type Updateable } from 'kysely'
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

/**
 * Stores a new conversation under the id the client chose (its first message creates it: the
 * web app's new conversations are drafts until then); undefined when the id is taken.
 */
export async function insertConversationWithId(
  db: Db,
  input: { id: string; userId: string; title: string; model: string | null; at: Date },
): Promise<ConversationRow | undefined> {
  return db
    .insertInto('conversations')
    .values({
      id: input.id,
      user_id: input.userId,
      title: input.title,
      model: input.model,
      created_at: input.at,
      updated_at: input.at,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst()
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

/** Where the previous page ended: its last row's place in the order. */
export interface ConversationListPosition {
  pinned: boolean
  updatedAt: Date
  id: string
}

/** A listed conversation, and (when searching) the start of the first message that matched. */
export type ConversationListRow = ConversationRow & { match_text: string | null }

/**
 * Pinned first, then most recently active first; `after` is where the previous page ended.
 * `search` keeps those whose title or the text of any message (any branch) holds it, in any case.
 */
export async function listConversationsForUser(
  db: Db,
  input: {
    userId: string
    limit: number
    after?: ConversationListPosition | undefined
    search?: string | undefined
  },
): Promise<ConversationListRow[]> {
  const { search } = input
  let query = db
    .selectFrom('conversations')
    .selectAll('conversations')
    .where('user_id', '=', input.userId)
  if (search) {
    const pattern = likePattern(search)
    query = query
      .where((eb) =>
        eb.or([
          sql<boolean>`${eb.ref('conversations.title')} ilike ${pattern}`,
          eb.exists(
            eb
              .selectFrom('messages')
              .select(sql`1`.as('one'))
              .whereRef('messages.conversation_id', '=', 'conversations.id')
              .where(sql<boolean>`messages.search_text ilike ${pattern}`),
          ),
        ]),
      )
      .select((eb) =>
        eb
          .selectFrom('messages')
          // Some words before the match and more after it: enough for a line in the list.
          .select(
            sql<string>`(case when strpos(lower(messages.search_text), lower(${search})) > 41 then '…' else '' end) || substr(messages.search_text, greatest(1, strpos(lower(messages.search_text), lower(${search})) - 40), 160)`.as(
              'match_text',
            ),
          )
          .whereRef('messages.conversation_id', '=', 'conversations.id')
          .where(sql<boolean>`messages.search_text ilike ${pattern}`)
          .orderBy('messages.created_at')
          .limit(1)
          .as('match_text'),
      )
  } else {
    query = query.select(sql<null>`null`.as('match_text'))
  }
  const { after } = input
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('pinned', '<', after.pinned),
        eb.and([
          eb('pinned', '=', after.pinned),
          eb.or([
            eb('updated_at', '<', after.updatedAt),
            eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '<', after.id)]),
          ]),
        ]),
      ]),
    )
  }
  return (await query
    .orderBy('pinned', 'desc')
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit)
    .execute()) as ConversationListRow[]
}

/**
 * `%text%` for ILIKE, with the user's own `%`, `_` and `\` matching themselves (backslash is
 * PostgreSQL's default LIKE escape), so "100%" finds "100%" and not "1000".
 */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
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

/**
 * Bumps the conversation so it sorts first (a new message), and sets its title, model or the
 * leaf of the branch on show.
 */
export async function touchConversation(
  db: Db,
  input: {
    conversationId: string
    at: Date
    title?: string | undefined
    model?: string | null | undefined
    currentMessageId?: string | undefined
  },
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({
      updated_at: input.at,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.model !== undefined ? { model: input.model } : {}),
      ...(input.currentMessageId !== undefined
        ? { current_message_id: input.currentMessageId }
        : {}),
    })
    .where('id', '=', input.conversationId)
    .execute()
}

/**
 * Shows the branch ending at `messageId`, unless someone moved the conversation off `from`
 * meanwhile (switched branch while an answer streamed): then their choice stands.
 */
export async function moveCurrentMessage(
  db: Db,
  input: { conversationId: string; from: string | null; to: string },
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ current_message_id: input.to })
    .where('id', '=', input.conversationId)
    .where((eb) =>
      input.from === null
        ? eb('current_message_id', 'is', null)
        : eb('current_message_id', '=', input.from),
    )
    .execute()
}

/** Shows the branch ending at `messageId` (a branch switch: no activity, the order stays). */
export async function setCurrentMessage(
  db: Db,
  input: { conversationId: string; messageId: string },
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ current_message_id: input.messageId })
    .where('id', '=', input.conversationId)
    .execute()
}

/** Sets a generated title, unless the title changed since `ifTitle` (the user renamed it). */
export async function replaceTitle(
  db: Db,
  input: { conversationId: string; title: string; ifTitle: string },
): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ title: input.title })
    .where('id', '=', input.conversationId)
    .where('title', '=', input.ifTitle)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
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
