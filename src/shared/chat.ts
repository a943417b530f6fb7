import { z } from 'zod'
import { AttachmentLimitsSchema } from './attachments.ts'
import { ErrorReasonSchema } from './error-reasons.ts'
import type { PromptPartData } from './mcp-prompts.ts'
import { ConversationStartSchema, InstructionsSchema, ServerIdsSchema } from './presets.ts'

// Chat: conversations, their messages (AI SDK UI messages, stored as is), the stream request and
// the data parts the stream carries besides the SDK's own parts.

export const DEFAULT_CONVERSATION_TITLE = 'New conversation'

/**
 * The reason stored with an approval the user never gave: they sent a new message instead, and
 * the server denied the call. The model reads it, so it stays English; the UI shows the card
 * closed, in the reader's words.
 */
export const SUPERSEDED_APPROVAL_REASON =
  'The user denied this tool call: they sent a new message instead of answering.'

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
    /** The largest file of each kind a message may have attached. */
    attachments: AttachmentLimitsSchema,
  })
  .meta({ id: 'ChatConfig' })
export type ChatConfig = z.infer<typeof ChatConfigSchema>

export const ConversationSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    /** null: the operator's default model. */
    model: z.string().nullable(),
    /** The user's own system prompt for this conversation (after the operator's). */
    instructions: z.string().nullable(),
    /** The servers whose tools it offers; null: all of the user's. */
    serverIds: z.array(z.string()).nullable(),
    /** Listed first. */
    pinned: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Conversation' })
export type Conversation = z.infer<typeof ConversationSchema>

export const ConversationCreateSchema = z
  .object({
    title: z.string().trim().min(1).max(CONVERSATION_TITLE_MAX).optional(),
    model: ModelIdSchema.optional(),
    instructions: InstructionsSchema.nullable().optional(),
    serverIds: ServerIdsSchema.nullable().optional(),
    /** Start from a preset: its model, instructions and servers (the fields above win). */
    presetId: z.uuid().optional(),
  })
  .strict()
  .meta({ id: 'ConversationCreate' })
export type ConversationCreate = z.infer<typeof ConversationCreateSchema>

export const ConversationUpdateSchema = z
  .object({
    title: z.string().trim().min(1).max(CONVERSATION_TITLE_MAX).optional(),
    model: ModelIdSchema.nullable().optional(),
    /** null or blank: none. */
    instructions: InstructionsSchema.nullable().optional(),
    /** null: every server of the user; []: no tools. */
    serverIds: ServerIdsSchema.nullable().optional(),
    pinned: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .meta({ id: 'ConversationUpdate' })
export type ConversationUpdate = z.infer<typeof ConversationUpdateSchema>

export const ConversationListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  /** Only conversations whose title or message text holds this (any case; `%` and `_` as typed). */
  q: z.string().trim().max(200).optional(),
})
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>

export const ConversationListItemSchema = ConversationSchema.extend({
  /** With `q`: the words around the first match in the messages (none when the title matched). */
  match: z.string().optional(),
}).meta({ id: 'ConversationListItem' })
export type ConversationListItem = z.infer<typeof ConversationListItemSchema>

export const ConversationListSchema = z
  .object({
    /** Pinned first, then most recently active first. */
    conversations: z.array(ConversationListItemSchema),
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
    /** `error` as a message id and parameters, for the UI to say in the reader's language. */
    errorReason: ErrorReasonSchema.optional(),
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

/**
 * A stored message: an AI SDK `UIMessage` (usable as `useChat({ messages })`) plus its time and
 * its place in the conversation's tree.
 */
export const ChatMessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(['system', 'user', 'assistant']),
    parts: z.array(ChatMessagePartSchema),
    metadata: ChatMessageMetadataSchema.optional(),
    createdAt: z.iso.datetime(),
    /** The message it follows; null for the first. */
    parentId: z.string().nullable().optional(),
    /**
     * Only when it has siblings (it was edited, or answered again): every child of its parent,
     * itself included, oldest first. Each is a branch; `POST …/branch` shows another one.
     */
    siblingIds: z.array(z.string()).optional(),
  })
  .meta({ id: 'ChatMessage' })
export type ChatMessage = z.infer<typeof ChatMessageSchema>

export const ChatMessageListSchema = z
  .object({ messages: z.array(ChatMessageSchema) })
  .meta({ id: 'ChatMessageList' })
