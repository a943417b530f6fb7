import type { Selectable } from 'kysely'
import type { Db } from './database.ts'
import type { AttachmentsTable } from './schema.ts'

export type AttachmentRow = Selectable<AttachmentsTable>
/** A row without its bytes (what lists, checks and views need). */
export type AttachmentMeta = Omit<AttachmentRow, 'content' | 'extracted_text'>

const META_COLUMNS = [
  'id',
  'user_id',
  'conversation_id',
  'filename',
  'media_type',
  'kind',
  'size',
  'sha256',
  'source_server',
  'source_uri',
  'created_at',
] as const

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids that are not UUIDs match no row (and must not reach a uuid column as a cast error). */
function uuidsOf(ids: readonly string[]): string[] {
  return ids.filter((id) => UUID.test(id))
}

export async function insertAttachment(
  db: Db,
  input: {
    userId: string
    filename: string
    mediaType: string
    kind: AttachmentRow['kind']
    content: Uint8Array
    sha256: string
    extractedText: string | null
    /** A resource attached from a server: that server's name and the resource's URI. */
    source?: { server: string; uri: string }
    at: Date
  },
): Promise<AttachmentMeta> {
  return db
    .insertInto('attachments')
    .values({
      user_id: input.userId,
      filename: input.filename,
      media_type: input.mediaType,
      kind: input.kind,
      size: input.content.byteLength,
      sha256: input.sha256,
      content: input.content,
      extracted_text: input.extractedText,
      source_server: input.source?.server ?? null,
      source_uri: input.source?.uri ?? null,
      created_at: input.at,
    })
    .returning(META_COLUMNS)
    .executeTakeFirstOrThrow()
}

/** The user's attachment with its bytes; undefined when there is none (or it is someone else's). */
export async function findAttachmentContent(
  db: Db,
  input: { userId: string; id: string },
): Promise<AttachmentRow | undefined> {
  if (uuidsOf([input.id]).length === 0) return undefined
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
}

/**
 * The user's attachments among `ids` that a message of `conversationId` may name: those not
 * sent yet, and those sent in this conversation (an edited message keeps its files).
 */
export async function listAttachableAttachments(
  db: Db,
  input: { userId: string; conversationId: string; ids: readonly string[] },
): Promise<AttachmentMeta[]> {
  const ids = uuidsOf(input.ids)
  if (ids.length === 0) return []
  return db
    .selectFrom('attachments')
    .select(META_COLUMNS)
    .where('id', 'in', ids)
    .where('user_id', '=', input.userId)
    .where((eb) =>
      eb.or([eb('conversation_id', 'is', null), eb('conversation_id', '=', input.conversationId)]),
    )
    .execute()
}

/** The attachments of a conversation among `ids`, bytes and text included (for the model). */
export async function listConversationAttachments(
  db: Db,
  input: { userId: string; conversationId: string; ids: readonly string[] },
): Promise<AttachmentRow[]> {
  const ids = uuidsOf(input.ids)
  if (ids.length === 0) return []
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('id', 'in', ids)
    .where('user_id', '=', input.userId)
    .where('conversation_id', '=', input.conversationId)
    .execute()
}

/** Ties unsent attachments to the conversation their message was sent in. */
export async function linkAttachments(
  db: Db,
  input: { userId: string; conversationId: string; ids: readonly string[] },
): Promise<void> {
  const ids = uuidsOf(input.ids)
  if (ids.length === 0) return
  await db
    .updateTable('attachments')
    .set({ conversation_id: input.conversationId })
    .where('id', 'in', ids)
    .where('user_id', '=', input.userId)
    .where('conversation_id', 'is', null)
    .execute()
}

/** Deletes an attachment not sent yet; false when there is no such one of the user's. */
export async function deleteUnsentAttachment(
  db: Db,
  input: { userId: string; id: string },
): Promise<boolean> {
  if (uuidsOf([input.id]).length === 0) return false
  const result = await db
    .deleteFrom('attachments')
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .where('conversation_id', 'is', null)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** Deletes the user's attachments uploaded before `before` and never sent; returns how many. */
export async function deleteStaleUnsentAttachments(
  db: Db,
  input: { userId: string; before: Date },
): Promise<number> {
  const result = await db
    .deleteFrom('attachments')
    .where('user_id', '=', input.userId)
    .where('conversation_id', 'is', null)
    .where('created_at', '<', input.before)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
