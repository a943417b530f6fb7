import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { DefaultChatTransport, type UIMessage } from 'ai'
import {
  ChatConfigSchema,
  type ChatDataParts,
  type ChatMessage,
  type ChatMessageMetadata,
  type Conversation,
  type ConversationCreate,
  ConversationDetailSchema,
  type ConversationList,
  ConversationListSchema,
  ConversationSchema,
  type ConversationUpdate,
} from '../../shared/chat.ts'
import { ErrorEnvelopeSchema } from '../../shared/errors.ts'
import { ApiError, apiFetch } from './client.ts'

/** A chat message as `useChat` holds it: our metadata and data parts; MCP tools are dynamic. */
export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataParts>
export type ChatUIPart = ChatUIMessage['parts'][number]
export type ChatToolPart = Extract<ChatUIPart, { type: 'dynamic-tool' }>

const BASE = '/api/conversations'
const conversationPath = (id: string) => `${BASE}/${encodeURIComponent(id)}`
/** The sidebar shows this many; older conversations are a rare need, and the API pages them. */
const LIST_LIMIT = 100

export const chatQueries = {
  all: () => ['chat'] as const,
  config: () =>
    queryOptions({
      queryKey: [...chatQueries.all(), 'config'] as const,
      queryFn: ({ signal }) => apiFetch('/api/chat/config', { schema: ChatConfigSchema, signal }),
      // The operator's settings change only with a restart.
      staleTime: Number.POSITIVE_INFINITY,
    }),
  conversations: () =>
    queryOptions({
      queryKey: [...chatQueries.all(), 'conversations'] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${BASE}?limit=${LIST_LIMIT}`, { schema: ConversationListSchema, signal }),
      select: (list) => list.conversations,
    }),
  /**
   * One conversation with its messages, the seed of `useChat`. Not kept once its page is left
   * (`gcTime: 0`) and not refetched on focus: the chat holds the live copy, and coming back must
   * start from what the server stored, never from a stale cache.
   */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...chatQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) =>
        apiFetch(conversationPath(id), { schema: ConversationDetailSchema, signal }),
      gcTime: 0,
      staleTime: 0,
      refetchOnWindowFocus: false,
    }),
}

/** Stored messages as `useChat` takes them (the parts are the AI SDK's own, stored as sent). */
export function toUIMessages(messages: readonly ChatMessage[]): ChatUIMessage[] {
  return messages.map(({ createdAt: _createdAt, ...message }) => message as ChatUIMessage)
}

function useSetConversation() {
  const queryClient = useQueryClient()
  return (conversation: Conversation) => {
    queryClient.setQueryData(
      chatQueries.conversations().queryKey,
      (list: ConversationList | undefined) =>
        list && {
          ...list,
          conversations: list.conversations.map((c) =>
            c.id === conversation.id ? conversation : c,
          ),
        },
    )
    queryClient.setQueryData(
      chatQueries.detail(conversation.id).queryKey,
      (detail) => detail && { ...detail, ...conversation },
    )
  }
}

export function useCreateConversation() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: ConversationCreate) =>
      apiFetch(BASE, { method: 'POST', body: input, schema: ConversationSchema }),
    onSuccess: (conversation) => {
      // Newest first, as the server orders them; the refetch confirms it.
      queryClient.setQueryData(
        chatQueries.conversations().queryKey,
        (list: ConversationList | undefined) =>
          list && { ...list, conversations: [conversation, ...list.conversations] },
      )
      return queryClient.invalidateQueries({ queryKey: chatQueries.conversations().queryKey })
    },
  })
}

/** Renames a conversation or switches its model. */
export function useUpdateConversation() {
  const setConversation = useSetConversation()
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: ConversationUpdate }) =>
      apiFetch(conversationPath(id), {
        method: 'PATCH',
        body: changes,
        schema: ConversationSchema,
      }),
    onSuccess: setConversation,
  })
}

export function useDeleteConversation() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => apiFetch(conversationPath(id), { method: 'DELETE' }),
    onSuccess: (_data, id) => {
      queryClient.setQueryData(
        chatQueries.conversations().queryKey,
        (list: ConversationList | undefined) =>
          list && { ...list, conversations: list.conversations.filter((c) => c.id !== id) },
      )
      // Its detail goes with its page (gcTime 0); removing it here would refetch a 404 first.
    },
  })
}

/**
 * The transport `useChat` posts through. The server keeps the history, so only the new message
 * goes out (a user message, or the last assistant message with its approvals answered), with the
 * model picked for the conversation.
 */
export function createChatTransport(getModel: () => string | undefined) {
  return new DefaultChatTransport<ChatUIMessage>({
    api: '/api/chat/stream',
    credentials: 'same-origin',
    prepareSendMessagesRequest: ({ id, messages }) => {
      const model = getModel()
      return {
        body: { conversationId: id, message: messages.at(-1), ...(model ? { model } : {}) },
      }
    },
  })
}

/**
 * The transport throws a refused request (no provider, a bad message, a gone conversation) as an
 * `Error` whose message is the reply body: our error envelope, read back into an `ApiError`.
 */
export function chatRequestError(error: Error): ApiError | null {
  try {
    const envelope = ErrorEnvelopeSchema.safeParse(JSON.parse(error.message))
    if (!envelope.success) return null
    const { code, message, details } = envelope.data.error
    return new ApiError(0, code, message, { details })
  } catch {
    return null
  }
}
