import { z } from 'zod'
import { ErrorReasonSchema } from './error-reasons.ts'

export const TOOL_CALL_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'timeout',
  'cancelled',
  'interrupted',
] as const
export const ToolCallStatusSchema = z.enum(TOOL_CALL_STATUSES)
export type ToolCallStatus = z.infer<typeof ToolCallStatusSchema>

/** Statuses a call never leaves. */
export const FINAL_TOOL_CALL_STATUSES: readonly ToolCallStatus[] = [
  'succeeded',
  'failed',
  'timeout',
  'cancelled',
  'interrupted',
]

/** `app`: an MCP App called a tool of its own server from its card (chat or tester). */
export const ToolCallSourceSchema = z.enum(['chat', 'manual', 'api', 'app', 'mcp'])
export type ToolCallSource = z.infer<typeof ToolCallSourceSchema>

export const ToolCallModeSchema = z.enum(['sync', 'async'])
export type ToolCallMode = z.infer<typeof ToolCallModeSchema>

/** Arguments are a JSON object (MCP `tools/call` params.arguments). */
export const ToolArgumentsSchema = z.record(z.string(), z.unknown())

/**
 * `POST /api/chat/tool-call`: name the tool by id, or by server id + tool name. The source is
 * `api` for this route (the tester sends `manual`; the chat calls the service directly).
 */
export const ToolCallRequestSchema = z
  .object({
    toolId: z.uuid().optional(),
    serverId: z.uuid().optional(),
    toolName: z.string().min(1).max(256).optional(),
    arguments: ToolArgumentsSchema.default({}),
    mode: ToolCallModeSchema.default('sync'),
    /**
     * With `mode: "sync"`: how long to wait for the end before answering 202 with the running
     * call (at most, and by default, the operator's `toolCalls.asyncAfterMs`).
     */
    asyncAfterMs: z.number().int().min(0).max(3_600_000).optional(),
    source: z.enum(['manual', 'api', 'app']).default('api'),
    /**
     * With `source: "app"`: the tool whose app asks. Only tools of that tool's server may be
     * called, and only if the app's tool is the caller's.
     */
    appToolId: z.uuid().optional(),
    /**
     * With `source: "app"`: the user confirmed this call. A tool that asks for approval
     * (its approval policy) is refused from an app without it (409 `approval_required`).
     */
    approved: z.boolean().optional(),
    conversationId: z.uuid().optional(),
    messageId: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((body) => body.toolId ?? (body.serverId && body.toolName), {
    message: 'name the tool: toolId, or serverId and toolName',
    path: ['toolId'],
  })
  .refine((body) => (body.source === 'app') === (body.appToolId !== undefined), {
    message: 'appToolId goes with source "app", and only with it',
    path: ['appToolId'],
  })
  .meta({ id: 'ToolCallRequest' })
export type ToolCallRequest = z.infer<typeof ToolCallRequestSchema>

/** The latest progress notification of a call (MCP `notifications/progress`). */
export const ToolCallProgressSchema = z
  .object({
    progress: z.number(),
    total: z.number().optional(),
    message: z.string().optional(),
  })
  .meta({ id: 'ToolCallProgress' })
export type ToolCallProgress = z.infer<typeof ToolCallProgressSchema>

/**
 * The MCP `CallToolResult` as the server sent it; `truncated` when it was larger than the cap
 * (then `content` holds one text block with the start of it).
 */
export const ToolCallOutputSchema = z
  .object({
    content: z.array(z.looseObject({ type: z.string() })),
    structuredContent: z.record(z.string(), z.unknown()).optional(),
    isError: z.boolean().optional(),
    truncated: z.boolean().optional(),
  })
  .meta({ id: 'ToolCallOutput' })
export type ToolCallOutput = z.infer<typeof ToolCallOutputSchema>

export const ToolCallViewSchema = z
  .object({
    id: z.string(),
    serverId: z.string().nullable(),
    serverName: z.string(),
    toolId: z.string().nullable(),
    toolName: z.string(),
    conversationId: z.string().nullable(),
    messageId: z.string().nullable(),
    source: ToolCallSourceSchema,
    /** With source `mcp`: the name the MCP client gave itself (Claude Desktop, Cursor…). */
    clientName: z.string().nullable(),
    mode: ToolCallModeSchema,
    status: ToolCallStatusSchema,
    /** The arguments, with values of secret-looking keys masked. */
    input: ToolArgumentsSchema,
    output: ToolCallOutputSchema.nullable(),
    errorCode: z.string().nullable(),
    error: z.string().nullable(),
    /** `error` as a message id and parameters, for the UI to say in the reader's language. */
    errorReason: ErrorReasonSchema.nullable(),
    progress: ToolCallProgressSchema.nullable(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    durationMs: z.number().nullable(),
  })
  .meta({ id: 'ToolCall' })
export type ToolCallView = z.infer<typeof ToolCallViewSchema>

/** 200 (finished: `call.status` says how) or 202 (still running: follow it by id). */
export const ToolCallReplySchema = z
  .object({ call: ToolCallViewSchema })
  .meta({ id: 'ToolCallReply' })
export type ToolCallReply = z.infer<typeof ToolCallReplySchema>

export const ToolCallListQuerySchema = z.object({
  serverId: z.uuid().optional(),
  /** Part of the tool's name, in any case: `ech` finds `echo` and `Echo_Twice`. */
  toolName: z.string().max(256).optional(),
  status: ToolCallStatusSchema.optional(),
  conversationId: z.uuid().optional(),
  /** Part of the title of the conversation the call was made in, in any case. */
  conversation: z.string().max(200).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
})
export type ToolCallListQuery = z.infer<typeof ToolCallListQuerySchema>

export const ToolCallListSchema = z
  .object({
    calls: z.array(ToolCallViewSchema),
    /** Pass as `cursor` for the next (older) page; null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ToolCallList' })
export type ToolCallList = z.infer<typeof ToolCallListSchema>

/** Per-day counts by status and per-server latency, for the tool calls page charts. */
export const ToolCallStatsSchema = z
  .object({
    days: z.array(
      z.object({
        day: z.string(),
        counts: z.partialRecord(ToolCallStatusSchema, z.number()),
      }),
    ),
    servers: z.array(
      z.object({
        serverId: z.string().nullable(),
        serverName: z.string(),
        calls: z.number(),
        errors: z.number(),
        errorRate: z.number(),
        p50Ms: z.number().nullable(),
        p95Ms: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'ToolCallStats' })
export type ToolCallStats = z.infer<typeof ToolCallStatsSchema>
