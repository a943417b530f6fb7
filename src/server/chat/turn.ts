import { randomUUID } from 'node:crypto'
import {
  type ChatInputMessage,
  type ChatStreamRequest,
  DEFAULT_CONVERSATION_TITLE,
  SEARCH_TOOLS_NAME,
  SUPERSEDED_APPROVAL_REASON,
} from '../../shared/chat.ts'
import { type ConversationRow, touchConversation } from '../db/conversations.ts'
import type { Db } from '../db/database.ts'
import { insertMessage, listMessages, saveMessage } from '../db/messages.ts'
import { ValidationError } from '../errors.ts'
import { sanitizeText } from '../untrusted-text.ts'
import { answerApprovals, checkUserMessage, parseIncoming } from './incoming.ts'
import { buildTree, currentLeaf, type MessageTree, pathTo } from './message-tree.ts'
import {
  type ChatUIMessage,
  denyPending,
  isToolPart,
  messageOfRow,
  pendingApprovals,
  textOf,
  toUIMessage,
} from './ui-messages.ts'

const TITLE_MAX = 80

/** One request's share of a conversation, ready for the model. */
export interface Turn {
  /** The branch the model reads: from the first message to the question (or continued answer). */
  messages: ChatUIMessage[]
  /** The assistant message this response writes: a new id, or the one it continues. */
  assistantId: string
  /** When the assistant message was (or is) created: after everything before it. */
  assistantAt: Date
  /** The message the answer follows in the conversation's tree. */
  parentId: string | null
  /** The conversation's leaf as this turn left it: the stored answer takes its place. */
  leaf: string
  /** Tool calls whose approval request the user answered in this request. */
  answered: Set<string>
  /** Function names used earlier in the continued message (`search_tools` keeps them loaded). */
  usedTools: Set<string>
  /**
   * The answer ends the conversation's first exchange and its title is still the automatic one
   * (this title): once the answer is complete, the model is asked for a better one.
   */
  titleToReplace: string | null
}

export interface TurnDeps {
  db: Db
  now: () => Date
}

interface TurnContext {
  deps: TurnDeps
  conversation: ConversationRow
  tree: MessageTree
  leaf: string | null
  /** Now, but after every stored message (their order is their time). */
  now: Date
  /** Checks the question of the turn (its files, and whether the model reads them). */
  checkQuestion: QuestionCheck
}

/**
 * Checks (and may rewrite) the question a turn answers before anything is stored: a new message
 * (`stored` false) or one stored before, answered again. Throws to refuse the request.
 */
export type QuestionCheck = (question: ChatUIMessage, stored: boolean) => Promise<ChatUIMessage>

/**
 * Stores what the client sent and returns the turn. A user message starts a turn (saved before
 * the model is called, so a provider failure never loses it): after the branch on show, or
 * after `parentId` (an edit: a sibling of the message edited). `regenerate` answers again: a
 * new sibling of the old answer; a question stored without an answer, sent again, is answered.
 * The last assistant message with its approval requests answered continues a turn. Only the new
 * message and the answers are taken from the client: the rest of the history, tool calls and
 * results included, is the server's copy, and the model reads the path from the first message
 * to the new one.
 */
export async function beginTurn(
  deps: TurnDeps,
  input: {
    conversation: ConversationRow
    request: ChatStreamRequest
    modelId: string
    /** Attachments: see `TurnFiles.checkQuestion` (chat/attachments/message-files.ts). */
    checkQuestion?: QuestionCheck
  },
): Promise<Turn> {
  const { conversation, request } = input
  const incoming = parseIncoming(request)
  const rows = await listMessages(deps.db, { conversationId: conversation.id })
  const tree = buildTree(rows)
  const lastAt = rows.at(-1)?.created_at.getTime() ?? 0
  const ctx: TurnContext = {
    deps,
    conversation,
    tree,
    leaf: currentLeaf(tree, conversation.current_message_id),
    now: new Date(Math.max(deps.now().getTime(), lastAt + 1)),
    checkQuestion: input.checkQuestion ?? (async (question) => question),
  }

  if (request.regenerate !== undefined) return answerAgain(ctx, request.regenerate, 'regenerate')
  // A new message may switch the conversation's model; answering again uses one for itself.
  const model = input.modelId !== conversation.model && request.model ? input.modelId : undefined
  if (!incoming) {
    throw new ValidationError([{ field: 'message', message: 'send the new message' }])
  }
  if (incoming.role === 'assistant') return continueAnswer(ctx, incoming, model)
  // The same question sent again, stored but never answered (the request broke before the
  // answer began, and the client retries it): answer the stored copy.
  const stored = tree.byId.get(incoming.id)
  if (stored?.role === 'user' && !tree.children.has(stored.id)) {
    return answerAgain(ctx, stored.id, 'message.id', model)
  }
  return askNew(ctx, incoming, request.parentId, model)
}

