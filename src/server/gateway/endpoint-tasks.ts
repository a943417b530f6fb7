/**
 * Long calls as tasks (MCP 2026-07-28, the `io.modelcontextprotocol/tasks` extension) at the
 * personal endpoint. A client that declares the extension is not held on a call that runs long:
 * past `TASK_AFTER_MS` it gets a task handle, the call goes on, and the client polls `tasks/get`
 * or stops it with `tasks/cancel`. A task is the call's row in the call log, so any instance
 * answers for it and it outlives the request; its id is the call's id.
 *
 * The server SDK has no tasks of its own: the methods are registered here as custom ones.
 *
 * @module
 */

import {
  ProtocolError,
  ProtocolErrorCode,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server'
import { z } from 'zod'
import { FINAL_TOOL_CALL_STATUSES, type ToolCallView } from '../../shared/tool-calls.ts'
import { NotFoundError } from '../errors.ts'
import { cancelToolCall, getToolCall, type ToolCallDeps } from '../toolcalls/tool-call-service.ts'

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks'
/**
 * How long a call is waited for before a client that takes tasks gets a task instead: a tool
 * that declares task support becomes one at once (unless it answers at once), others after 5 s.
 */
export function taskAfterMs(execution: unknown): number {
  return taskSupportOf(execution) ? 0 : 5_000
}
/** How long a task's result can be fetched: the call log keeps it far longer. */
const TASK_TTL_MS = 24 * 60 * 60_000
const POLL_INTERVAL_MS = 1_000

const TaskParams = z.object({ taskId: z.string().min(1).max(100) }).passthrough()
const Anything = z.object({}).passthrough()

/** A tool's declared task support (`execution.taskSupport`), when it allows or needs tasks. */
export function taskSupportOf(execution: unknown): 'optional' | 'required' | undefined {
  const support = pick(execution, 'taskSupport')
  return support === 'optional' || support === 'required' ? support : undefined
}

/** The error for a call that needs a task from a client that did not declare the extension. */
export function tasksRequired(what: string): ProtocolError {
  return new ProtocolError(
    ProtocolErrorCode.MissingRequiredClientCapability,
    `${what} runs only as a task: declare the ${TASKS_EXTENSION} extension`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  )
}

/** Whether the request's client declared the tasks extension (2026-07-28 `_meta`). */
export function clientTakesTasks(envelope: unknown): boolean {
  const capabilities = pick(envelope, 'io.modelcontextprotocol/clientCapabilities')
  return pick(pick(capabilities, 'extensions'), TASKS_EXTENSION) !== undefined
}

/**
 * `tasks/get`, `tasks/update` and `tasks/cancel` for the user's calls made through the endpoint,
 * to clients that declared the extension (others get -32021, naming it).
 */
export function registerTaskMethods(
  server: Server,
  deps: Pick<ToolCallDeps, 'db' | 'toolCalls' | 'events'>,
  userId: string,
): void {
  const callOf = async (taskId: string, ctx: ServerContext) => {
    if (!clientTakesTasks(ctx.mcpReq.envelope)) throw tasksRequired('following a task')
    const call = z.uuid().safeParse(taskId).success
      ? await getToolCall(deps, { userId, id: taskId }).catch((error: unknown) => {
          if (error instanceof NotFoundError) return null
          throw error
        })
      : null
    // Someone else's call, or not one made through the endpoint: no such task.
    if (call?.source !== 'mcp') {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `no task ${taskId.slice(0, 100)}`)
    }
    return call
  }
  server.setRequestHandler(
    'tasks/get',
    { params: TaskParams, result: Anything },
    async (params, ctx) => ({
      resultType: 'complete',
      ...taskOf(await callOf(params.taskId, ctx)),
    }),
  )
  server.setRequestHandler(
    'tasks/update',
    { params: TaskParams, result: Anything },
    async (params, ctx) => {
      await callOf(params.taskId, ctx)
      // Switchboard asks its questions before a call starts; a task never waits for input.
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `task ${params.taskId.slice(0, 100)} is not waiting for input`,
      )
    },
  )
  server.setRequestHandler(
    'tasks/cancel',
    { params: TaskParams, result: Anything },
    async (params, ctx) => {
      const call = await callOf(params.taskId, ctx)
      if (!FINAL_TOOL_CALL_STATUSES.includes(call.status)) {
        await cancelToolCall(deps, { userId, id: call.id })
      }
      return { resultType: 'complete' }
    },
  )
}

/**
 * The handle a long call is answered with (`resultType: 'task'`). The SDK types a `tools/call`
 * answer as a CallToolResult only; a task handle is the extension's other answer to it.
 */
export function taskHandle(call: ToolCallView): { content: never[] } {
  return { resultType: 'task', ...taskOf(call) } as unknown as { content: never[] }
}

/**
 * The call as a task: working while it runs (its latest progress as the status message);
 * completed with the tool's answer (an error result too: the tool answered); cancelled; failed
 * with what went wrong when there was no answer (a protocol error, a timeout, a lost server).
 */
function taskOf(call: ToolCallView): Record<string, unknown> {
  const base = {
    taskId: call.id,
    createdAt: call.createdAt,
    lastUpdatedAt: call.finishedAt ?? new Date().toISOString(),
    ttlMs: TASK_TTL_MS,
    pollIntervalMs: POLL_INTERVAL_MS,
  }
  if (!FINAL_TOOL_CALL_STATUSES.includes(call.status)) {
    const message = statusMessageOf(call.progress)
    return { ...base, status: 'working', ...(message ? { statusMessage: message } : {}) }
  }
  // The tool answered (an error of its own too: `tool_error`): completed, with its answer.
  if (call.output && (call.status === 'succeeded' || call.errorCode === 'tool_error')) {
    return {
      ...base,
      status: 'completed',
      result: {
        resultType: 'complete',
        content: call.output.content,
        ...(call.output.structuredContent
          ? { structuredContent: call.output.structuredContent }
          : {}),
        ...(call.output.isError ? { isError: true } : {}),
      },
    }
  }
  if (call.status === 'cancelled') return { ...base, status: 'cancelled' }
  return {
    ...base,
    status: 'failed',
    error: { code: -32603, message: call.error ?? `the call ended: ${call.status}` },
  }
}

/** The call's latest progress in words: the server's own, else how far it is. */
function statusMessageOf(progress: ToolCallView['progress']): string | null {
  if (!progress) return null
  if (progress.message) return progress.message
  return progress.total !== undefined
    ? `${progress.progress} of ${progress.total}`
    : String(progress.progress)
}

function pick(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined
}
