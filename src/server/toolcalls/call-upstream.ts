import type { CallToolResult, Tool } from '@modelcontextprotocol/client'
import { z } from 'zod'
import type { ToolCallProgress } from '../../shared/tool-calls.ts'
import type { McpConnection } from '../mcp/client/connect.ts'
import { McpTimeoutError } from '../mcp/client/upstream-errors.ts'

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

const TaskSchema = z.looseObject({
  taskId: z.string(),
  status: z.enum(['working', 'input_required', 'completed', 'failed', 'cancelled']),
  statusMessage: z.string().optional(),
  pollInterval: z.number().optional(),
})
const CreateTaskResultSchema = z.looseObject({ task: TaskSchema })
const CallToolResultSchema = z.looseObject({
  content: z.array(z.looseObject({ type: z.string() })).default([]),
  structuredContent: z.unknown().optional(),
  isError: z.boolean().optional(),
})
const TASK_TTL_MS = 30 * 60_000
const MIN_POLL_MS = 200
const MAX_POLL_MS = 5_000

/**
 * Calls the tool on an open session. Progress notifications reset the timeout (up to
 * `maxDurationMs`); aborting `signal` sends `notifications/cancelled`. A tool that requires MCP
 * tasks (`execution.taskSupport: "required"`, or "optional" on a server that offers tasks for
 * tool calls) runs as a task: created, polled with `tasks/get`, its result fetched with
 * `tasks/result`, and cancelled with `tasks/cancel`.
 */
export async function callUpstream(
  connection: McpConnection,
  call: UpstreamCall,
): Promise<CallToolResult> {
  const onprogress = (progress: { progress: number; total?: number; message?: string }) =>
    call.onProgress({
      progress: progress.progress,
      ...(progress.total !== undefined ? { total: progress.total } : {}),
      ...(progress.message !== undefined ? { message: progress.message } : {}),
    })
  const params = { name: call.name, arguments: call.arguments }
  if (usesTasks(connection, call.execution)) {
    const options = {
      signal: call.signal,
      timeout: call.timeoutMs,
      resetTimeoutOnProgress: true,
      maxTotalTimeout: call.maxDurationMs,
      onprogress,
    }
    return callAsTask(connection, call, params, options)
  }
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
    })
  } catch (error) {
    // The SDK rejects an aborted request with a bare "timed out": say after how long.
    if (idle.signal.aborted && !call.signal.aborted) throw idle.signal.reason
    throw error
  } finally {
    idle.clear()
  }
}

function usesTasks(connection: McpConnection, execution: Record<string, unknown> | null): boolean {
  const support = execution?.taskSupport
  if (support === 'required') return true
  if (support !== 'optional') return false
  const tasks = connection.serverInfo.capabilities.tasks as
    | { requests?: { tools?: { call?: unknown } } }
    | undefined
  return tasks?.requests?.tools?.call !== undefined
}

async function callAsTask(
  connection: McpConnection,
  call: UpstreamCall,
  params: { name: string; arguments: Record<string, unknown> },
  options: { signal: AbortSignal; timeout: number },
): Promise<CallToolResult> {
  const { client } = connection
  const started = Date.now()
  const created = await client.request(
    { method: 'tools/call', params: { ...params, task: { ttl: TASK_TTL_MS } } },
    CreateTaskResultSchema,
    options,
  )
  let task = created.task
  const cancel = () => {
    client
      .request({ method: 'tasks/cancel', params: { taskId: task.taskId } }, z.looseObject({}))
      .catch(() => undefined)
  }
  call.signal.addEventListener('abort', cancel, { once: true })
  try {
    let step = 0
    while (task.status === 'working' || task.status === 'input_required') {
      if (Date.now() - started > call.maxDurationMs) {
        cancel()
        throw new TaskTimeoutError(call.maxDurationMs)
      }
      if (task.statusMessage) {
        call.onProgress({ progress: step, message: task.statusMessage })
      }
      step += 1
      await sleep(clamp(task.pollInterval ?? 1_000, MIN_POLL_MS, MAX_POLL_MS), call.signal)
      task = TaskSchema.parse(
        await client.request(
          { method: 'tasks/get', params: { taskId: task.taskId } },
          z.looseObject({}),
          options,
        ),
      )
    }
    const result = await client.request(
      { method: 'tasks/result', params: { taskId: task.taskId } },
      CallToolResultSchema,
      options,
    )
    return result as CallToolResult
  } finally {
    call.signal.removeEventListener('abort', cancel)
  }
}

/** The task ran past the call's hard cap (it was cancelled upstream). */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError'
  constructor(readonly ms: number) {
    super(`the task did not finish within ${Math.round(ms / 1000)} s`)
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