/** A new user message after `parentId` (default: the leaf on show). */
async function askNew(
  ctx: TurnContext,
  incoming: ChatInputMessage,
  parentIdGiven: string | null | undefined,
  model: string | undefined,
): Promise<Turn> {
  const { deps, conversation, tree, now } = ctx
  const user = await ctx.checkQuestion(await checkUserMessage(incoming), false)
  const parentId = parentIdGiven === undefined ? ctx.leaf : parentIdGiven
  if (parentId !== null && !tree.byId.has(parentId)) {
    throw new ValidationError([
      { field: 'parentId', message: 'no message with this id in this conversation' },
    ])
  }
  const history = uiPath(tree, parentId)
  const previous = history.at(-1)
  if (previous && pendingApprovals(previous).length > 0) {
    const denied = denyPending(previous, SUPERSEDED_APPROVAL_REASON)
    history[history.length - 1] = denied
    await saveMessage(deps.db, {
      id: denied.id,
      conversationId: conversation.id,
      parentId: tree.byId.get(denied.id)?.parent_id ?? null,
      role: 'assistant',
      parts: denied.parts,
      metadata: denied.metadata ?? null,
      at: now,
    })
  }
  const inserted = await insertMessage(deps.db, {
    id: user.id,
    conversationId: conversation.id,
    parentId,
    role: 'user',
    parts: user.parts,
    metadata: null,
    at: now,
  })
  if (!inserted) {
    throw new ValidationError([
      { field: 'message.id', message: 'a message with this id exists: send a new id' },
    ])
  }
  const firstQuestion = ![...tree.byId.values()].some((row) => row.role === 'user')
  const title =
    firstQuestion && conversation.title === DEFAULT_CONVERSATION_TITLE ? titleOf(user) : undefined
  await touchConversation(deps.db, {
    conversationId: conversation.id,
    at: now,
    title,
    model,
    currentMessageId: user.id,
  })
  const messages = [...history, user]
  return {
    messages,
    assistantId: newAssistantId(),
    assistantAt: new Date(now.getTime() + 1),
    parentId: user.id,
    leaf: user.id,
    answered: new Set(),
    usedTools: new Set(),
    titleToReplace: automaticTitle(tree, messages, title ?? conversation.title),
  }
}

/** A new answer to a question: the one `id` answers (an assistant message), or `id` itself. */
async function answerAgain(
  ctx: TurnContext,
  id: string,
  field: string,
  model?: string,
): Promise<Turn> {
  const { deps, conversation, tree, now } = ctx
  const target = tree.byId.get(id)
  if (!target) {
    throw new ValidationError([{ field, message: 'no message with this id in this conversation' }])
  }
  const question =
    target.role === 'assistant' && target.parent_id !== null
      ? tree.byId.get(target.parent_id)
      : target
  if (question?.role !== 'user') {
    throw new ValidationError([{ field, message: 'only an answer to a message can be redone' }])
  }
  await ctx.checkQuestion(toUIMessage(messageOfRow(question)), true)
  await touchConversation(deps.db, {
    conversationId: conversation.id,
    at: now,
    model,
    currentMessageId: question.id,
  })
  const messages = uiPath(tree, question.id)
  return {
    messages,
    assistantId: newAssistantId(),
    assistantAt: new Date(now.getTime() + 1),
    parentId: question.id,
    leaf: question.id,
    answered: new Set(),
    usedTools: new Set(),
    titleToReplace: automaticTitle(tree, messages, conversation.title),
  }
}

/** The answer on show, its approval requests answered: it goes on from where it stopped. */
async function continueAnswer(
  ctx: TurnContext,
  incoming: ChatInputMessage,
  model: string | undefined,
): Promise<Turn> {
  const { deps, conversation, tree, now } = ctx
  const history = uiPath(tree, ctx.leaf)
  const stored = ctx.leaf !== null ? tree.byId.get(ctx.leaf) : undefined
  const { message, answered } = answerApprovals(history.at(-1), incoming)
  await saveMessage(deps.db, {
    id: message.id,
    conversationId: conversation.id,
    parentId: stored?.parent_id ?? null,
    role: 'assistant',
    parts: message.parts,
    metadata: message.metadata ?? null,
    at: now,
  })
  await touchConversation(deps.db, { conversationId: conversation.id, at: now, model })
  const messages = [...history.slice(0, -1), message]
  return {
    messages,
    assistantId: message.id,
    assistantAt: stored?.created_at ?? now,
    parentId: stored?.parent_id ?? null,
    leaf: message.id,
    answered,
    usedTools: toolsUsedIn(message),
    titleToReplace: automaticTitle(tree, messages, conversation.title),
  }
}

function uiPath(tree: MessageTree, id: string | null): ChatUIMessage[] {
  return pathTo(tree, id).map((row) => toUIMessage(messageOfRow(row)))
}

function newAssistantId(): string {
  return `msg_${randomUUID()}`
}

/**
 * `title` when the branch holds one question (its answer is the first exchange) and the title is
 * one Switchboard gave (the placeholder, or the first words of the first question, also of one
 * since edited); null when the user named the conversation, or it is past its first exchange.
 */
function automaticTitle(
  tree: MessageTree,
  messages: readonly ChatUIMessage[],
  title: string,
): string | null {
  const questions = messages.filter((message) => message.role === 'user')
  if (questions.length !== 1 || !questions[0]) return null
  const firstRoot = (tree.children.get(null) ?? []).find((row) => row.role === 'user')
  const automatic = new Set<string | undefined>([
    DEFAULT_CONVERSATION_TITLE,
    titleOf(questions[0]),
    firstRoot ? titleOf(toUIMessage(messageOfRow(firstRoot))) : undefined,
  ])
  return automatic.has(title) ? title : null
}

/** Function names called in a message, and those `search_tools` returned in it. */
function toolsUsedIn(message: ChatUIMessage): Set<string> {
  const used = new Set<string>()
  for (const part of message.parts) {
    if (!isToolPart(part) || part.type !== 'dynamic-tool' || !part.toolName) continue
    if (part.toolName !== SEARCH_TOOLS_NAME) {
      used.add(part.toolName)
      continue
    }
    const found = (part.output as { tools?: { name?: unknown }[] } | undefined)?.tools ?? []
    for (const tool of found) if (typeof tool.name === 'string') used.add(tool.name)
  }
  return used
}

/** The first words of a message: its title until a better one comes (or if none can). */
export function titleOf(message: ChatUIMessage): string | undefined {
  const text = sanitizeText(textOf(message), { maxChars: TITLE_MAX })
  return text || undefined
}
