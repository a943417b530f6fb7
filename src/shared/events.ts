import { z } from 'zod'
import { ElicitationOutcomeSchema, ElicitationViewSchema } from './elicitations.ts'
import { ErrorReasonSchema } from './error-reasons.ts'
import { McpServerStatusSchema } from './mcp-servers.ts'
import { ToolCallProgressSchema, ToolCallViewSchema } from './tool-calls.ts'

/** A server's status changed (or was re-checked): what the servers page needs to update a row. */
export const ServerStatusEventSchema = z.object({
  type: z.literal('server.status'),
  serverId: z.string(),
  status: McpServerStatusSchema,
  lastError: z.string().nullable(),
  lastErrorReason: ErrorReasonSchema.nullable(),
  lastCheckedAt: z.iso.datetime().nullable(),
  lastLatencyMs: z.number().nullable(),
})

/** The server's cached tool list changed (sync, update, or the server said so). */
export const ServerToolsEventSchema = z.object({
  type: z.literal('server.tools'),
  serverId: z.string(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
})

/** A tool call reported progress (MCP `notifications/progress`). */
export const ToolCallProgressEventSchema = z.object({
  type: z.literal('tool-call.progress'),
  callId: z.string(),
  progress: ToolCallProgressSchema,
})

/** A tool call started, finished, or otherwise changed status: the whole call as it is now. */
export const ToolCallUpdatedEventSchema = z.object({
  type: z.literal('tool-call.updated'),
  call: ToolCallViewSchema,
})

/** A server asks the user something in the middle of a call (MCP elicitation: a form or a link). */
export const ElicitationRequestedEventSchema = z.object({
  type: z.literal('elicitation.requested'),
  elicitation: ElicitationViewSchema,
})

/** The question was answered, cancelled by the server, or timed out: close its form. */
export const ElicitationEndedEventSchema = z.object({
  type: z.literal('elicitation.ended'),
  id: z.string(),
  outcome: ElicitationOutcomeSchema,
})

/** The account was disabled or deleted: the stream ends, and the page signs out. */
export const AccountEndedEventSchema = z.object({ type: z.literal('account.ended') })

/** Everything `GET /api/events` sends, as the `data` of SSE messages whose `event` is the type. */
export const AppEventSchema = z
  .discriminatedUnion('type', [
    ServerStatusEventSchema,
    ServerToolsEventSchema,
    ToolCallProgressEventSchema,
    ToolCallUpdatedEventSchema,
    ElicitationRequestedEventSchema,
    ElicitationEndedEventSchema,
    AccountEndedEventSchema,
  ])
  .meta({ id: 'AppEvent' })
export type AppEvent = z.infer<typeof AppEventSchema>
