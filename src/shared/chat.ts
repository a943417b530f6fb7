import { z } from 'zod'

// Chat: conversations, their messages (AI SDK UI messages, stored as is), the stream request and
// the data parts the stream carries besides the SDK's own parts.

export const DEFAULT_CONVERSATION_TITLE = 'New conversation'

/**
 * What a tool call that never finished says, stored as its error (the model reads it on the
 * next turn, so it stays English); the UI shows its own words for each.
 */
export const UNFINISHED_TOOL_CALL = {
  stopped: 'Stopped before the tool call finished.',
  brokeOff: 'The answer broke off before the tool call finished.',
} as const
export const CONVERSATION_TITLE_MAX = 200
/** A model id as the operator lists it (`openai/gpt-4o-mini`, `llama3.1:8b`). */
const ModelIdSchema = z.string().trim().min(1).max(200)

/** `GET /api/chat/config`: what the UI needs to offer models or show "no model configured". */
export const ChatConfigSchema = z
  .object({
    providerConfigured: z.boolean(),
    provider: z.enum(['openrouter', 'openai-compatible']).nullable(),
    models: z.array(z.object({ id: z.string(), label: z.string() })),
    defaultModel: z.string(),
    maxSteps: z.number().int(),
    /** More offerable tools than this and the model gets `search_tools` instead of all of them. */
    toolBudget: z.number().int(),
  })
  .meta({ id: 'ChatConfig' })
export type ChatConfig = z.infer<typeof ChatConfigSchema>

export const ConversationSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    /** null: the operator's default model. */
    model: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Conversation' })
export type Conversation = z.infer<typeof ConversationSchema>

export const ConversationCreateSchema = z
  .object({
    title: z.string().trim().min(1).max(CONVERSATION_TITLE_MAX).optional(),
    model: ModelIdSchema.optional(),
  })
  .strict()
  .meta({ id: 'ConversationCreate' })
export type ConversationCreate = z.infer<typeof ConversationCreateSchema>

export const ConversationUpdateSchema = z
  .object({
    title: z.string().trim().min(1).max(CONVERSATION_TITLE_MAX).optional(),
    model: ModelIdSchema.nullable().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .meta({ id: 'ConversationUpdate' })
export type ConversationUpdate = z.infer<typeof ConversationUpdateSchema>

export const ConversationListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
})
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>

