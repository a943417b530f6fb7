/**
 * The one way a tool is called, whether by the model in chat, by the user in the tester or by a
 * program through the API: authorize (the caller's tool, switched on), validate the arguments,
 * take from the rate limits, call upstream on the user's pooled session with progress and
 * cancellation, and record it all in the call log, the audit log and the live events.
 *
 * @module
 */
import type { CallToolResult } from '@modelcontextprotocol/client'
import type { ToolCallOutput, ToolCallProgress, ToolCallView } from '../../shared/tool-calls.ts'
import { FINAL_TOOL_CALL_STATUSES } from '../../shared/tool-calls.ts'
import { recordAudit } from '../audit/audit-log.ts'
import { maskSecrets } from '../audit/mask-secrets.ts'
import { findServerForUser, type McpServerRow } from '../db/mcp-servers.ts'
import { findToolCallForUser } from '../db/mcp-tool-calls.ts'
import { findToolWithServerForUser, type McpToolWithServer } from '../db/mcp-tools.ts'
import type { Deps } from '../deps.ts'
import { AppError, NotFoundError, RateLimitedError, ValidationError } from '../errors.ts'
import { asMcpFailure } from '../mcp/probe.ts'
import { endpointOfRow, type ServerConfig } from '../mcp/server-endpoint.ts'
import { onSessionLost, sessionKey, withSession } from '../mcp/server-sessions.ts'
import type { ToolAccess } from '../mcp/tool-access-cache.ts'
import { callUpstream, createIdleTimer, type IdleTimer, TaskTimeoutError } from './call-upstream.ts'
import type { RunningCall } from './runtime.ts'
import { ShutdownError } from './runtime.ts'
import {
  type CallState,
  recordOf,
  viewOfRecord,
  viewOfRow,
  viewOfState,
} from './tool-call-views.ts'
import type { ToolCallInput, ToolCallOutcome, ToolTarget } from './types.ts'

/** The user pressed Cancel (or the API was asked to cancel). */
export class CancelledError extends Error {
  override name = 'CancelledError'
  constructor(message = 'cancelled by the user') {
    super(message)
  }
}

/** How long `cancel` waits for the upstream to confirm before answering with the call as is. */
const CANCEL_WAIT_MS = 5_000

export async function startToolCall(deps: Deps, input: ToolCallInput): Promise<ToolCallOutcome> {
  const { tool, server } = await authorize(deps, input)
  const problems = deps.toolCalls.validator.check(tool, input.arguments)
  if (problems.length > 0) {
    await refuse(deps, input, tool, 'invalid_arguments', { fields: problems })
    throw new ValidationError(
      problems.map((p) => ({
        field: `arguments${p.field ? `.${p.field}` : ''}`,
        message: p.message,
      })),
      `the arguments do not match the input schema of "${tool.name}": ${problems
        .map((p) => `${p.field || '(root)'} ${p.message}`)
        .join('; ')}`,
    )
  }
  let release: () => void
  try {
    release = await deps.toolCalls.limits.acquire({ userId: input.user.id, serverId: server.id })
  } catch (error) {
    if (error instanceof RateLimitedError) {
      await recordAudit(deps, {
        ...auditActor(input),
        action: 'tool_call.rate_limited',
        target: { type: 'tool', id: tool.id },
        details: { server: server.name, tool: tool.name, message: error.message },
      })
    }
    throw error
  }

  const now = deps.now()
  const state: CallState = {
    id: crypto.randomUUID(),
    userId: input.user.id,
    serverId: server.id,
    toolId: tool.id,
    serverName: server.name,
    toolName: tool.name,
    conversationId: input.conversationId ?? null,
    messageId: input.messageId ?? null,
    source: input.source,
    mode: input.mode,
    input: maskSecrets(input.arguments, deps.config.toolCalls.secretKeys),
    output: null,
    status: 'running',
    errorCode: null,
    error: null,
    progress: null,
    createdAt: now,
    startedAt: now,
    finishedAt: null,
    durationMs: null,
    updatedAt: now,
  }
  const controller = new AbortController()
  const outer = input.signal
  const abortFromOuter = () => controller.abort(new CancelledError('stopped by the user'))
  if (outer?.aborted) abortFromOuter()
  else outer?.addEventListener('abort', abortFromOuter, { once: true })

  const idle = createIdleTimer(timeoutOf(deps, server))
  const running: RunningCall = { state, controller, idle, done: Promise.resolve(state) }
  deps.toolCalls.running.set(state.id, running)
  save(deps, state)
  running.done = execute(deps, {
    input,
    state,
    tool,
    server,
    signal: controller.signal,
    idle,
  }).finally(() => {
    release()
    outer?.removeEventListener('abort', abortFromOuter)
    deps.toolCalls.running.delete(state.id)
  })

  if (input.mode === 'async') return accept(deps, state)
  const threshold =
    input.asyncAfterMs === undefined ? deps.config.toolCalls.asyncAfterMs : input.asyncAfterMs
  if (threshold === null) return { kind: 'finished', call: viewOfState(await running.done) }
  let timer: NodeJS.Timeout | undefined
  const slow = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), threshold)
  })
  const finished = await Promise.race([running.done, slow])
  clearTimeout(timer)
  if (finished) return { kind: 'finished', call: viewOfState(finished) }
  // Still running: from here on it is an async call the client follows by id.
  state.mode = 'async'
  save(deps, state)
  return accept(deps, state)
}

