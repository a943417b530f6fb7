import {
  type ChatMessage,
  type Conversation,
  type ConversationCreate,
  type ConversationList,
  type ConversationListQuery,
  type ConversationUpdate,
  DEFAULT_CONVERSATION_TITLE,
} from '../../shared/chat.ts'
import type { ToolCallList } from '../../shared/tool-calls.ts'
import {
  type ConversationRow,
  deleteConversation as deleteConversationRow,
  findConversationForUser,
  insertConversation,
  listConversationsForUser,
  updateConversation as updateConversationRow,
} from '../db/conversations.ts'
import { listMessages } from '../db/messages.ts'
import type { Deps } from '../deps.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { listToolCallHistory } from '../toolcalls/tool-call-history.ts'
import { resolveModelId } from './providers.ts'
import { messageOfRow } from './ui-messages.ts'

export function toConversationView(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export async function createConversation(
  deps: Pick<Deps, 'db' | 'config' | 'now'>,
  input: { userId: string; conversation: ConversationCreate },
): Promise<ConversationRow> {
  const { title, model } = input.conversation
  return insertConversation(deps.db, {
    userId: input.userId,
    title: title ?? DEFAULT_CONVERSATION_TITLE,
    model: model ? resolveModelId(deps.config.chat, model) : null,
    at: deps.now(),
  })
}

export async function listConversations(
  deps: Pick<Deps, 'db'>,
  input: { userId: string; query: ConversationListQuery },
): Promise<ConversationList> {
  const { limit, cursor } = input.query
  const rows = await listConversationsForUser(deps.db, {
    userId: input.userId,
    limit: limit + 1,
    after: cursor ? decodeCursor(cursor) : undefined,
  })
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    conversations: page.map(toConversationView),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  }
}

/** The user's conversation, or `not_found` (also for someone else's). */
export async function getConversation(
  deps: Pick<Deps, 'db'>,
  input: { userId: string; id: string },
): Promise<ConversationRow> {
  const row = await findConversationForUser(deps.db, input)
  if (!row) throw new NotFoundError('conversation')
  return row
}

export async function getConversationMessages(
  deps: Pick<Deps, 'db'>,
  input: { userId: string; id: string },
): Promise<{ conversation: ConversationRow; messages: ChatMessage[] }> {
  const conversation = await getConversation(deps, input)
  const rows = await listMessages(deps.db, { conversationId: conversation.id })
  return { conversation, messages: rows.map(messageOfRow) }
}

/** Rename, or switch the model (null: back to the operator's default). */
export async function updateConversation(
  deps: Pick<Deps, 'db' | 'config' | 'now'>,
  input: { userId: string; id: string; changes: ConversationUpdate },
): Promise<ConversationRow> {
  const { title, model } = input.changes
  const row = await updateConversationRow(deps.db, {
    userId: input.userId,
    id: input.id,
    values: {
      ...(title !== undefined ? { title } : {}),
      ...(model !== undefined
        ? { model: model === null ? null : resolveModelId(deps.config.chat, model) }
        : {}),
      updated_at: deps.now(),
    },
  })
  if (!row) throw new NotFoundError('conversation')
  return row
}

export async function deleteConversation(
  deps: Pick<Deps, 'db'>,
  input: { userId: string; id: string },
): Promise<void> {
  if (!(await deleteConversationRow(deps.db, input))) throw new NotFoundError('conversation')
}

/** The tool calls made in the conversation, newest first, from the tool-call log. */
export async function listConversationToolCalls(
  deps: Deps,
  input: { userId: string; id: string; limit: number; cursor?: string | undefined },
): Promise<ToolCallList> {
  const conversation = await getConversation(deps, input)
  return listToolCallHistory(deps, {
    userId: input.userId,
    query: {
      conversationId: conversation.id,
      limit: input.limit,
      ...(input.cursor ? { cursor: input.cursor } : {}),
    },
  })
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function encodeCursor(row: ConversationRow): string {
  return Buffer.from(`${row.updated_at.toISOString()}|${row.id}`).toString('base64url')
}

function decodeCursor(cursor: string): { updatedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const updatedAt = new Date(at ?? '')
  if (!id || !UUID.test(id) || Number.isNaN(updatedAt.getTime())) {
    throw new ValidationError([{ field: 'cursor', message: 'not a cursor from a previous page' }])
  }
  return { updatedAt, id }
}
