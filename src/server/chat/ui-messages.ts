import type { UIMessage } from 'ai'
import {
  type ChatDataParts,
  type ChatMessage,
  type ChatMessageMetadata,
  ChatMessageMetadataSchema,
  ChatMessagePartSchema,
} from '../../shared/chat.ts'
import type { MessageRow } from '../db/messages.ts'

/** The UI message of this app: our metadata and data parts; every MCP tool is a dynamic tool. */
export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataParts>
export type ChatUIPart = ChatUIMessage['parts'][number]

/** A tool part as stored, whatever its state (dynamic or static: both carry `toolCallId`). */
export interface ToolPartLike {
  type: string
  toolCallId: string
  toolName?: string
  state: string
  input?: unknown
  output?: unknown
  errorText?: string
  approval?: { id: string; approved?: boolean; reason?: string; [key: string]: unknown }
  [key: string]: unknown
}

export function isToolPart(part: { type: string }): part is ToolPartLike {
  return (
    (part.type === 'dynamic-tool' || part.type.startsWith('tool-')) &&
    typeof (part as { toolCallId?: unknown }).toolCallId === 'string'
  )
}

/** A stored row read back, checked with the shared schema (a bad part is dropped, not fatal). */
export function messageOfRow(row: MessageRow): ChatMessage {
  const parts = (Array.isArray(row.parts) ? row.parts : []).filter(
    (part) => ChatMessagePartSchema.safeParse(part).success,
  ) as ChatMessage['parts']
  const metadata = ChatMessageMetadataSchema.safeParse(row.metadata ?? undefined)
  return {
    id: row.id,
    role: row.role,
    parts,
    ...(metadata.success && metadata.data ? { metadata: metadata.data } : {}),
    createdAt: row.created_at.toISOString(),
  }
}

export function toUIMessage(message: ChatMessage): ChatUIMessage {
  return {
    id: message.id,
    role: message.role,
    parts: message.parts as ChatUIPart[],
    ...(message.metadata ? { metadata: message.metadata } : {}),
  }
}

/** Tool parts still waiting for the user's approval. */
export function pendingApprovals(message: ChatUIMessage | undefined): ToolPartLike[] {
  if (message?.role !== 'assistant') return []
  return (message.parts as { type: string }[])
    .filter(isToolPart)
    .filter((part) => part.state === 'approval-requested')
}

/**
 * Parts of a message that ended before its tools did (stopped, provider failure): a tool part
 * with no result would spin forever in the UI and break the next request to the model, so it
 * gets an error result saying why. Text still marked streaming is marked done.
 */
export function settleParts(parts: ChatUIPart[], reason: string): ChatUIPart[] {
  return parts.map((part) => {
    if (
      isToolPart(part) &&
      (part.state === 'input-streaming' || part.state === 'input-available')
    ) {
      const { rawInput: _raw, ...rest } = part as ToolPartLike
      return { ...rest, input: part.input ?? {}, state: 'output-error', errorText: reason } as never
    }
    if ((part.type === 'text' || part.type === 'reasoning') && part.state === 'streaming') {
      return { ...part, state: 'done' }
    }
    return part
  })
}

/** Approval requests left unanswered when the user moved on: denied, so history stays valid. */
export function denyPending(message: ChatUIMessage, reason: string): ChatUIMessage {
  return {
    ...message,
    parts: message.parts.map((part) =>
      isToolPart(part) && part.state === 'approval-requested'
        ? ({
            ...part,
            state: 'output-denied',
            approval: { ...part.approval, approved: false, reason },
          } as never)
        : part,
    ),
  }
}

/** The plain text of a message (its text parts), for titles. */
export function textOf(message: { parts: { type: string }[] }): string {
  return message.parts
    .map((part) => (part.type === 'text' ? String((part as { text?: unknown }).text ?? '') : ''))
    .join(' ')
}
