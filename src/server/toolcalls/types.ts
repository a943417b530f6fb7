import type {
  ToolCallMode,
  ToolCallProgress,
  ToolCallSource,
  ToolCallView,
} from '../../shared/tool-calls.ts'
import type { RelayedInputRequired, UpstreamRelay } from '../mcp/client/relay.ts'

/** Which tool: by id, or by server id + tool name. */
export type ToolTarget = { toolId: string } | { serverId: string; toolName: string }

export interface ToolCallInput {
  user: { id: string; email: string }
  target: ToolTarget
  arguments: Record<string, unknown>
  source: ToolCallSource
  /** With source `mcp`: the name the MCP client gave itself, for the call log. */
  clientName?: string | null
  /**
   * With source `app`: the tool whose MCP App asks, and whether the user confirmed the call.
   * The target must be a tool of the same server (app-calls.ts).
   */
  app?: { toolId: string; approved: boolean }
  /**
   * `async`: answer at once with the pending call. `sync`: wait for the end, but past
   * `asyncAfterMs` (default: config `toolCalls.asyncAfterMs`; null: never) hand back the running
   * call and let it go on in the background.
   */
  mode: ToolCallMode
  asyncAfterMs?: number | null
  conversationId?: string | null
  messageId?: string | null
  ip?: string | null
  /** Aborting cancels the call upstream (`notifications/cancelled`): the chat's Stop button. */
  signal?: AbortSignal
  /** Each progress notification, as it arrives (also published as `tool-call.progress`). */
  onProgress?: (progress: ToolCallProgress) => void
  /**
   * The caller's own MCP client answers the server's questions (the personal endpoint, for a
   * 2026-07-28 client that can be asked): see `UpstreamRelay`. An `input_required` answer then
   * ends the call with `inputRequired` on the outcome, for the client to answer and retry.
   */
  relay?: UpstreamRelay
}

/**
 * `finished`: the call ended (`call.status` says how: succeeded, failed, timeout, cancelled).
 * `accepted`: still running; follow it by id or over `/api/events`.
 * Refusals (not the user's tool, disabled, invalid arguments, rate limited) are thrown as
 * AppErrors before anything reaches the upstream, and are audited.
 */
export type ToolCallOutcome =
  | {
      kind: 'finished'
      call: ToolCallView
      inputRequired?: RelayedInputRequired
      missingCapabilities?: Record<string, unknown>
    }
  | { kind: 'accepted'; call: ToolCallView }
