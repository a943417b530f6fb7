/**
 * MCP tasks: a tool call the server runs in the background, which the client polls until it
 * ends. Two generations, both through the official `@modelcontextprotocol/ext-tasks` package:
 * - `v1`, the 2025-11-25 tasks: the client asks for a task (`task` in the `tools/call`
 *   params, for tools whose `execution.taskSupport` allows it), then `tasks/get`,
 *   `tasks/result`, `tasks/cancel`; questions arrive as ordinary `elicitation/create` requests.
 * - `v2`, the `io.modelcontextprotocol/tasks` extension of 2026-07-28: the server decides per
 *   call, answering `resultType: "task"`; `tasks/get` carries the result or the questions
 *   (`inputRequests`), answered with `tasks/update`. The SDK client refuses that result type,
 *   so these calls go around its request layer (raw-requests.ts), declaring the extension on
 *   those requests only: a call made through the SDK can never be answered with a task.
 *
 * @module
 */

import { randomUUID } from 'node:crypto'
import type {
  CallToolResult,
  Client,
  ElicitRequest,
  ElicitResult,
  ProgressNotificationParams,
  Tool,
} from '@modelcontextprotocol/client'
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client'
import {
  type ApplicationElicitResult,
  createTaskSessionFromClient,
  DispatchError,
  type DispatchOptions,
  resultFromTaskOutcome,
  TaskCancelledError,
  type TaskEnabledSession,
  TaskFailedError,
  type ToolExecution,
  toolDeclaration,
  type WithTasksOptions,
} from '@modelcontextprotocol/ext-tasks/client'
import type { JsonValue } from '@modelcontextprotocol/ext-tasks/core'
import type { Logger } from '../../log.ts'
import {
  attachRawRequests,
  type RawRequest,
  type RawRequestOptions,
  type RawRequests,
} from './raw-requests.ts'

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks'

export interface TaskProgress {
  progress: number
  total?: number
  message?: string
}

export interface TaskToolCall {
  name: string
  arguments: Record<string, unknown>
  definition: Pick<Tool, 'inputSchema' | 'outputSchema'>
  /** The tool's `execution.taskSupport` (2025-11-25 only; 2026-07-28 servers decide per call). */
  taskSupport?: unknown
  signal: AbortSignal
  /** Each request (the call, every poll) fails after this long without an answer or progress. */
  timeoutMs: number
  /** However long the task runs, it is cancelled after this long. */
  maxDurationMs: number
  onProgress(progress: TaskProgress): void
  /** More `params._meta` for the call (the W3C trace context). */
  meta?: Record<string, string>
}

export interface McpTasks {
  generation: 'v1' | 'v2'
  /**
   * Calls the tool; when the server makes a task of it, polls it to its end (status messages
   * as progress, questions to `elicit`), cancels it upstream when `signal` aborts or it runs
   * past `maxDurationMs` (`TaskTimeoutError`). A task that failed rejects with the server's
   * error as a `ProtocolError`.
   */
  callTool(call: TaskToolCall): Promise<CallToolResult>
  close(): void
}

export interface TasksOptions {
  /** Names the endpoint in task references; unique per server. */
  endpointId: string
  clientInfo: { name: string; version: string }
  /** The capabilities the client declared (the v2 requests declare them too, plus tasks). */
  capabilities: Record<string, unknown>
  elicit?: (params: ElicitRequest['params'], signal: AbortSignal) => Promise<ElicitResult>
  log: Logger
}

/** The tasks `client`'s server offers, if any; call once, after `connect`. */
export function openTasks(client: Client, options: TasksOptions): McpTasks | undefined {
  const generation = generationOf(client)
  if (!generation) return undefined
  const raw = generation === 'v2' ? attachRawRequests(client) : undefined
  const common: WithTasksOptions = {
    // Each call brings its tool's declaration (from our cache): nothing is listed again.
    tools: { currentTool: () => undefined },
    onInputRequest: async (request, context) => {
      // We declare neither sampling nor roots.
      if (request.kind !== 'elicitation') {
        throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `${request.kind} is not offered`)
      }
      const answer: ApplicationElicitResult = options.elicit
        ? ((await options.elicit(
            request.params as ElicitRequest['params'],
            context.signal ?? new AbortController().signal,
          )) as ApplicationElicitResult)
        : { action: 'decline' }
      // The package types the answer by the request's kind; this one is an elicitation.
      return answer as never
    },
    onError: (error) => options.log.debug({ error: error.message }, 'mcp task error'),
  }
  const session: TaskEnabledSession = raw
    ? createTaskSessionFromClient(client, {
        ...common,
        endpointId: options.endpointId,
        rawDispatch: (request, dispatch) =>
          raw.send(request as unknown as RawRequest, rawOptions(dispatch)),
        v2RequestFraming: {
          protocolVersion: client.getNegotiatedProtocolVersion() ?? '',
          clientInfo: options.clientInfo,
          clientCapabilities: options.capabilities as Record<string, JsonValue>,
        },
      })
    : createTaskSessionFromClient(client, { ...common, endpointId: options.endpointId })
  return {
    generation,
    callTool: (call) => callThrough(session, raw, generation, call),
    close: () => {
      void session.close().catch(() => undefined)
    },
  }
}

