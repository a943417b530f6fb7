import type { ChatMessage } from '../../shared/chat.ts'
import { type ConversationRow, setCurrentMessage } from '../db/conversations.ts'
import { listMessages } from '../db/messages.ts'
import { ValidationError } from '../errors.ts'
import { type ConversationDeps, getConversation } from './conversations.ts'
import { branchView, buildTree, latestLeafUnder } from './message-tree.ts'

/**
 * Shows the branch through `messageId` (the "‹ 2/3 ›" of an edited message or an answer given
 * again): from it, the newest child at each step down to a leaf, which is stored as the
 * conversation's current message, so a reload (and the model, next turn) shows the same branch.
 */
export async function showBranch(
  deps: Pick<ConversationDeps, 'db'>,
  input: { userId: string; id: string; messageId: string },
): Promise<{ conversation: ConversationRow; messages: ChatMessage[] }> {
  const conversation = await getConversation(deps, input)
  const tree = buildTree(await listMessages(deps.db, { conversationId: conversation.id }))
  if (!tree.byId.has(input.messageId)) {
    throw new ValidationError([
      { field: 'messageId', message: 'no message with this id in this conversation' },
    ])
  }
  const leaf = latestLeafUnder(tree, input.messageId)
  await setCurrentMessage(deps.db, { conversationId: conversation.id, messageId: leaf })
  return {
    conversation: { ...conversation, current_message_id: leaf },
    messages: branchView(tree, leaf),
  }
}
