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
import type { Config } from '../config/config.ts'
import {
  type ConversationListPosition,
  type ConversationRow,
  deleteConversation as deleteConversationRow,
  findConversationForUser,
  insertConversation,
  listConversationsForUser,
  updateConversation as updateConversationRow,
} from '../db/conversations.ts'
import type { Db } from '../db/database.ts'
import { listMessages } from '../db/messages.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { listToolCallHistory, type ToolCallHistoryDeps } from '../toolcalls/tool-call-history.ts'
import {
  checkSettings,
  storeSettings,
  toSettingsColumns,
  toSettingsView,
} from './conversation-settings.ts'
import { branchView, buildTree, currentLeaf } from './message-tree.ts'
import type { ModelDirectory } from './model-directory.ts'
import { newConversationSettings } from './presets.ts'
import { resolveModelId } from './providers.ts'

/** A conversation's model must be on offer, its servers visible to the user (as a preset's). */
export interface ConversationDeps {
  db: Db
  config: Pick<Config, 'chat' | 'mcpServers'>
  now: () => Date
  modelDirectory: ModelDirectory
}

export function toConversationView(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    ...toSettingsView(row),
    pinned: row.pinned,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export async function createConversation(
  deps: ConversationDeps,
  input: { userId: string; conversation: ConversationCreate },
): Promise<ConversationRow> {
  const { title } = input.conversation
  // Model, instructions and servers: given, or from the preset named (models area).
  const { model, columns } = await newConversationSettings(deps, {
    userId: input.userId,
    create: input.conversation,
  })
  const row = await insertConversation(deps.db, {
    userId: input.userId,
    title: title ?? DEFAULT_CONVERSATION_TITLE,
    model,
    at: deps.now(),
  })
  return storeSettings(deps, { userId: input.userId, row, columns })
}

export async function listConversations(
  deps: Pick<ConversationDeps, 'db'>,
  input: { userId: string; query: ConversationListQuery },
): Promise<ConversationList> {
  const { limit, cursor, q } = input.query
  const rows = await listConversationsForUser(deps.db, {
    userId: input.userId,
    limit: limit + 1,
    after: cursor ? decodeCursor(cursor) : undefined,
    search: q || undefined,
  })
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    conversations: page.map((row) => ({
      ...toConversationView(row),
      ...(row.match_text ? { match: row.match_text } : {}),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  }
}

/** The user's conversation, or `not_found` (also for someone else's). */
export async function getConversation(
  deps: Pick<ConversationDeps, 'db'>,
  input: { userId: string; id: string },
): Promise<ConversationRow> {
  const row = await findConversationForUser(deps.db, input)
  if (!row) throw new NotFoundError('conversation')
  return row
}

/** The conversation and the branch on show: its messages from the first to the current leaf. */
export async function getConversationMessages(
  deps: Pick<ConversationDeps, 'db'>,
  input: { userId: string; id: string },
): Promise<{ conversation: ConversationRow; messages: ChatMessage[] }> {
  const conversation = await getConversation(deps, input)
  const tree = buildTree(await listMessages(deps.db, { conversationId: conversation.id }))
  const leaf = currentLeaf(tree, conversation.current_message_id)
  return { conversation, messages: branchView(tree, leaf) }
}

/** Rename, or switch the model (null: back to the operator's default). */
export async function updateConversation(
  deps: ConversationDeps,
  input: { userId: string; id: string; changes: ConversationUpdate },
): Promise<ConversationRow> {
  const { title, model, pinned } = input.changes
  // Instructions and servers (models area): checked, then stored with the rest.
  const settings = await checkSettings(deps, { userId: input.userId, changes: input.changes })
  const row = await updateConversationRow(deps.db, {
    userId: input.userId,
    id: input.id,
    values: {
      ...(title !== undefined ? { title } : {}),
      ...(model !== undefined
        ? { model: model === null ? null : await resolveModelId(deps, model) }
        : {}),
      ...toSettingsColumns(settings),
      ...(pinned !== undefined ? { pinned } : {}),
      // Pinning is no activity: the conversation keeps its place among the others.
      ...(onlyPinned(input.changes) ? {} : { updated_at: deps.now() }),
    },
  })
  if (!row) throw new NotFoundError('conversation')
  return row
}

export async function deleteConversation(
  deps: Pick<ConversationDeps, 'db'>,
  input: { userId: string; id: string },
): Promise<void> {
  if (!(await deleteConversationRow(deps.db, input))) throw new NotFoundError('conversation')
}

/** The tool calls made in the conversation, newest first, from the tool-call log. */
export async function listConversationToolCalls(
  deps: Pick<ToolCallHistoryDeps, 'db' | 'toolCalls'>,
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

function onlyPinned(changes: ConversationUpdate): boolean {
  return Object.entries(changes).every(([key, value]) => key === 'pinned' || value === undefined)
}

function encodeCursor(row: ConversationRow): string {
  const place = `${row.pinned ? 1 : 0}|${row.updated_at.toISOString()}|${row.id}`
  return Buffer.from(place).toString('base64url')
}

function decodeCursor(cursor: string): ConversationListPosition {
  const [pinned, at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const updatedAt = new Date(at ?? '')
  if (
    (pinned !== '0' && pinned !== '1') ||
    !id ||
    !UUID.test(id) ||
    Number.isNaN(updatedAt.getTime())
  ) {
    throw new ValidationError([{ field: 'cursor', message: 'not a cursor from a previous page' }])
  }
  return { pinned: pinned === '1', updatedAt, id }
}