export type ChatMessageList = z.infer<typeof ChatMessageListSchema>

/** A conversation with the branch on show: its messages from the first to the current leaf. */
export const ConversationDetailSchema = ConversationSchema.extend({
  messages: z.array(ChatMessageSchema),
}).meta({ id: 'ConversationDetail' })
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>

/** `POST /api/conversations/:id/branch`: show the branch through this message. */
export const ConversationBranchSchema = z
  .object({ messageId: z.string().min(1).max(200) })
  .strict()
  .meta({ id: 'ConversationBranch' })
export type ConversationBranch = z.infer<typeof ConversationBranchSchema>

export const ConversationExportQuerySchema = z.object({
  format: z.enum(['md', 'json']).default('md'),
})
export type ConversationExportQuery = z.infer<typeof ConversationExportQuerySchema>

/**
 * `GET /api/conversations/:id/export?format=json`: the whole conversation, every branch (each
 * message names its parent), and which leaf was on show.
 */
export const ConversationExportSchema = z
  .object({
    format: z.literal('switchboard.conversation'),
    version: z.literal(1),
    exportedAt: z.iso.datetime(),
    conversation: ConversationSchema.extend({ currentMessageId: z.string().nullable() }),
    messages: z.array(ChatMessageSchema),
  })
  .meta({ id: 'ConversationExport' })
export type ConversationExport = z.infer<typeof ConversationExportSchema>

export const MESSAGE_TEXT_MAX = 100_000

/** A UI message as `useChat` sends it. */
export const ChatInputMessageSchema = z.object({
  id: z.string().min(1).max(200),
  role: z.enum(['user', 'assistant']),
  parts: z.array(ChatMessagePartSchema).min(1).max(500),
  metadata: z.unknown().optional(),
})
export type ChatInputMessage = z.infer<typeof ChatInputMessageSchema>

const MessageIdSchema = z.string().min(1).max(200)

/**
 * `POST /api/chat/stream`. Send the new message as `message`: a user message starts a turn (after
 * the current branch's last message, or after `parentId`: editing a message sends the new text
 * with the parent of the one edited, and both stay as branches); a user message already stored
 * is answered again. The last assistant message, with its `approval-requested` tool parts
 * answered (`addToolApprovalResponse`), continues the turn. `regenerate` answers again instead:
 * an assistant message gets a new sibling (a branch; the old answer stays). `messages` (the
 * whole list, as `useChat`'s default transport sends it) is accepted too: only its last message
 * is read, the rest of the history always comes from the server.
 *
 * A `conversationId` that does not exist yet is created by its first user message (the web
 * app's new conversations are drafts until then).
 */
export const ChatStreamRequestSchema = z
  .object({
    conversationId: z.uuid(),
    message: ChatInputMessageSchema.optional(),
    messages: z.array(z.unknown()).min(1).max(10_000).optional(),
    /** Where a new user message goes: after this message, or first (null); default: the leaf. */
    parentId: MessageIdSchema.nullable().optional(),
    /** Answer again: an assistant message (a new sibling of it), or a user message (its answer). */
    regenerate: MessageIdSchema.optional(),
    /**
     * The model of this answer (one on offer). With a new message the conversation switches to
     * it; with `regenerate` only this answer uses it.
     */
    model: ModelIdSchema.optional(),
    /** With the first message of a conversation not stored yet: its preset, instructions, servers. */
    start: ConversationStartSchema.optional(),
  })
  .refine((body) => body.message ?? body.messages ?? body.regenerate, {
    message: 'send the new message as `message`, or the message to answer again as `regenerate`',
    path: ['message'],
  })
  .refine((body) => !(body.regenerate && (body.message ?? body.messages)), {
    message: 'send either a message or `regenerate`, not both',
    path: ['regenerate'],
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
  /** Why it failed, for the UI to say in the reader's language (see `ErrorReason`). */
  reason: ErrorReasonSchema.optional(),
})
export type ToolCallLinkData = z.infer<typeof ToolCallLinkDataSchema>

/** The data parts of the chat stream, by name (`data-<name>`), for `UIMessage<…, ChatDataParts>`. */
export type ChatDataParts = {
  /** A user message that starts with a server's prompt (see `PromptPartDataSchema`). */
  prompt: PromptPartData
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