export const ConversationListSchema = z
  .object({
    /** Most recently active first. */
    conversations: z.array(ConversationSchema),
    /** Pass as `cursor` for the next (older) page; null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ConversationList' })
export type ConversationList = z.infer<typeof ConversationListSchema>

/**
 * How an assistant message ended. `awaiting-approval`: it stopped on tool calls the user must
 * approve or deny; `error`: the model provider failed (see `error`); `aborted`: the user stopped it.
 */
export const ChatMessageStatusSchema = z.enum(['complete', 'awaiting-approval', 'error', 'aborted'])
export type ChatMessageStatus = z.infer<typeof ChatMessageStatusSchema>

/** `metadata` of assistant messages, streamed as `message-metadata` and stored with the message. */
export const ChatMessageMetadataSchema = z
  .object({
    model: z.string().optional(),
    status: ChatMessageStatusSchema.optional(),
    /** What went wrong, for the user ("the model provider is rate limiting: …"). */
    error: z.string().optional(),
    usage: z
      .object({
        inputTokens: z.number().optional(),
        outputTokens: z.number().optional(),
        totalTokens: z.number().optional(),
      })
      .optional(),
  })
  .meta({ id: 'ChatMessageMetadata' })
export type ChatMessageMetadata = z.infer<typeof ChatMessageMetadataSchema>

/**
 * One part of an AI SDK UI message (`text`, `reasoning`, `step-start`, `dynamic-tool`, `data-*`,
 * `file`…). Only the discriminator is checked here; the AI SDK's `validateUIMessages` checks the
 * rest on the server.
 */
export const ChatMessagePartSchema = z.looseObject({ type: z.string().min(1).max(100) })
export type ChatMessagePart = z.infer<typeof ChatMessagePartSchema>

/** A stored message: an AI SDK `UIMessage` (usable as `useChat({ messages })`) plus its time. */
export const ChatMessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(['system', 'user', 'assistant']),
    parts: z.array(ChatMessagePartSchema),
    metadata: ChatMessageMetadataSchema.optional(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ChatMessage' })
export type ChatMessage = z.infer<typeof ChatMessageSchema>

export const ChatMessageListSchema = z
  .object({ messages: z.array(ChatMessageSchema) })
  .meta({ id: 'ChatMessageList' })
export type ChatMessageList = z.infer<typeof ChatMessageListSchema>

export const ConversationDetailSchema = ConversationSchema.extend({
  messages: z.array(ChatMessageSchema),
}).meta({ id: 'ConversationDetail' })
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>

export const MESSAGE_TEXT_MAX = 100_000

/** A UI message as `useChat` sends it. */
export const ChatInputMessageSchema = z.object({
  id: z.string().min(1).max(200),
  role: z.enum(['user', 'assistant']),
  parts: z.array(ChatMessagePartSchema).min(1).max(500),
  metadata: z.unknown().optional(),
})
export type ChatInputMessage = z.infer<typeof ChatInputMessageSchema>

/**
 * `POST /api/chat/stream`. Send the new message as `message`: a user message starts a turn; the
 * last assistant message, with its `approval-requested` tool parts answered
 * (`addToolApprovalResponse`), continues the turn. `messages` (the whole list, as `useChat`'s
 * default transport sends it) is accepted too: only its last message is read, the rest of the
 * history always comes from the server.
 */
export const ChatStreamRequestSchema = z
  .object({
    conversationId: z.uuid(),
    message: ChatInputMessageSchema.optional(),
    messages: z.array(z.unknown()).min(1).max(10_000).optional(),
    /** Switches the conversation to this model (one of `GET /api/chat/config`'s models). */
    model: ModelIdSchema.optional(),
  })
  .refine((body) => body.message ?? body.messages, {
    message: 'send the new message as `message`',
    path: ['message'],
  })
  .meta({ id: 'ChatStreamRequest' })
export type ChatStreamRequest = z.infer<typeof ChatStreamRequestSchema>

/** `data-tool-mode` (once per response): every offerable tool was offered, or `search_tools`. */
export const ToolModeDataSchema = z.object({
  mode: z.enum(['all', 'search']),
  /** Offerable tools (switched on, not changed); in `search` mode the model sees them on demand. */
  total: z.number().int(),
})
export type ToolModeData = z.infer<typeof ToolModeDataSchema>

/** `data-tool-progress` (id = the tool call's `toolCallId`; each replaces the previous one). */
export const ToolProgressDataSchema = z.object({
  toolCallId: z.string(),
  progress: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
})
export type ToolProgressData = z.infer<typeof ToolProgressDataSchema>

/**
 * `data-tool-call` (id = `toolCallId`): the entry in the tool-call log (`callId`, for
 * `GET /api/user/mcp-tool-calls/:id`) once the call ended; `callId` is null when it was refused
 * before it started (not found, switched off, invalid arguments, rate limited).
 */
export const ToolCallLinkDataSchema = z.object({
  toolCallId: z.string(),
  callId: z.string().nullable(),
  status: z.string(),
})
export type ToolCallLinkData = z.infer<typeof ToolCallLinkDataSchema>

/** The data parts of the chat stream, by name (`data-<name>`), for `UIMessage<…, ChatDataParts>`. */
export type ChatDataParts = {
  'tool-mode': ToolModeData
  'tool-progress': ToolProgressData
  'tool-call': ToolCallLinkData
}

/** `toolMetadata` of every MCP tool part: which tool of which server the function name maps to. */
export const ChatToolMetadataSchema = z.object({
  toolId: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  toolName: z.string(),
})
export type ChatToolMetadata = z.infer<typeof ChatToolMetadataSchema>

/** The output of a successful MCP tool part (`state: 'output-available'`). */
export const ChatToolOutputSchema = z.object({
  /** The call in the tool-call log. */
  callId: z.string(),
  /** MCP content blocks, cut to the chat's size cap (large binary blocks become a text note). */
  content: z.array(z.looseObject({ type: z.string() })),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  truncated: z.boolean().optional(),
})
export type ChatToolOutput = z.infer<typeof ChatToolOutputSchema>

/** The name of the function offered in place of the tools when there are too many. */
export const SEARCH_TOOLS_NAME = 'search_tools'