/** The call as it is now: from this instance if it runs here or is not written yet, else the log. */
export async function getToolCall(
  deps: Deps,
  input: { userId: string; id: string },
): Promise<ToolCallView> {
  const local = deps.toolCalls.running.get(input.id)
  if (local && local.state.userId === input.userId) return viewOfState(local.state)
  const queued = deps.toolCalls.log.pending(input.id)
  if (queued && queued.user_id === input.userId) return viewOfRecord(queued)
  const row = await findToolCallForUser(deps.db, input)
  if (!row) throw new NotFoundError('tool call')
  return viewOfRow(row)
}

/**
 * Cancels a running call: the upstream gets `notifications/cancelled` (or `tasks/cancel`).
 * A call running on another instance is reached through the event bus. Answers with the call
 * once it has ended, or as it is after a short wait.
 */
export async function cancelToolCall(
  deps: Deps,
  input: { userId: string; id: string },
): Promise<ToolCallView> {
  const call = await getToolCall(deps, input)
  if (FINAL_TOOL_CALL_STATUSES.includes(call.status)) return call
  const local = deps.toolCalls.running.get(input.id)
  if (local) {
    local.controller.abort(new CancelledError())
    return viewOfState(await local.done)
  }
  const ended = waitForEnd(deps, input, CANCEL_WAIT_MS)
  deps.events.signalInstances({ type: 'tool-call.cancel', userId: input.userId, callId: input.id })
  return (await ended) ?? getToolCall(deps, input)
}

/** Called for every instance when some instance was asked to cancel a call. */
export function onCancelSignal(deps: Deps, signal: { userId: string; callId: string }): void {
  const local = deps.toolCalls.running.get(signal.callId)
  if (local && local.state.userId === signal.userId) local.controller.abort(new CancelledError())
}

function waitForEnd(
  deps: Deps,
  input: { userId: string; id: string },
  ms: number,
): Promise<ToolCallView | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      unsubscribe()
      resolve(null)
    }, ms)
    const unsubscribe = deps.events.subscribe(input.userId, (event) => {
      if (event.type !== 'tool-call.updated' || event.call.id !== input.id) return
      if (!FINAL_TOOL_CALL_STATUSES.includes(event.call.status)) return
      clearTimeout(timer)
      unsubscribe()
      resolve(event.call)
    })
  })
}

