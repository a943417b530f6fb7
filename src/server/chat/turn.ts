import { randomUUID } from 'node:crypto'
import { safeValidateUIMessages } from 'ai'
import {
  type ChatInputMessage,
  ChatInputMessageSchema,
  type ChatStreamRequest,
  DEFAULT_CONVERSATION_TITLE,
  MESSAGE_TEXT_MAX,
  SEARCH_TOOLS_NAME,
} from '../../shared/chat.ts'
import { type ConversationRow, touchConversation } from '../db/conversations.ts'
import { insertMessage, listMessages, saveMessage } from '../db/messages.ts'
import type { Deps } from '../deps.ts'
import { ValidationError } from '../errors.ts'
import { sanitizeText } from '../untrusted-text.ts'
import {
  type ChatUIMessage,
  denyPending,
  isToolPart,
  messageOfRow,
  pendingApprovals,
  type ToolPartLike,
  textOf,
  toUIMessage,
} from './ui-messages.ts'

const TITLE_MAX = 80
const USER_PART_TYPES = new Set(['text', 'file'])
const DENIED = 'The user denied this tool call'
const DENIED_BY_NEW_MESSAGE = `${DENIED}: they sent a new message instead of answering.`

/** One request's share of a conversation, ready for the model. */
export interface Turn {
  /** The conversation as stored, ending with the new user message or the continued message. */
  messages: ChatUIMessage[]
  /** The assistant message this response writes: a new id, or the one it continues. */
  assistantId: string
  /** When the assistant message was (or is) created: after everything before it. */
  assistantAt: Date
  /** Tool calls whose approval request the user answered in this request. */
  answered: Set<string>
  /** Function names used earlier in the continued message (`search_tools` keeps them loaded). */
  usedTools: Set<string>
}

/**
 * Stores what the client sent and returns the turn. A user message starts a turn (saved before
 * the model is called, so a provider failure never loses it); the last assistant message with
 * its approval requests answered continues one. Only the answers are taken from the client:
 * the rest of the history, tool calls and results included, is the server's copy.
 */
