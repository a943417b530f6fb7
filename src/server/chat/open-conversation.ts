import { type ChatStreamRequest, DEFAULT_CONVERSATION_TITLE } from '../../shared/chat.ts'
import {
  type ConversationRow,
  findConversationForUser,
  insertConversationWithId,
} from '../db/conversations.ts'
import { NotFoundError } from '../errors.ts'
import { storeSettings } from './conversation-settings.ts'
import type { ConversationDeps } from './conversations.ts'
import { checkUserMessage, parseIncoming } from './incoming.ts'
import { newConversationSettings } from './presets.ts'

/**
 * The conversation a chat request is for. One not stored yet is created by its first question,
 * under the id the client chose: the web app's "New conversation" is a draft until something is
 * sent, so leaving it empty leaves nothing behind. The message is checked before anything is
 * stored (a refused one creates nothing). `not_found` for anything else: another user's id, or
 * a request that is not a first question (an answer to continue, a message to answer again).
 */
export async function openConversation(
  deps: ConversationDeps,
  input: {
    userId: string
    request: ChatStreamRequest
    /**
     * More checks of a first message before the conversation is created, given the model it
     * will have (its attached files: chat/attachments/message-files.ts).
     */
    checkFirst?: (model: string | null) => Promise<void>
  },
): Promise<ConversationRow> {
  const { request } = input
  const found = await findConversationForUser(deps.db, {
    userId: input.userId,
    id: request.conversationId,
  })
  if (found) return found
  const incoming = request.regenerate === undefined ? parseIncoming(request) : null
  if (incoming?.role !== 'user' || request.parentId) throw new NotFoundError('conversation')
  await checkUserMessage(incoming)
  // Its model, instructions and servers: sent with it, or its preset's (models area).
  const { model, columns } = await newConversationSettings(deps, {
    userId: input.userId,
    create: { ...request.start, model: request.model },
  })
  await input.checkFirst?.(model)
  const row = await insertConversationWithId(deps.db, {
    id: request.conversationId,
    userId: input.userId,
    title: DEFAULT_CONVERSATION_TITLE,
    model,
    at: deps.now(),
  })
  // Taken meanwhile: by this user (two first messages at once), or the id is someone else's.
  if (!row) {
    const mine = await findConversationForUser(deps.db, {
      userId: input.userId,
      id: request.conversationId,
    })
    if (mine) return mine
    throw new NotFoundError('conversation')
  }
  return storeSettings(deps, { userId: input.userId, row, columns })
}
