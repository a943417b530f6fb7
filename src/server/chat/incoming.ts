import { safeValidateUIMessages } from 'ai'
import {
  type ChatInputMessage,
  ChatInputMessageSchema,
  type ChatStreamRequest,
  MESSAGE_TEXT_MAX,
} from '../../shared/chat.ts'
import { ValidationError } from '../errors.ts'
import { fromZodIssue } from '../field-issues.ts'
import { sanitizeText } from '../untrusted-text.ts'
import {
  type ChatUIMessage,
  isToolPart,
  pendingApprovals,
  type ToolPartLike,
  textOf,
} from './ui-messages.ts'

// What the client may send to the chat, checked: a user message (text and files), or the
// answers to an assistant message's approval requests. Everything else comes from the server.

const USER_PART_TYPES = new Set(['text', 'file', 'data-prompt'])
export const DENIED = 'The user denied this tool call'

/** The new message of a stream request (`message`, or the last of `messages`); null for none. */
export function parseIncoming(request: ChatStreamRequest): ChatInputMessage | null {
  const raw = request.message ?? request.messages?.at(-1)
  if (raw === undefined) return null
  const parsed = ChatInputMessageSchema.safeParse(raw)
  if (!parsed.success) {
    const field = request.message ? 'message' : 'messages'
    throw new ValidationError(
      parsed.error.issues.map((issue) => {
        const issueOf = fromZodIssue(issue)
        return { ...issueOf, field: [field, issueOf.field].filter(Boolean).join('.') }
      }),
    )
  }
  return parsed.data
}

/**
 * A user message as it may be stored: text, files and a prompt (checked further by
 * `checkPromptParts`) only, valid UI parts, not empty.
 */
export async function checkUserMessage(message: ChatInputMessage): Promise<ChatUIMessage> {
  const unknown = message.parts.find((part) => !USER_PART_TYPES.has(part.type))
  if (unknown) {
    throw new ValidationError([
      {
        field: 'message.parts',
        message: `a user message holds text, files and a prompt, not "${unknown.type}"`,
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
  if (
    !text.trim() &&
    !user.parts.some((part) => part.type === 'file' || part.type === 'data-prompt')
  ) {
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
export function answerApprovals(
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
