import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { DefaultChatTransport, type UIMessage } from 'ai'
import {
  ChatConfigSchema,
  type ChatDataParts,
  type ChatMessage,
  type ChatMessageMetadata,
  type Conversation,
  type ConversationCreate,
  type ConversationDetail,
  ConversationDetailSchema,
  type ConversationExportQuery,
  type ConversationList,
  ConversationListSchema,
  ConversationSchema,
  type ConversationUpdate,
  DEFAULT_CONVERSATION_TITLE,
} from '../../shared/chat.ts'
import { ErrorEnvelopeSchema } from '../../shared/errors.ts'
import { ApiError, apiFetch } from './client.ts'
import { draftSettingsView, draftStartBody } from './draft-settings.ts'

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
  /** Every list of conversations, searched or not (to invalidate them all). */
  lists: () => [...chatQueries.all(), 'conversations'] as const,
  /** Pinned first, then most recent first; `q` keeps those whose title or messages hold it. */
  conversations: (q = '') =>
    queryOptions({
      queryKey: [...chatQueries.lists(), q] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${BASE}?limit=${LIST_LIMIT}${q ? `&q=${encodeURIComponent(q)}` : ''}`, {
          schema: ConversationListSchema,
          signal,
        }),
      select: (list) => list.conversations,
    }),
  /**
   * One conversation with its messages, the seed of `useChat`. Not kept once its page is left
   * (`gcTime: 0`) and not refetched on focus: the chat holds the live copy, and coming back must
   * start from what the server stored, never from a stale cache. A draft this tab started (see
   * `startDraftConversation`) that the server does not have yet is an empty conversation.
   */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...chatQueries.all(), 'detail', id] as const,
      queryFn: async ({ signal }) => {
        // A draft not sent yet: the server has nothing (asking would only log a 404).
        if (isDraft(id)) return emptyConversation(id)
        return apiFetch(conversationPath(id), { schema: ConversationDetailSchema, signal })
      },
      gcTime: 0,
      staleTime: 0,
      refetchOnWindowFocus: false,
    }),
}

/** Stored messages as `useChat` takes them (the parts are the AI SDK's own, stored as sent). */
export function toUIMessages(messages: readonly ChatMessage[]): ChatUIMessage[] {
  return messages.map(
    ({ createdAt: _at, parentId: _parent, siblingIds: _siblings, ...message }) =>
      message as ChatUIMessage,
  )
}

/** The versions of each message that has several (edited, or answered again), by message id. */
export type MessageBranches = ReadonlyMap<string, readonly string[]>

export function branchesOf(messages: readonly ChatMessage[]): MessageBranches {
  const branches = new Map<string, readonly string[]>()
  for (const message of messages) {
    if (message.siblingIds && message.siblingIds.length > 1) {
      branches.set(message.id, message.siblingIds)
    }
  }
  return branches
}

// ---- drafts: a conversation is stored with its first message ---------------------------------

const DRAFTS_KEY = 'switchboard.chatDrafts'
const DRAFTS_KEPT = 20

/**
 * Starts a new conversation in this tab only: an id, and nothing stored until its first message
 * is sent (the server creates the conversation then), so a conversation opened and left empty
 * leaves nothing behind. The id is remembered for the tab: a reload shows the empty draft again.
 */
export function startDraftConversation(): string {
  const id = randomUuid()
  writeDrafts([...readDrafts(), id].slice(-DRAFTS_KEPT))
  return id
}

/** The draft's first message went out: from now on the server has the conversation. */
export function markDraftSent(id: string): void {
  writeDrafts(readDrafts().filter((draft) => draft !== id))
}

/** A draft of this tab whose first message has not gone out. */
export function isDraft(id: string): boolean {
  return readDrafts().includes(id)
}

// Kept for the tab (sessionStorage: a reload shows the draft again); in memory when the storage
// is refused (a private window may), for as long as the page lives.
let memoryDrafts: string[] = []

function readDrafts(): string[] {
  try {
    const stored = window.sessionStorage.getItem(DRAFTS_KEY)
    if (stored === null) return memoryDrafts
    const parsed: unknown = JSON.parse(stored)
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return memoryDrafts
  }
}

function writeDrafts(drafts: string[]): void {
  memoryDrafts = drafts
  try {
    window.sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(drafts))
  } catch {
    // Refused: the list in memory serves.
  }
}

/** `crypto.randomUUID` needs a secure context; an instance on a LAN is often plain http. */
function randomUuid(): string {
  if (window.isSecureContext && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function emptyConversation(id: string): ConversationDetail {
  const now = new Date().toISOString()
  return {
    id,
    title: DEFAULT_CONVERSATION_TITLE,
    model: null,
    instructions: null,
    serverIds: null,
    pinned: false,
    createdAt: now,
    updatedAt: now,
    messages: [],
    // Models area: a draft started from a preset shows its settings (and the user's changes).
    ...draftSettingsView(id),
  }
}

// ---- mutations -------------------------------------------------------------------------------

function useSetConversation() {
  const queryClient = useQueryClient()
  return (conversation: Conversation) => {
    queryClient.setQueriesData(
      { queryKey: chatQueries.lists() },
      (list: ConversationList | undefined) =>
        list && {
          ...list,
          conversations: list.conversations.map((c) =>
            c.id === conversation.id ? { ...c, ...conversation } : c,
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
      return queryClient.invalidateQueries({ queryKey: chatQueries.lists() })
    },
  })
}

/** Renames, pins or unpins a conversation, or switches its model. */
export function useUpdateConversation() {
  const queryClient = useQueryClient()
  const setConversation = useSetConversation()
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: ConversationUpdate }) =>
      apiFetch(conversationPath(id), {
        method: 'PATCH',
        body: changes,
        schema: ConversationSchema,
      }),
    onSuccess: (conversation, { changes }) => {
      setConversation(conversation)
      // Pinned conversations come first, and a new title may match a search: fetch the order.
      if (changes.pinned !== undefined || changes.title !== undefined) {
        void queryClient.invalidateQueries({ queryKey: chatQueries.lists() })
      }
    },
  })
}

export function useDeleteConversation() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => apiFetch(conversationPath(id), { method: 'DELETE' }),
    onSuccess: (_data, id) => {
      queryClient.setQueriesData(
        { queryKey: chatQueries.lists() },
        (list: ConversationList | undefined) =>
          list && { ...list, conversations: list.conversations.filter((c) => c.id !== id) },
      )
      // Its detail goes with its page (gcTime 0); removing it here would refetch a 404 first.
    },
  })
}

/** Shows another branch of a conversation (the one through `messageId`); stored for reloads. */
export function useShowBranch() {
  return useMutation({
    mutationFn: ({ id, messageId }: { id: string; messageId: string }) =>
      apiFetch(`${conversationPath(id)}/branch`, {
        method: 'POST',
        body: { messageId },
        schema: ConversationDetailSchema,
      }),
  })
}

/** Where the browser downloads a conversation (the server names the file after its title). */
export function conversationExportUrl(
  id: string,
  format: ConversationExportQuery['format'],
): string {
  return `${conversationPath(id)}/export?format=${format}`
}

// ---- the chat stream -------------------------------------------------------------------------

/**
 * What a request may add through `useChat`'s request options (`sendMessage(…, { body })`,
 * `regenerate({ body })`): the parent of an edited message, or the model of one answer.
 */
export interface ChatRequestExtras {
  parentId?: string | null
  model?: string
}

/**
 * The transport `useChat` posts through. The server keeps the history, so only the new message
 * goes out (a user message, or the last assistant message with its approvals answered), with the
 * model picked for the conversation. An edit sends the new message with `parentId` (the message
 * before the one edited); answering again sends the answer's id as `regenerate`, and a question
 * whose request failed is sent again as it was (the server answers it).
 */
export function createChatTransport(getModel: () => string | undefined) {
  return new DefaultChatTransport<ChatUIMessage>({
    api: '/api/chat/stream',
    credentials: 'same-origin',
    prepareSendMessagesRequest: ({ id, messages, trigger, messageId, body }) => {
      const extras = (body ?? {}) as ChatRequestExtras
      const model = extras.model ?? getModel()
      // Models area: a draft's preset and settings go with it (used when it is created).
      const base = { conversationId: id, ...(model ? { model } : {}), ...draftStartBody(id) }
      if (trigger === 'regenerate-message' && messageId) {
        return { body: { ...base, regenerate: messageId } }
      }
      return {
        body: {
          ...base,
          message: messages.at(-1),
          ...(extras.parentId !== undefined ? { parentId: extras.parentId } : {}),
        },
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