async function accept(deps: Deps, state: CallState): Promise<ToolCallOutcome> {
  // Anyone may ask for it by id from now on, on any instance: make sure the row exists.
  await deps.toolCalls.log.written(state.id)
  return { kind: 'accepted', call: viewOfState(state) }
}

/** Runs the call upstream and records how it ended. Never rejects. */
async function execute(
  deps: Deps,
  run: {
    input: ToolCallInput
    state: CallState
    tool: McpToolWithServer
    server: McpServerRow
    signal: AbortSignal
    idle: IdleTimer
  },
): Promise<CallState> {
  const { input, state, tool, server, signal, idle } = run
  const started = performance.now()
  try {
    const result = await withSession(deps, { userId: input.user.id, row: server }, (connection) =>
      callUpstream(connection, {
        name: tool.name,
        arguments: input.arguments,
        execution: tool.execution as Record<string, unknown> | null,
        signal,
        idle,
        timeoutMs: timeoutOf(deps, server),
        maxDurationMs: deps.config.toolCalls.maxDurationMs,
        onProgress: (progress) => reportProgress(deps, input, state, progress),
      }),
    )
    state.output = capOutput(result, deps.config.toolCalls.maxResultBytes)
    if (result.isError) {
      // The server answered, and the tool says it failed: a failed call, its output kept.
      state.status = 'failed'
      state.errorCode = 'tool_error'
      state.error = toolErrorMessage(state.output)
    } else {
      state.status = 'succeeded'
    }
  } catch (error) {
    Object.assign(state, failureOf(deps, server, error, signal))
    const failure = asMcpFailure(error, endpointOfRow(deps, server))
    if (!signal.aborted && failure.code !== 'upstream_timeout' && failure.status !== 'error') {
      // The server is gone or wants a sign-in: show it on the servers page now.
      await onSessionLost(deps, sessionKey(input.user.id, server), failure).catch(() => undefined)
    }
  }
  const now = deps.now()
  state.finishedAt = now
  state.updatedAt = now
  state.durationMs = Math.round(performance.now() - started)
  save(deps, state)
  return state
}

function toolErrorMessage(output: ToolCallOutput): string {
  const text = output.content.find(
    (block) => block.type === 'text' && typeof block.text === 'string',
  )
  const message = (text?.text as string | undefined)?.trim()
  return message ? message.slice(0, 500) : 'the tool reported an error'
}

function failureOf(
  deps: Deps,
  server: McpServerRow,
  error: unknown,
  signal: AbortSignal,
): Pick<CallState, 'status' | 'errorCode' | 'error'> {
  if (signal.aborted) {
    const reason = signal.reason
    if (reason instanceof ShutdownError) {
      return { status: 'interrupted', errorCode: 'interrupted', error: reason.message }
    }
    const message = reason instanceof CancelledError ? reason.message : 'cancelled'
    return { status: 'cancelled', errorCode: 'cancelled', error: message }
  }
  if (error instanceof TaskTimeoutError) {
    return { status: 'timeout', errorCode: 'upstream_timeout', error: error.message }
  }
  const failure = asMcpFailure(error, endpointOfRow(deps, server))
  return {
    status: failure.code === 'upstream_timeout' ? 'timeout' : 'failed',
    errorCode: failure.code,
    error: failure.message,
  }
}

function reportProgress(
  deps: Deps,
  input: ToolCallInput,
  state: CallState,
  progress: ToolCallProgress,
): void {
  if (FINAL_TOOL_CALL_STATUSES.includes(state.status)) return
  state.progress = progress
  state.updatedAt = deps.now()
  deps.toolCalls.log.write(recordOf(state))
  deps.events.publish(state.userId, { type: 'tool-call.progress', callId: state.id, progress })
  try {
    input.onProgress?.(progress)
  } catch (err) {
    deps.log.warn({ err }, 'tool-call progress listener failed')
  }
}

/** Queue the call's state for the log and tell the user's clients. */
function save(deps: Deps, state: CallState): void {
  deps.toolCalls.log.write(recordOf(state))
  deps.events.publish(state.userId, { type: 'tool-call.updated', call: viewOfState(state) })
}