export async function beginTurn(
  deps: Pick<Deps, 'db' | 'now'>,
  input: { conversation: ConversationRow; request: ChatStreamRequest; modelId: string },
): Promise<Turn> {
  const { conversation, request } = input
  const incoming = parseIncoming(request)
  const rows = await listMessages(deps.db, { conversationId: conversation.id })
  const history = rows.map((row) => toUIMessage(messageOfRow(row)))
  const lastAt = rows.at(-1)?.created_at.getTime() ?? 0
  const now = new Date(Math.max(deps.now().getTime(), lastAt + 1))
  const model = input.modelId !== conversation.model && request.model ? input.modelId : undefined

  if (incoming.role === 'assistant') {
    const { message, answered } = answerApprovals(history.at(-1), incoming)
    await saveMessage(deps.db, {
      id: message.id,
      conversationId: conversation.id,
      role: 'assistant',
      parts: message.parts,
      metadata: message.metadata ?? null,
      at: now,
    })
    await touchConversation(deps.db, { conversationId: conversation.id, at: now, model })
    return {
      messages: [...history.slice(0, -1), message],
      assistantId: message.id,
      assistantAt: rows.at(-1)?.created_at ?? now,
      answered,
      usedTools: toolsUsedIn(message),
    }
  }

  const user = await checkUserMessage(incoming)
  const previous = history.at(-1)
  if (previous && pendingApprovals(previous).length > 0) {
    const denied = denyPending(previous, DENIED_BY_NEW_MESSAGE)
    history[history.length - 1] = denied
    await saveMessage(deps.db, {
      id: denied.id,
      conversationId: conversation.id,
      role: 'assistant',
      parts: denied.parts,
      metadata: denied.metadata ?? null,
      at: now,
    })
  }
  const inserted = await insertMessage(deps.db, {
    id: user.id,
    conversationId: conversation.id,
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
  const firstUserMessage = !history.some((message) => message.role === 'user')
  const title =
    firstUserMessage && conversation.title === DEFAULT_CONVERSATION_TITLE
      ? titleOf(user)
      : undefined
  await touchConversation(deps.db, { conversationId: conversation.id, at: now, title, model })
  return {
    messages: [...history, user],
    assistantId: `msg_${randomUUID()}`,
    assistantAt: new Date(now.getTime() + 1),
    answered: new Set(),
    usedTools: new Set(),
  }
}

function parseIncoming(request: ChatStreamRequest): ChatInputMessage {
  const raw = request.message ?? request.messages?.at(-1)
  const parsed = ChatInputMessageSchema.safeParse(raw)
  if (!parsed.success) {
    const field = request.message ? 'message' : 'messages'
    throw new ValidationError(
      parsed.error.issues.map((issue) => ({
        field: [field, ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    )
  }
  return parsed.data
}

async function checkUserMessage(message: ChatInputMessage): Promise<ChatUIMessage> {
  const unknown = message.parts.find((part) => !USER_PART_TYPES.has(part.type))
  if (unknown) {
    throw new ValidationError([
      {
        field: 'message.parts',
        message: `a user message holds text and files, not "${unknown.type}"`,
      },
    ])
  }
  const validated = await safeValidateUIMessages<ChatUIMessage>({
    messages: [{ id: message.id, role: 'user', parts: message.parts }],
  })
  if (!validated.success) {
    throw new ValidationError([
      { field: 'message.parts', message: sanitizeText(validated.error.message, { maxChars: 300 }) },
    ])
  }
  const [user] = validated.data as [ChatUIMessage]
  const text = textOf(user)
  if (text.length > MESSAGE_TEXT_MAX) {
    throw new ValidationError([
      { field: 'message.parts', message: `at most ${MESSAGE_TEXT_MAX} characters of text` },
    ])
  }
  if (!text.trim() && !user.parts.some((part) => part.type === 'file')) {
    throw new ValidationError([{ field: 'message.parts', message: 'the message is empty' }])
  }
  return { id: user.id, role: 'user', parts: user.parts }
}

/**
 * The stored message with the client's answers applied: for each `approval-requested` part, the
 * client's part with the same call id and approval id in `approval-responded` state. Every
 * request must be answered (as `useChat` sends once all are, with
 * `lastAssistantMessageIsCompleteWithApprovalResponses`).
 */
function answerApprovals(
  stored: ChatUIMessage | undefined,
  incoming: ChatInputMessage,
): { message: ChatUIMessage; answered: Set<string> } {
  if (stored?.role !== 'assistant' || stored.id !== incoming.id) {
    throw new ValidationError([
      {
        field: 'message.id',
        message: 'only the last assistant message of the conversation can be continued',
      },
    ])
  }
  const pending = pendingApprovals(stored)
  if (pending.length === 0) {
    throw new ValidationError([
      { field: 'message', message: 'no tool call of this message awaits approval' },
    ])
  }
  const replies = new Map<string, ToolPartLike>()
  for (const part of incoming.parts) {
    if (isToolPart(part) && part.state === 'approval-responded') replies.set(part.toolCallId, part)
  }
  const answered = new Set<string>()
  const parts = stored.parts.map((part) => {
    if (!isToolPart(part) || part.state !== 'approval-requested') return part
    const reply = replies.get(part.toolCallId)
    const approved = reply?.approval?.approved
    if (!reply || reply.approval?.id !== part.approval?.id || typeof approved !== 'boolean') {
      return part
    }
    answered.add(part.toolCallId)
    const given =
      typeof reply.approval?.reason === 'string'
        ? sanitizeText(reply.approval.reason, { maxChars: 500, multiline: true })
        : ''
    // The model reads only the reason of a denial: make sure it says that it was one.
    const reason = approved ? given : given ? `${DENIED}: ${given}` : `${DENIED}.`
    return {
      ...part,
      state: 'approval-responded',
      approval: { ...part.approval, approved, ...(reason ? { reason } : {}) },
    } as never
  })
  if (answered.size < pending.length) {
    throw new ValidationError([
      {
        field: 'message.parts',
        message: `answer every approval request (${pending.length - answered.size} of ${pending.length} unanswered)`,
      },
    ])
  }
  return { message: { ...stored, parts }, answered }
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

function titleOf(message: ChatUIMessage): string | undefined {
  const text = sanitizeText(textOf(message), { maxChars: TITLE_MAX })
  return text || undefined
}
