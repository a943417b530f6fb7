import type { Selectable } from 'kysely'
import type { Db } from './database.ts'
import type { MessagesTable } from './schema.ts'

export type MessageRow = Selectable<MessagesTable>

/** A message to store: parts and metadata as the AI SDK UI message holds them. */
export interface MessageInput {
  id: string
  conversationId: string
  /** The message it follows (null: the first of its branch, at the root). */
  parentId: string | null
  role: MessageRow['role']
  parts: unknown[]
  metadata: Record<string, unknown> | null
  /** When written; also when created, unless `createdAt` says otherwise. */
  at: Date
  createdAt?: Date
}

/** Every message of the conversation, every branch, oldest first. */
export async function listMessages(
  db: Db,
  input: { conversationId: string },
): Promise<MessageRow[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', input.conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/**
 * Inserts a new message; false when the id is already taken (ids are chosen by the client for
 * its own messages, and are global: a taken id is never overwritten).
 */
export async function insertMessage(db: Db, input: MessageInput): Promise<boolean> {
  const rows = await db
    .insertInto('messages')
    .values(valuesOf(input))
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute()
  return rows.length > 0
}

/**
 * Writes a message of this conversation: inserted, or its parts and metadata replaced (its
 * place in the tree stays). A row of the same id in another conversation is left alone (false).
 */
export async function saveMessage(db: Db, input: MessageInput): Promise<boolean> {
  const values = valuesOf(input)
  const rows = await db
    .insertInto('messages')
    .values(values)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({
          parts: values.parts,
          metadata: values.metadata,
          search_text: values.search_text,
          updated_at: input.at,
        })
        .where('messages.conversation_id', '=', input.conversationId),
    )
    .returning('id')
    .execute()
  return rows.length > 0
}

/**
 * The plain text search looks in: the text parts, joined by a space (migration 0005 fills old
 * rows the same way). Tool calls, results and reasoning are left out: they are not what people
 * remember a conversation by, and results can be a megabyte each.
 */
export function searchTextOf(parts: readonly unknown[]): string {
  return parts
    .filter(
      (part): part is { type: 'text'; text: string } =>
        typeof part === 'object' &&
        part !== null &&
        (part as { type?: unknown }).type === 'text' &&
        typeof (part as { text?: unknown }).text === 'string',
    )
    .map((part) => part.text)
    .join(' ')
}

function valuesOf(input: MessageInput) {
  return {
    id: input.id,
    conversation_id: input.conversationId,
    parent_id: input.parentId,
    role: input.role,
    parts: JSON.stringify(input.parts),
    metadata: input.metadata === null ? null : JSON.stringify(input.metadata),
    search_text: searchTextOf(input.parts),
    created_at: input.createdAt ?? input.at,
    updated_at: input.at,
  }
}