function timeoutOf(deps: Deps, server: McpServerRow): number {
  if (server.user_id === null) {
    const shared = deps.config.mcpServers.find((s) => s.name === server.name)
    return shared?.timeouts.requestMs ?? deps.config.toolCalls.timeoutMs
  }
  return (server.config as ServerConfig).timeouts?.requestMs ?? deps.config.toolCalls.timeoutMs
}

/**
 * The result as the server sent it, unless its JSON is larger than `maxBytes`: then one text
 * block with as much of its text as fits, marked `truncated` (structured content is dropped).
 */
export function capOutput(result: CallToolResult, maxBytes: number): ToolCallOutput {
  const output: ToolCallOutput = {
    content: (result.content ?? []) as ToolCallOutput['content'],
    ...(result.structuredContent !== undefined
      ? { structuredContent: result.structuredContent as Record<string, unknown> }
      : {}),
    ...(result.isError !== undefined ? { isError: result.isError } : {}),
  }
  const size = Buffer.byteLength(JSON.stringify(output))
  if (size <= maxBytes) return output
  const texts = output.content
    .map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .join('\n')
  const note = `\n[truncated: the result was ${size} bytes; the limit is ${maxBytes}]`
  const room = Math.max(0, Math.floor(maxBytes / 2) - note.length)
  return {
    content: [{ type: 'text', text: `${texts.slice(0, room)}${note}` }],
    ...(result.isError !== undefined ? { isError: result.isError } : {}),
    truncated: true,
  }
}

/** The tool, if it is the caller's (or shared) and switched on, with its server; else refused. */
async function authorize(deps: Deps, input: ToolCallInput): Promise<ToolAccess> {
  const found = await findToolAccess(deps, input.user.id, input.target)
  if (!found) {
    await refuse(deps, input, null, 'not_found', { target: describeTarget(input.target) })
    throw new NotFoundError('tool')
  }
  const { tool, server } = found
  if (!server.enabled) {
    await refuse(deps, input, tool, 'server_disabled')
    throw new AppError(
      'disabled',
      `the server "${server.name}" is switched off: switch it on to call its tools`,
      { details: { disabled: 'server' } },
    )
  }
  if (!tool.enabled) {
    await refuse(deps, input, tool, 'tool_disabled')
    throw new AppError(
      'disabled',
      `the tool "${tool.name}" of "${server.name}" is switched off: switch it on to call it`,
      { details: { disabled: 'tool' } },
    )
  }
  return { tool, server }
}

/** The tool and its server as the user sees them, from the access cache or the database. */
async function findToolAccess(
  deps: Deps,
  userId: string,
  target: ToolTarget,
): Promise<ToolAccess | undefined> {
  const key = 'toolId' in target ? target.toolId : `${target.serverId}/${target.toolName}`
  return deps.toolAccess.remember(userId, `tool:${key}`, async () => {
    const tool = await findToolWithServerForUser(deps.db, { userId, ...target })
    const server = tool && (await findServerForUser(deps.db, { userId, id: tool.server_id }))
    return tool && server ? { tool, server } : undefined
  })
}

async function refuse(
  deps: Deps,
  input: ToolCallInput,
  tool: McpToolWithServer | null,
  reason: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(deps, {
    ...auditActor(input),
    action: 'tool_call.refused',
    ...(tool ? { target: { type: 'tool', id: tool.id } } : {}),
    details: {
      reason,
      source: input.source,
      ...(tool ? { server: tool.server_name, tool: tool.name } : {}),
      ...details,
    },
  })
}

function auditActor(input: ToolCallInput) {
  return { userId: input.user.id, actor: input.user.email, ip: input.ip ?? null }
}

function describeTarget(target: ToolTarget): Record<string, string> {
  return 'toolId' in target
    ? { toolId: target.toolId }
    : { serverId: target.serverId, toolName: target.toolName.slice(0, 200) }
}
