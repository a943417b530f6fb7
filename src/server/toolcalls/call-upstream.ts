import {
  type CallToolResult,
  type InputRequiredResult,
  type Tool,
  TRACEPARENT_META_KEY,
  TRACESTATE_META_KEY,
} from '@modelcontextprotocol/client'
import type { ToolCallProgress } from '../../shared/tool-calls.ts'
import type { McpConnection } from '../mcp/client/connect.ts'
import { relayParams, type UpstreamRelay } from '../mcp/client/relay.ts'
import type { McpTasks } from '../mcp/client/tasks.ts'
import { McpTimeoutError } from '../mcp/client/upstream-errors.ts'
import type { TraceContext } from '../observability/tracing.ts'

export { TaskTimeoutError } from '../mcp/client/tasks.ts'

export interface UpstreamCall {
  name: string
  arguments: Record<string, unknown>
  /** The tool's `execution` (MCP tasks: `taskSupport`). */
  execution: Record<string, unknown> | null
  /**
   * The tool as discovered (cached): on a 2026-07-28 connection the SDK mirrors the parameters
   * it marks `x-mcp-header` into `Mcp-Param-*` headers from it, and checks the result against
   * its output schema, without listing the tools again on a fresh connection.
   */
  definition: Pick<Tool, 'inputSchema' | 'outputSchema'>
  signal: AbortSignal
  /** Without a progress notification for this long, the call times out. */
  timeoutMs: number
  /** However much progress it reports, the call ends after this long. */
  maxDurationMs: number
  onProgress: (progress: ToolCallProgress) => void
  /** The no-progress timer of this call; created by the caller, which may hold it. */
  idle?: IdleTimer
  /** The trace this call is part of, sent on in `params._meta` for the server's own spans. */
  trace?: TraceContext | null
}

/**
 * Times a call out after `timeoutMs` without news from the server. Progress resets it; while
 * it is held (the server is waiting on the user to answer an elicitation) it does not run.
 */
export interface IdleTimer {
  /** Aborts with an `McpTimeoutError` when the time runs out. */
  readonly signal: AbortSignal
  touch(): void
  /** Stops the clock until the returned function is called (holds nest). */
  hold(): () => void
  clear(): void
}

export function createIdleTimer(timeoutMs: number): IdleTimer {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let holds = 0
  const start = () => {
    clearTimeout(timer)
    if (holds > 0 || controller.signal.aborted) return
    timer = setTimeout(() => controller.abort(new McpTimeoutError(timeoutMs)), timeoutMs)
  }
  start()
  return {
    signal: controller.signal,
    touch: start,
    hold() {
      holds += 1
      clearTimeout(timer)
      let released = false
      return () => {
        if (released) return
        released = true
        holds -= 1
        start()
      }
    },
    clear: () => {
      clearTimeout(timer)
      holds = Number.POSITIVE_INFINITY
    },
  }
}

/**
 * Calls the tool on an open session. Progress notifications reset the timeout (up to
 * `maxDurationMs`); aborting `signal` sends `notifications/cancelled`. A call that may become
 * an MCP task (see `runsAsTask`) goes through the connection's tasks (mcp/client/tasks.ts):
 * polled to its end, cancelled upstream with `tasks/cancel`.
 */
export async function callUpstream(
  connection: McpConnection,
  call: UpstreamCall,
): Promise<CallToolResult>
/** With a `relay`, the server may answer `input_required` for the caller's client. */
export async function callUpstream(
  connection: McpConnection,
  call: UpstreamCall,
  relay: UpstreamRelay | undefined,
): Promise<CallToolResult | InputRequiredResult>
export async function callUpstream(
  connection: McpConnection,
  call: UpstreamCall,
  relay?: UpstreamRelay,
): Promise<CallToolResult | InputRequiredResult> {
  const { tasks } = connection
  const traceMeta = traceMetaOf(call.trace)
  // A task's questions come in `tasks/get`, which Switchboard answers itself: no relay there.
  if (tasks && runsAsTask(tasks, connection, call)) {
    call.idle?.clear()
    return tasks.callTool({
      name: call.name,
      arguments: call.arguments,
      definition: call.definition,
      taskSupport: call.execution?.taskSupport,
      signal: call.signal,
      timeoutMs: call.timeoutMs,
      maxDurationMs: call.maxDurationMs,
      onProgress: call.onProgress,
      ...(traceMeta ? { meta: traceMeta } : {}),
    })
  }
  const params = {
    name: call.name,
    arguments: call.arguments,
    ...(traceMeta ? { _meta: traceMeta } : {}),
    ...(relay ? relayParams(relay, traceMeta ?? {}) : {}),
  }
  const onprogress = (progress: { progress: number; total?: number; message?: string }) =>
    call.onProgress({
      progress: progress.progress,
      ...(progress.total !== undefined ? { total: progress.total } : {}),
      ...(progress.message !== undefined ? { message: progress.message } : {}),
    })
  // Our own no-progress timer (which an elicitation can hold) under the SDK's overall cap.
  const idle = call.idle ?? createIdleTimer(call.timeoutMs)
  try {
    return await connection.client.callTool(params, {
      toolDefinition: { name: call.name, ...call.definition },
      signal: AbortSignal.any([call.signal, idle.signal]),
      timeout: call.maxDurationMs,
      onprogress: (progress) => {
        idle.touch()
        onprogress(progress)
      },
      // The client answers: the SDK hands `input_required` back rather than asking our user.
      ...(relay ? { allowInputRequired: true } : {}),
    })
  } catch (error) {
    // The SDK rejects an aborted request with a bare "timed out": say after how long.
    if (idle.signal.aborted && !call.signal.aborted) throw idle.signal.reason
    throw error
  } finally {
    idle.clear()
  }
}

/**
 * W3C trace context as MCP carries it in a request's `_meta` (2026-07-28, SEP-414); the keys are
 * not era-specific, so 2025 servers that read them get it too.
 */
function traceMetaOf(trace: TraceContext | null | undefined): Record<string, string> | null {
  if (!trace) return null
  return {
    [TRACEPARENT_META_KEY]: trace.traceparent,
    ...(trace.tracestate ? { [TRACESTATE_META_KEY]: trace.tracestate } : {}),
  }
}

/**
 * 2025-11-25: a tool that requires tasks, or allows them on a server that runs tool calls as
 * tasks. 2026-07-28: any call to a server with the tasks extension, since the server decides;
 * except tools with `x-mcp-header` parameters, whose `Mcp-Param-*` headers only the SDK's own
 * call path sends (without the extension declared, such a call is never made a task).
 */
function runsAsTask(tasks: McpTasks, connection: McpConnection, call: UpstreamCall): boolean {
  if (tasks.generation === 'v2') {
    return !JSON.stringify(call.definition.inputSchema).includes('"x-mcp-header"')
  }
  const support = call.execution?.taskSupport
  if (support === 'required') return true
  if (support !== 'optional') return false
  const capability = connection.serverInfo.capabilities.tasks as
    | { requests?: { tools?: { call?: unknown } } }
    | undefined
  return capability?.requests?.tools?.call !== undefined
}