/** The package races the signal itself, and cancels a task that still comes (raw-requests.ts). */
function rawOptions(dispatch: DispatchOptions | undefined): RawRequestOptions {
  return {
    ...(dispatch?.context?.requestTimeoutMs !== undefined
      ? { timeoutMs: dispatch.context.requestTimeoutMs }
      : {}),
    resetTimeoutOnProgress: dispatch?.context?.resetTimeoutOnProgress === true,
  }
}

function generationOf(client: Client): McpTasks['generation'] | undefined {
  const capabilities = client.getServerCapabilities() as Record<string, unknown> | undefined
  if (client.getProtocolEra() === 'modern') {
    const extensions = capabilities?.extensions as Record<string, unknown> | undefined
    return extensions?.[TASKS_EXTENSION] ? 'v2' : undefined
  }
  return capabilities?.tasks ? 'v1' : undefined
}

async function callThrough(
  session: TaskEnabledSession,
  raw: RawRequests | undefined,
  generation: McpTasks['generation'],
  call: TaskToolCall,
): Promise<CallToolResult> {
  const progressToken = `switchboard-progress-${randomUUID()}`
  // Raw (v2) requests route their progress by our token; the trace context goes on either.
  const metadata = { ...call.meta, ...(raw ? { progressToken } : {}) }
  const stopProgress = raw?.onProgress(progressToken, (progress) =>
    call.onProgress(progressOf(progress)),
  )
  const local = new AbortController()
  const capped = AbortSignal.timeout(call.maxDurationMs)
  const stopWhen = AbortSignal.any([call.signal, capped])
  let execution: ToolExecution<unknown> | undefined
  // Before the task exists, the call itself is abandoned (a task created late is cancelled by
  // the package); after, the task is cancelled upstream (`close` cancels what has not ended).
  const stop = () => {
    if (execution) void execution.close()
    local.abort(stopWhen.reason)
  }
  stopWhen.addEventListener('abort', stop, { once: true })
  try {
    if (stopWhen.aborted) stop()
    execution = await session.callTool(call.name, call.arguments as Record<string, JsonValue>, {
      declaration: toolDeclaration({
        name: call.name,
        inputSchema: call.definition.inputSchema as Record<string, JsonValue>,
        ...(call.definition.outputSchema
          ? { outputSchema: call.definition.outputSchema as Record<string, JsonValue> }
          : {}),
        ...(isTaskSupport(call.taskSupport) ? { taskSupport: call.taskSupport } : {}),
      }),
      signal: local.signal,
      task: { preference: generation === 'v1' ? 'prefer' : 'allow' },
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      requestTimeoutMs: call.timeoutMs,
      resetTimeoutOnProgress: true,
    })
    let step = 0
    const { outcome } = await execution.settle({
      signal: local.signal,
      onEvent: (event) => {
        if (event.type !== 'task' || !event.task.statusMessage) return
        step += 1
        call.onProgress({ progress: step, message: event.task.statusMessage })
      },
    })
    return asCallToolResult(resultFromTaskOutcome(outcome))
  } catch (error) {
    if (capped.aborted && !call.signal.aborted) throw new TaskTimeoutError(call.maxDurationMs)
    if (call.signal.aborted) throw call.signal.reason
    throw plainError(error)
  } finally {
    stopWhen.removeEventListener('abort', stop)
    stopProgress?.()
  }
}

/** The task ran past the call's hard cap (it was cancelled upstream). */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError'
  constructor(readonly ms: number) {
    super(`the task did not finish within ${Math.round(ms / 1000)} s`)
  }
}

/** What the package's errors stand for, as the rest of the client knows them. */
function plainError(error: unknown): unknown {
  if (error instanceof DispatchError && error.cause !== undefined) return plainError(error.cause)
  if (error instanceof TaskFailedError) {
    return new ProtocolError(
      error.code ?? ProtocolErrorCode.InternalError,
      error.message,
      error.data,
    )
  }
  if (error instanceof TaskCancelledError) {
    return new ProtocolError(ProtocolErrorCode.InternalError, 'the server cancelled the task')
  }
  return error
}

function asCallToolResult(result: unknown): CallToolResult {
  const { resultType: _, ...rest } = (result ?? {}) as Record<string, unknown>
  return { content: [], ...rest } as CallToolResult
}

function progressOf(params: ProgressNotificationParams): TaskProgress {
  return {
    progress: params.progress,
    ...(params.total !== undefined ? { total: params.total } : {}),
    ...(params.message !== undefined ? { message: params.message } : {}),
  }
}

function isTaskSupport(value: unknown): value is 'forbidden' | 'optional' | 'required' {
  return value === 'forbidden' || value === 'optional' || value === 'required'
}
